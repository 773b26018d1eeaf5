"""Local time for Amsterdam: weeks and "today" are Europe/Amsterdam, whatever the server's zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def now_utc() -> datetime:
    return datetime.now(UTC)


def local_today(now: datetime | None = None) -> date:
    """The calendar date in Amsterdam at ``now`` (an aware datetime; default: the present)."""
    now = now or now_utc()
    if now.tzinfo is None:  # naive timestamps in this application are UTC
        now = now.replace(tzinfo=UTC)
    return now.astimezone(AMSTERDAM).date()
