"""The lead's programme dashboard: "how is the programme doing", part by part, for one ``Scope``.

``dashboard()`` computes every figure with a fixed number of SQL statements (about twenty, the
same at ten or ten thousand residents: every figure is a GROUP BY, a FILTER or an EXISTS, never
a Python loop over rows); ``tables()`` labels the same figures as the accessible tables shown
beside the charts.

Two kinds of figure, and the period applies only to the first:

- *flows*: things that happened in the period (matches made, ended, handovers sent, trainings
  completed). They take the period and the area/organisation filters.
- *stocks*: how things stand today (capacity, who waits now, missed weeks now, refreshers and
  VOGs due). They take only the area/organisation filters; the period does not change them.

Filters (``periods.Scope``): the area is the resident's (handovers: the handover's area;
volunteers: the areas the volunteer works in, ``Volunteer.areas``); the organisation is the
volunteer's (matches: the maatje's; handovers: the sender or the receiving user is a volunteer
of the organisation, as in the funder report). A waiting resident has no maatje yet, so the
organisation filter does not narrow who waits.

The definitions are the ones the rest of the application uses, imported rather than repeated:
waiting (``matching.waiting_clause``, as the lead's overview and waiting list), the training gate
(``training.matchable_clause`` / ``completions``), room (``matching.has_room_clause``), missed
weeks (``weeks.active_without_contact_in_week``, the overview's "missed last week"), the 13-week
minimum (``weeks``), the weekly rhythm, percentiles and stress (``stats``), working days with
Dutch holidays (``workdays``) and the 5-working-day handover rule (``handovers``).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app, has_app_context
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    DateTime,
    String,
    and_,
    case,
    cast,
    column,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
    values,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from maatjes.domain import languages, matching, stats, weeks
from maatjes.domain.clock import local_midnight_utc, local_today
from maatjes.domain.handovers import (
    ACCEPTED,
    DECLINED,
    SENT,
    WAITING_WORKING_DAYS,
)
from maatjes.domain.periods import Scope
from maatjes.domain.rhythm import PAPERS_NOTICE
from maatjes.domain.sql import days_between, without_jit
from maatjes.domain.tables import Linked, Table
from maatjes.domain.training import completions, matchable_clause
from maatjes.domain.workdays import add_working_days
from maatjes.formatting import label
from maatjes.models import (
    NEEDS,
    OUTCOMES,
    TO_BUURTTEAM,
    Area,
    Contact,
    Handover,
    HandoverEvent,
    Language,
    Match,
    Resident,
    ResidentLanguage,
    Training,
    TrainingAttendance,
    TrainingSession,
    Volunteer,
)
from maatjes.models.volunteer import volunteer_areas, volunteer_languages

SHOWN = 10  # longest waits, most recent reasons for ending early
RHYTHM_WEEKS = 26  # the weekly-rhythm chart: this many weeks up to today's week
# The need that means debt assistance (``NEEDS``); None if the vocabulary ever drops it, and
# then every handover to the buurtteam is counted.
DEBT_NEED = "debts" if "debts" in NEEDS else None
# A refresher is due ``Training.refresh_months`` months after the last completion; a month is
# counted as 30.44 days, as the scheduler's reminder (``rhythm.papers_expiring``) counts it.
DAYS_PER_MONTH = 30.44
# A VOG (certificate of conduct) is accepted for ``VOG_VALID_DAYS`` (the app's setting, default
# three years, the same setting the scheduler's reminder uses); "expiring" is within the
# scheduler's notice (``rhythm.PAPERS_NOTICE``, 30 days).
DEFAULT_VOG_VALID_DAYS = 3 * 365

# Capacity buckets for volunteers who are not (yet) Money Maatje trained (trained ones are
# bucketed by their number of active residents, 0, 1 or 2).
_STOPPED = -1
_BASIC = -2
_REGISTERED = -3


# ---------------------------------------------------------------------------------------------
# SQL helpers


class whole_hours_between(FunctionElement):  # noqa: N801 (used like a SQL function)
    """Whole hours from the UTC timestamp ``earlier`` to ``later`` (truncated), computed from
    whole epoch seconds on both databases so that SQLite and PostgreSQL agree exactly (a
    julianday difference in floating point would not)."""

    type = BigInteger()
    inherit_cache = True
    name = "whole_hours_between"


@compiles(whole_hours_between)
def _hours_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return (
        f"((CAST(FLOOR(EXTRACT(EPOCH FROM {later})) AS BIGINT)"
        f" - CAST(FLOOR(EXTRACT(EPOCH FROM {earlier})) AS BIGINT)) / 3600)"
    )


@compiles(whole_hours_between, "sqlite")
def _hours_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return (
        f"((CAST(strftime('%s', {later}) AS INTEGER)"
        f" - CAST(strftime('%s', {earlier}) AS INTEGER)) / 3600)"
    )


class utc_day(FunctionElement):  # noqa: N801
    """The UTC calendar date of a naive UTC timestamp (an equality key for a join)."""

    type = Date()
    inherit_cache = True
    name = "utc_day"


@compiles(utc_day)
def _utc_day_postgresql(element, compiler, **kw):
    return f"CAST({compiler.process(list(element.clauses)[0], **kw)} AS DATE)"


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element, compiler, **kw):
    return f"date({compiler.process(list(element.clauses)[0], **kw)})"


def _volunteer_scope(scope: Scope) -> list[ColumnElement[bool]]:
    """Volunteers of the organisation, and who work in the area (``Volunteer.areas``)."""
    conditions: list[ColumnElement[bool]] = []
    if scope.organisation_id is not None:
        conditions.append(Volunteer.organisation_id == scope.organisation_id)
    if scope.area_id is not None:
        conditions.append(
            Volunteer.id.in_(
                select(volunteer_areas.c.volunteer_id).where(
                    volunteer_areas.c.area_id == scope.area_id
                )
            )
        )
    return conditions


def _resident_area(scope: Scope) -> list[ColumnElement[bool]]:
    return [Resident.area_id == scope.area_id] if scope.area_id is not None else []


def _days(hours: float | None) -> float | None:
    """Hours as days, one decimal."""
    return None if hours is None else round(hours / 24, 1)


# ---------------------------------------------------------------------------------------------
# The parts


@dataclass(frozen=True)
class FreePlaces:
    code: str  # language
    free_places: int  # sum of (2 - active residents) over trained volunteers with room
    waiting: int  # residents waiting who want this language


@dataclass
class Capacity:
    """Stock, today; area (works in) and organisation filters. Active volunteers by stage, and
    the stopped (inactive) ones apart."""

    registered: int  # active, basic training not completed
    basic_trained: int  # active, basic training done, not (yet) Money Maatje trained
    by_residents: dict[int, int]  # Money Maatje trained (matchable): 0, 1, 2 active residents
    stopped: int  # inactive volunteers
    free_places: list[FreePlaces]  # per language, biggest shortfall first

    @property
    def trained(self) -> int:
        return sum(self.by_residents.values())

    @property
    def active(self) -> int:
        return self.registered + self.basic_trained + self.trained

    @property
    def free_places_total(self) -> int:
        return sum(
            (matching.MAX_ACTIVE_RESIDENTS - n) * count for n, count in self.by_residents.items()
        )


@dataclass(frozen=True)
class Waiter:
    resident_id: int
    first_name: str
    since: date  # registration (intake form) day, Amsterdam: the overview's order
    days: int  # calendar days from ``since`` to today


@dataclass
class Demand:
    """Waiting: stock, today, area filter (a waiting resident has no organisation). Time to
    match: flow, residents whose first match was made in the period (area and organisation of
    that match)."""

    by_language: list[tuple[str, int]]  # (code, residents waiting), most first
    by_area: list[tuple[int, str, int]]  # (area id, name, residents waiting), every area
    longest: list[Waiter]  # the SHOWN longest waits
    to_match_median: float | None  # days from registration to the first match
    to_match_p90: float | None

    @property
    def waiting(self) -> int:
        return sum(n for _id, _name, n in self.by_area)


@dataclass
class Rhythm:
    """``weeks``: the last 26 weeks up to today (not the period), area/organisation filters.
    ``by_organisation``: flow over the period. ``missed_last_week`` and
    ``without_evaluation``: stock, today."""

    weeks: list[stats.WeekRhythm]
    by_organisation: list[tuple[int, str, int, int]]  # (id, name, due, with contact)
    active_matches: int
    missed_last_week: int  # active matches without a contact last week (the overview's count)
    without_evaluation: int  # active, past the 13-week minimum, no evaluation contact yet

    @property
    def due(self) -> int:
        return sum(week.due for week in self.weeks)

    @property
    def with_contact(self) -> int:
        return sum(week.with_contact for week in self.weeks)

    @property
    def share(self) -> float | None:
        return self.with_contact / self.due if self.due else None


@dataclass(frozen=True)
class HandoverArea:
    area_id: int
    name: str
    handovers: int  # created in the period
    waited_past: int  # of those, answered after the working-day limit or still unanswered


@dataclass
class Handovers:
    """Flow: handovers created in the period (status as it is now); "still waiting" is judged
    today."""

    counts: dict[tuple[str, str], int]  # (direction, status) -> handovers, zeros included
    accepted_median: float | None  # days from sending to acceptance
    accepted_p90: float | None
    first_contact_median: float | None  # days from sending to the first contact
    first_contact_p90: float | None
    by_area: list[HandoverArea]  # every area

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def waited_past(self) -> int:
        return sum(row.waited_past for row in self.by_area)


@dataclass(frozen=True)
class OutcomeCount:
    outcome: str
    ended: int
    before_minimum: int  # of those, before the 13-week minimum


@dataclass(frozen=True)
class EarlyEnd:
    match_id: int
    ended_on: date
    outcome: str | None
    reason: str


@dataclass
class Outcomes:
    """Flow: matches ended in the period (cancellations apart), stress, handovers for debts."""

    ended: list[OutcomeCount]  # every outcome in OUTCOMES order, zeros included
    cancelled: int  # ended on their start day: the intake did not lead to support
    early_reasons: list[EarlyEnd]  # the SHOWN most recent endings before the minimum
    stress: stats.StressChange
    to_buurtteam: int  # residents handed over to the buurtteam in the period
    to_buurtteam_for_debts: int  # of those, with debts among their needs (all if no such need)

    @property
    def endings(self) -> int:
        """Ended support: transfers to another maatje are no end of support."""
        return sum(r.ended for r in self.ended if r.outcome not in stats.NOT_AN_END)

    @property
    def before_minimum(self) -> int:
        return sum(r.before_minimum for r in self.ended if r.outcome not in stats.NOT_AN_END)

    @property
    def share_before_minimum(self) -> float | None:
        return self.before_minimum / self.endings if self.endings else None


@dataclass
class TrainingPart:
    """Completions: flow (sessions held in the period). Refreshers and VOGs: stock, today,
    active volunteers. Filters: the volunteer's organisation and areas."""

    completions: list[tuple[int, str, int]]  # (training id, name, completions), every training
    refreshers: list[tuple[int, str, int]]  # (training id, name, volunteers due), refreshable
    refresher_volunteers: int  # distinct volunteers due for at least one refresher
    vog_expired: int
    vog_expiring: int  # expires within PAPERS_NOTICE
    vog_missing: int
    vog_valid_days: int


