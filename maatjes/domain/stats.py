"""SQL building blocks the funder report and the lead's dashboard share.

Every function here answers with a fixed number of statements, whatever the number of weeks,
matches or contacts: weeks are generated in SQL (a recursive CTE), contacts are grouped by
(match, week) in SQL, percentiles are taken with window functions, the first and last stress
score with one grouped pass. SQLite and PostgreSQL give the same results (integer arithmetic
where it matters; percentiles as PostgreSQL's ``percentile_cont``, linear interpolation between
the two nearest ranks).

Filters follow ``periods.Scope``: the area is the resident's, the organisation the volunteer's.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Float,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from maatjes.domain.clock import on_local_days
from maatjes.domain.handovers import TRANSITIONS_STATUSES
from maatjes.domain.periods import Scope
from maatjes.domain.sql import days_between
from maatjes.models import (
    TO_BUURTTEAM,
    TO_MAATJES,
    Area,
    Contact,
    ContactWeek,
    Handover,
    Match,
    Organisation,
    Resident,
    Volunteer,
)
from maatjes.models.match import OUTCOMES, TRANSFERRED

# Week 0 starts on this Monday. Far enough back that no record (none is older than 2000) gets a
# negative number, where integer division would round toward zero instead of down.
EPOCH = date(1900, 1, 1)
assert EPOCH.weekday() == 0

# The outcome that is no end of support: the resident goes on with another maatje.
NOT_AN_END = (TRANSFERRED,) if TRANSFERRED in OUTCOMES else ()


def week_index(day) -> ColumnElement[int]:
    """The number of the Monday-to-Sunday week that holds the date expression ``day``, counted
    from ``EPOCH``. Dates here are Amsterdam calendar dates already (``contact_on``,
    ``started_on``), so the week is the same one ``weeks.week_start`` gives."""
    return days_between(day, literal(EPOCH, Date)) // 7


def monday_of(index: int) -> date:
    """The Monday of week ``index`` (the inverse of ``week_index``)."""
    return EPOCH + timedelta(days=7 * index)


def index_of(day: date) -> int:
    """``week_index`` in Python, for the bounds of a period."""
    return (day - EPOCH).days // 7


def match_scope(scope: Scope) -> list[ColumnElement[bool]]:
    """Conditions on a query that has joined ``Resident`` and ``Volunteer`` to ``Match``."""
    conditions: list[ColumnElement[bool]] = []
    if scope.area_id is not None:
        conditions.append(Resident.area_id == scope.area_id)
    if scope.organisation_id is not None:
        conditions.append(Volunteer.organisation_id == scope.organisation_id)
    return conditions


def scoped_matches(*columns) -> Select:
    """``select(*columns)`` from matches joined to their resident and volunteer, so that
    ``match_scope`` and group-by columns on either can be used."""
    return (
        select(*columns)
        .select_from(Match)
        .join(Resident, Resident.id == Match.resident_id)
        .join(Volunteer, Volunteer.id == Match.volunteer_id)
    )


def cancelled_clause() -> ColumnElement[bool]:
    """A match ended on its own start date (``matching.end_match`` ends a match whose intake
    meeting is still ahead on its start date): the intake did not lead to support. A transfer
    is not a cancellation."""
    return and_(
        Match.ended_on.is_not(None),
        Match.ended_on == Match.started_on,
        _not_transferred(),
    )


def _not_transferred() -> ColumnElement[bool]:
    if not NOT_AN_END:
        return true()
    return or_(Match.outcome.is_(None), Match.outcome.not_in(NOT_AN_END))


def support_ended_clause(scope: Scope) -> ColumnElement[bool]:
    """A match whose support ended in the period: ended in it, not transferred to another
    maatje, and not cancelled before it started (those are counted apart)."""
    return and_(
        Match.ended_on >= scope.start,
        Match.ended_on <= scope.end,
        Match.ended_on > Match.started_on,
        _not_transferred(),
    )


def created_in(column, scope: Scope) -> ColumnElement[bool]:
    """A UTC timestamp on an Amsterdam calendar day of the period (index-friendly bounds)."""
    return on_local_days(column, scope.start, scope.end)


def percent(share: float | None) -> float | None:
    """A share (0-1) as a percentage with one decimal, as the tables show it."""
    return None if share is None else round(100 * share, 1)


# ---------------------------------------------------------------------------------------------
# Handovers

DIRECTIONS = (TO_BUURTTEAM, TO_MAATJES)
HANDOVER_STATUSES = TRANSITIONS_STATUSES


def handover_scope(scope: Scope) -> list[ColumnElement[bool]]:
    """Handovers created in the period, of the area, and (organisation) sent or received by a
    volunteer of the organisation: one rule for the report and the dashboard."""
    conditions = [created_in(Handover.created_at, scope)]
    if scope.area_id is not None:
        conditions.append(Handover.area_id == scope.area_id)
    if scope.organisation_id is not None:
        # Aliased: the report's split by organisation joins ``Volunteer`` itself.
        member = aliased(Volunteer)
        conditions.append(
            select(member.id)
            .where(
                member.organisation_id == scope.organisation_id,
                member.user_id.in_((Handover.sender_id, Handover.receiver_id)),
            )
            .exists()
        )
    return conditions


def handover_grid(session: Session, scope: Scope) -> dict[tuple[str, str], int]:
    """Handovers of the scope by (direction, status now), every cell present: one statement."""
    rows = session.execute(
        select(Handover.direction, Handover.status, func.count())
        .where(*handover_scope(scope))
        .group_by(Handover.direction, Handover.status)
    ).all()
    grid = {(direction, status): 0 for direction in DIRECTIONS for status in HANDOVER_STATUSES}
    for direction, status, count in rows:  # at most directions × statuses rows
        grid[(direction, status)] = count
    return grid


# ---------------------------------------------------------------------------------------------
# The weekly rhythm


@dataclass(frozen=True)
class WeekRhythm:
    monday: date
    due: int  # match-weeks that expected a contact
    with_contact: int  # of those, with at least one contact

    @property
    def share(self) -> float | None:
        return self.with_contact / self.due if self.due else None


def _week_bounds(scope: Scope, today: date, *, by_thursday: bool = False) -> tuple[int, int] | None:
    """The weeks of the period, up to today's week. Every week that touches the period (the
    dashboard), or ``by_thursday``: each week in exactly one period, the one that holds its
    Thursday (most of its days, as ISO weeks belong to years), so that the reports of two
    consecutive quarters add up to the half-year (the report)."""
    first, last = index_of(scope.start), index_of(scope.end)
    if by_thursday:
        if monday_of(first) + timedelta(days=3) < scope.start:
            first += 1
        if monday_of(last) + timedelta(days=3) > scope.end and last < index_of(today):
            last -= 1  # (the running week is shown as long as the period reaches it)
    last = min(last, index_of(today))
    return (first, last) if first <= last else None


def _week_series(first: int, last: int):
    """A recursive CTE with one row (``w``) per week index from ``first`` to ``last``."""
    series = select(literal(first).label("w")).cte("week_series", recursive=True)
    return series.union_all(select(series.c.w + 1).where(series.c.w < last))


def _contact_weeks(first: int, last: int):
    """(match_id, w): the match-weeks with at least one contact among the weeks asked about,
    from the rollup the database keeps (``ContactWeek``): a year is some 120,000 rows of it
    instead of 350,000 contacts to group."""
    return (
        select(ContactWeek.match_id.label("match_id"), ContactWeek.week.label("w"))
        .where(ContactWeek.week >= first, ContactWeek.week <= last)
        .subquery("contact_weeks")
    )


def _rhythm_cube(scope: Scope, today: date, first: int, last: int):
    """The weeks series and a CTE of match-weeks counted per (week, area, organisation).

    A match-week is one of the rows ``weeks.match_weeks`` lists: from the week of the start
    (once the start is not after ``today``) through the week of the end (or of ``today``); it
    is *done* when the match has a contact in that week, and the running week counts only once
    done (it is not missed yet).

    Nothing here grows with matches × weeks. *Due* is a running sum: each match adds one from
    its first week in the period and takes it off the week after it ends, so the matches are
    read once and summed per week. *Done* groups the period's contacts per match and week and
    counts those per week. The cube has at most weeks × areas × organisations rows, whatever
    the number of matches, so every roll-up of it is cheap."""
    series = _week_series(first, last)
    # The matches that can have a week in the period, with their first and last week and their
    # area and organisation: read once, used three times below.
    window = (
        scoped_matches(
            Match.id.label("id"),
            week_index(Match.started_on).label("first_week"),
            week_index(Match.ended_on).label("last_week"),
            Resident.area_id.label("area_id"),
            Volunteer.organisation_id.label("organisation_id"),
        )
        .where(
            Match.started_on <= today,
            Match.started_on < monday_of(last + 1),
            or_(Match.ended_on.is_(None), Match.ended_on >= monday_of(first)),
            ~cancelled_clause(),  # cancelled before its start: no week was ever due
            *match_scope(scope),
        )
        .cte("rhythm_matches")
    )
    owner_columns = (window.c.area_id, window.c.organisation_id)
    starts = select(
        case((window.c.first_week < first, first), else_=window.c.first_week).label("w"),
        *owner_columns,
        literal(1).label("delta"),
    )
    ends = select((window.c.last_week + 1).label("w"), *owner_columns, literal(-1).label("delta"))
    ends = ends.where(window.c.last_week.is_not(None), window.c.last_week + 1 <= last)
    changes = union_all(starts, ends).subquery("changes")
    per_week = (
        select(
            changes.c.w,
            changes.c.area_id,
            changes.c.organisation_id,
            func.sum(changes.c.delta).label("delta"),
        )
        .group_by(changes.c.w, changes.c.area_id, changes.c.organisation_id)
        .cte("rhythm_changes")
    )
    owners = select(per_week.c.area_id, per_week.c.organisation_id).distinct().cte("rhythm_owners")
    grid = (
        select(series.c.w, owners.c.area_id, owners.c.organisation_id)
        .select_from(series)
        .join(owners, true())
        .cte("rhythm_grid")
    )
    due = (
        select(
            grid.c.w,
            grid.c.area_id,
            grid.c.organisation_id,
            func.sum(func.coalesce(per_week.c.delta, 0))
            .over(
                partition_by=(grid.c.area_id, grid.c.organisation_id),
                order_by=grid.c.w,
            )
            .label("due"),
        )
        .select_from(grid)
        .outerjoin(
            per_week,
            and_(
                per_week.c.w == grid.c.w,
                per_week.c.area_id == grid.c.area_id,
                per_week.c.organisation_id == grid.c.organisation_id,
            ),
        )
        .subquery("rhythm_due")
    )
    contacted = _contact_weeks(first, last)
    done = (
        select(contacted.c.w, *owner_columns, func.count().label("with_contact"))
        .select_from(contacted)
        .join(window, window.c.id == contacted.c.match_id)
        .where(
            contacted.c.w >= window.c.first_week,
            or_(window.c.last_week.is_(None), contacted.c.w <= window.c.last_week),
        )
        .group_by(contacted.c.w, window.c.area_id, window.c.organisation_id)
        .subquery("rhythm_done")
    )
    with_contact = func.coalesce(done.c.with_contact, 0)
    cube = (
        select(
            due.c.w,
            due.c.area_id,
            due.c.organisation_id,
            case((due.c.w >= index_of(today), with_contact), else_=due.c.due).label("due"),
            with_contact.label("with_contact"),
        )
        .select_from(due)
        .outerjoin(
            done,
            and_(
                done.c.w == due.c.w,
                done.c.area_id == due.c.area_id,  # both NOT NULL columns
                done.c.organisation_id == due.c.organisation_id,
            ),
        )
        .cte("rhythm_cube")
    )
    return series, cube


def _owners(by: str):
    """(id, name) of every area, or of every organisation that has a volunteer."""
    if by == "area":
        return select(Area.id.label("id"), Area.name.label("name")).subquery("owners_area")
    if by == "organisation":
        return (
            select(Organisation.id.label("id"), Organisation.name.label("name"))
            .where(Organisation.id.in_(select(Volunteer.organisation_id)))
            .subquery("owners_organisation")
        )
    raise ValueError(f"rhythm_by: unknown grouping {by!r}")


def _weeks_part(series, cube, bounds: tuple[int, int] | None = None) -> Select:
    """One row per week of ``series`` (only those within ``bounds`` when given)."""
    query = (
        select(
            literal("week").label("kind"),
            series.c.w.label("id"),
            literal(None).label("name"),
            func.coalesce(func.sum(cube.c.due), 0).label("due"),
            func.coalesce(func.sum(cube.c.with_contact), 0).label("with_contact"),
        )
        .select_from(series)
        .outerjoin(cube, cube.c.w == series.c.w)
        .group_by(series.c.w)
    )
    if bounds is not None:
        query = query.where(series.c.w >= bounds[0], series.c.w <= bounds[1])
    return query


def _owners_part(by: str, cube, bounds: tuple[int, int] | None = None) -> Select:
    """One row per area or organisation, summed over the cube's weeks (within ``bounds`` when
    given; an owner with nothing due there has zeros)."""
    owners = _owners(by)
    if cube is None:  # no week is due yet: every owner with zeros
        return select(
            literal(by).label("kind"),
            owners.c.id,
            owners.c.name,
            literal(0).label("due"),
            literal(0).label("with_contact"),
        )
    key = cube.c.area_id if by == "area" else cube.c.organisation_id
    joined = key == owners.c.id
    if bounds is not None:
        joined = and_(joined, cube.c.w >= bounds[0], cube.c.w <= bounds[1])
    return (
        select(
            literal(by).label("kind"),
            owners.c.id,
            owners.c.name,
            func.coalesce(func.sum(cube.c.due), 0).label("due"),
            func.coalesce(func.sum(cube.c.with_contact), 0).label("with_contact"),
        )
        .select_from(owners)
        .outerjoin(cube, joined)
        .group_by(owners.c.id, owners.c.name)
    )


def _owner_rows(rows) -> list[tuple[int, str, int, int]]:
    ordered = sorted(rows, key=lambda row: (row.name, row.id))  # areas / organisations only
    return [(row.id, row.name, int(row.due), int(row.with_contact)) for row in ordered]


def weekly_rhythm(session: Session, scope: Scope, today: date) -> list[WeekRhythm]:
    """Per week overlapping the period (up to ``today``'s week): match-weeks due and with a
    contact. One statement; weeks without any match are listed with zeros."""
    bounds = _week_bounds(scope, today)
    if bounds is None:
        return []
    series, cube = _rhythm_cube(scope, today, *bounds)
    rows = session.execute(_weeks_part(series, cube).order_by(series.c.w)).all()
    return [WeekRhythm(monday_of(row.id), int(row.due), int(row.with_contact)) for row in rows]


def rhythm_by(
    session: Session, scope: Scope, today: date, by: Literal["organisation", "area"]
) -> list[tuple[int, str, int, int]]:
    """(id, name, due, with_contact) over the whole period, per organisation (of the
    volunteer) or per area (of the resident), by name. Every area is listed, and every
    organisation that has a volunteer, with zeros where nothing was due. One statement."""
    _owners(by)  # refuses an unknown grouping before anything runs
    bounds = _week_bounds(scope, today)
    cube = _rhythm_cube(scope, today, *bounds)[1] if bounds else None
    return _owner_rows(session.execute(_owners_part(by, cube)).all())


@dataclass(frozen=True)
class RhythmSplit:
    weeks: list[WeekRhythm]
    by_area: list[tuple[int, str, int, int]]  # as rhythm_by
    by_organisation: list[tuple[int, str, int, int]]


def rhythm_split(session: Session, scope: Scope, today: date) -> RhythmSplit:
    """``weekly_rhythm`` and ``rhythm_by`` for both groupings in ONE statement: the match-weeks
    are counted once into a small cube, and the three roll-ups are read from it. Weeks are
    given to the period that holds their Thursday (the report: consecutive periods add up)."""
    bounds = _week_bounds(scope, today, by_thursday=True)
    if bounds is None:
        rows = session.execute(
            union_all(_owners_part("area", None), _owners_part("organisation", None))
        ).all()
        weeks_rows = []
    else:
        series, cube = _rhythm_cube(scope, today, *bounds)
        rows = session.execute(
            union_all(
                _weeks_part(series, cube),
                _owners_part("area", cube),
                _owners_part("organisation", cube),
            )
        ).all()
        weeks_rows = sorted((row for row in rows if row.kind == "week"), key=lambda r: r.id)
    return RhythmSplit(
        weeks=[WeekRhythm(monday_of(r.id), int(r.due), int(r.with_contact)) for r in weeks_rows],
        by_area=_owner_rows(row for row in rows if row.kind == "area"),
        by_organisation=_owner_rows(row for row in rows if row.kind == "organisation"),
    )


def chart_and_owners(
    session: Session, chart: Scope, period: Scope, today: date, by: Literal["organisation", "area"]
) -> tuple[list[WeekRhythm], list[tuple[int, str, int, int]]]:
    """``weekly_rhythm(chart)`` and ``rhythm_by(period, by)`` in ONE statement, for two scopes
    with the same area and organisation (the dashboard: a chart of the last 26 weeks, and the
    chosen period per organisation): one cube over the weeks of both, rolled up twice."""
    if (chart.area_id, chart.organisation_id) != (period.area_id, period.organisation_id):
        raise ValueError("the chart and the period share their area and organisation")
    _owners(by)
    chart_bounds, period_bounds = _week_bounds(chart, today), _week_bounds(period, today)
    if chart_bounds is None or period_bounds is None:
        return weekly_rhythm(session, chart, today), rhythm_by(session, period, today, by)
    first = min(chart_bounds[0], period_bounds[0])
    last = max(chart_bounds[1], period_bounds[1])
    series, cube = _rhythm_cube(period, today, first, last)
    rows = session.execute(
        union_all(_weeks_part(series, cube, chart_bounds), _owners_part(by, cube, period_bounds))
    ).all()
    weekly = sorted((row for row in rows if row.kind == "week"), key=lambda row: row.id)
    return (
        [WeekRhythm(monday_of(r.id), int(r.due), int(r.with_contact)) for r in weekly],
        _owner_rows(row for row in rows if row.kind == by),
    )


# ---------------------------------------------------------------------------------------------
# Percentiles


def _percentile(ranked, numerator: int, denominator: int):
    """``percentile_cont(numerator / denominator)`` over ``ranked`` (columns v, rn, n): the
    value at 1-based position 1 + p·(n − 1), interpolated linearly between its two neighbours.
    The position is split into a whole rank and a fraction with integer arithmetic, so both
    databases pick the same rows."""
    scaled = numerator * (ranked.c.n - 1)  # p·(n−1)·denominator, an integer
    low = scaled // denominator + 1
    fraction = cast(scaled % denominator, Float) / denominator
    value = cast(ranked.c.v, Float)
    return func.sum(
        case(
            (ranked.c.rn == low, value * (1 - fraction)),
            (ranked.c.rn == low + 1, value * fraction),
            else_=None,
        )
    )


def median_and_p90(session: Session, values: Select) -> tuple[float | None, float | None]:
    """The median and the 90th percentile of the one numeric column ``values`` selects (NULLs
    left out), as PostgreSQL's ``percentile_cont`` computes them; (None, None) for no rows.
    One statement: rows are numbered in order by a window function, and the one or two rows at
    each percentile's position are summed with their weights."""
    source = values.subquery("percentile_values")
    column = next(iter(source.c))
    ranked = (
        select(
            column.label("v"),
            func.row_number().over(order_by=column).label("rn"),
            func.count().over().label("n"),
        )
        .where(column.is_not(None))
        .subquery("ranked")
    )
    median, p90 = session.execute(
        select(_percentile(ranked, 1, 2), _percentile(ranked, 9, 10))
    ).one()
    return (
        None if median is None else float(median),
        None if p90 is None else float(p90),
    )


# ---------------------------------------------------------------------------------------------
# Stress


@dataclass(frozen=True)
class StressChange:
    matches: int  # ended in the period with at least two contacts with a stress score
    lower: int  # last score lower than the first (less stress)
    same: int
    higher: int
    mean_first: float | None
    mean_last: float | None
    # (first score, last score, matches), ordered by first then last score, for the chart.
    distribution: list[tuple[int, int, int]]

    @property
    def share_lower(self) -> float | None:
        return self.lower / self.matches if self.matches else None


# A scored contact as one integer: its id times SCORE_SPAN plus its score (1-10), so that one
# index probe gives both which contact it is and its score.
SCORE_SPAN = 100


def _scored(match_id, *, last: bool):
    """The first or last contact with a stress score of the match (by day, then id), as
    ``id · SCORE_SPAN + score``: one probe of the partial index ``ix_contacts_scored`` per
    match, whatever the number of its contacts (a year's report reads the ended matches, some
    thousands, instead of grouping some 300,000 contacts)."""
    if last:
        order = (Contact.contact_on.desc(), Contact.id.desc())
    else:
        order = (Contact.contact_on, Contact.id)
    return (
        select(cast(Contact.id, BigInteger) * SCORE_SPAN + Contact.stress_score)
        .where(Contact.match_id == match_id, Contact.stress_score.is_not(None))
        .order_by(*order)
        .limit(1)
        .scalar_subquery()
    )


def _first_and_last_scores(scope: Scope):
    """(first, last): per match whose support ended in the period and that has at least two
    contacts with a stress score, the score at the first and at the last of them (by contact
    date, then id)."""
    probes = (
        scoped_matches(
            _scored(Match.id, last=False).label("first_key"),
            _scored(Match.id, last=True).label("last_key"),
        )
        .where(support_ended_clause(scope), *match_scope(scope))
        .cte("scored")
        # Each probe once per match (an inlined subquery would probe again per use).
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    # Two scored contacts at least: the first and the last are different contacts.
    return (
        select(
            (probes.c.first_key % SCORE_SPAN).label("first"),
            (probes.c.last_key % SCORE_SPAN).label("last"),
        )
        .where(
            probes.c.first_key.is_not(None),
            probes.c.first_key // SCORE_SPAN != probes.c.last_key // SCORE_SPAN,
        )
        .subquery("first_last")
    )


def stress_change(session: Session, scope: Scope) -> StressChange:
    """Stress at the first vs the last scored contact of the matches whose support ended in the
    period (transfers and cancellations left out: see ``support_ended_clause``). One
    statement: the distribution (at most 10 × 10 rows), each row carrying the totals as window
    sums over the distribution."""
    pairs = _first_and_last_scores(scope)
    dist = (
        select(pairs.c.first, pairs.c.last, func.count().label("n"))
        .group_by(pairs.c.first, pairs.c.last)
        .subquery("distribution")
    )

    def total(value):
        return func.sum(value).over()

    def where(condition):
        return total(case((condition, dist.c.n), else_=0))

    rows = session.execute(
        select(
            dist.c.first,
            dist.c.last,
            dist.c.n,
            total(dist.c.n),
            where(dist.c.last < dist.c.first),
            where(dist.c.last == dist.c.first),
            where(dist.c.last > dist.c.first),
            total(dist.c.first * dist.c.n),
            total(dist.c.last * dist.c.n),
        ).order_by(dist.c.first, dist.c.last)
    ).all()
    if not rows:
        return StressChange(0, 0, 0, 0, None, None, [])
    matches, lower, same, higher, sum_first, sum_last = (int(v) for v in rows[0][3:])
    return StressChange(
        matches=matches,
        lower=lower,
        same=same,
        higher=higher,
        mean_first=sum_first / matches,
        mean_last=sum_last / matches,
        distribution=[(int(row[0]), int(row[1]), int(row[2])) for row in rows],
    )


__all__ = [
    "EPOCH",
    "StressChange",
    "WeekRhythm",
    "cancelled_clause",
    "match_scope",
    "median_and_p90",
    "rhythm_by",
    "rhythm_split",
    "RhythmSplit",
    "scoped_matches",
    "stress_change",
    "support_ended_clause",
    "week_index",
    "weekly_rhythm",
]
