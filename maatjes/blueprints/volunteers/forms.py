from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from maatjes.blueprints.fields import LanguageListField, MultiCheckboxField
from maatjes.blueprints.forms import Form, PhoneField

LANGUAGE_HINT = _l(
    "ISO 639 codes, separated by commas, for example: nl, en, srn (Sranantongo), pap"
    " (Papiamento), tw (Twi), fat (Fante). A code without a standard name: hns=Sarnami Hindustani."
)


def _optional_id(value) -> int | None:
    """The blank "Choose…" option is no choice; anything else must be a number."""
    if value in (None, "", "None"):
        return None
    return int(value)


class VolunteerForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    organisation = SelectField(
        _l("Member organisation"),
        coerce=_optional_id,
        validators=[DataRequired(message=_l("Choose the member organisation."))],
    )
    phone = PhoneField(_l("Phone"), validators=[DataRequired(), Length(max=30)])
    email = EmailField(
        _l("E-mail address"),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Give a valid e-mail address."), check_deliverability=False),
        ],
    )
    languages = LanguageListField(
        _l("Languages"), validators=[DataRequired(), Length(max=300)], description=LANGUAGE_HINT
    )
    areas = MultiCheckboxField(_l("Areas they can work in"), coerce=int)
    availability = StringField(
        _l("Availability"),
        validators=[Length(max=500)],
        description=_l("For example: weekday evenings, Saturday morning."),
    )
    vog_date = DateField(_l("VOG date (certificate of conduct)"), validators=[Optional()])
    user = SelectField(_l("Login account"), coerce=int)
    active = BooleanField(_l("Active"), default=True)
    allow_duplicate = BooleanField(_l("Register anyway (this is a different person)"))
    submit = SubmitField(_l("Save"))