@dataclass
class Dashboard:
    scope: Scope
    today: date
    capacity: Capacity
    demand: Demand
    rhythm: Rhythm
    handovers: Handovers
    outcomes: Outcomes
    training: TrainingPart


# --- capacity and demand ------------------------------------------------------------------


def _waiting_by_language(session: Session, scope: Scope) -> list[tuple[str, int]]:
    """The waiting list's per-language count (``matching.waiting_by_language``) in the area."""
    rows = session.execute(
        select(ResidentLanguage.language_code, func.count(ResidentLanguage.resident_id))
        .join(Resident, Resident.id == ResidentLanguage.resident_id)
        .where(matching.waiting_clause(), *_resident_area(scope))
        .group_by(ResidentLanguage.language_code)
    ).all()
    return sorted(((code, n) for code, n in rows), key=lambda row: (-row[1], row[0]))


def _capacity(session: Session, scope: Scope, waiting: list[tuple[str, int]]) -> Capacity:
    """Two statements: volunteers by stage, and free places per language."""
    done = completions()
    load = matching.caseload_counts()
    active = func.coalesce(load.c.active, 0)
    stage = case(
        (Volunteer.active.is_(False), _STOPPED),
        (matchable_clause(), active),
        (done.c.basic_on.is_not(None), _BASIC),
        else_=_REGISTERED,
    ).label("stage")
    counts = dict(
        session.execute(
            select(stage, func.count(Volunteer.id))
            .outerjoin(done, done.c.volunteer_id == Volunteer.id)
            .outerjoin(load, load.c.volunteer_id == Volunteer.id)
            .where(*_volunteer_scope(scope))
            .group_by(stage)
        ).all()
    )
    places = dict(
        session.execute(
            select(
                volunteer_languages.c.language_code,
                func.sum(matching.MAX_ACTIVE_RESIDENTS - active),
            )
            .select_from(Volunteer)
            .join(volunteer_languages, volunteer_languages.c.volunteer_id == Volunteer.id)
            .outerjoin(load, load.c.volunteer_id == Volunteer.id)
            .where(matching.has_room_clause(), *_volunteer_scope(scope))
            .group_by(volunteer_languages.c.language_code)
        ).all()
    )
    wanted = dict(waiting)
    free = [
        FreePlaces(code, int(places.get(code, 0)), wanted.get(code, 0))
        for code in set(places) | set(wanted)  # one row per language, not per record
    ]
    free.sort(key=lambda f: (-(f.waiting - f.free_places), -f.waiting, f.code))
    return Capacity(
        registered=counts.get(_REGISTERED, 0),
        basic_trained=counts.get(_BASIC, 0),
        by_residents={n: counts.get(n, 0) for n in range(matching.MAX_ACTIVE_RESIDENTS + 1)},
        stopped=counts.get(_STOPPED, 0),
        free_places=free,
    )


