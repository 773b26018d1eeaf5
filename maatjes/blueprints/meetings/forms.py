from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from maatjes.blueprints.fields import MultiCheckboxField
from maatjes.blueprints.forms import Form
from maatjes.domain.clock import local_today
from maatjes.domain.errors import RuleViolation
from maatjes.domain.meetings import check_held_on

FIRST_YEAR = 2000
YEARS_AHEAD = 5


def pact_date(form, field) -> None:
    """A date from 2000 up to five years ahead: year 1 or 9999 never reaches arithmetic."""
    if field.data is None:
        return
    if field.data.year < FIRST_YEAR:
        raise ValidationError(_l("Give a date from 1 January 2000 onwards."))
    if field.data.year > local_today().year + YEARS_AHEAD:
        raise ValidationError(_l("Give a date at most five years ahead."))


def meeting_day(form, field) -> None:
    """A meeting's date within the registry's bounds (``domain.meetings.check_held_on``)."""
    if field.data is None:
        return
    try:
        check_held_on(field.data)
    except RuleViolation as error:
        raise ValidationError(str(error.message)) from None


def optional_int(value):
    """A select whose first option is "none": an empty or unreadable value is None."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not a choice: the select refuses it


class Checkboxes(MultiCheckboxField):
    """Checkboxes of ids; a value that is not one of the boxes gets a plain message."""

    def pre_validate(self, form):
        allowed = {value for value, *_rest in self.iter_choices()}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError(_l("Choose from the list; one of the choices no longer fits."))

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = []
            raise ValueError(_l("Choose from the list.")) from None


class MeetingForm(Form):
    kind = SelectField(_l("Kind of meeting"), validators=[InputRequired()])
    theme_group = SelectField(
        _l("Theme group"),
        coerce=optional_int,
        description=_l("Only for a theme group's meeting."),
    )
    held_on = DateField(_l("Date"), validators=[InputRequired(), meeting_day])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=160)])
    location = StringField(_l("Location"), validators=[Optional(), Length(max=160)])
    submit = SubmitField(_l("Save"))


class ItemForm(Form):
    title = StringField(_l("Agenda item"), validators=[DataRequired(), Length(max=300)])
    guest = StringField(
        _l("Invited guest"),
        validators=[Optional(), Length(max=160)],
        description=_l("An external organisation that presented, e.g. Taal Informatie Punt."),
    )
    submit = SubmitField(_l("Add agenda item"))


class AttendanceForm(Form):
    organisations = Checkboxes(_l("Organisations present"), coerce=int)
    people = Checkboxes(_l("People present"), coerce=int)
    submit = SubmitField(_l("Save attendance"))


class MinutesForm(Form):
    minutes = TextAreaField(_l("Minutes"), validators=[Length(max=50_000)])
    submit = SubmitField(_l("Save minutes"))


class DecisionForm(Form):
    text = TextAreaField(_l("Decision"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Add decision"))


class ActionForm(Form):
    text = TextAreaField(_l("Action"), validators=[DataRequired(), Length(max=1000)])
    owner = SelectField(_l("Owner"), coerce=optional_int, validators=[InputRequired()])
    due_on = DateField(_l("Due date"), validators=[InputRequired(), pact_date])
    submit = SubmitField(_l("Add action"))


class StatusForm(Form):
    status = SelectField(
        _l("Status"),
        choices=[("open", _l("Open")), ("done", _l("Done")), ("dropped", _l("Dropped"))],
    )
    next = StringField()
