"""Notifications for things people do (as opposed to the weekly rhythm's scheduled ones).

A new handover reaches the receiving side; each step of it reaches the sender and the leads; a
contact flagged for the lead reaches the leads at once. Each is written in the same transaction
as the event itself (the caller commits both or neither), with a unique key per event and
recipient, so that nothing is ever announced twice. E-mail follows each user's settings through
the same delivery job as every other notification.
"""

from datetime import datetime

from sqlalchemy import and_, literal, or_, select
from sqlalchemy.orm import Session

from maatjes.domain import people
from maatjes.domain.rhythm import _key, _row, insert_new
from maatjes.models import TO_BUURTTEAM, Contact, Handover, Role, User, utcnow

HANDOVER_NEW = "handover_new"
HANDOVER_STEP = "handover_step"  # the period holds the status it moved to
CONTACT_FLAGGED = "contact_flagged"


def _active(*conditions):
    return and_(User.active.is_(True), *conditions)


def _leads():
    return User.role == Role.LEAD


def _receivers(handover: Handover):
    """Who acts on a new handover: the area's buurtteam staff and Linking Pins when it goes to
    the buurtteam; the project's leads when the buurtteam refers a resident to Money Maatjes."""
    if handover.direction == TO_BUURTTEAM:
        return people.acts_for_area(handover.area_id)
    return _leads()


def handover_sent(session: Session, handover: Handover, *, now: datetime | None = None) -> int:
    query = (
        select(
            *_row(
                _key(HANDOVER_NEW, literal(handover.id), User.id),
                User.id,
                HANDOVER_NEW,
                now=now or utcnow(),
                handover_id=literal(handover.id),
            )
        )
        .select_from(User)
        .where(_active(_receivers(handover), User.id != handover.sender_id))
    )
    return insert_new(session, query)


def handover_moved(
    session: Session, handover: Handover, *, by: User, now: datetime | None = None
) -> int:
    """Accepted, declined, returned, first contact or completed: the sender and the leads hear
    of it (not the person who took the step)."""
    status = handover.status
    sender = User.id == handover.sender_id
    query = (
        select(
            *_row(
                _key(HANDOVER_STEP, literal(handover.id), status, User.id),
                User.id,
                HANDOVER_STEP,
                now=now or utcnow(),
                period=status,
                handover_id=literal(handover.id),
            )
        )
        .select_from(User)
        .where(_active(or_(sender, _leads()), User.id != by.id))
    )
    return insert_new(session, query)


def contact_flagged(session: Session, contact: Contact, *, now: datetime | None = None) -> int:
    if not contact.needs_attention:
        return 0
    query = (
        select(
            *_row(
                _key(CONTACT_FLAGGED, literal(contact.id), User.id),
                User.id,
                CONTACT_FLAGGED,
                now=now or utcnow(),
                match_id=literal(contact.match_id),
            ),
        )
        .add_columns(literal(contact.id).label("contact_id"))
        .select_from(User)
        .where(_active(_leads()))
    )
    return insert_new(session, query, extra_columns=("contact_id",))