def _demand(session: Session, scope: Scope, today: date, waiting: list[tuple[str, int]]) -> Demand:
    """Three statements: waiting per area, the longest waits, time to match."""
    waiting_here = (
        select(Resident.area_id.label("area_id"), func.count(Resident.id).label("n"))
        .where(matching.waiting_clause(), *_resident_area(scope))
        .group_by(Resident.area_id)
        .subquery("waiting_here")
    )
    areas = select(Area.id, Area.name, func.coalesce(waiting_here.c.n, 0)).outerjoin(
        waiting_here, waiting_here.c.area_id == Area.id
    )
    if scope.area_id is not None:
        areas = areas.where(Area.id == scope.area_id)
    by_area = [
        (id_, name, int(n))
        for id_, name, n in session.execute(areas.order_by(Area.name, Area.id)).all()
    ]
    longest = [
        Waiter(id_, first_name, local_today(created), (today - local_today(created)).days)
        for id_, first_name, created in session.execute(
            select(Resident.id, Resident.first_name, Resident.created_at)
            .where(matching.waiting_clause(), *_resident_area(scope))
            .order_by(Resident.created_at, Resident.id)  # the overview's order
            .limit(SHOWN)
        ).all()
    ]
    first_match = (
        select(func.min(Match.id).label("id")).group_by(Match.resident_id).subquery("first_match")
    )
    to_match = (
        stats.scoped_matches(whole_hours_between(Match.created_at, Resident.created_at))
        .join(first_match, first_match.c.id == Match.id)
        .where(stats.created_in(Match.created_at, scope), *stats.match_scope(scope))
    )
    median, p90 = stats.median_and_p90(session, to_match)
    return Demand(waiting, by_area, longest, _days(median), _days(p90))


