from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp

from maatjes.blueprints.fields import MultiCheckboxField, database_id
from maatjes.blueprints.forms import Form


class ContactForm(Form):
    contact_on = DateField(_l("Date"), validators=[InputRequired()])
    kind = RadioField(
        _l("How"), validators=[InputRequired(message=_l("Choose how you had contact."))]
    )
    duration_minutes = IntegerField(_l("Duration in minutes"), validators=[Optional()])
    topics = MultiCheckboxField(_l("Topics"))
    stress_score = IntegerField(
        _l("Stress score (1–10, as the resident says)"),
        validators=[Optional()],
        description=_l("1 = no stress, 10 = very much stress."),
    )
    note = TextAreaField(_l("Short note"), validators=[Length(max=1000)])
    needs_attention = BooleanField(_l("The project lead should look at this"))
    evaluation = BooleanField(
        _l("This was the evaluation"),
        description=_l(
            "After 13 weeks you look back together: what went well, and do you go on or end?"
        ),
    )
    submit = SubmitField(_l("Save contact"))
    # Filled by the page's script (a UUID made on the phone) so that a contact queued offline
    # and sent again is stored once; absent when scripts are off.
    client_uuid = HiddenField(
        filters=[lambda value: value.strip().lower() if isinstance(value, str) else value],
        validators=[
            Optional(),
            Regexp(
                r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                message=_l("The form was sent incompletely. Reload the page and try again."),
            ),
        ],
    )


class EndMatchForm(Form):
    ended_on = DateField(_l("End date"), validators=[Optional()])  # the rules say when it is needed
    outcome = SelectField(
        _l("Outcome"), validators=[InputRequired(message=_l("Choose an outcome."))]
    )
    reason = TextAreaField(
        _l("Reason or remarks"),
        validators=[Length(max=1000)],
        description=_l("Required when the match ends before 13 weeks."),
    )
    needs_new_maatje = BooleanField(
        _l("The resident needs a new maatje (back on the waiting list)")
    )
    submit = SubmitField(_l("End match"))


class TransferForm(Form):
    volunteer = RadioField(
        _l("New maatje"),
        coerce=int,
        validate_choice=False,  # the rules decide, with a message that says why
        validators=[InputRequired(message=_l("Choose a volunteer.")), database_id],
    )
    started_on = DateField(_l("Start with the new maatje"), validators=[InputRequired()])
    reason = TextAreaField(
        _l("Why the resident goes to another maatje"),
        validators=[InputRequired(message=_l("Give a reason.")), Length(max=1000)],
    )
    submit = SubmitField(_l("Transfer"))
