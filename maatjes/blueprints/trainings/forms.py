from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from maatjes.blueprints.forms import Form


class TrainingForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(
        _l("Kind"),
        description=_l(
            "The basic training and then the Money Maatje training make a volunteer matchable."
        ),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=1000)])
    refresh_months = IntegerField(
        _l("Refresher needed after (months)"),
        validators=[Optional(), NumberRange(min=1, max=120)],
        description=_l("Leave empty when the training does not expire."),
    )
    submit = SubmitField(_l("Save"))


class SessionForm(Form):
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    trainer_organisation = SelectField(_l("Trainer organisation"), coerce=int)
    submit = SubmitField(_l("Add session"))


class AttendanceForm(Form):
    """The attendance of one session: a row per volunteer, read by the view from the lists
    ``row``, ``attended`` and ``completed`` (volunteer ids); this form holds the CSRF token."""

    submit = SubmitField(_l("Save attendance"))
