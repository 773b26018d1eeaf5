"""Warm handovers between Money Maatjes and the buurtteam of the resident's area.

A handover has a named sender, the resident's consent to share, a named contact at the receiver
once accepted, and a timeline of who changed its status when. It runs both ways.
"""

from dataclasses import dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from maatjes.domain import access, consent, people, phones
from maatjes.domain.clock import local_today
from maatjes.domain.consent import check_consent
from maatjes.domain.errors import RuleViolation
from maatjes.domain.workdays import working_days_between
from maatjes.models import (
    SHARE_BUURTTEAM,
    TO_BUURTTEAM,
    TO_MAATJES,
    Handover,
    HandoverEvent,
    Match,
    Resident,
    Role,
    User,
    Volunteer,
    utcnow,
)
from maatjes.models.handover import URGENCIES

SENT = "sent"
ACCEPTED = "accepted"
FIRST_CONTACT = "first_contact"
COMPLETED = "completed"
DECLINED = "declined"
RETURNED = "returned"

OPEN = (SENT, ACCEPTED, FIRST_CONTACT)
TRANSITIONS_STATUSES = (SENT, ACCEPTED, FIRST_CONTACT, COMPLETED, DECLINED, RETURNED)
# Waiting: for the receiving side to accept, or (accepted) for the first contact. Once the
# first contact is made, nobody waits any more.
WAITING = (SENT, ACCEPTED)
# A handover still waiting after this many working days is overdue: from the next working day
# the page marks it and the scheduler tells the sender and the Linking Pin
# (rhythm.handovers_waiting, the same rule as a set).
WAITING_WORKING_DAYS = 5

# action -> (from statuses, to status)
TRANSITIONS = {
    "accept": ((SENT,), ACCEPTED),
    "decline": ((SENT,), DECLINED),
    "first_contact": ((ACCEPTED,), FIRST_CONTACT),
    "complete": ((FIRST_CONTACT,), COMPLETED),
    "return": ((ACCEPTED, FIRST_CONTACT), RETURNED),
}


def can_receive(user: User, handover: Handover) -> bool:
    """Whether the user acts for the receiving side of this handover.

    To the buurtteam: only buurtteam staff and Linking Pins of the handover's area; a warm
    handover is accepted by the people who will meet the resident, never by the sender's side.
    To Money Maatjes: the project's staff (leads and admins).
    """
    if user.id == handover.sender_id:
        return False
    if handover.direction == TO_BUURTTEAM:
        return handover.area_id in people.area_ids(object_session(handover), user)
    return user.role in Role.STAFF


def actions_for(user: User, handover: Handover) -> list[str]:
    if not can_receive(user, handover):
        return []
    return [name for name, (sources, _to) in TRANSITIONS.items() if handover.status in sources]


@dataclass(frozen=True)
class Waiting:
    for_what: str  # SENT: waiting to be accepted; ACCEPTED: waiting for the first contact
    since: date
    working_days: int

    @property
    def overdue(self) -> bool:
        return self.working_days > WAITING_WORKING_DAYS


def waiting(handover: Handover, today: date) -> Waiting | None:
    """How long the handover has waited for its next step, in working days (Dutch holidays
    excluded); None once the first contact is made, or when it was closed."""
    if handover.status not in WAITING:
        return None
    since = local_today(handover.status_changed_at)
    return Waiting(handover.status, since, working_days_between(since, today))


def sent_on(handover: Handover) -> date:
    return local_today(handover.created_at)


@dataclass(frozen=True)
class Maatje:
    first_name: str
    phone: str


def maatje_for_receiver(session: Session, user: User, handover: Handover) -> Maatje | None:
    """The receiving buurtteam may reach the resident's maatje while the handover is open: the
    volunteer's first name and phone, nothing more, and only for as long as it is open."""
    if handover.status not in OPEN or user.role not in Role.AREA_BOUND:
        return None
    if handover.area_id not in people.area_ids(session, user):
        return None
    row = session.execute(
        select(Volunteer.name, Volunteer.phone)
        .join(Match, Match.volunteer_id == Volunteer.id)
        .where(Match.resident_id == handover.resident_id, Match.ended_on.is_(None))
    ).first()
    if row is None:
        return None
    return Maatje(first_name=row.name.split()[0] if row.name else "", phone=row.phone)


def _event(handover: Handover, by: User, note: str = "") -> None:
    handover.events.append(HandoverEvent(by_id=by.id, status=handover.status, note=note))
    handover.status_changed_at = utcnow()


@dataclass
class HandoverInput:
    reason: str
    needs: str
    urgency: str
    consent: bool
    consent_on: date | None


def _check_input(data: HandoverInput, today: date) -> date:
    check_consent(
        data.consent,
        data.consent_on,
        today=today,
        refused=_l("Without the resident's consent to share with the buurtteam nothing is sent."),
    )
    if not data.reason.strip():
        raise RuleViolation(_l("Say why the resident is handed over."), field="reason")
    if data.urgency not in URGENCIES:
        raise RuleViolation(_l("Choose an urgency."), field="urgency")
    return data.consent_on


