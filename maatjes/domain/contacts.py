"""Logging contacts between a volunteer and their resident."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from maatjes.domain.access import may_see_contacts
from maatjes.domain.errors import RuleViolation
from maatjes.models import CONTACT_KINDS, NEEDS, Contact, Match, Role, User, utcnow


@dataclass
class ContactInput:
    contact_on: date
    kind: str
    duration_minutes: int | None = None
    topics: list[str] = field(default_factory=list)
    stress_score: int | None = None
    note: str = ""
    needs_attention: bool = False
    evaluation: bool = False  # this contact was the 13-week evaluation
    # Made by the phone for a contact it queued offline: stored at most once per UUID.
    client_uuid: str | None = None


class ClientUuidTaken(RuleViolation):
    """The phone's UUID is stored already, for another match or by another user: refused."""


# The same contact sent again within this time is a double tap, not a second contact.
REPEAT_WINDOW = timedelta(minutes=2)


def _same_contact(session: Session, match: Match, data: ContactInput, by: User) -> Contact | None:
    candidates = session.scalars(
        select(Contact).where(
            Contact.match_id == match.id,
            Contact.contact_on == data.contact_on,
            Contact.kind == data.kind,
            Contact.logged_by_id == by.id,
            Contact.created_at >= utcnow() - REPEAT_WINDOW,
            Contact.attention_handled_at.is_(None),
        )
    )
    wanted = (
        data.note.strip(),
        data.duration_minutes,
        data.stress_score,
        sorted(set(data.topics)),
        data.needs_attention,
        data.evaluation,
    )
    for contact in candidates:
        found = (
            contact.note or "",
            contact.duration_minutes,
            contact.stress_score,
            sorted(set(contact.topics or [])),
            contact.needs_attention,
            contact.evaluation,
        )
        if found == wanted:
            return contact
    return None


def _validate(match: Match, data: ContactInput, today: date) -> None:
    if data.contact_on > today:
        raise RuleViolation(_l("A contact cannot be in the future."), field="contact_on")
    if data.contact_on < match.started_on:
        raise RuleViolation(_l("This date is before the match started."), field="contact_on")
    if match.ended_on and data.contact_on > match.ended_on:
        raise RuleViolation(_l("This date is after the match ended."), field="contact_on")
    if data.kind not in CONTACT_KINDS:
        raise RuleViolation(_l("Choose how you had contact."), field="kind")
    if data.stress_score is not None and not 1 <= data.stress_score <= 10:
        raise RuleViolation(_l("The stress score is a number from 1 to 10."), field="stress_score")
    if data.duration_minutes is not None and not 1 <= data.duration_minutes <= 1440:
        raise RuleViolation(
            _l("The duration is between 1 and 1440 minutes."), field="duration_minutes"
        )
    unknown = set(data.topics) - set(NEEDS)
    if unknown:
        raise RuleViolation(_l("Choose topics from the list."), field="topics")
    if data.needs_attention and not data.note.strip():
        raise RuleViolation(
            _l("Write one line for the project lead: what should they look at?"), field="note"
        )


def stored_for_uuid(session: Session, match: Match, client_uuid: str, by: User) -> Contact | None:
    """The contact stored earlier under this UUID by ``by`` for ``match`` (a resend after a lost
    answer), else None; a UUID stored for another match or user is refused."""
    earlier = session.scalar(select(Contact).where(Contact.client_uuid == client_uuid))
    if earlier is None:
        return None
    if earlier.match_id != match.id or earlier.logged_by_id != by.id:
        raise ClientUuidTaken(_l("This contact was already sent for another match."))
    return earlier


def log_contact(session: Session, match: Match, data: ContactInput, *, by: User, today: date):
    """Record a contact (see ``log_contact_once``); returns the contact."""
    return log_contact_once(session, match, data, by=by, today=today)[0]


