"""Form fields shared by several blueprints."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import SelectMultipleField, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from maatjes.domain import languages
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import LanguageChoice, parse_language_list
from maatjes.extensions import db
from maatjes.formatting import custom_language_names

MAX_ID = 2**31 - 1  # ids are INTEGER on PostgreSQL; one rule for both databases
LANGUAGE_TEXT_MAX = 300  # the length limit of the language fields in the forms


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` limited to ids a database can hold, so a huge number is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (werkzeug's signature)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def database_id(form, field) -> None:
    """Validator for an id field whose choices are not checked up front."""
    if field.data is not None and not 0 < field.data <= MAX_ID:
        raise ValidationError(_l("Choose from the list."))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LanguageListField(StringField):
    """Languages separated by commas, in order of preference, each typed by name (Dutch or
    English), by ISO 639 code, or as the picker offers it ("Turks (tr)"); ``code=Name`` for a code
    without a name. Rendered by ``_language_picker.html``."""

    parsed: list[LanguageChoice]

    def process_data(self, value):
        # A form built from a model (``obj=volunteer``) finds its language links here, not text;
        # the view fills in the text itself. A post without the field must not use them.
        super().process_data(value if isinstance(value, str) else None)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.parsed = []

    def _value(self):
        """What was typed, after a post; otherwise the stored languages by name: "Turks (tr)"."""
        if self.raw_data is not None or not self.data:
            return super()._value()
        custom = custom_language_names()
        try:
            choices = parse_language_list(self.data, custom)
        except RuleViolation:
            return super()._value()
        codes = [c.code for c in choices]
        text = languages.format_labelled_list(codes, _locale(), custom)
        # Long custom names could pass the forms' length limit: then the codes, which read back
        # the same (the names are stored already).
        return text if len(text) <= LANGUAGE_TEXT_MAX else ", ".join(codes)

    def pre_validate(self, form):
        try:
            self.parsed = parse_language_list(self.data or "", custom_language_names(), _locale())
        except RuleViolation as error:
            self.parsed = []
            raise ValidationError(str(error.message)) from None

    def picker_options(self) -> list[languages.PickerOption]:
        return languages.picker_options(db.session, _locale())


def _locale() -> str:
    return str(get_locale() or "nl")
