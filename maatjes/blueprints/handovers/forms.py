from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from maatjes.blueprints.fields import LanguageListField, MultiCheckboxField
from maatjes.blueprints.forms import Form, PhoneField
from maatjes.blueprints.residents.forms import RESIDENT_LANGUAGE_HINT


class HandoverForm(Form):
    reason = TextAreaField(
        _l("Why hand over"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l("For example: debts are too high for a maatje; formal debt assistance."),
    )
    needs = TextAreaField(_l("What the resident needs"), validators=[Length(max=1000)])
    urgency = SelectField(_l("Urgency"))
    consent = BooleanField(_l("The resident agrees that their data are shared with the buurtteam"))
    consent_on = DateField(_l("Consent given on"), validators=[Optional()])
    submit = SubmitField(_l("Send handover"))


class ReferralForm(HandoverForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=80)])
    phone = PhoneField(_l("Phone"), validators=[DataRequired(), Length(max=30)])
    neighbourhood = StringField(_l("Neighbourhood"), validators=[Length(max=80)])
    # Only shown to a Linking Pin of several areas (the registry's); otherwise the one area.
    area = SelectField(_l("Area"), coerce=int, validate_choice=False)
    languages = LanguageListField(
        _l("Languages they want help in"),
        validators=[DataRequired(), Length(max=300)],
        description=RESIDENT_LANGUAGE_HINT,
    )
    need_topics = MultiCheckboxField(_l("Needs help with"))
    consent = BooleanField(
        _l("The resident consents to the processing of their data by Money Maatjes")
    )
    allow_duplicate = BooleanField(_l("Register anyway (this is a different person)"))
    submit = SubmitField(_l("Refer to Money Maatjes"))


class ActionForm(Form):
    receiver_name = StringField(
        _l("Name of the contact person"),
        validators=[Length(max=120)],
        description=_l("The person who will meet the resident, not the team."),
    )
    receiver_phone = PhoneField(
        _l("Their phone number"), validators=[Length(max=30)], description=""
    )
    receiver_email = EmailField(_l("Their e-mail address"), validators=[Length(max=254)])
    note = TextAreaField(_l("Note or reason"), validators=[Length(max=1000)])
