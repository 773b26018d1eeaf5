"""The base of every form: text as a person types it, without invisible control characters.

Control characters (C0 but tab and line breaks, DEL, C1) and the bidirectional overrides,
embeddings, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are
removed from every text field: they let a name display as something else ("Trojan Source") and
no person means them. Single-line fields also lose line breaks and tabs (made spaces); notes
keep their line breaks, with Windows and old Mac endings made "\\n".
"""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

_INVISIBLE = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL = "".join(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)))
_REMOVE = re.compile(f"[{re.escape(_INVISIBLE + _CONTROL)}]")


def clean_multiline(value):
    if not isinstance(value, str):
        return value
    return _REMOVE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_line(value):
    if not isinstance(value, str):
        return value
    return _REMOVE.sub("", re.sub(r"[\t\r\n]+", " ", value))


class Form(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            filters = list(unbound_field.kwargs.get("filters", ()))
            if issubclass(field_class, TextAreaField):
                filters.append(clean_multiline)
            elif issubclass(field_class, StringField) and not issubclass(
                field_class, PasswordField
            ):
                filters.append(clean_line)
            return unbound_field.bind(form=form, filters=filters, **options)


class PhoneField(StringField):
    """A phone number: the phone's number keypad, and a stored number (E.164) shown as people
    write it. The rule itself (``domain.phones.normalise``) runs in the domain, for every way in."""

    input_type = "tel"

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", _PHONE_HINT)
        render_kw = {"autocomplete": "tel", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_data(self, value):
        from maatjes.domain.phones import display

        super().process_data(display(value) if value else value)


_PHONE_HINT = _l("A Dutch number as 06 1234 5678; from another country with its code: +597 …")
