from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from maatjes.blueprints.fields import LANGUAGE_TEXT_MAX, LanguageListField, MultiCheckboxField
from maatjes.blueprints.forms import Form, PhoneField
from maatjes.domain import phones
from maatjes.domain.errors import RuleViolation
from maatjes.domain.organisations import normalise_website
from maatjes.labels import LABELS
from maatjes.models import Assessment

DATE_MESSAGE = _l("Give a date as day, month and year.")


def _optional_id(value) -> int | None:
    """The blank option is no choice; anything else must be a number."""
    if value in (None, "", "None", "0"):
        return None
    return int(value)


class DetailsForm(Form):
    """What an organisation contact keeps of its own organisation."""

    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    address = StringField(_l("Address"), validators=[Length(max=300)])
    website = StringField(
        _l("Website"),
        validators=[Length(max=300)],
        description=_l("For example www.example.nl"),
        render_kw={"inputmode": "url", "autocomplete": "url"},
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Give a valid e-mail address."), check_deliverability=False),
        ],
    )
    phone = PhoneField(_l("Phone"), validators=[Length(max=30)])
    areas = MultiCheckboxField(_l("Areas where it is active"), coerce=int)
    themes = MultiCheckboxField(_l("Themes"), coerce=int)
    languages = LanguageListField(
        _l("Languages its people speak"), validators=[Length(max=LANGUAGE_TEXT_MAX)]
    )
    contact_person = SelectField(_l("Contact person"), coerce=_optional_id)
    submit = SubmitField(_l("Save"))

    # The domain's checks of the web address and the phone number, run with the fields' own
    # checks, so every mistake shows at once (the domain checks again when saving).
    def validate_website(self, field):
        _rule(normalise_website, field.data)

    def validate_phone(self, field):
        _rule(phones.normalise_optional, field.data)


def _rule(check, value) -> None:
    try:
        check(value)
    except RuleViolation as error:
        raise ValidationError(str(error.message)) from None


class OrganisationForm(DetailsForm):
    """Everything pact support staff keep of an organisation (not its status or admission)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(
        _l("Kind"),
        validators=[InputRequired(message=_l("Choose member or partner."))],
        description=_l("What it is or wants to become."),
    )


class NewOrganisationForm(OrganisationForm):
    entry = RadioField(
        _l("Admission"),
        choices=[
            ("candidate", _l("Candidate: the admission follows")),
            ("partner", _l("Partner after the introductory talk (kennismakingsgesprek)")),
        ],
        default="candidate",
        validators=[InputRequired(message=_l("Choose how the organisation enters."))],
    )
    joined_on = DateField(
        _l("Partner since"),
        validators=[Optional()],
        description=_l("Only for a partner admitted directly."),
    )
    note = TextAreaField(
        _l("Note on the introductory talk"),
        validators=[Length(max=1000)],
        description=_l("When it was held, and with whom."),
    )


MET_CHOICES = [
    ("met", _l("met")),
    ("not_met", _l("not met")),
    ("unassessed", _l("not assessed yet")),
]


class AssessmentForm(Form):
    """The six criteria, each met / not met / not assessed yet, with a note; the fields
    ``<criterion>`` and ``<criterion>_note`` are added below."""

    submit_assess = SubmitField(_l("Save the assessment"))

    def criteria(self):
        """(criterion, outcome field, note field) in the pact's order."""
        return [(c, self[c], self[f"{c}_note"]) for c in Assessment.CRITERIA]


for _criterion in Assessment.CRITERIA:
    setattr(
        AssessmentForm,
        _criterion,
        RadioField(
            LABELS["criterion"][_criterion],
            choices=MET_CHOICES,
            validators=[InputRequired(message=_l("Choose met, not met or not assessed yet."))],
        ),
    )
    setattr(
        AssessmentForm,
        f"{_criterion}_note",
        TextAreaField(_l("Note"), validators=[Length(max=1000)], render_kw={"rows": 2}),
    )


class DecisionForm(Form):
    decision = RadioField(
        _l("Decision"),
        choices=[("admitted", _l("Admitted")), ("refused", _l("Not admitted"))],
        validators=[InputRequired(message=_l("Choose admitted or not admitted."))],
    )
    decided_on = DateField(
        _l("Date of the decision"),
        validators=[InputRequired(message=DATE_MESSAGE)],
    )
    decision_note = TextAreaField(
        _l("Note"),
        validators=[Length(max=1000)],
        description=_l("For a partner: when the introductory talk was held."),
    )
    submit_decide = SubmitField(_l("Record the decision"))


class CharterForm(Form):
    signed_on = DateField(_l("Charter signed on"), validators=[InputRequired(message=DATE_MESSAGE)])
    submit_charter = SubmitField(_l("Record the signing"))


class LeaveForm(Form):
    left_on = DateField(_l("Left on"), validators=[InputRequired(message=DATE_MESSAGE)])
    submit_leave = SubmitField(_l("Record leaving"))
