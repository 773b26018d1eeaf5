"""The funder report: every figure for one period (and optionally one area and organisation).

``report()`` computes the figures, ``tables()`` labels them; the printable page, the XLSX and the
CSV all call both, so they cannot count differently. Each part is one or two aggregate
statements: 13 in all, whatever the size of the programme or the length of the period.

Definitions (they follow the data model: the resident form is the intake registration, and a
match's ``started_on`` is the intake meeting with the maatje):

- *Registered*: residents / volunteers created in the period (Amsterdam calendar days).
- *Matched*: matches created in the period; distinct residents and volunteers.
- *Started*: matches whose intake meeting (``started_on``) lies in the period and not after
  today.
- *Ended*: matches whose support ended in the period: ended in it, not "transferred" (the
  resident goes on with another maatje; that is no end of support).
- *Cancelled*: a match ended on its own start date (``matching.end_match`` ends a match whose
  intake meeting is still ahead that way): the intake did not lead to support. Counted apart,
  by its end date, and left out of started, ended, supported, active, outcomes, duration and
  stress (a transfer on the start date is a transfer, not a cancellation).
- *Supported* residents / *active* volunteers: with a match that had started by the end of the
  period (and by today) and had not ended before its start (cancellations left out); a period
  that starts after today has none yet.
- *Trained*: volunteers who completed the Money Maatje training in a session held in the
  period.

Filters: the area is the resident's (handovers: the handover's area; volunteers registered or
trained: volunteers who work in the area, or who supported a resident of it); the organisation
is the volunteer's (residents registered: those supported, at any time, by a volunteer of the
organisation; handovers: the sender or the receiving user is a volunteer of the organisation).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    distinct,
    false,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from maatjes.domain import stats, weeks
from maatjes.domain.periods import Scope
from maatjes.domain.sql import days_between, without_jit
from maatjes.domain.tables import Table
from maatjes.domain.training import MONEY_MAATJE
from maatjes.formatting import label
from maatjes.models import (
    OUTCOMES,
    Contact,
    Handover,
    Match,
    Resident,
    Training,
    TrainingAttendance,
    TrainingSession,
    Volunteer,
)
from maatjes.models.volunteer import volunteer_areas


@dataclass(frozen=True)
class Step:
    """One step of the funnel: distinct residents, distinct volunteers, and matches."""

    residents: int
    volunteers: int
    matches: int | None = None  # None for registration (not a match)


@dataclass(frozen=True)
class Funnel:
    registered: Step
    matched: Step
    started: Step
    ended: Step
    cancelled: Step  # apart: not part of the flow above


@dataclass(frozen=True)
class OutcomeRow:
    outcome: str
    ended: int
    before_minimum: int  # of those, ended before the 13-week minimum


@dataclass(frozen=True)
class SplitRow:
    """One area's or organisation's share of the period."""

    id: int
    name: str
    residents_supported: int = 0
    matches_started: int = 0
    contacts: int = 0
    minutes: int = 0
    weeks_due: int = 0
    weeks_with_contact: int = 0
    handovers: int = 0

    @property
    def hours(self) -> float:
        return hours(self.minutes)

    @property
    def share(self) -> float | None:
        return self.weeks_with_contact / self.weeks_due if self.weeks_due else None


@dataclass
class Report:
    scope: Scope
    today: date
    funnel: Funnel
    volunteers_recruited: int
    volunteers_trained: int
    volunteers_active: int
    residents_supported: int
    contacts: int
    contact_minutes: int
    duration_median: float | None  # days, matches whose support ended in the period
    duration_p90: float | None
    rhythm: list[stats.WeekRhythm]
    # (direction, status) -> handovers created in the period
    handovers: dict[tuple[str, str], int]
    outcomes: list[OutcomeRow]  # every outcome, in OUTCOMES order, zeros included
    stress: stats.StressChange
    by_area: list[SplitRow] = field(default_factory=list)
    by_organisation: list[SplitRow] = field(default_factory=list)

    @property
    def contact_hours(self) -> float:
        return hours(self.contact_minutes)

    @property
    def weeks_due(self) -> int:
        return sum(week.due for week in self.rhythm)

    @property
    def weeks_with_contact(self) -> int:
        return sum(week.with_contact for week in self.rhythm)

    @property
    def rhythm_share(self) -> float | None:
        return self.weeks_with_contact / self.weeks_due if self.weeks_due else None

    @property
    def handovers_total(self) -> int:
        return sum(self.handovers.values())

    @property
    def ended_before_minimum(self) -> int:
        return sum(row.before_minimum for row in self.outcomes if row.outcome in _ENDINGS)


_ENDINGS = tuple(outcome for outcome in OUTCOMES if outcome not in stats.NOT_AN_END)


def hours(minutes: int) -> float:
    """Minutes as hours, one decimal."""
    return round(minutes / 60, 1)


# --- match sets --------------------------------------------------------------------------


def _started(scope: Scope, today: date) -> ColumnElement[bool]:
    return and_(
        Match.started_on >= scope.start,
        Match.started_on <= min(scope.end, today),
        ~stats.cancelled_clause(),
    )


def _supported(scope: Scope, today: date) -> ColumnElement[bool]:
    """A match that ran in the period up to today: started by the period's end (and by
    today), not ended before its start, not cancelled. Nothing has run yet in a period that
    starts after today (active matches are not counted ahead)."""
    if scope.start > today:
        return false()
    return and_(
        Match.started_on <= min(scope.end, today),
        or_(Match.ended_on.is_(None), Match.ended_on >= scope.start),
        ~stats.cancelled_clause(),
    )


def _cancelled(scope: Scope) -> ColumnElement[bool]:
    return and_(
        stats.cancelled_clause(), Match.ended_on >= scope.start, Match.ended_on <= scope.end
    )


def _distinct_where(condition, column):
    return func.count(distinct(case((condition, column))))


# --- the figures --------------------------------------------------------------------------


def _residents_registered(session: Session, scope: Scope) -> int:
    query = select(func.count(Resident.id)).where(stats.created_in(Resident.created_at, scope))
    if scope.area_id is not None:
        query = query.where(Resident.area_id == scope.area_id)
    if scope.organisation_id is not None:
        query = query.where(
            Resident.id.in_(
                select(Match.resident_id)
                .join(Volunteer, Volunteer.id == Match.volunteer_id)
                .where(Volunteer.organisation_id == scope.organisation_id)
            )
        )
    return session.scalar(query) or 0


def _volunteer_scope(scope: Scope) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if scope.organisation_id is not None:
        conditions.append(Volunteer.organisation_id == scope.organisation_id)
    if scope.area_id is not None:
        conditions.append(
            or_(
                Volunteer.id.in_(
                    select(volunteer_areas.c.volunteer_id).where(
                        volunteer_areas.c.area_id == scope.area_id
                    )
                ),
                Volunteer.id.in_(
                    select(Match.volunteer_id)
                    .join(Resident, Resident.id == Match.resident_id)
                    .where(Resident.area_id == scope.area_id)
                ),
            )
        )
    return conditions


def _volunteers_recruited_and_trained(session: Session, scope: Scope) -> tuple[int, int]:
    """One statement: volunteers created in the period, and volunteers who completed the
    Money Maatje training in a session held in the period."""
    trained = (
        select(TrainingAttendance.volunteer_id)
        .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
        .join(Training, Training.id == TrainingSession.training_id)
        .where(
            TrainingAttendance.completed.is_(True),
            Training.kind == MONEY_MAATJE,
            TrainingSession.held_on >= scope.start,
            TrainingSession.held_on <= scope.end,
        )
    )
    recruited_now = stats.created_in(Volunteer.created_at, scope)
    trained_now = Volunteer.id.in_(trained)
    row = session.execute(
        select(
            func.count().filter(recruited_now),
            func.count().filter(trained_now),
        ).where(or_(recruited_now, trained_now), *_volunteer_scope(scope))
    ).one()
    return row[0], row[1]


def _matches(session: Session, scope: Scope, today: date) -> tuple[list[Step], int, int]:
    """One statement over the scope's matches: the funnel's steps matched, started, ended
    and cancelled, volunteers active and residents supported."""
    created = stats.created_in(Match.created_at, scope)
    started = _started(scope, today)
    ended = stats.support_ended_clause(scope)
    cancelled = _cancelled(scope)
    supported = _supported(scope, today)
    columns = []
    for condition in (created, started, ended, cancelled):
        columns += [
            _distinct_where(condition, Match.resident_id),
            _distinct_where(condition, Match.volunteer_id),
            func.count().filter(condition),
        ]
    columns += [
        _distinct_where(supported, Match.volunteer_id),
        _distinct_where(supported, Match.resident_id),
    ]
    row = session.execute(stats.scoped_matches(*columns).where(*stats.match_scope(scope))).one()
    steps = [Step(*row[i : i + 3]) for i in range(0, 12, 3)]
    return steps, row[12], row[13]


@dataclass(frozen=True)
class _Contacts:
    count: int
    minutes: int
    by_area: dict[int, tuple[int, int]]  # area id -> (contacts, minutes)
    by_organisation: dict[int, tuple[int, int]]


def _contacts(session: Session, scope: Scope) -> _Contacts:
    """Contacts in the period and their minutes: in total, per area and per organisation, in
    ONE statement: the contacts are read once into a cube per (area, organisation), which the
    three roll-ups sum."""
    # Per match first (a narrow hash aggregate over the period's contacts), then per (area,
    # organisation): joining the few thousand match rows is cheaper than every contact row.
    in_period = [Contact.contact_on >= scope.start, Contact.contact_on <= scope.end]
    if scope.area_id is not None or scope.organisation_id is not None:
        matches = stats.scoped_matches(Match.id).where(*stats.match_scope(scope))
        in_period.append(Contact.match_id.in_(matches))
    per_match = (
        select(
            Contact.match_id.label("match_id"),
            func.count().label("n"),
            func.sum(Contact.duration_minutes).label("minutes"),
        )
        .where(*in_period)
        .group_by(Contact.match_id)
        .subquery("contacts_per_match")
    )
    cube = (
        stats.scoped_matches(
            Resident.area_id.label("area_id"),
            Volunteer.organisation_id.label("organisation_id"),
            func.sum(per_match.c.n).label("n"),
            func.coalesce(func.sum(per_match.c.minutes), 0).label("minutes"),
        )
        .join(per_match, per_match.c.match_id == Match.id)
        .where(*stats.match_scope(scope))
        .group_by(Resident.area_id, Volunteer.organisation_id)
        .cte("contact_cube")
    )

    def part(kind: str, key):
        query = select(
            literal(kind).label("kind"),
            key.label("id"),
            func.coalesce(func.sum(cube.c.n), 0).label("n"),
            func.coalesce(func.sum(cube.c.minutes), 0).label("minutes"),
        )
        return query.group_by(key) if kind != "total" else query

    rows = session.execute(
        union_all(
            part("total", null()),
            part("area", cube.c.area_id),
            part("organisation", cube.c.organisation_id),
        )
    ).all()
    by_kind: dict[str, dict] = {"total": {}, "area": {}, "organisation": {}}
    for row in rows:  # 1 + areas + organisations rows, not one per contact
        by_kind[row.kind][row.id] = (int(row.n), int(row.minutes))
    count, minutes = by_kind["total"].get(None, (0, 0))
    return _Contacts(count, minutes, by_kind["area"], by_kind["organisation"])


def _durations(session: Session, scope: Scope) -> tuple[float | None, float | None]:
    values = stats.scoped_matches(days_between(Match.ended_on, Match.started_on)).where(
        stats.support_ended_clause(scope), *stats.match_scope(scope)
    )
    return stats.median_and_p90(session, values)


def _outcomes(session: Session, scope: Scope) -> list[OutcomeRow]:
    """Matches ended in the period (cancellations apart) by outcome, with how many ended
    before the 13-week minimum."""
    early = weeks.ended_before_minimum_clause()
    rows = session.execute(
        stats.scoped_matches(Match.outcome, func.count(), func.count().filter(early))
        .where(
            Match.ended_on >= scope.start,
            Match.ended_on <= scope.end,
            ~stats.cancelled_clause(),
            *stats.match_scope(scope),
        )
        .group_by(Match.outcome)
    ).all()
    found = {outcome: (count, before) for outcome, count, before in rows}
    listed = [OutcomeRow(o, *found.get(o, (0, 0))) for o in OUTCOMES]
    # An outcome stored before the list changed is still shown, not lost.
    listed += [OutcomeRow(o or "", *found[o]) for o in found if o not in OUTCOMES]
    return listed


# --- split by area and by organisation ----------------------------------------------------


def _split(
    session: Session,
    scope: Scope,
    today: date,
    by: str,
    rhythm: list[tuple[int, str, int, int]],
    contacts: dict[int, tuple[int, int]],
) -> list[SplitRow]:
    """Per area or organisation (the owners ``rhythm`` lists: every area, every organisation
    with a volunteer): residents supported and matches started (one grouped statement), and
    handovers (one grouped statement), merged with the rhythm's and the contacts' roll-ups."""
    key = Resident.area_id if by == "area" else Volunteer.organisation_id
    started = _started(scope, today)
    supported = _supported(scope, today)
    matches = {
        owner: (residents, count)
        for owner, residents, count in session.execute(
            stats.scoped_matches(
                key,
                _distinct_where(supported, Match.resident_id),
                func.count().filter(started),
            )
            .where(or_(supported, started), *stats.match_scope(scope))
            .group_by(key)
        ).all()
    }
    if by == "area":
        handover_query = select(Handover.area_id, func.count(distinct(Handover.id))).group_by(
            Handover.area_id
        )
    else:
        handover_query = (
            select(Volunteer.organisation_id, func.count(distinct(Handover.id)))
            .select_from(Handover)
            .join(Volunteer, Volunteer.user_id.in_((Handover.sender_id, Handover.receiver_id)))
            .group_by(Volunteer.organisation_id)
        )
    handovers = dict(session.execute(handover_query.where(*stats.handover_scope(scope))).all())
    rows = []
    for owner, name, due, done in rhythm:  # one row per area / organisation, not per record
        residents, count = matches.get(owner, (0, 0))
        contact_count, minutes = contacts.get(owner, (0, 0))
        rows.append(
            SplitRow(
                id=owner,
                name=name,
                residents_supported=residents,
                matches_started=count,
                contacts=contact_count,
                minutes=minutes,
                weeks_due=due,
                weeks_with_contact=done,
                handovers=handovers.get(owner, 0),
            )
        )
    return rows


def _funnel(session: Session, scope: Scope, today: date):
    """Three statements: the funnel, and the volunteers active, residents supported,
    volunteers recruited and trained that come out of the same queries."""
    steps, active, supported = _matches(session, scope, today)
    recruited, trained = _volunteers_recruited_and_trained(session, scope)
    funnel = Funnel(Step(_residents_registered(session, scope), recruited), *steps)
    return funnel, active, supported, recruited, trained


def funnel(session: Session, scope: Scope, today: date) -> Funnel:
    """The report's funnel alone (the dashboard shows it as a chart): three statements."""
    return _funnel(session, scope, today)[0]


