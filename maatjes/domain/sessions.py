"""Sessions that end for real.

The session cookie is signed, not stored; it carries "user id:session version". Raising the
user's ``session_version`` therefore ends every session of that user at once, copied cookies
included: at logout, a password change, blocking or deactivation, and "log out everywhere".
Idle sessions end after a configurable number of minutes (shorter for staff).
"""

from datetime import datetime

from sqlalchemy.orm import Session

from maatjes.models import Role, User


def user_for_session_id(session: Session, session_id: str) -> User | None:
    user_part, _, version_part = session_id.partition(":")
    if not (user_part.isdigit() and version_part.isdigit()) or len(session_id) > 40:
        return None
    user = session.get(User, int(user_part))
    if user is None or user.session_version != int(version_part) or not user.active:
        return None
    return user


def end_all_sessions(session: Session, user: User) -> None:
    """Every session of ``user`` ends at its next request (an atomic increment: two at once
    both count)."""
    user.session_version = User.session_version + 1
    session.flush()


def idle_limit_minutes(role: str, config) -> int:
    if role == Role.VOLUNTEER:
        return config["IDLE_MINUTES"]
    return config["IDLE_MINUTES_STAFF"]


def idle_too_long(last_seen: float | None, now: datetime, minutes: int) -> bool:
    if last_seen is None:
        return False
    return now.timestamp() - last_seen > minutes * 60
