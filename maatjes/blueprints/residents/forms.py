from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from maatjes.blueprints.fields import LanguageListField, MultiCheckboxField, database_id
from maatjes.blueprints.forms import Form, PhoneField

RESIDENT_LANGUAGE_HINT = _l(
    "In order of preference, ISO 639 codes separated by commas: nl, en, srn (Sranantongo), pap"
    " (Papiamento), tw (Twi), fat (Fante). A code without a standard name: hns=Sarnami Hindustani."
)


class ResidentForm(Form):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=80)])
    phone = PhoneField(_l("Phone"), validators=[DataRequired(), Length(max=30)])
    area = SelectField(_l("Area"), coerce=int)
    neighbourhood = StringField(
        _l("Neighbourhood"),
        validators=[Length(max=80)],
        description=_l("For example Holendrecht, K-buurt, Reigersbos."),
    )
    languages = LanguageListField(
        _l("Languages they want help in"),
        validators=[DataRequired(), Length(max=300)],
        description=RESIDENT_LANGUAGE_HINT,
    )
    needs = MultiCheckboxField(_l("Needs help with"))
    needs_other = StringField(
        _l("Other: what?"),
        validators=[Length(max=200)],
        description=_l("Only when “Other” is ticked."),
    )
    source = SelectField(_l("Came in through"))
    consent = BooleanField(
        _l("The resident consents to the processing of their data for Money Maatjes")
    )
    consent_on = DateField(_l("Consent given on"), validators=[Optional()])
    allow_duplicate = BooleanField(_l("Register anyway (this is a different person)"))
    submit = SubmitField(_l("Save"))


class MatchForm(Form):
    volunteer = RadioField(
        _l("Volunteer"),
        coerce=int,
        validate_choice=False,  # the rules decide, with a message that says why
        validators=[DataRequired(message=_l("Choose a volunteer.")), database_id],
    )
    started_on = DateField(
        _l("Date of the intake meeting (start of the match)"), validators=[InputRequired()]
    )
    submit = SubmitField(_l("Confirm match"))


class SharingConsentForm(Form):
    given_on = DateField(_l("Consent given on"), validators=[InputRequired()])
    note = StringField(_l("Note (optional)"), validators=[Length(max=300)])
    submit = SubmitField(_l("Record consent to share with the buurtteam"))


class WithdrawConsentForm(Form):
    confirm = BooleanField(
        _l("Yes, the resident withdrew this consent"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
    submit = SubmitField(_l("Withdraw consent"))


class ExportForm(Form):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(), Length(max=128)],
        description=_l("Asked again because the export holds everything about this resident."),
    )
    format = RadioField(
        _l("Format"),
        choices=[("html", _l("Readable page (to print)")), ("json", _l("JSON file"))],
        default="html",
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Export"))


class PostponeForm(Form):
    until = DateField(_l("Keep the data until"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)])
    submit = SubmitField(_l("Postpone"))