def log_contact_once(
    session: Session, match: Match, data: ContactInput, *, by: User, today: date
) -> tuple[Contact, bool]:
    """Record a contact; returns it and whether it was stored before (a duplicate).

    A contact with a ``client_uuid`` is stored at most once per UUID: sent again (the phone
    never got the answer), the contact stored the first time is returned, even if the rules
    would refuse it now (the match ended since). The unique index is the guarantee: two
    requests racing with the same UUID past the look-up make one insert and one duplicate.
    Without a UUID, the same contact sent again within ``REPEAT_WINDOW`` (a double tap on a
    phone) is kept once. Callers lock the match row."""
    uuid = data.client_uuid or None
    if uuid is not None:
        earlier = stored_for_uuid(session, match, uuid, by)
        if earlier is not None:
            return earlier, True
    _validate(match, data, today)
    repeated = _same_contact(session, match, data, by)
    if repeated is not None and uuid is None:
        return repeated, True
    fields = dict(
        contact_on=data.contact_on,
        kind=data.kind,
        duration_minutes=data.duration_minutes,
        topics=list(dict.fromkeys(data.topics)),
        stress_score=data.stress_score,
        note=data.note.strip(),
        needs_attention=data.needs_attention,
        evaluation=data.evaluation,
        logged_by_id=by.id,
    )
    if uuid is None:
        contact = Contact(match=match, **fields)
        session.add(contact)
        session.flush()
    else:
        # By the match's id, not the relationship: a refused insert leaves nothing behind in
        # ``match.contacts`` when the savepoint rolls back.
        contact = Contact(match_id=match.id, client_uuid=uuid, **fields)
        try:
            with session.begin_nested():
                session.add(contact)
                session.flush()
        except IntegrityError:
            # Stored by another request a moment ago, past the look-up above.
            earlier = stored_for_uuid(session, match, uuid, by)
            if earlier is None:
                raise
            return earlier, True
    if contact.needs_attention:
        from maatjes.domain import events

        events.contact_flagged(session, contact)
    return contact, False


DEFAULT_KIND = "phone"


def usual_kind(session: Session, user: User) -> str:
    """The kind of the contact this user logged last (most volunteers keep to one), else a
    phone call."""
    kind = session.scalar(
        select(Contact.kind)
        .where(Contact.logged_by_id == user.id)
        .order_by(Contact.created_at.desc(), Contact.id.desc())
        .limit(1)
    )
    return kind if kind in CONTACT_KINDS else DEFAULT_KIND


def mark_attention_handled(session: Session, contact: Contact) -> None:
    if contact.needs_attention and contact.attention_handled_at is None:
        contact.attention_handled_at = utcnow()
        session.flush()


def last_contact_on(session: Session, match: Match) -> date | None:
    return session.scalar(select(func.max(Contact.contact_on)).where(Contact.match_id == match.id))


def days_by_match(session: Session, match_ids: list[int]) -> dict[int, list[date]]:
    """The contact days of several matches in one query, for their week strips."""
    result: dict[int, list[date]] = {}
    if not match_ids:
        return result
    query = select(Contact.match_id, Contact.contact_on).where(Contact.match_id.in_(match_ids))
    for match_id, day in session.execute(query):
        result.setdefault(match_id, []).append(day)
    return result


# A volunteer may correct or delete their own contact for this long after logging it.
CORRECTION_WINDOW = timedelta(days=7)


def may_correct(user: User, contact: Contact, *, now: datetime | None = None) -> bool:
    """Leads and admins may correct any contact; a volunteer their own, within 7 days of
    logging it, while they still support the resident."""
    if not may_see_contacts(user, contact.match):
        return False
    if user.role in Role.STAFF:
        return True
    if contact.logged_by_id != user.id or not contact.match.is_active:
        return False
    return (now or utcnow()) - contact.created_at <= CORRECTION_WINDOW


def correct_contact(
    session: Session, contact: Contact, data: ContactInput, *, by: User, today: date
) -> None:
    """Change a contact; who changed it and when is kept on the contact (and in the audit log,
    with the fields that changed). Callers lock the match row."""
    if not may_correct(by, contact):
        raise RuleViolation(_l("This contact can no longer be changed. Ask the project lead."))
    _validate(contact.match, data, today)
    was_flagged = contact.needs_attention
    contact.contact_on = data.contact_on
    contact.kind = data.kind
    contact.duration_minutes = data.duration_minutes
    contact.topics = list(dict.fromkeys(data.topics))
    contact.stress_score = data.stress_score
    contact.note = data.note.strip()
    contact.needs_attention = data.needs_attention
    contact.evaluation = data.evaluation
    if not data.needs_attention:
        contact.attention_handled_at = None
    contact.updated_at = utcnow()
    contact.updated_by_id = by.id
    session.flush()
    if data.needs_attention and not was_flagged:
        from maatjes.domain import events

        events.contact_flagged(session, contact)


def delete_contact(session: Session, contact: Contact, *, by: User) -> None:
    """Remove a contact logged by mistake; the audit log keeps who removed which contact when."""
    if not may_correct(by, contact):
        raise RuleViolation(_l("This contact can no longer be changed. Ask the project lead."))
    session.delete(contact)
    session.flush()
