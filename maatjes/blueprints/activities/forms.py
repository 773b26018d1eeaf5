from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms import Form as PlainForm
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import Select, html_params

from maatjes.blueprints.fields import LANGUAGE_TEXT_MAX, LanguageListField, MultiCheckboxField
from maatjes.blueprints.forms import Form, PhoneField
from maatjes.blueprints.projects.forms import AmountField
from maatjes.labels import choices

WEEKLY_ROWS = 4
ONCE_ROWS = 3
MAX_ROWS = 14  # rows read from a post (an activity kept elsewhere may have more)
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


def optional_int(value) -> int | None:
    """The blank option is no choice; anything else must be a number (0 is Monday)."""
    if value in (None, "", "None"):
        return None
    return int(value)


class GroupedSelect(Select):
    """A select whose choices are grouped (``{group: [(value, label)]}``); the group "" is
    shown without an <optgroup> (the blank choice)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for group, options in field.iter_groups():
            if group:
                html.append(f"<optgroup {html_params(label=group)}>")
            for value, text, selected, render_kw in options:
                html.append(self.render_option(value, text, selected, **render_kw))
            if group:
                html.append("</optgroup>")
        html.append("</select>")
        return Markup("".join(html))


class RowForm(PlainForm):
    """A schedule row inside the activity form: a plain form (no CSRF token of its own) that
    speaks the user's language, as the outer form does (WTForms' own messages in Dutch)."""

    class Meta:
        def get_translations(self, form):
            from flask_wtf.i18n import translations

            return translations


class WeeklyRow(RowForm):
    weekday = SelectField(_l("Day"), coerce=optional_int)
    opens_at = TimeField(_l("From"), validators=[Optional()], format=TIME_FORMATS)
    closes_at = TimeField(_l("Until"), validators=[Optional()], format=TIME_FORMATS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.weekday.choices = [("", "—"), *choices("weekday")]


class OnceRow(RowForm):
    on_date = DateField(_l("Date"), validators=[Optional()])
    opens_at = TimeField(_l("From"), validators=[Optional()], format=TIME_FORMATS)
    closes_at = TimeField(_l("Until"), validators=[Optional()], format=TIME_FORMATS)


class ActivityForm(Form):
    organisation = SelectField(
        _l("Organisation"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Choose the organisation."))],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=5000)],
        description=_l("What happens, for whom, and what to bring."),
    )
    target_groups = MultiCheckboxField(_l("For whom"), description=_l("None chosen: for everyone."))
    minimum_age = IntegerField(_l("From age"), validators=[Optional()])
    maximum_age = IntegerField(_l("Up to age"), validators=[Optional()])
    place = RadioField(_l("Where"), default="address")
    area = SelectField(_l("Area"), coerce=optional_int)
    neighbourhood = SelectField(_l("Neighbourhood"), coerce=optional_int, widget=GroupedSelect())
    location_name = StringField(
        _l("Name of the place"),
        validators=[Length(max=160)],
        description=_l("For example Buurtwerkkamer Kantershof."),
    )
    address = StringField(_l("Address"), validators=[Length(max=200)])
    postal_code = StringField(_l("Postal code"), validators=[Length(max=10)])
    city = StringField(_l("City"), validators=[Length(max=80)], default="Amsterdam")
    cost = RadioField(_l("Cost"), default="free")
    cost_amount = AmountField(_l("Amount (euros)"))
    access = RadioField(_l("How to take part"), default="walk_in")
    phone = PhoneField(_l("Phone"), validators=[Length(max=30)])
    email = EmailField(
        _l("E-mail address"),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Give a valid e-mail address."), check_deliverability=False),
        ],
    )
    website = StringField(
        _l("Website"),
        validators=[Length(max=300)],
        description=_l("For example www.example.nl"),
        render_kw={"inputmode": "url", "autocomplete": "url"},
    )
    theme_group = SelectField(_l("Theme"), coerce=optional_int)
    priority = SelectField(
        _l("Municipal priority it serves"), coerce=optional_int, widget=GroupedSelect()
    )
    languages = LanguageListField(
        _l("Languages spoken"), validators=[Length(max=LANGUAGE_TEXT_MAX)]
    )
    weekly = FieldList(FormField(WeeklyRow), min_entries=WEEKLY_ROWS, max_entries=MAX_ROWS)
    once = FieldList(FormField(OnceRow), min_entries=ONCE_ROWS, max_entries=MAX_ROWS)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target_groups.choices = choices("target_group")
        self.place.choices = choices("activity_place")
        self.cost.choices = choices("activity_cost")
        self.access.choices = choices("activity_access")


class CheckedForm(Form):
    """Only the CSRF token: the activity is in the URL."""

    submit = SubmitField(_l("Checked: still right"))


class ArchiveForm(Form):
    archived = BooleanField(_l("Archived"))
    submit = SubmitField(_l("Archive"))
