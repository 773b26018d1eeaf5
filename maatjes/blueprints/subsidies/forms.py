from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from maatjes.blueprints.forms import Form
from maatjes.blueprints.projects.forms import AmountField, Years, optional_id
from maatjes.domain.clock import local_today
from maatjes.domain.subsidies import EARLIEST_YEAR, YEARS_AHEAD


def _year(form, field) -> None:
    if field.data is None:
        return
    if not EARLIEST_YEAR <= field.data <= local_today().year + YEARS_AHEAD:
        raise ValidationError(_l("Give a year from 2000 up to %(n)d years ahead.", n=YEARS_AHEAD))


class ApplicationForm(Form):
    funder = StringField(
        _l("Funder"),
        validators=[DataRequired(), Length(max=160)],
        description=_l("E.g. Gemeente Amsterdam, stadsdeel Zuidoost."),
    )
    scheme = StringField(
        _l("Scheme"),
        validators=[DataRequired(), Length(max=160)],
        description=_l("E.g. Sociale Basis."),
    )
    year = IntegerField(
        _l("Year"),
        validators=[InputRequired(message=_l("Give the year of the work.")), _year],
        description=_l("The year the subsidised work is done in; the totals per year use it."),
    )
    starts_on = DateField(_l("Period from"), validators=[Optional(), Years()])
    ends_on = DateField(_l("Period until"), validators=[Optional(), Years()])
    submitted_on = DateField(_l("Submitted on"), validators=[Optional(), Years(ahead=0)])
    lead_organisation = SelectField(
        _l("Lead applicant (penvoerder)"),
        coerce=optional_id,
        validators=[DataRequired(message=_l("Choose the lead applicant."))],
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Save"))


class ParticipantForm(Form):
    organisation = SelectField(
        _l("Organisation"),
        coerce=optional_id,
        validators=[DataRequired(message=_l("Choose the organisation."))],
    )
    requested = AmountField(_l("Requested"))
    decision = SelectField(_l("Decision"))
    granted = AmountField(
        _l("Granted"),
        description=_l(
            "Empty while the decision is awaited or when rejected; the requested amount when"
            " granted in full (filled in for you); less when partly granted."
        ),
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[Length(max=1000)],
        description=_l("Required for a rejection: the funder's reason."),
    )
    submit = SubmitField(_l("Save"))