def start_handover(
    session: Session, resident: Resident, data: HandoverInput, *, by: User, today: date
) -> Handover:
    """A volunteer or lead hands a resident to the buurtteam of the resident's area."""
    if not access.may_hand_over(session, by, resident):
        raise RuleViolation(_l("You cannot hand over this resident."))
    if resident.anonymised:
        raise RuleViolation(_l("This resident's data was erased; they cannot be handed over."))
    consent.check_sharing_allowed(session, resident)
    consent_on = _check_input(data, today)
    open_one = session.scalar(
        select(Handover.id).where(
            Handover.resident_id == resident.id,
            Handover.direction == TO_BUURTTEAM,
            Handover.status.in_(OPEN),
        )
    )
    if open_one:
        raise RuleViolation(_l("There is already an open handover for this resident."))
    handover = Handover(
        resident=resident,
        direction=TO_BUURTTEAM,
        area_id=resident.area_id,
        sender_id=by.id,
        reason=data.reason.strip(),
        needs=data.needs.strip(),
        urgency=data.urgency,
        consent_on=consent_on,
        status=SENT,
    )
    session.add(handover)
    _event(handover, by)
    session.flush()
    consent.record_consent(session, resident, SHARE_BUURTTEAM, given_on=consent_on, by=by)
    _announce_new(session, handover)
    return handover


def refer_to_maatjes(
    session: Session, resident: Resident, data: HandoverInput, *, by: User, today: date
) -> Handover:
    """The buurtteam refers a resident (already registered with consent) to Money Maatjes."""
    consent.check_sharing_allowed(session, resident)
    consent_on = _check_input(data, today)
    handover = Handover(
        resident=resident,
        direction=TO_MAATJES,
        area_id=resident.area_id,
        sender_id=by.id,
        reason=data.reason.strip(),
        needs=data.needs.strip(),
        urgency=data.urgency,
        consent_on=consent_on,
        status=SENT,
    )
    session.add(handover)
    _event(handover, by)
    session.flush()
    consent.record_consent(session, resident, SHARE_BUURTTEAM, given_on=consent_on, by=by)
    _announce_new(session, handover)
    return handover


def transition(
    session: Session,
    handover: Handover,
    action: str,
    *,
    by: User,
    today: date,
    receiver_name: str = "",
    receiver_phone: str = "",
    receiver_email: str = "",
    note: str = "",
) -> None:
    """Move a handover one step. Lock the handover row (``access.handover(..., lock=True)``)
    before calling, so two people acting at once cannot both take the same step."""
    if action not in TRANSITIONS:
        raise RuleViolation(_l("Unknown step."))
    if not can_receive(by, handover):
        raise RuleViolation(_l("Only the receiving side can change this handover."))
    sources, target = TRANSITIONS[action]
    if handover.status not in sources:
        raise RuleViolation(_l("This step is not possible any more; the page was out of date."))
    note = note.strip()
    if action == "accept":
        name, phone, email = _receiver(receiver_name, receiver_phone, receiver_email)
        handover.receiver_name = name
        handover.receiver_phone = phone or None
        handover.receiver_email = email or None
        handover.receiver_id = by.id
    if action == "first_contact":
        handover.first_contact_at = utcnow()
    if action in ("decline", "return") and not note:
        raise RuleViolation(_l("Give a reason."), field="note")
    if action == "decline":
        handover.decline_reason = note
    handover.status = target
    _event(handover, by, note)
    if handover.direction == TO_MAATJES and target in (DECLINED, RETURNED):
        _close_if_unmatched(session, handover.resident, today)
    session.flush()
    from maatjes.domain import events

    events.handover_moved(session, handover, by=by)


def _announce_new(session: Session, handover: Handover) -> None:
    from maatjes.domain import events  # events builds on the rhythm, which reads this module

    events.handover_sent(session, handover)


def _receiver(name: str, phone: str, email: str) -> tuple[str, str, str]:
    """A warm handover names a person, not a team: their name, and a phone number or an
    e-mail address (or both) so that the sender can reach them."""
    name = name.strip()
    if not name:
        raise RuleViolation(
            _l("Name the person who will meet the resident."), field="receiver_name"
        )
    phone = phones.normalise_optional(phone, field="receiver_phone")
    email = email.strip()
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            raise RuleViolation(
                _l("Give a valid e-mail address."), field="receiver_email"
            ) from None
    if not phone and not email:
        raise RuleViolation(
            _l("Give a phone number or an e-mail address of the contact person."),
            field="receiver_phone",
        )
    return name, phone, email


def _close_if_unmatched(session: Session, resident: Resident, today: date) -> None:
    """A referral Money Maatjes declines or returns takes the resident off the waiting list,
    unless a maatje already supports them."""
    active = session.scalar(
        select(Match.id).where(Match.resident_id == resident.id, Match.ended_on.is_(None))
    )
    if active is None and resident.closed_on is None:
        resident.closed_on = today
