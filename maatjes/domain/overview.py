"""The lead's overview: what needs the lead today, of a size that does not grow with the data.

Every section is a count and the few most urgent items (``SHOWN``), each linking to its full,
filtered list; a fixed number of statements, whatever the size of the programme.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from maatjes.domain import matching, weeks
from maatjes.domain.handovers import OPEN, WAITING
from maatjes.domain.training import matchable_clause
from maatjes.models import Contact, Handover, Match, Resident, Volunteer

SHOWN = 10
# Matches that ended before the 13-week minimum in this many recent days, with their reasons.
ENDED_EARLY_DAYS = 90


@dataclass
class Section:
    total: int
    items: list

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass
class Caseload:
    by_count: dict[int, int]  # active volunteers who can be matched, by their active residents
    not_matchable: int  # active volunteers who cannot be matched yet (training)


@dataclass
class Overview:
    today: date
    caseload: Caseload
    demand: list[matching.LanguageDemand]
    waiting: Section  # residents waiting longest
    due_this_week: Section
    missed_last_week: Section
    flagged: Section
    open_handovers: Section
    ended_early: Section

    @property
    def waiting_total(self) -> int:
        return self.waiting.total


def flagged_open():
    """Contacts flagged for the lead and not handled yet. Written as the partial index's own
    predicate (a bare boolean, not ``IS true``), so that PostgreSQL uses that index."""
    return and_(Contact.needs_attention, Contact.attention_handled_at.is_(None))


def _section(session: Session, query, order, *, options=()) -> Section:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = session.scalars(query.options(*options).order_by(*order).limit(SHOWN)).all()
    return Section(total or 0, list(items))


def caseload(session: Session) -> Caseload:
    """One grouped statement: active volunteers by active residents, and who cannot be matched."""
    load = matching.caseload_counts()
    active = func.coalesce(load.c.active, 0)
    matchable = matchable_clause()
    rows = session.execute(
        select(
            case((matchable, active), else_=-1).label("bucket"),
            func.count(Volunteer.id),
        )
        .outerjoin(load, load.c.volunteer_id == Volunteer.id)
        .where(Volunteer.active.is_(True))
        .group_by("bucket")
    ).all()
    counts = dict(rows)
    by_count = {n: 0 for n in range(matching.MAX_ACTIVE_RESIDENTS + 1)}
    for n in by_count:
        by_count[n] = counts.get(n, 0)
    return Caseload(by_count, counts.get(-1, 0))


def _without_contact(session: Session, monday: date, today: date) -> Section:
    return _section(
        session,
        select(Match).where(weeks.active_without_contact_in_week(monday, today=today)),
        (Match.started_on, Match.id),
        options=(joinedload(Match.volunteer), joinedload(Match.resident)),
    )


def build(session: Session, *, today: date) -> Overview:
    this_monday = weeks.week_start(today)
    ended_early = and_(
        weeks.ended_before_minimum_clause(),
        Match.ended_on >= today - timedelta(days=ENDED_EARLY_DAYS),
    )
    waiting_first = case((Handover.status.in_(WAITING), 0), else_=1)
    return Overview(
        today=today,
        caseload=caseload(session),
        demand=matching.waiting_by_language(session)[:SHOWN],
        waiting=_section(
            session,
            select(Resident).where(matching.waiting_clause()),
            (Resident.created_at, Resident.id),
            options=(selectinload(Resident.language_links), joinedload(Resident.area)),
        ),
        due_this_week=_without_contact(session, this_monday, today),
        missed_last_week=_without_contact(session, this_monday - timedelta(days=7), today),
        flagged=_section(
            session,
            select(Contact).where(flagged_open()),
            (Contact.contact_on.desc(), Contact.id.desc()),
            options=(
                joinedload(Contact.match).joinedload(Match.resident),
                joinedload(Contact.match).joinedload(Match.volunteer),
            ),
        ),
        open_handovers=_section(
            session,
            select(Handover).where(Handover.status.in_(OPEN)),
            (waiting_first, Handover.status_changed_at, Handover.id),
            options=(joinedload(Handover.resident), joinedload(Handover.area)),
        ),
        ended_early=_section(
            session,
            select(Match).where(ended_early),
            (Match.ended_on.desc(), Match.id.desc()),
            options=(joinedload(Match.volunteer), joinedload(Match.resident)),
        ),
    )
