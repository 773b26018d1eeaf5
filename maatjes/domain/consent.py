"""The resident's consent: for storing their data at intake, and for sharing it in a handover."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from maatjes.domain.clock import check_past_date
from maatjes.domain.errors import RuleViolation
from maatjes.models import Resident, User
from maatjes.models.consent import SCOPES, SHARE_BUURTTEAM, ConsentRecord


def check_consent(consent: bool, consent_on: date | None, *, today: date, refused: str) -> date:
    """Consent given, on a real day that is not ahead; ``refused`` says what happens without."""
    if not consent:
        raise RuleViolation(refused, field="consent")
    if consent_on is None:
        raise RuleViolation(_l("Give the date the resident gave consent."), field="consent_on")
    check_past_date(
        consent_on,
        today=today,
        field="consent_on",
        future_message=_l("The consent date cannot be in the future."),
    )
    return consent_on


def record_consent(
    session: Session,
    resident: Resident,
    scope: str,
    *,
    given_on: date,
    by: User,
    note: str = "",
) -> ConsentRecord:
    """Record a consent; an active one of the same scope is kept (given once, counted once)."""
    if scope not in SCOPES:
        raise RuleViolation(_l("Choose what the consent is for."), field="scope")
    existing = active_consent(session, resident.id, scope)
    if existing is not None:
        return existing
    record = ConsentRecord(
        resident_id=resident.id,
        scope=scope,
        given_on=given_on,
        recorded_by_id=by.id,
        note=note.strip()[:300],
    )
    session.add(record)
    session.flush()
    return record


def active_consent(session: Session, resident_id: int, scope: str) -> ConsentRecord | None:
    return session.scalar(
        select(ConsentRecord)
        .where(
            ConsentRecord.resident_id == resident_id,
            ConsentRecord.scope == scope,
            ConsentRecord.withdrawn_on.is_(None),
        )
        .order_by(ConsentRecord.given_on.desc(), ConsentRecord.id.desc())
        .limit(1)
    )


def sharing_withdrawn_on(session: Session, resident_id: int) -> date | None:
    """The day sharing with the buurtteam was withdrawn, when it is withdrawn now (the latest
    sharing record is withdrawn); else None."""
    latest = session.scalar(
        select(ConsentRecord)
        .where(ConsentRecord.resident_id == resident_id, ConsentRecord.scope == SHARE_BUURTTEAM)
        .order_by(ConsentRecord.given_on.desc(), ConsentRecord.id.desc())
        .limit(1)
    )
    return latest.withdrawn_on if latest is not None else None


def withdrawn_sharing_among(session: Session, resident_ids: list[int]) -> set[int]:
    """Which of these residents withdrew sharing consent (one query, for lists)."""
    if not resident_ids:
        return set()
    withdrawn = select(ConsentRecord.resident_id).where(
        ConsentRecord.resident_id.in_(resident_ids),
        ConsentRecord.scope == SHARE_BUURTTEAM,
        ConsentRecord.withdrawn_on.is_not(None),
    )
    active = select(ConsentRecord.resident_id).where(
        ConsentRecord.resident_id.in_(resident_ids),
        ConsentRecord.scope == SHARE_BUURTTEAM,
        ConsentRecord.withdrawn_on.is_(None),
    )
    return set(session.scalars(withdrawn.except_(active)))


def check_sharing_allowed(session: Session, resident: Resident) -> None:
    withdrawn = sharing_withdrawn_on(session, resident.id)
    if withdrawn is not None:
        raise RuleViolation(
            _l(
                "The resident withdrew consent to share with the buurtteam on %(day)s. Record "
                "new consent on the resident's page before a handover.",
                day=withdrawn.strftime("%d-%m-%Y"),
            ),
            field="consent",
        )


def withdraw(
    session: Session, record: ConsentRecord, *, by: User, today: date, now: datetime
) -> None:
    if record.withdrawn_on is not None:
        raise RuleViolation(_l("This consent was withdrawn already."))
    record.withdrawn_on = today
    record.withdrawn_by_id = by.id
    record.withdrawn_at = now
    session.flush()