# --- rhythm -------------------------------------------------------------------------------


def _rhythm(session: Session, scope: Scope, today: date) -> Rhythm:
    """Two statements: the weekly chart with the period per organisation, and the counts of
    today."""
    chart_scope = Scope(
        start=weeks.week_start(today) - timedelta(weeks=RHYTHM_WEEKS - 1),
        end=today,
        area_id=scope.area_id,
        organisation_id=scope.organisation_id,
    )
    last_monday = weeks.week_start(today) - timedelta(days=7)
    missed = weeks.active_without_contact_in_week(last_monday, today=today)
    without_evaluation = and_(
        weeks.minimum_reached_clause(today),
        # A bare boolean, so that a partial index ``WHERE evaluation`` can serve it.
        ~exists().where(Contact.match_id == Match.id, Contact.evaluation),
    )
    active, missed_count, unevaluated = session.execute(
        stats.scoped_matches(
            func.count(),
            func.count().filter(missed),
            func.count().filter(without_evaluation),
        ).where(Match.ended_on.is_(None), *stats.match_scope(scope))
    ).one()
    chart, by_organisation = stats.chart_and_owners(
        session, chart_scope, scope, today, "organisation"
    )
    return Rhythm(
        weeks=chart,
        by_organisation=by_organisation,
        active_matches=active,
        missed_last_week=missed_count,
        without_evaluation=unevaluated,
    )


# --- handovers ----------------------------------------------------------------------------


def _answers():
    """Per handover: when it was first accepted, and first answered (accepted or declined)."""
    return (
        select(
            HandoverEvent.handover_id.label("handover_id"),
            func.min(case((HandoverEvent.status == ACCEPTED, HandoverEvent.at))).label(
                "accepted_at"
            ),
            func.min(HandoverEvent.at).label("answered_at"),
        )
        .where(HandoverEvent.status.in_((ACCEPTED, DECLINED)))
        .group_by(HandoverEvent.handover_id)
        .subquery("answers")
    )


def _deadlines(scope: Scope):
    """The working-day limit for every sending day of the period, as a VALUES list: one row per
    UTC date ``u`` from the day before the period to its end (at most the period's length plus
    one; working days with Dutch holidays are computed here in Python, per day, never per
    handover). A handover created on UTC date ``u`` before ``switch_at`` (Amsterdam's midnight
    that ends local day ``u``) was sent on local day ``u``, otherwise on ``u + 1``; it waited
    too long when it was answered at or after ``late_from`` of its local day: the midnight
    after the WAITING_WORKING_DAYS-th working day after sending (``handovers.Waiting``:
    overdue once more than that many working days have passed)."""

    first = scope.start - timedelta(days=1)
    days = [first + timedelta(days=n) for n in range((scope.end - first).days + 2)]
    # Bounded by the period (at most five years and two days), not by the data.
    late_from = [
        local_midnight_utc(add_working_days(day, WAITING_WORKING_DAYS) + timedelta(days=1))
        for day in days
    ]
    rows = [
        (day, local_midnight_utc(days[n + 1]), late_from[n], late_from[n + 1])
        for n, day in enumerate(days[:-1])
    ]
    return (
        values(
            column("utc_day", Date),
            column("switch_at", DateTime),
            column("late_before", DateTime),
            column("late_after", DateTime),
            name="deadlines",
        )
        .data(rows)
        .cte("deadlines")
    )