def report(session: Session, scope: Scope, today: date) -> Report:
    """Every figure of the funder report for ``scope``, counted up to ``today``. A fixed number
    of statements (13, and a SET on PostgreSQL), whatever the size of the programme or the
    length of the period."""
    without_jit(session)
    funnel, active, supported, recruited, trained = _funnel(session, scope, today)
    contacts = _contacts(session, scope)
    median, p90 = _durations(session, scope)
    rhythm = stats.rhythm_split(session, scope, today)
    return Report(
        scope=scope,
        today=today,
        funnel=funnel,
        volunteers_recruited=recruited,
        volunteers_trained=trained,
        volunteers_active=active,
        residents_supported=supported,
        contacts=contacts.count,
        contact_minutes=contacts.minutes,
        duration_median=median,
        duration_p90=p90,
        rhythm=rhythm.weeks,
        handovers=stats.handover_grid(session, scope),
        outcomes=_outcomes(session, scope),
        stress=stats.stress_change(session, scope),
        by_area=_split(session, scope, today, "area", rhythm.by_area, contacts.by_area),
        by_organisation=_split(
            session,
            scope,
            today,
            "organisation",
            rhythm.by_organisation,
            contacts.by_organisation,
        ),
    )


# --- tables -------------------------------------------------------------------------------


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _by_month(rhythm: list[stats.WeekRhythm]) -> list[tuple[str, int, int]]:
    """The weekly figures summed per month (a funder reads months; the dashboard shows the
    weeks). A week belongs to the month of its Thursday, as ISO weeks belong to years. Sums
    over at most the period's weeks: bounded by the period, not by the data."""
    months: dict[date, list[int]] = {}
    for week in rhythm:
        key = (week.monday + timedelta(days=3)).replace(day=1)
        totals = months.setdefault(key, [0, 0])
        totals[0] += week.due
        totals[1] += week.with_contact
    return [
        (format_date(month, "LLLL y"), due, done) for month, (due, done) in sorted(months.items())
    ]


