"""Search that forgives case and accents: "ismael" finds "Ïsmaël", on SQLite and PostgreSQL.

Each searchable record keeps a folded copy of what it is found by (``search_text``: names, phone
numbers as people type them, e-mail), kept up to date by a mapper event on every insert and
update; a search folds the words typed the same way and asks that every word occurs. Folding is
done in Python, so both databases compare plain lower-case ASCII-ish text with ``LIKE``.
"""

import re
import unicodedata

from sqlalchemy import ColumnElement, and_, event

from maatjes.domain import phones
from maatjes.models import Activity, Resident, User, Volunteer

_SPACE = re.compile(r"\s+")
MAX_WORDS = 5


def fold(text: str | None) -> str:
    """Lower case, accents and other marks removed, spaces collapsed: "Ïsmaël" → "ismael"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE.sub(" ", plain.casefold()).strip()


def _phone_forms(phone: str | None) -> str:
    """The ways a number is typed: E.164, its digits, and the national form without spaces."""
    if not phone:
        return ""
    national = phones.display(phone).replace(" ", "").replace("-", "")
    return f"{phone} {phone.lstrip('+')} {national}"


def words(query: str | None) -> list[str]:
    """The folded words of a search box (at most a few; LIKE wildcards taken literally)."""
    return [w for w in fold(query).split(" ") if w][:MAX_WORDS]


def matches(column, query: str | None) -> ColumnElement[bool] | None:
    """SQL: every word of ``query`` occurs in ``column`` (None when nothing was typed)."""
    found = words(query)
    if not found:
        return None
    return and_(*(column.like(f"%{_escape(word)}%", escape="\\") for word in found))


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def resident_text(resident: Resident) -> str:
    return fold(
        f"{resident.first_name} {resident.last_name} {_phone_forms(resident.phone)}"
        f" {resident.neighbourhood or ''}"
    )


def volunteer_text(volunteer: Volunteer) -> str:
    return fold(f"{volunteer.name} {volunteer.email or ''} {_phone_forms(volunteer.phone)}")


def user_text(user: User) -> str:
    return fold(f"{user.name} {user.email}")


def activity_text(activity) -> str:
    return fold(
        f"{activity.name} {activity.description or ''} {activity.location_name or ''}"
        f" {activity.address or ''} {activity.postal_code or ''} {activity.city or ''}"
    )


_TEXT = {Resident: resident_text, Volunteer: volunteer_text, User: user_text}
_LIMITS = {Resident: 400, Volunteer: 400, User: 400}


def _keep_current(mapper, connection, target) -> None:
    text = _TEXT[type(target)](target)
    limit = _LIMITS.get(type(target))
    target.search_text = text[:limit] if limit else text


_TEXT[Activity] = activity_text

for _model in _TEXT:
    event.listen(_model, "before_insert", _keep_current)
    event.listen(_model, "before_update", _keep_current)
