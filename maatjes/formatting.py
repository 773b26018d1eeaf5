"""Template helpers: dates in the user's language, language names, labels."""

from datetime import UTC, date, datetime
from functools import lru_cache

from babel import Locale, dates
from flask import g, has_request_context
from flask_babel import format_timedelta, get_locale
from sqlalchemy import select

from maatjes.domain import languages
from maatjes.domain.clock import AMSTERDAM
from maatjes.extensions import db
from maatjes.labels import LABELS
from maatjes.models import Language, utcnow


def _custom_names() -> dict[str, str]:
    if not has_request_context():
        return dict(db.session.execute(select(Language.code, Language.custom_name)).all())
    if "custom_language_names" not in g:
        rows = db.session.execute(
            select(Language.code, Language.custom_name).where(Language.custom_name.is_not(None))
        )
        g.custom_language_names = dict(rows.all())
    return g.custom_language_names


def language_name(code: str) -> str:
    locale = str(get_locale() or "nl")
    return languages.display_name(code, locale, _custom_names())


def custom_language_names() -> dict[str, str]:
    return _custom_names()


def label(group: str, value: str | None) -> str:
    if value is None:
        return ""
    return str(LABELS[group].get(value, value))


# Day before month in both languages (British order in English, not the US "January 3"), and
# times to the minute: nobody needs the seconds of a contact or a handover.
_PATTERNS = {
    "nl": {"long": "EEEE d MMMM y", "short": "d MMM y", "datetime": "d MMM y HH:mm"},
    "en": {"long": "EEEE d MMMM y", "short": "d MMM y", "datetime": "d MMM y, HH:mm"},
}


def _locale():
    """The locale in force (the user's, or the one a notification is rendered in)."""
    return get_locale() or Locale.parse("nl")


def _pattern(kind: str, locale) -> str:
    return _PATTERNS.get(locale.language, _PATTERNS["nl"])[kind]


@lru_cache(maxsize=4096)
def _format_date(value: date, kind: str, locale: Locale) -> str:
    """Babel re-reads the pattern and the locale's names on every call (a third of a match
    page's time went here); a day's text in a language never changes, so it is kept."""
    return dates.format_date(value, _pattern(kind, locale), locale=locale)


def long_date(value: date | None) -> str:
    """ "maandag 3 januari 2022" in Dutch, "Monday 3 January 2022" in English."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return _format_date(value, "long", _locale())


def short_date(value: date | None) -> str:
    """ "3 jan 2022" in Dutch, "3 Jan 2022" in English."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return _format_date(value, "short", _locale())


def date_time(value: datetime | None) -> str:
    """ "3 jan 2022 14:05" in Dutch, "3 Jan 2022, 14:05" in English (Amsterdam time; stored
    timestamps are naive UTC)."""
    if not value:
        return ""
    locale = _locale()
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return dates.format_datetime(
        moment, _pattern("datetime", locale), tzinfo=AMSTERDAM, locale=locale
    )


def ago(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_timedelta(utcnow() - value, granularity="hour", threshold=1.1)


def cell(value) -> str:
    """A table cell of the dashboard or the report, in the user's language: 1.234 and 12,5 in
    Dutch, 1,234 and 12.5 in English; a date as a short date; nothing as a dash."""
    from decimal import Decimal

    from flask_babel import format_decimal, format_number

    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, float | Decimal):
        return format_decimal(value, format="#,##0.0")
    if isinstance(value, date):
        return short_date(value)
    return str(value)


def money(amount) -> str:
    """An amount in euros in the user's language: "€ 12.500,00" in Dutch, "€12,500.00" in
    English (Babel's currency format); nothing as a dash. Never through float."""
    from decimal import Decimal

    from flask_babel import format_currency

    if amount is None:
        return "—"
    if not isinstance(amount, Decimal):
        amount = Decimal(str(amount))
    return format_currency(amount, "EUR")