def _handovers(session: Session, scope: Scope, today: date) -> Handovers:
    """Four statements: direction x status, the two medians, and per area with the waits."""
    in_scope = stats.handover_scope(scope)
    grid = stats.handover_grid(session, scope)
    answers = _answers()
    accepted = stats.median_and_p90(
        session,
        select(whole_hours_between(answers.c.accepted_at, Handover.created_at))
        .join(answers, answers.c.handover_id == Handover.id)
        .where(*in_scope),
    )
    first_contact = stats.median_and_p90(
        session,
        select(whole_hours_between(Handover.first_contact_at, Handover.created_at)).where(
            Handover.first_contact_at.is_not(None), *in_scope
        ),
    )
    deadlines = _deadlines(scope)
    late_from = case(
        (Handover.created_at < deadlines.c.switch_at, deadlines.c.late_before),
        else_=deadlines.c.late_after,
    )
    waited_past = or_(
        and_(answers.c.answered_at.is_not(None), answers.c.answered_at >= late_from),
        and_(
            answers.c.answered_at.is_(None),
            Handover.status == SENT,
            late_from <= local_midnight_utc(today),
        ),
    )
    per_area = (
        select(
            Handover.area_id.label("area_id"),
            func.count(Handover.id).label("n"),
            func.count(Handover.id).filter(waited_past).label("late"),
        )
        .join(deadlines, deadlines.c.utc_day == utc_day(Handover.created_at))
        .outerjoin(answers, answers.c.handover_id == Handover.id)
        .where(*in_scope)
        .group_by(Handover.area_id)
        .subquery("per_area")
    )
    areas = select(
        Area.id, Area.name, func.coalesce(per_area.c.n, 0), func.coalesce(per_area.c.late, 0)
    ).outerjoin(per_area, per_area.c.area_id == Area.id)
    if scope.area_id is not None:
        areas = areas.where(Area.id == scope.area_id)
    by_area = [
        HandoverArea(id_, name, int(n), int(late))
        for id_, name, n, late in session.execute(areas.order_by(Area.name, Area.id)).all()
    ]
    return Handovers(
        counts=grid,
        accepted_median=_days(accepted[0]),
        accepted_p90=_days(accepted[1]),
        first_contact_median=_days(first_contact[0]),
        first_contact_p90=_days(first_contact[1]),
        by_area=by_area,
    )


# --- outcomes -----------------------------------------------------------------------------


def _needs_debts() -> ColumnElement[bool]:
    """The resident's needs (a JSON list of codes) hold DEBT_NEED. Matched on the stored JSON
    text (``"debts"`` with its quotes), which both databases keep as written; no code of the
    vocabulary contains another one in quotes."""
    if DEBT_NEED is None:
        return literal(True)
    return cast(Resident.needs, String).like(f'%"{DEBT_NEED}"%')


def _outcomes(session: Session, scope: Scope) -> Outcomes:
    """Five statements: outcomes, the recent reasons, stress (two), handovers for debts."""
    ended_here = and_(
        Match.ended_on >= scope.start,
        Match.ended_on <= scope.end,
        *stats.match_scope(scope),
    )
    cancelled = stats.cancelled_clause()
    early = and_(weeks.ended_before_minimum_clause(), ~cancelled)
    found = {}
    cancelled_count = 0
    for outcome, ended, before, cancels in session.execute(
        stats.scoped_matches(
            Match.outcome,
            func.count().filter(~cancelled),
            func.count().filter(early),
            func.count().filter(cancelled),
        )
        .where(ended_here)
        .group_by(Match.outcome)
    ).all():  # one row per outcome
        found[outcome] = (ended, before)
        cancelled_count += cancels
    listed = [OutcomeCount(o, *found.get(o, (0, 0))) for o in OUTCOMES]
    listed += [OutcomeCount(o or "", *found[o]) for o in found if o not in OUTCOMES and found[o][0]]
    reasons = [
        EarlyEnd(id_, ended_on, outcome, reason or "")
        for id_, ended_on, outcome, reason in session.execute(
            stats.scoped_matches(Match.id, Match.ended_on, Match.outcome, Match.end_reason)
            .where(ended_here, early, stats.support_ended_clause(scope))
            .order_by(Match.ended_on.desc(), Match.id.desc())
            .limit(SHOWN)
        ).all()
    ]
    to_buurtteam, for_debts = session.execute(
        select(
            func.count(distinct(Handover.resident_id)),
            func.count(distinct(case((_needs_debts(), Handover.resident_id)))),
        )
        .join(Resident, Resident.id == Handover.resident_id)
        .where(Handover.direction == TO_BUURTTEAM, *stats.handover_scope(scope))
    ).one()
    return Outcomes(
        ended=listed,
        cancelled=cancelled_count,
        early_reasons=reasons,
        stress=stats.stress_change(session, scope),
        to_buurtteam=to_buurtteam,
        to_buurtteam_for_debts=for_debts,
    )


# --- training -----------------------------------------------------------------------------


