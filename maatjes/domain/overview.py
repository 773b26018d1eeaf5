"""The lead's overview: caseload, demand by language, the week's rhythm, attention, handovers."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, joinedload

from maatjes.domain import matching, weeks
from maatjes.domain.handovers import OPEN
from maatjes.domain.sql import days_between
from maatjes.models import Contact, Handover, Match, Resident, Volunteer


@dataclass
class Overview:
    today: date
    caseload: dict[int, list[tuple[Volunteer, bool]]]
    demand: list[matching.LanguageDemand]
    waiting_total: int
    due_this_week: list[Match]
    missed_last_week: list[Match]
    flagged: list[Contact]
    open_handovers: list[Handover]
    ended_early: list[Match]
    ended_early_total: int


def _matches_without_contact(session: Session, monday: date, today: date) -> list[Match]:
    return list(
        session.scalars(
            select(Match)
            .where(weeks.active_without_contact_in_week(monday, today=today))
            .options(joinedload(Match.volunteer), joinedload(Match.resident))
            .order_by(Match.started_on, Match.id)
        )
    )


# Matches that ended before the 13-week minimum in this many recent days, with their reasons.
ENDED_EARLY_DAYS = 90
ENDED_EARLY_SHOWN = 20


def _ended_early(session: Session, today: date) -> tuple[list[Match], int]:
    condition = and_(
        Match.ended_on.is_not(None),
        Match.ended_on >= today - timedelta(days=ENDED_EARLY_DAYS),
        days_between(Match.ended_on, Match.started_on) < weeks.MINIMUM_DAYS,
    )
    total = session.scalar(select(func.count(Match.id)).where(condition)) or 0
    rows = session.scalars(
        select(Match)
        .where(condition)
        .options(joinedload(Match.volunteer), joinedload(Match.resident))
        .order_by(Match.ended_on.desc(), Match.id.desc())
        .limit(ENDED_EARLY_SHOWN)
    ).all()
    return list(rows), total


def build(session: Session, *, today: date) -> Overview:
    caseload: dict[int, list[tuple[Volunteer, bool]]] = {
        n: [] for n in range(matching.MAX_ACTIVE_RESIDENTS + 1)
    }
    for volunteer, count, matchable in matching.caseloads(session):
        caseload[min(count, matching.MAX_ACTIVE_RESIDENTS)].append((volunteer, matchable))
    this_monday = weeks.week_start(today)
    ended_early, ended_early_total = _ended_early(session, today)
    return Overview(
        ended_early=ended_early,
        ended_early_total=ended_early_total,
        today=today,
        caseload=caseload,
        demand=matching.waiting_by_language(session),
        waiting_total=session.scalar(
            select(func.count(Resident.id)).where(matching.waiting_clause())
        )
        or 0,
        due_this_week=_matches_without_contact(session, this_monday, today),
        missed_last_week=_matches_without_contact(session, this_monday - timedelta(days=7), today),
        flagged=list(
            session.scalars(
                select(Contact)
                .where(Contact.needs_attention.is_(True), Contact.attention_handled_at.is_(None))
                .options(joinedload(Contact.match).joinedload(Match.resident))
                .options(joinedload(Contact.match).joinedload(Match.volunteer))
                .order_by(Contact.contact_on.desc(), Contact.id.desc())
            )
        ),
        open_handovers=list(
            session.scalars(
                select(Handover)
                .where(Handover.status.in_(OPEN))
                .options(joinedload(Handover.resident), joinedload(Handover.area))
                .order_by(Handover.status_changed_at)
            )
        ),
    )
