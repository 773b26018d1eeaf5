"""Template helpers: dates in the user's language, language names, labels."""

from datetime import date, datetime

from flask import g, has_request_context
from flask_babel import format_date, format_datetime, format_timedelta, get_locale
from sqlalchemy import select

from maatjes.domain import languages
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


def _pattern(kind: str) -> str:
    locale = get_locale()
    language = locale.language if locale is not None else "nl"
    return _PATTERNS.get(language, _PATTERNS["nl"])[kind]


def long_date(value: date | None) -> str:
    """ "maandag 3 januari 2022" in Dutch, "Monday 3 January 2022" in English."""
    return format_date(value, _pattern("long")) if value else ""


def short_date(value: date | None) -> str:
    """ "3 jan 2022" in Dutch, "3 Jan 2022" in English."""
    return format_date(value, _pattern("short")) if value else ""


def date_time(value: datetime | None) -> str:
    """ "3 jan 2022 14:05" in Dutch, "3 Jan 2022, 14:05" in English (local time)."""
    return format_datetime(value, _pattern("datetime")) if value else ""


def ago(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_timedelta(utcnow() - value, granularity="hour", threshold=1.1)