def _training(session: Session, scope: Scope, today: date, vog_valid_days: int) -> TrainingPart:
    """Four statements: completions, refreshers per training and in all, VOGs."""
    done = (
        select(
            TrainingSession.training_id.label("training_id"),
            func.count(TrainingAttendance.id).label("n"),
        )
        .join(TrainingAttendance, TrainingAttendance.session_id == TrainingSession.id)
        .join(Volunteer, Volunteer.id == TrainingAttendance.volunteer_id)
        .where(
            TrainingAttendance.completed.is_(True),
            TrainingSession.held_on >= scope.start,
            TrainingSession.held_on <= scope.end,
            *_volunteer_scope(scope),
        )
        .group_by(TrainingSession.training_id)
        .subquery("done")
    )
    completed = [
        (id_, name, int(n))
        for id_, name, n in session.execute(
            select(Training.id, Training.name, func.coalesce(done.c.n, 0))
            .outerjoin(done, done.c.training_id == Training.id)
            .order_by(Training.name, Training.id)
        ).all()
    ]
    latest = (
        select(
            TrainingAttendance.volunteer_id.label("volunteer_id"),
            TrainingSession.training_id.label("training_id"),
            func.max(TrainingSession.held_on).label("held_on"),
        )
        .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
        .where(TrainingAttendance.completed.is_(True))
        .group_by(TrainingAttendance.volunteer_id, TrainingSession.training_id)
        .subquery("latest")
    )
    due = (
        select(latest.c.volunteer_id, latest.c.training_id)
        .join(Training, Training.id == latest.c.training_id)
        .join(Volunteer, Volunteer.id == latest.c.volunteer_id)
        .where(
            Training.refresh_months.is_not(None),
            days_between(literal(today, Date), latest.c.held_on)
            >= func.round(Training.refresh_months * DAYS_PER_MONTH),
            Volunteer.active.is_(True),
            *_volunteer_scope(scope),
        )
        .subquery("due")
    )
    due_per_training = (
        select(due.c.training_id, func.count().label("n"))
        .group_by(due.c.training_id)
        .subquery("due_per_training")
    )
    refreshers = [
        (id_, name, int(n))
        for id_, name, n in session.execute(
            select(Training.id, Training.name, func.coalesce(due_per_training.c.n, 0))
            .outerjoin(due_per_training, due_per_training.c.training_id == Training.id)
            .where(Training.refresh_months.is_not(None))
            .order_by(Training.name, Training.id)
        ).all()
    ]
    refresher_volunteers = session.scalar(select(func.count(distinct(due.c.volunteer_id)))) or 0
    expired_on_or_before = today - timedelta(days=vog_valid_days)
    expiring_on_or_before = today + PAPERS_NOTICE - timedelta(days=vog_valid_days)
    missing, expired, expiring = session.execute(
        select(
            func.count().filter(Volunteer.vog_date.is_(None)),
            func.count().filter(Volunteer.vog_date <= expired_on_or_before),
            func.count().filter(
                Volunteer.vog_date > expired_on_or_before,
                Volunteer.vog_date <= expiring_on_or_before,
            ),
        )
        .select_from(Volunteer)
        .where(Volunteer.active.is_(True), *_volunteer_scope(scope))
    ).one()
    return TrainingPart(
        completions=completed,
        refreshers=refreshers,
        refresher_volunteers=refresher_volunteers,
        vog_expired=expired,
        vog_expiring=expiring,
        vog_missing=missing,
        vog_valid_days=vog_valid_days,
    )


def dashboard(
    session: Session, scope: Scope, today: date, *, vog_valid_days: int | None = None
) -> Dashboard:
    """Every figure of the dashboard for ``scope``, as it stands on ``today``. A fixed number
    of statements (21 at the time of writing, six of them made by ``stats``), whatever the size
    of the programme. ``vog_valid_days`` defaults to the app's ``VOG_VALID_DAYS`` setting
    (three years without an app)."""
    if vog_valid_days is None:
        vog_valid_days = (
            current_app.config.get("VOG_VALID_DAYS", DEFAULT_VOG_VALID_DAYS)
            if has_app_context()
            else DEFAULT_VOG_VALID_DAYS
        )
    without_jit(session)
    waiting = _waiting_by_language(session, scope)
    return Dashboard(
        scope=scope,
        today=today,
        capacity=_capacity(session, scope, waiting),
        demand=_demand(session, scope, today, waiting),
        rhythm=_rhythm(session, scope, today),
        handovers=_handovers(session, scope, today),
        outcomes=_outcomes(session, scope),
        training=_training(session, scope, today, vog_valid_days),
    )


# ---------------------------------------------------------------------------------------------
# Tables


def _language_names(codes: list[str]) -> dict[str, str]:
    """Language names in the user's language, custom names read once (not once per row)."""
    from maatjes.extensions import db

    locale = str(get_locale() or "nl")
    custom = dict(
        db.session.execute(
            select(Language.code, Language.custom_name).where(
                Language.code.in_(codes), Language.custom_name.is_not(None)
            )
        ).all()
    )
    return {code: languages.display_name(code, locale, custom) for code in codes}


