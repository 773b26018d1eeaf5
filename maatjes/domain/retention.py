"""Retention: a resident's personal data is erased a set time after their support ended.

A resident is *due* when they have no active match and no open handover, their support ended
(their last match ended, or they were closed without one) more than ``months`` ago, and no
postponement runs. Anonymising erases name, phone, neighbourhood and every free text about them
(contact notes, handover reasons, needs, notes of handover steps and consents); what reports
count stays: matches with dates and outcomes, contacts with dates and kinds, handovers with
their statuses, languages and area. It is done set-based, a batch at a time, and is idempotent.
"""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.models import (
    AuditEvent,
    ConsentRecord,
    Contact,
    Handover,
    HandoverEvent,
    Match,
    Resident,
    User,
)

ANONYMOUS_FIRST_NAME = "Geanonimiseerd"
BATCH = 500
OPEN_HANDOVER = ("sent", "accepted", "first_contact")


def support_ended_on():
    """SQL: the day the resident's support ended (the last match's end, else the closing day);
    NULL while it has not ended."""
    last_end = (
        select(func.max(Match.ended_on)).where(Match.resident_id == Resident.id).scalar_subquery()
    )
    return func.coalesce(last_end, Resident.closed_on)


def _eligible():
    active_match = exists().where(Match.resident_id == Resident.id, Match.ended_on.is_(None))
    open_handover = exists().where(
        Handover.resident_id == Resident.id, Handover.status.in_(OPEN_HANDOVER)
    )
    return and_(Resident.anonymised_at.is_(None), ~active_match, ~open_handover)


def cutoff(today: date, months: int) -> date:
    return today - relativedelta(months=months)


def due_clause(today: date, months: int):
    return and_(
        _eligible(),
        support_ended_on() < cutoff(today, months),
        or_(
            Resident.retention_postponed_until.is_(None),
            Resident.retention_postponed_until < today,
        ),
    )


def upcoming(
    session: Session,
    *,
    today: date,
    months: int,
    within_days: int = 30,
    page: int = 1,
    per_page: int = 50,
):
    """Residents who will be anonymised within ``within_days`` (or are due now), soonest first:
    (resident, support ended on, anonymised on) rows, and the total."""
    ended = support_ended_on().label("ended_on")
    horizon = cutoff(today + timedelta(days=within_days), months)
    condition = and_(_eligible(), support_ended_on() < horizon)
    total = session.scalar(select(func.count()).select_from(Resident).where(condition))
    rows = session.execute(
        select(Resident, ended)
        .where(condition)
        .order_by(ended, Resident.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return [
        (resident, ended_on, planned_on(resident, ended_on, today=today, months=months))
        for resident, ended_on in rows
    ], total


def planned_on(resident: Resident, ended_on: date, *, today: date, months: int) -> date:
    """The first day the job anonymises this resident (today when overdue)."""
    day = ended_on + relativedelta(months=months) + timedelta(days=1)
    if resident.retention_postponed_until is not None:
        day = max(day, resident.retention_postponed_until + timedelta(days=1))
    return max(day, today)


def postpone(resident: Resident, *, until: date, reason: str, by: User, today: date) -> None:
    if resident.anonymised:
        raise RuleViolation(_l("This resident's data was erased already."))
    if until <= today:
        raise RuleViolation(_l("Choose a date after today."), field="until")
    if until > today + relativedelta(years=2):
        raise RuleViolation(_l("Postpone by at most two years at a time."), field="until")
    if not reason.strip():
        raise RuleViolation(_l("Say why the data must be kept longer."), field="reason")
    resident.retention_postponed_until = until
    resident.retention_postpone_reason = reason.strip()[:300]
    resident.retention_postponed_by_id = by.id


def anonymise(session: Session, resident_ids: list[int], *, now: datetime) -> int:
    """Erase the personal data of these residents, set-based; returns how many were erased.
    Residents anonymised already are left alone (running twice changes nothing)."""
    if not resident_ids:
        return 0
    ids = list(
        session.scalars(
            select(Resident.id).where(
                Resident.id.in_(resident_ids), Resident.anonymised_at.is_(None)
            )
        )
    )
    if not ids:
        return 0
    plain = {"synchronize_session": False}
    session.execute(
        update(Resident)
        .where(Resident.id.in_(ids))
        .values(
            first_name=ANONYMOUS_FIRST_NAME,
            last_name="",
            phone="",
            phone_digits="",
            neighbourhood="",
            needs_other="",
            search_text="",
            retention_postpone_reason="",
            anonymised_at=now,
            closed_on=func.coalesce(Resident.closed_on, now.date()),
        )
        .execution_options(**plain)
    )
    matches = select(Match.id).where(Match.resident_id.in_(ids))
    session.execute(
        update(Match)
        .where(Match.resident_id.in_(ids), Match.end_reason.is_not(None))
        .values(end_reason="")
        .execution_options(**plain)
    )
    session.execute(
        update(Contact)
        .where(Contact.match_id.in_(matches))
        .values(note="")
        .execution_options(**plain)
    )
    handovers = select(Handover.id).where(Handover.resident_id.in_(ids))
    session.execute(
        update(Handover)
        .where(Handover.id.in_(handovers))
        .values(reason="", needs="", receiver_name=None, decline_reason=None)
        .execution_options(**plain)
    )
    session.execute(
        update(HandoverEvent)
        .where(HandoverEvent.handover_id.in_(handovers))
        .values(note="")
        .execution_options(**plain)
    )
    session.execute(
        update(ConsentRecord)
        .where(ConsentRecord.resident_id.in_(ids))
        .values(note="")
        .execution_options(**plain)
    )
    session.execute(
        insert(AuditEvent),
        [
            {
                "at": now,
                "actor_id": None,
                "actor_role": "system",
                "action": "anonymise",
                "object_type": "resident",
                "object_id": resident_id,
                "resident_id": resident_id,
                "source": "",
                "changes": None,
            }
            for resident_id in ids
        ],
    )
    session.expire_all()
    return len(ids)


def anonymise_due(session: Session, *, today: date, now: datetime, months: int) -> int:
    """The scheduler's job: every resident due, a batch at a time."""
    done = 0
    while True:
        ids = list(
            session.scalars(
                select(Resident.id)
                .where(due_clause(today, months))
                .order_by(Resident.id)
                .limit(BATCH)
            )
        )
        if not ids:
            return done
        done += anonymise(session, ids, now=now)
