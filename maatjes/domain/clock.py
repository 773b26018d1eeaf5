"""Local time for Amsterdam: weeks and "today" are Europe/Amsterdam, whatever the server's zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from maatjes.domain.errors import RuleViolation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EARLIEST_RECORD = date(2000, 1, 1)  # no record in this programme is older; 0001-01-01 is a typo


def now_utc() -> datetime:
    return datetime.now(UTC)


def local_today(now: datetime | None = None) -> date:
    """The calendar date in Amsterdam at ``now`` (an aware datetime; default: the present)."""
    now = now or now_utc()
    if now.tzinfo is None:  # naive timestamps in this application are UTC
        now = now.replace(tzinfo=UTC)
    return now.astimezone(AMSTERDAM).date()


def check_past_date(day: date, *, today: date, field: str, future_message: str) -> None:
    """A date on which something happened (consent, a VOG): not ahead, and not before 2000."""
    if day > today:
        raise RuleViolation(future_message, field=field)
    if day < EARLIEST_RECORD:
        raise RuleViolation(_l("Give a date from 1 January 2000 onwards."), field=field)