def tables(dashboard: Dashboard) -> list[Table]:
    """The dashboard's figures as labelled tables, one per chart or list, in page order. Each
    key is stable (the page's anchor). Counts of waiting residents link to the waiting list
    filtered the same way, and the longest waits and early endings to the resident / match."""
    d = dashboard
    c = d.capacity
    codes = sorted({f.code for f in c.free_places} | {code for code, _n in d.demand.by_language})
    names = _language_names(codes)
    area_arg = (("area", d.scope.area_id),) if d.scope.area_id is not None else ()

    # The volunteers list filters by organisation but not by area: with an area chosen its
    # counts would differ from these, so the figures link only without one.
    def volunteers(count: int, **filters: str) -> int | Linked:
        if d.scope.area_id is not None:
            return count
        if d.scope.organisation_id is not None:
            filters["organisation"] = str(d.scope.organisation_id)
        return Linked(count, "volunteers.index", tuple(filters.items()))

    stages = Table(
        "capacity",
        _("Volunteers by stage"),
        [_("Stage"), _("Volunteers")],
        [
            (_("Registered (basic training not yet completed)"), c.registered),
            (_("Basic training completed"), c.basic_trained),
            *(
                (
                    ngettext(
                        "Money Maatje trained, %(num)d active resident",
                        "Money Maatje trained, %(num)d active residents",
                        n,
                    ),
                    volunteers(count, training="matchable", caseload=str(n)),
                )
                for n, count in sorted(c.by_residents.items())
            ),
            (_("Stopped"), volunteers(c.stopped, status="inactive")),
        ],
        _(
            "Today. Active volunteers by their furthest stage; stopped: volunteers no longer "
            "active. Area: volunteers who work in it."
        ),
    )
    free = Table(
        "free_places",
        _("Free places per language"),
        [_("Language"), _("Free places"), _("Residents waiting")],
        [
            (
                names[f.code],
                f.free_places,
                Linked(f.waiting, "lead.waiting", (("language", f.code), *area_arg)),
            )
            for f in c.free_places
        ],
        _(
            "Today. Free places: for each trained volunteer with room, two minus their active "
            "residents, counted under every language they speak."
        ),
    )
    waiting_language = Table(
        "waiting_by_language",
        _("Residents waiting by language"),
        [_("Language"), _("Residents waiting")],
        [
            (names[code], Linked(n, "lead.waiting", (("language", code), *area_arg)))
            for code, n in d.demand.by_language
        ],
        _("Today. A resident who gives two languages counts under both."),
    )
    waiting_area = Table(
        "waiting_by_area",
        _("Residents waiting by area"),
        [_("Area"), _("Residents waiting")],
        [(name, Linked(n, "lead.waiting", (("area", id_),))) for id_, name, n in d.demand.by_area]
        + [(_("Total"), d.demand.waiting)],
        _("Today. Residents without an active match, not closed."),
    )
    longest = Table(
        "longest_waits",
        _("Longest waits"),
        [_("Resident"), _("Registered on"), _("Days waiting")],
        [
            (
                Linked(w.first_name, "residents.detail", (("resident_id", w.resident_id),)),
                w.since,
                w.days,
            )
            for w in d.demand.longest
        ],
        _("Today, counted from the registration (intake form)."),
    )
    to_match = Table(
        "time_to_match",
        _("Time from registration to match"),
        [_("Figure"), _("Days")],
        [
            (_("Median"), d.demand.to_match_median),
            (_("90th percentile"), d.demand.to_match_p90),
        ],
        _("Residents whose first match was made in the period."),
    )
    r = d.rhythm
    rhythm_weeks = Table(
        "rhythm_weeks",
        _("Weekly contact, last 26 weeks"),
        [_("Week of"), _("Match-weeks"), _("With a contact"), _("Share (%)")],
        [(w.monday, w.due, w.with_contact, stats.percent(w.share)) for w in r.weeks]
        + [(_("Total"), r.due, r.with_contact, stats.percent(r.share))],
        _("A match-week is a week in which an active match expects at least one contact."),
    )
    rhythm_organisations = Table(
        "rhythm_by_organisation",
        _("Weekly contact per organisation"),
        [_("Organisation"), _("Match-weeks"), _("With a contact"), _("Share (%)")],
        [
            (name, due, done, stats.percent(done / due if due else None))
            for _id, name, due, done in r.by_organisation
        ],
        _("Match-weeks in the period, by the maatje's organisation."),
    )
    rhythm_now = Table(
        "rhythm_now",
        _("Matches today"),
        [_("Figure"), _("Matches")],
        [
            (_("Active matches"), r.active_matches),
            (
                _("Without a contact last week"),
                # The residents list filters by area, not by organisation.
                r.missed_last_week
                if d.scope.organisation_id is not None
                else Linked(
                    r.missed_last_week, "residents.index", (("contact", "missed"), *area_arg)
                ),
            ),
            (_("Past the 13-week minimum without an evaluation"), r.without_evaluation),
        ],
        _("Today. An evaluation is a contact marked as the 13-week evaluation."),
    )
    h = d.handovers

    # The handovers list filters by direction, status, area and the day sent, not by the
    # maatje's organisation: with an organisation chosen the counts stay plain.
    def handover_list(count: int, **filters) -> int | Linked:
        if d.scope.organisation_id is not None:
            return count
        filters.update(sent_from=d.scope.start.isoformat(), sent_to=d.scope.end.isoformat())
        if d.scope.area_id is not None and "area" not in filters:
            filters["area"] = str(d.scope.area_id)
        return Linked(count, "handovers.index", tuple(filters.items()))

    handover_counts = Table(
        "handovers",
        _("Handovers"),
        [_("Direction")]
        + [label("handover_status", s) for s in stats.HANDOVER_STATUSES]
        + [_("Total")],
        [
            (
                label("handover_direction", direction),
                *(
                    handover_list(h.counts[(direction, status)], direction=direction, status=status)
                    for status in stats.HANDOVER_STATUSES
                ),
                handover_list(
                    sum(h.counts[(direction, status)] for status in stats.HANDOVER_STATUSES),
                    direction=direction,
                ),
            )
            for direction in stats.DIRECTIONS
        ],
        _("Handovers started in the period, by their status now."),
    )
    handover_times = Table(
        "handover_times",
        _("Handover times"),
        [_("Step"), _("Median (days)"), _("90th percentile (days)")],
        [
            (_("Sent to accepted"), h.accepted_median, h.accepted_p90),
            (_("Sent to first contact"), h.first_contact_median, h.first_contact_p90),
        ],
        _("Handovers started in the period."),
    )
    handover_areas = Table(
        "handovers_by_area",
        _("Handovers per area"),
        [
            _("Area"),
            _("Handovers"),
            _("Waited more than %(n)d working days", n=WAITING_WORKING_DAYS),
        ],
        [
            (a.name, handover_list(a.handovers, area=str(a.area_id)), a.waited_past)
            for a in h.by_area
        ]
        + [(_("Total"), h.total, h.waited_past)],
        _(
            "Waited: accepted or declined after %(n)d working days (Dutch public holidays not "
            "counted), or still not answered after them today.",
            n=WAITING_WORKING_DAYS,
        ),
    )
    o = d.outcomes
    outcomes = Table(
        "outcomes",
        _("Outcomes"),
        [_("Outcome"), _("Matches ended"), _("Before the 13-week minimum")],
        [(label("outcome", row.outcome), row.ended, row.before_minimum) for row in o.ended]
        + [
            (_("Cancelled before the start"), o.cancelled, None),
            (_("Share ended before the minimum (%)"), None, stats.percent(o.share_before_minimum)),
        ],
        _(
            "Matches ended in the period. The share leaves out transfers to another maatje, "
            "which do not end the support."
        ),
    )
    early = Table(
        "early_reasons",
        _("Recent reasons for ending before the minimum"),
        [_("Ended on"), _("Outcome"), _("Reason")],
        [
            (
                e.ended_on,
                label("outcome", e.outcome),
                Linked(e.reason, "matches.detail", (("match_id", e.match_id),)),
            )
            for e in o.early_reasons
        ],
    )
    s = o.stress
    stress = Table(
        "stress",
        _("Stress score"),
        [_("Figure"), _("Value")],
        [
            (_("Ended matches with two or more scores"), s.matches),
            (_("Less stress at the last contact"), s.lower),
            (_("The same"), s.same),
            (_("More stress"), s.higher),
            (
                _("Mean score at the first contact"),
                None if s.mean_first is None else round(s.mean_first, 1),
            ),
            (
                _("Mean score at the last contact"),
                None if s.mean_last is None else round(s.mean_last, 1),
            ),
        ],
        _("Matches whose support ended in the period: first and last scored contact (1 to 10)."),
    )
    distribution = Table(
        "stress_distribution",
        _("Stress score: first and last contact"),
        [_("First score"), _("Last score"), _("Matches")],
        [tuple(row) for row in s.distribution],
    )
    debts = Table(
        "debt_handovers",
        _("Residents handed over to the buurtteam"),
        [_("Figure"), _("Residents")],
        [
            (_("Handed over to the buurtteam"), o.to_buurtteam),
            (_("Of whom with debts among their needs"), o.to_buurtteam_for_debts),
        ],
        _("Handovers started in the period."),
    )
    t = d.training
    completions_table = Table(
        "training_completions",
        _("Training completions"),
        [_("Training"), _("Completed")],
        [(name, n) for _id, name, n in t.completions],
        _("Completed attendances in sessions held in the period."),
    )
    papers = Table(
        "training_due",
        _("Refreshers and VOGs"),
        [_("Figure"), _("Volunteers")],
        [
            *((_("Refresher due: %(name)s", name=name), n) for _id, name, n in t.refreshers),
            (_("Due for at least one refresher"), t.refresher_volunteers),
            (_("VOG expired"), t.vog_expired),
            (_("VOG expires within 30 days"), t.vog_expiring),
            (_("No VOG recorded"), t.vog_missing),
        ],
        _(
            "Today, active volunteers. A VOG counts for %(days)d days from its date; a "
            "refresher is due the set number of months after the last completion.",
            days=t.vog_valid_days,
        ),
    )
    return [
        stages,
        free,
        waiting_language,
        waiting_area,
        longest,
        to_match,
        rhythm_weeks,
        rhythm_organisations,
        rhythm_now,
        handover_counts,
        handover_times,
        handover_areas,
        outcomes,
        early,
        stress,
        distribution,
        debts,
        completions_table,
        papers,
    ]
