"""Form fields shared by several blueprints."""

from wtforms import SelectMultipleField, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import LanguageChoice, parse_language_list


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LanguageListField(StringField):
    """Comma-separated ISO 639 codes in order of preference; ``code=Name`` for unknown codes."""

    parsed: list[LanguageChoice]

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.parsed = []

    def pre_validate(self, form):
        try:
            self.parsed = parse_language_list(self.data or "")
        except RuleViolation as error:
            self.parsed = []
            raise ValidationError(str(error.message)) from None
