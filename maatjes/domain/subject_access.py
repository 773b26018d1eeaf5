"""Everything held about one resident, for their right of access (AVG art. 15) and portability
(art. 20): their record, languages, consents, matches with contacts (notes included: it is their
own data), handovers with every step, notifications about them, and who viewed or changed their
record (the audit trail). Names of the people who worked with them are included; secrets
(password hashes, tokens) never are."""

from datetime import date, datetime

from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import Session

from maatjes.models import (
    AuditEvent,
    ConsentRecord,
    Contact,
    Handover,
    HandoverEvent,
    Match,
    Notification,
    Resident,
    ResidentLanguage,
    User,
)

LEFT_OUT = {"password_hash", "password_token_hash", "totp_secret", "calendar_token_hash"}


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj) -> dict:
    return {
        attr.key: _value(getattr(obj, attr.key))
        for attr in inspect(obj).mapper.column_attrs
        if attr.key not in LEFT_OUT
    }


def export(session: Session, resident: Resident) -> dict:
    matches = session.scalars(
        select(Match).where(Match.resident_id == resident.id).order_by(Match.started_on)
    ).all()
    match_ids = [m.id for m in matches]
    contacts = session.scalars(
        select(Contact).where(Contact.match_id.in_(match_ids)).order_by(Contact.contact_on)
    ).all()
    handovers = session.scalars(
        select(Handover).where(Handover.resident_id == resident.id).order_by(Handover.created_at)
    ).all()
    handover_ids = [h.id for h in handovers]
    events = session.scalars(
        select(HandoverEvent)
        .where(HandoverEvent.handover_id.in_(handover_ids))
        .order_by(HandoverEvent.at)
    ).all()
    notifications = session.scalars(
        select(Notification)
        .where(
            or_(Notification.match_id.in_(match_ids), Notification.handover_id.in_(handover_ids))
        )
        .order_by(Notification.created_at)
    ).all()
    audit = session.scalars(
        select(AuditEvent).where(AuditEvent.resident_id == resident.id).order_by(AuditEvent.at)
    ).all()
    people_ids = {a.actor_id for a in audit if a.actor_id}
    people_ids |= {e.by_id for e in events} | {h.sender_id for h in handovers}
    people = {
        u.id: {"name": u.name, "role": u.role}
        for u in session.scalars(select(User).where(User.id.in_(people_ids)))
    }
    by_match: dict[int, list[dict]] = {}
    for contact in contacts:
        by_match.setdefault(contact.match_id, []).append(_row(contact))
    by_handover: dict[int, list[dict]] = {}
    for event in events:
        by_handover.setdefault(event.handover_id, []).append(_row(event))
    return {
        "resident": _row(resident),
        "area": resident.area.name,
        "languages": [
            _row(link)
            for link in session.scalars(
                select(ResidentLanguage)
                .where(ResidentLanguage.resident_id == resident.id)
                .order_by(ResidentLanguage.rank)
            )
        ],
        "consents": [
            _row(c)
            for c in session.scalars(
                select(ConsentRecord)
                .where(ConsentRecord.resident_id == resident.id)
                .order_by(ConsentRecord.given_on)
            )
        ],
        "matches": [
            {
                **_row(m),
                "volunteer": m.volunteer.name,
                "contacts": by_match.get(m.id, []),
            }
            for m in matches
        ],
        "handovers": [{**_row(h), "events": by_handover.get(h.id, [])} for h in handovers],
        "notifications": [_row(n) for n in notifications],
        "audit_trail": [
            {**_row(a), "actor": people.get(a.actor_id, {}).get("name")} for a in audit
        ],
        "people": people,
    }
