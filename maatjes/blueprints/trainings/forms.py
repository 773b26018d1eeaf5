from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from maatjes.blueprints.fields import MultiCheckboxField
from maatjes.blueprints.forms import Form


def readable(form, field) -> None:
    """Stop at a value the field could not read: its own message ("Not a valid integer value")
    is enough, without a second one about the range."""
    if field.process_errors:
        raise StopValidation()


def _optional_id(value):
    """An organisation chosen from a list: "" or "0" is none."""
    if value in (None, "", "0", 0):
        return 0
    return int(value)


class TrainingForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(
        _l("Kind"),
        description=_l(
            "The basic training and then the Money Maatje training make a volunteer matchable."
        ),
    )
    # Not required: a form without it (an older page, a script) keeps the project's default.
    provider = SelectField(_l("Offered by"), default="project")
    organisation = SelectField(
        _l("Offering organisation"),
        coerce=_optional_id,
        default=0,
        description=_l("Only for a training a member offers to the others."),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=1000)])
    refresh_months = IntegerField(
        _l("Refresher needed after (months)"),
        validators=[Optional(), readable, NumberRange(min=1, max=120)],
        description=_l("Leave empty when the training does not expire."),
    )
    submit = SubmitField(_l("Save"))


class SessionForm(Form):
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    trainer_organisation = SelectField(_l("Trainer organisation"), coerce=int, default=0)
    location = StringField(_l("Location"), validators=[Length(max=160)])
    invited = MultiCheckboxField(_l("Organisations invited"), coerce=int)
    submit = SubmitField(_l("Add session"))


class AttendanceForm(Form):
    """The attendance of one session: a row per volunteer, read by the view from the lists
    ``row``, ``attended`` and ``completed`` (volunteer ids), and a row per person of an
    organisation from ``person_row`` and ``person`` (person ids); this form holds the CSRF
    token."""

    submit = SubmitField(_l("Save attendance"))


class ArchiveForm(Form):
    """Archive (or restore) a training: the CSRF token only."""
