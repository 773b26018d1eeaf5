"""Need to know: who may see which resident, match and handover. Every read goes through here.

- Leads and admins see everything.
- A volunteer sees their own matches and the residents they actively support.
- Buurtteam staff and Linking Pins see only the handovers of their own area (a Linking Pin's
  area is the one the registry records, ``domain.people``), and of the resident
  only what a handover shows (never contacts, stress scores or notes).
Anything a user may not see is reported as absent (404), so existence does not leak.
"""

from sqlalchemy import Select, exists, false, or_, select
from sqlalchemy.orm import Session

from maatjes.domain import people
from maatjes.models import Handover, Match, Resident, Role, User, Volunteer


def volunteer_for(session: Session, user: User) -> Volunteer | None:
    if user.role != Role.VOLUNTEER:
        return None
    return session.scalar(select(Volunteer).where(Volunteer.user_id == user.id))


def _supports(user: User):
    """SQL: the resident has an active match with this user's volunteer record, and the
    volunteer is active (an inactive volunteer sees no resident from the next request on)."""
    return exists().where(
        Match.resident_id == Resident.id,
        Match.ended_on.is_(None),
        Match.volunteer_id == Volunteer.id,
        Volunteer.user_id == user.id,
        Volunteer.active.is_(True),
    )


def residents_query(user: User) -> Select[tuple[Resident]]:
    query = select(Resident)
    if user.role in Role.STAFF:
        return query
    if user.role == Role.VOLUNTEER:
        return query.where(_supports(user))
    return query.where(false())


def matches_query(user: User) -> Select[tuple[Match]]:
    query = select(Match)
    if user.role in Role.STAFF:
        return query
    if user.role == Role.VOLUNTEER:
        return query.join(Volunteer, Volunteer.id == Match.volunteer_id).where(
            Volunteer.user_id == user.id, Volunteer.active.is_(True)
        )
    return query.where(false())


def handovers_query(user: User) -> Select[tuple[Handover]]:
    query = select(Handover)
    if user.role in Role.STAFF:
        return query
    if user.role == Role.BUURTTEAM:
        return query.where(Handover.area_id == user.area_id)
    if user.role == Role.LINKING_PIN:  # the areas the registry records for this person
        return query.where(Handover.area_id.in_(people.linking_pin_areas(user.id)))
    if user.role == Role.VOLUNTEER:
        supports = exists().where(
            Match.resident_id == Handover.resident_id,
            Match.ended_on.is_(None),
            Match.volunteer_id == Volunteer.id,
            Volunteer.user_id == user.id,
        )
        is_active = exists().where(Volunteer.user_id == user.id, Volunteer.active.is_(True))
        return query.where(is_active, or_(Handover.sender_id == user.id, supports))
    return query.where(false())


def resident(session: Session, user: User, resident_id: int) -> Resident | None:
    return session.scalar(residents_query(user).where(Resident.id == resident_id))


def match(session: Session, user: User, match_id: int, *, lock: bool = False) -> Match | None:
    """``lock`` holds the match row until commit (contacts and ending must not interleave)."""
    query = matches_query(user).where(Match.id == match_id)
    if lock:
        query = query.with_for_update(of=Match)
    return session.scalar(query)


def handover(
    session: Session, user: User, handover_id: int, *, lock: bool = False
) -> Handover | None:
    query = handovers_query(user).where(Handover.id == handover_id)
    if lock:
        query = query.with_for_update(of=Handover)
    return session.scalar(query)


def may_hand_over(session: Session, user: User, target: Resident) -> bool:
    if user.role in Role.STAFF:
        return True
    if user.role == Role.VOLUNTEER:
        return resident(session, user, target.id) is not None
    return False


def may_see_contacts(user: User, target: Match) -> bool:
    if user.role in Role.STAFF:
        return True
    return target.volunteer.user_id == user.id and target.volunteer.active
