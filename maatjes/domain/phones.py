"""One rule for every phone number: parsed with `phonenumbers` (Google's libphonenumber).

Dutch numbers may be given without a country code ("06 1234 5678", "020 123 4567"); numbers from
elsewhere (Suriname, Ghana, Curaçao…) with one ("+597 812 3456", "00233 24 123 4567"). Stored in
E.164 ("+31612345678"), shown in the national format for Dutch numbers and in the international
format for others, and dialled through a ``tel:`` link.
"""

from functools import lru_cache

import phonenumbers
from flask_babel import lazy_gettext as _l
from phonenumbers import NumberParseException, PhoneNumberFormat

from maatjes.domain.errors import RuleViolation

HOME_REGION = "NL"


def parse(raw: str) -> phonenumbers.PhoneNumber | None:
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, HOME_REGION)
    except NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalise(raw: str, *, field: str = "phone") -> str:
    """The number in E.164, or a RuleViolation that says how to write it."""
    if not (raw or "").strip():
        raise RuleViolation(_l("Give a phone number."), field=field)
    number = parse(raw)
    if number is None:
        raise RuleViolation(
            _l(
                "This is not a phone number we can call. Write a Dutch number like 06 1234 5678"
                " or 020 123 4567, and a number from another country with its country code,"
                " like +597 812 3456."
            ),
            field=field,
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalise_optional(raw: str, *, field: str = "phone") -> str:
    return normalise(raw, field=field) if (raw or "").strip() else ""


# A page shows a few numbers, each twice (as text and as a link), and libphonenumber parses
# each time (~0.1 ms): the stored E.164 forms are few and never change, so they are kept.
@lru_cache(maxsize=4096)
def display(value: str | None) -> str:
    """National format for Dutch numbers, international for others; anything unparsable (an
    erased record) as stored."""
    if not value:
        return ""
    number = parse(value)
    if number is None:
        return value
    if phonenumbers.region_code_for_number(number) == HOME_REGION:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


@lru_cache(maxsize=4096)
def tel_uri(value: str | None) -> str:
    """An RFC 3966 ``tel:`` link, e.g. ``tel:+31-6-12345678``."""
    number = parse(value or "")
    if number is None:
        return ""
    return phonenumbers.format_number(number, PhoneNumberFormat.RFC3966)


def same_number_key(value: str) -> str:
    """A key under which two ways of writing one number compare equal (for duplicates)."""
    number = parse(value)
    if number is None:
        return "".join(ch for ch in value if ch.isdigit())
    return phonenumbers.format_number(number, PhoneNumberFormat.E164).lstrip("+")
