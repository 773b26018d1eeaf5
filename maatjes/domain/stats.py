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
from sqlalchemy.orm import Session

from maatjes.domain.periods import Scope
from maatjes.domain.sql import days_between
from maatjes.models import Area, Contact, Match, Organisation, Resident, Volunteer
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


def _week_bounds(scope: Scope, today: date) -> tuple[int, int] | None:
    first = index_of(scope.start)
    last = min(index_of(scope.end), index_of(today))
    return (first, last) if first <= last else None


def _week_series(first: int, last: int):
    """A recursive CTE with one row (``w``) per week index from ``first`` to ``last``."""
    series = select(literal(first).label("w")).cte("week_series", recursive=True)
    return series.union_all(select(series.c.w + 1).where(series.c.w < last))


def _contact_weeks(scope: Scope, first: int, last: int):
    """(match_id, w): the weeks with at least one contact, within the weeks asked about (and,
    with a filter, of the filter's matches only: grouping the contacts is the costly part)."""
    w = week_index(Contact.contact_on)
    query = select(Contact.match_id.label("match_id"), w.label("w")).where(
        Contact.contact_on >= monday_of(first), Contact.contact_on < monday_of(last + 1)
    )
    if scope.area_id is not None or scope.organisation_id is not None:
        query = query.where(
            Contact.match_id.in_(scoped_matches(Match.id).where(*match_scope(scope)))
        )
    return query.group_by(Contact.match_id, w).subquery("contact_weeks")


def _rhythm_cube(scope: Scope, today: date, first: int, last: int):
    """The weeks series and a CTE of match-weeks counted per (week, area, organisation).

    A match-week is one of the rows ``weeks.match_weeks`` lists: from the week of the start
    (once the start is not after ``today``) through the week of the end (or of ``today``); it
    is *done* when the match has a contact in that week. The cube has at most weeks × areas ×
    organisations rows, whatever the number of matches, so every roll-up of it is cheap."""
    series = _week_series(first, last)
    done = _contact_weeks(scope, first, last)
    cube = (
        scoped_matches(
            series.c.w.label("w"),
            Resident.area_id.label("area_id"),
            Volunteer.organisation_id.label("organisation_id"),
            # The running week counts once it has a contact (the strip's "done"); without one
            # it is not missed yet (the strip's "due"), so it is not counted against the share:
            # a report run on a Tuesday would otherwise look worse than the programme is.
            func.count(
                case((or_(series.c.w < index_of(today), done.c.match_id.is_not(None)), 1))
            ).label("due"),
            func.count(done.c.match_id).label("with_contact"),
        )
        .join(
            series,
            and_(
                week_index(Match.started_on) <= series.c.w,
                or_(Match.ended_on.is_(None), week_index(Match.ended_on) >= series.c.w),
            ),
        )
        .outerjoin(done, and_(done.c.match_id == Match.id, done.c.w == series.c.w))
        .where(
            Match.started_on <= today,
            # Only matches that can overlap the weeks asked about (lets an index help).
            Match.started_on < monday_of(last + 1),
            or_(Match.ended_on.is_(None), Match.ended_on >= monday_of(first)),
            *match_scope(scope),
        )
        .group_by(series.c.w, Resident.area_id, Volunteer.organisation_id)
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


def _weeks_part(series, cube) -> Select:
    return (
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


def _owners_part(by: str, cube) -> Select:
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
    return (
        select(
            literal(by).label("kind"),
            owners.c.id,
            owners.c.name,
            func.coalesce(func.sum(cube.c.due), 0).label("due"),
            func.coalesce(func.sum(cube.c.with_contact), 0).label("with_contact"),
        )
        .select_from(owners)
        .outerjoin(cube, key == owners.c.id)
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
    are counted once (the costly part: every contact of the period is grouped by match and
    week) into a small cube, and the three roll-ups are read from it."""
    bounds = _week_bounds(scope, today)
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


# A scored contact as one integer that sorts as its match's order (day, then id) and carries
# its score in the last two digits: days since EPOCH · DAY_SPAN + id · SCORE_SPAN + score.
# min() / max() of it per match give the first and the last score in one hash-aggregated pass,
# where window functions sort every scored contact of the period (measured at the large size on
# PostgreSQL: ~200 ms for row_number() over 180,000 contacts). Ids stay below 10^10, scores
# below 100 (they are 1-10); the largest key (~5·10^16) is far inside 64-bit integers.
SCORE_SPAN = 100
DAY_SPAN = 10**10 * SCORE_SPAN


def _scored_contact_key():
    days = cast(days_between(Contact.contact_on, literal(EPOCH, Date)), BigInteger)
    return (
        days * literal(DAY_SPAN, BigInteger)
        + cast(Contact.id, BigInteger) * SCORE_SPAN
        + Contact.stress_score
    )


def _first_and_last_scores(scope: Scope):
    """(first, last): per match whose support ended in the period and that has at least two
    contacts with a stress score, the score at the first and at the last of them (by contact
    date, then id)."""
    key = _scored_contact_key()
    return (
        scoped_matches(
            (func.min(key) % SCORE_SPAN).label("first"),
            (func.max(key) % SCORE_SPAN).label("last"),
        )
        .join(Contact, Contact.match_id == Match.id)
        .where(Contact.stress_score.is_not(None), support_ended_clause(scope), *match_scope(scope))
        .group_by(Contact.match_id)
        .having(func.count() >= 2)
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