def funnel_table(f: Funnel) -> Table:
    """The funnel as a table: the report's first part, and the dashboard's funnel chart."""
    return Table(
        "funnel",
        _("Funnel"),
        [_("Step"), _("Residents"), _("Volunteers"), _("Matches")],
        [
            (_("Registered"), f.registered.residents, f.registered.volunteers, None),
            (_("Matched"), f.matched.residents, f.matched.volunteers, f.matched.matches),
            (
                _("Intake meeting with the maatje held"),
                f.started.residents,
                f.started.volunteers,
                f.started.matches,
            ),
            (_("Support ended"), f.ended.residents, f.ended.volunteers, f.ended.matches),
            (
                _("Cancelled before the start (not counted above)"),
                f.cancelled.residents,
                f.cancelled.volunteers,
                f.cancelled.matches,
            ),
        ],
        _(
            "Registered: intake forms and volunteers entered in the period. Matched: matches "
            "made in the period. Intake meeting held: matches whose first meeting with the "
            "maatje was in the period. Support ended: matches ended in the period, transfers "
            "to another maatje not counted."
        ),
    )


def tables(report: Report) -> list[Table]:
    """The report as labelled tables, one per part, in the order the page shows them."""
    funnel = funnel_table(report.funnel)
    volunteers = Table(
        "volunteers",
        _("Volunteers"),
        [_("Figure"), _("Volunteers")],
        [
            (_("Recruited"), report.volunteers_recruited),
            (_("Completed the Money Maatje training"), report.volunteers_trained),
            (_("Active as maatje"), report.volunteers_active),
        ],
        _("Active: with a match that ran during the period."),
    )
    residents = Table(
        "residents",
        _("Residents and contacts"),
        [_("Figure"), _("Value")],
        [
            (_("Residents supported"), report.residents_supported),
            (_("Contacts"), report.contacts),
            (_("Contact hours"), report.contact_hours),
            (_("Median match duration (days)"), _round(report.duration_median)),
            (_("Match duration, 90th percentile (days)"), _round(report.duration_p90)),
        ],
        _("Match duration: from the intake meeting to the end, of matches ended in the period."),
    )
    rhythm = Table(
        "rhythm",
        _("Weekly contact"),
        [_("Month"), _("Match-weeks"), _("With a contact"), _("Share (%)")],
        [
            (month_name, due, done, stats.percent(done / due if due else None))
            for month_name, due, done in _by_month(report.rhythm)
        ]
        + [
            (
                _("Total"),
                report.weeks_due,
                report.weeks_with_contact,
                stats.percent(report.rhythm_share),
            )
        ],
        _(
            "A match-week is a week in which an active match expects at least one contact; a "
            "week counts in the month that holds its Thursday (most of its days)."
        ),
    )
    handovers = Table(
        "handovers",
        _("Handovers"),
        [_("Direction")]
        + [label("handover_status", s) for s in stats.HANDOVER_STATUSES]
        + [_("Total")],
        [
            (
                label("handover_direction", direction),
                *(report.handovers[(direction, status)] for status in stats.HANDOVER_STATUSES),
                sum(report.handovers[(direction, status)] for status in stats.HANDOVER_STATUSES),
            )
            for direction in stats.DIRECTIONS
        ],
        _("Handovers started in the period, by their status now."),
    )
    outcomes = Table(
        "outcomes",
        _("Outcomes"),
        [_("Outcome"), _("Matches ended"), _("Before the 13-week minimum")],
        [(label("outcome", r.outcome), r.ended, r.before_minimum) for r in report.outcomes]
        + [(_("Cancelled before the start"), report.funnel.cancelled.matches, None)],
        _(
            "Matches ended in the period. Cancelled: ended on the day of the intake meeting, "
            "before support began."
        ),
    )
    s = report.stress
    stress = Table(
        "stress",
        _("Stress score"),
        [_("Figure"), _("Value")],
        [
            (_("Ended matches with two or more scores"), s.matches),
            (_("Less stress at the last contact"), s.lower),
            (_("The same"), s.same),
            (_("More stress"), s.higher),
            (_("Mean score at the first contact"), _round(s.mean_first)),
            (_("Mean score at the last contact"), _round(s.mean_last)),
        ],
        _(
            "Matches whose support ended in the period: the stress score (1 to 10) at the "
            "first and at the last contact that has one."
        ),
    )

    def split(key: str, title: str, name: str, rows: list[SplitRow]) -> Table:
        return Table(
            key,
            title,
            [
                name,
                _("Residents supported"),
                _("Matches started"),
                _("Contacts"),
                _("Contact hours"),
                _("Match-weeks"),
                _("With a contact"),
                _("Share (%)"),
                _("Handovers"),
            ],
            [
                (
                    r.name,
                    r.residents_supported,
                    r.matches_started,
                    r.contacts,
                    r.hours,
                    r.weeks_due,
                    r.weeks_with_contact,
                    stats.percent(r.share),
                    r.handovers,
                )
                for r in rows
            ],
        )

    return [
        funnel,
        volunteers,
        residents,
        rhythm,
        handovers,
        outcomes,
        stress,
        split("by_area", _("By area"), _("Area"), report.by_area),
        split("by_organisation", _("By organisation"), _("Organisation"), report.by_organisation),
    ]
