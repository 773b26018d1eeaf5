from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from maatjes.blueprints.forms import Form, PhoneField
from maatjes.domain.clock import EARLIEST_RECORD, local_today

YEARS_AHEAD = 5


def plausible_day(form, field) -> None:
    """A day from 2000 up to five years ahead: year 1 or 9999 is a typo, refused at the field."""
    if field.data is None:
        return
    if field.data < EARLIEST_RECORD:
        raise ValidationError(_l("Give a date from 1 January 2000 onwards."))
    if field.data > local_today() + timedelta(days=365 * YEARS_AHEAD + 1):
        raise ValidationError(_l("Give a date at most five years ahead."))


def optional_id(value) -> int | None:
    """The blank "—" option is no choice; anything that is not a number is no option either
    (-1: refused as "Not a valid choice")."""
    if value in (None, "", "None", 0, "0"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class PersonForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    function = StringField(
        _l("Function"),
        validators=[Length(max=120)],
        description=_l("For example: coordinator, director, social worker."),
    )
    organisation = SelectField(_l("Organisation"), coerce=optional_id)
    email = EmailField(
        _l("E-mail address"),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Give a valid e-mail address."), check_deliverability=False),
        ],
    )
    phone = PhoneField(_l("Phone"), validators=[Optional(), Length(max=30)])
    submit = SubmitField(_l("Save"))


class RoleForm(Form):
    role = SelectField(_l("Role in the pact"), validators=[DataRequired(_l("Choose a role."))])
    area = SelectField(
        _l("Area"), coerce=optional_id, description=_l("Only for a Linking Pin: their area.")
    )
    theme_group = SelectField(
        _l("Theme group"),
        coerce=optional_id,
        description=_l("Only for a theme group lead: the group they lead."),
    )
    started_on = DateField(
        _l("Since"), validators=[InputRequired(_l("Give the first day.")), plausible_day]
    )
    submit = SubmitField(_l("Add role"))


class EndRoleForm(Form):
    ended_on = DateField(
        _l("Ended on"), validators=[InputRequired(_l("Give the last day.")), plausible_day]
    )
    submit = SubmitField(_l("End role"))


class AccountForm(Form):
    # No role is preselected: one missed tap must not make someone a project lead.
    role = SelectField(_l("Role"), validators=[DataRequired(message=_l("Choose a role."))])
    area = SelectField(
        _l("Area"),
        coerce=optional_id,
        description=_l(
            "For buurtteam staff; and for a Linking Pin who is not recorded as the Linking Pin"
            " of an area yet: they become the Linking Pin of this area."
        ),
    )
    confirm_staff = BooleanField(
        _l("Yes: this person may see every resident, volunteer and contact")
    )
    submit = SubmitField(_l("Create account"))
