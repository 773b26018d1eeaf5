"""Projects of the pact and the signals residents raise in the neighbourhoods.

A project has a lead organisation, participating organisations, a period, the theme group it
came out of, its reach (volunteers, residents reached, neighbourhoods), budget lines and
results. Money Maatjes is one project (``Project.key == "money_maatjes"``): its figures are not
typed in but come live from its own module (``money_maatjes_figures``).

A signal is something residents said in a neighbourhood; recording it means routing it to the
theme group it is about (``routed_on`` is the day it was routed, or rerouted). Signals are
counted per theme group and area in one GROUP BY (``signal_counts``).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.domain.sql import unique_or_violation
from maatjes.domain.subsidies import CENT, check_amount
from maatjes.models import (
    Area,
    BudgetLine,
    Contact,
    Match,
    Neighbourhood,
    Organisation,
    Project,
    Signal,
    ThemeGroup,
    User,
    Volunteer,
)

MAX_COUNT = 1_000_000  # volunteers, residents reached: a bound no project comes near

RUNNING, ENDED, ARCHIVED = "running", "ended", "archived"


# --- projects -------------------------------------------------------------------------------


@dataclass
class ProjectInput:
    name: str
    description: str = ""
    lead_organisation: Organisation | None = None
    organisations: list[Organisation] = field(default_factory=list)
    theme_group: ThemeGroup | None = None
    started_on: date | None = None
    ended_on: date | None = None
    volunteers: int | None = None
    residents_reached: int | None = None
    neighbourhoods: list[Neighbourhood] = field(default_factory=list)
    results: str = ""


def _check_count(value: int | None, name: str) -> None:
    if value is not None and not 0 <= value <= MAX_COUNT:
        raise RuleViolation(_l("Give a number from 0 to 1,000,000."), name)


def save_project(session: Session, project: Project | None, data: ProjectInput) -> Project:
    """Create or change a project. The name is unique (whatever the case); the period ends on
    or after its start. Money Maatjes keeps no typed volunteers and reach: they are computed."""
    name = data.name.strip()
    if not name:
        raise RuleViolation(_l("Give the project a name."), "name")
    if data.started_on and data.ended_on and data.ended_on < data.started_on:
        raise RuleViolation(_l("The project cannot end before it starts."), "ended_on")
    _check_count(data.volunteers, "volunteers")
    _check_count(data.residents_reached, "residents_reached")
    taken = _l("A project with this name exists already.")
    same = select(Project.id).where(func.lower(Project.name) == name.lower())
    if project is not None:
        same = same.where(Project.id != project.id)
    if session.scalar(same) is not None:
        raise RuleViolation(taken, "name")
    with unique_or_violation(session, taken, "name"):
        if project is None:
            project = Project()
            session.add(project)
        project.name = name
        project.description = data.description.strip()
        project.lead_organisation = data.lead_organisation
        project.organisations = list(data.organisations)
        project.theme_group = data.theme_group
        project.started_on = data.started_on
        project.ended_on = data.ended_on
        if project.is_money_maatjes:
            project.volunteers = project.residents_reached = None
        else:
            project.volunteers = data.volunteers
            project.residents_reached = data.residents_reached
        project.neighbourhoods = list(data.neighbourhoods)
        project.results = data.results.strip()
    return project


def set_archived(session: Session, project: Project, archived: bool) -> None:
    """Archive a project (it leaves the lists, keeps its signals and budget) or bring it back."""
    project.archived = archived
    session.flush()


def state_clause(state: str, today: date):
    """SQL for the list filter: running (started, not ended), ended, archived; anything else
    is every project that is not archived."""
    live = Project.archived.is_(False)
    started = or_(Project.started_on.is_(None), Project.started_on <= today)
    if state == RUNNING:
        return and_(live, started, or_(Project.ended_on.is_(None), Project.ended_on >= today))
    if state == ENDED:
        return and_(live, Project.ended_on < today)
    if state == ARCHIVED:
        return Project.archived.is_(True)
    return live


def add_budget_line(
    session: Session, project: Project, description: str, amount: Decimal
) -> BudgetLine:
    text = description.strip()
    if not text:
        raise RuleViolation(_l("Describe the budget line."), "description")
    if amount is None:
        raise RuleViolation(_l("Give an amount."), "amount")
    check_amount(amount, "amount")
    line = BudgetLine(project_id=project.id, description=text, amount=amount.quantize(CENT))
    session.add(line)
    session.flush()
    return line


def remove_budget_line(session: Session, line: BudgetLine) -> None:
    session.delete(line)
    session.flush()


def budget_total(session: Session, project_id: int) -> Decimal:
    total = session.scalar(
        select(func.sum(BudgetLine.amount)).where(BudgetLine.project_id == project_id)
    )
    return Decimal(str(total or 0)).quantize(CENT)


def organisation_counts():
    """Per project, the number of participating organisations: a subquery for the list."""
    from maatjes.models.pact import project_organisations as po

    return (
        select(po.c.project_id.label("project_id"), func.count().label("n"))
        .group_by(po.c.project_id)
        .subquery("project_organisation_counts")
    )


# --- Money Maatjes, live ----------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyMaatjesFigures:
    active_volunteers: int
    residents_supported: int  # residents who had a match, ever
    running_matches: int
    contacts: int
    contact_minutes: int

    @property
    def contact_hours(self) -> Decimal:
        return (Decimal(self.contact_minutes) / 60).quantize(Decimal("0.1"))


def money_maatjes_figures(session: Session) -> MoneyMaatjesFigures:
    """The Money Maatjes module's own figures, in one statement: active volunteers, residents
    supported (distinct residents with a match), running matches, contacts logged and the
    time they took."""
    row = session.execute(
        select(
            select(func.count(Volunteer.id)).where(Volunteer.active.is_(True)).scalar_subquery(),
            select(func.count(distinct(Match.resident_id))).scalar_subquery(),
            select(func.count(Match.id)).where(Match.ended_on.is_(None)).scalar_subquery(),
            select(func.count(Contact.id)).scalar_subquery(),
            select(func.coalesce(func.sum(Contact.duration_minutes), 0)).scalar_subquery(),
        )
    ).one()
    return MoneyMaatjesFigures(*(int(value or 0) for value in row))


# --- signals --------------------------------------------------------------------------------


@dataclass
class SignalInput:
    title: str
    neighbourhood: Neighbourhood
    theme_group: ThemeGroup
    heard_on: date
    description: str = ""
    project: Project | None = None
    residents: int | None = None


def save_signal(
    session: Session, signal: Signal | None, data: SignalInput, *, by: User, today: date
) -> Signal:
    """Record a signal, or correct one. Choosing its theme group routes it: ``routed_on`` is
    set when it is recorded and again when it moves to another group."""
    title = data.title.strip()
    if not title:
        raise RuleViolation(_l("Give the signal a short title."), "title")
    if data.theme_group is None:
        raise RuleViolation(_l("Choose the theme group the signal goes to."), "theme_group")
    if data.heard_on > today:
        raise RuleViolation(_l("A signal cannot be heard in the future."), "heard_on")
    _check_count(data.residents, "residents")
    if signal is None:
        signal = Signal(recorded_by_id=by.id)
        session.add(signal)
    if signal.theme_group_id != data.theme_group.id:
        signal.routed_on = today
    signal.title = title
    signal.description = data.description.strip()
    signal.neighbourhood = data.neighbourhood
    signal.theme_group = data.theme_group
    signal.project = data.project
    signal.heard_on = data.heard_on
    signal.residents = data.residents
    session.flush()
    return signal


def year_clause(year: int | None):
    """Signals heard in ``year`` (bounds an index can use)."""
    if year is None:
        return None
    return and_(Signal.heard_on >= date(year, 1, 1), Signal.heard_on <= date(year, 12, 31))


@dataclass
class CountTable:
    """Signals per theme group (rows) and area (columns), with totals."""

    rows: list[tuple[int, str]]  # (theme group id, name)
    columns: list[tuple[int, str]]  # (area id, name)
    cells: dict[tuple[int, int], int]
    residents: int  # residents who raised them, where counted

    def cell(self, row_id: int, column_id: int) -> int:
        return self.cells.get((row_id, column_id), 0)

    def row_total(self, row_id: int) -> int:
        return sum(n for (r, _c), n in self.cells.items() if r == row_id)

    def column_total(self, column_id: int) -> int:
        return sum(n for (_r, c), n in self.cells.items() if c == column_id)

    @property
    def total(self) -> int:
        return sum(self.cells.values())


def signal_counts(
    session: Session, *, year: int | None = None, project_id: int | None = None
) -> CountTable:
    """Signals counted per theme group and area, in one GROUP BY statement (for a year and a
    project when given). Only groups and areas with signals appear."""
    query = (
        select(
            ThemeGroup.id,
            ThemeGroup.name,
            Area.id,
            Area.name,
            func.count(Signal.id),
            func.coalesce(func.sum(Signal.residents), 0),
        )
        .join(ThemeGroup, ThemeGroup.id == Signal.theme_group_id)
        .join(Neighbourhood, Neighbourhood.id == Signal.neighbourhood_id)
        .join(Area, Area.id == Neighbourhood.area_id)
        .group_by(ThemeGroup.id, ThemeGroup.name, Area.id, Area.name)
    )
    when = year_clause(year)
    if when is not None:
        query = query.where(when)
    if project_id is not None:
        query = query.where(Signal.project_id == project_id)
    rows, columns, cells, residents = {}, {}, {}, 0
    for group_id, group, area_id, area, count, raised in session.execute(query):
        rows[group_id] = group
        columns[area_id] = area
        cells[(group_id, area_id)] = count
        residents += int(raised or 0)
    return CountTable(
        rows=sorted(rows.items(), key=lambda item: item[1].casefold()),
        columns=sorted(columns.items(), key=lambda item: item[1].casefold()),
        cells=cells,
        residents=residents,
    )


def signal_years(session: Session) -> list[int]:
    """The years signals were heard in, newest first (one statement: the first and last day)."""
    first, last = session.execute(
        select(func.min(Signal.heard_on), func.max(Signal.heard_on))
    ).one()
    if first is None:
        return []
    return list(range(last.year, first.year - 1, -1))
