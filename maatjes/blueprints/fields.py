"""Form fields shared by several blueprints."""

from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import SelectMultipleField, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import LanguageChoice, parse_language_list

MAX_ID = 2**31 - 1  # ids are INTEGER on PostgreSQL; one rule for both databases


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
    """Comma-separated ISO 639 codes in order of preference; ``code=Name`` for unknown codes."""

    parsed: list[LanguageChoice]

    def process_data(self, value):
        # A form built from a model (``obj=volunteer``) finds its language links here, not text;
        # the view fills in the text itself. A post without the field must not use them.
        super().process_data(value if isinstance(value, str) else None)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.parsed = []

    def pre_validate(self, form):
        try:
            self.parsed = parse_language_list(self.data or "")
        except RuleViolation as error:
            self.parsed = []
            raise ValidationError(str(error.message)) from None
