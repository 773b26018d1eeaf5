from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
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
    ValidationError,
)

from maatjes.blueprints.fields import MultiCheckboxField
from maatjes.blueprints.forms import Form
from maatjes.domain.clock import local_today
from maatjes.domain.errors import RuleViolation
from maatjes.domain.projects import MAX_COUNT
from maatjes.domain.subsidies import AMOUNT_HINT, parse_amount, plain_amount

EARLIEST_YEAR = 2000


def optional_id(value) -> int | None:
    """The blank "—" option is no choice; anything else must be a number."""
    if value in (None, "", "None"):
        return None
    return int(value)


class Years:
    """A date from 1 January 2000 up to ``ahead`` years from now (0: up to today), so that a
    typo like 0001 or 9999 is refused at the field and never reaches arithmetic."""

    def __init__(self, ahead: int = 5):
        self.ahead = ahead

    def __call__(self, form, field) -> None:
        value = field.data
        if value is None:
            return
        today = local_today()
        if self.ahead == 0:
            if not date(EARLIEST_YEAR, 1, 1) <= value <= today:
                raise ValidationError(_l("Give a date from 2000 up to today."))
        elif not EARLIEST_YEAR <= value.year <= today.year + self.ahead:
            raise ValidationError(
                _l("Give a date from 2000 up to %(n)d years ahead.", n=self.ahead)
            )


class AmountField(StringField):
    """An amount in euros as ``Decimal`` (never float), read the same in Dutch and English
    (``domain.subsidies.parse_amount``: what is accepted is in the field's description)."""

    def __init__(self, label=None, validators=None, required: bool = False, **kwargs):
        kwargs.setdefault("description", AMOUNT_HINT)
        render_kw = {"inputmode": "decimal", "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.required = required

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0] or ""
        self.data = None
        if text.strip():
            try:
                self.data = parse_amount(text)
            except RuleViolation as error:
                raise ValueError(str(error.message)) from None

    def pre_validate(self, form):
        if self.required and self.data is None and not self.process_errors:
            raise ValidationError(_l("Give an amount."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return plain_amount(self.data, str(get_locale() or "nl"))


class ProjectForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    lead_organisation = SelectField(_l("Lead organisation"), coerce=optional_id)
    organisations = MultiCheckboxField(_l("Participating organisations"), coerce=int)
    theme_group = SelectField(
        _l("Came out of theme group"),
        coerce=optional_id,
        description=_l("Money Maatjes, for one, came out of the Armoede group."),
    )
    started_on = DateField(_l("Starts on"), validators=[Optional(), Years()])
    ended_on = DateField(
        _l("Ends on"),
        validators=[Optional(), Years()],
        description=_l("Leave empty while the project runs."),
    )
    volunteers = IntegerField(
        _l("Volunteers"),
        validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)],
    )
    residents_reached = IntegerField(
        _l("Residents reached"),
        validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)],
    )
    neighbourhoods = MultiCheckboxField(_l("Neighbourhoods"), coerce=int)
    results = TextAreaField(_l("Results"), validators=[Length(max=10000)])
    submit = SubmitField(_l("Save"))


class ArchiveForm(Form):
    archived = BooleanField(_l("Archived"))
    submit = SubmitField(_l("Archive"))


class BudgetLineForm(Form):
    description = StringField(_l("Budget line"), validators=[DataRequired(), Length(max=300)])
    amount = AmountField(_l("Amount"), required=True)
    submit = SubmitField(_l("Add budget line"))


class RemoveForm(Form):
    """Only the CSRF token: the line or participant is in the URL."""

    submit = SubmitField(_l("Remove"))


class SignalForm(Form):
    title = StringField(
        _l("Signal"),
        validators=[DataRequired(), Length(max=160)],
        description=_l("In a few words, e.g. housing shortage, financial stress."),
    )
    description = TextAreaField(_l("What residents said"), validators=[Length(max=2000)])
    neighbourhood = SelectField(
        _l("Neighbourhood"),
        coerce=optional_id,
        validators=[DataRequired(message=_l("Choose the neighbourhood."))],
    )
    theme_group = SelectField(
        _l("Routed to theme group"),
        coerce=optional_id,
        validators=[DataRequired(message=_l("Choose the theme group the signal goes to."))],
        description=_l("The theme group that takes the signal up."),
    )
    project = SelectField(_l("Heard by project"), coerce=optional_id)
    heard_on = DateField(
        _l("Heard on"), validators=[InputRequired(message=_l("Give a date.")), Years(ahead=0)]
    )
    residents = IntegerField(
        _l("Residents who raised it"),
        validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)],
        description=_l("When the project counted them."),
    )
    submit = SubmitField(_l("Save"))
