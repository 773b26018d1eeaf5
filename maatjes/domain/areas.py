"""Areas of Zuidoost, their neighbourhoods and the municipality's priorities per area.

Names are trimmed and unique within their area (case does not make a second one); a
neighbourhood that a signal or a project is filed under, or a priority something refers to,
stays: removing it would take that record's place with it.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.domain.sql import unique_or_violation
from maatjes.models import Area, Base, Neighbourhood, Priority, Signal
from maatjes.models.pact import project_neighbourhoods

AREA_NAME_MAX = 80
NEIGHBOURHOOD_NAME_MAX = 80
PRIORITY_NAME_MAX = 160
PRIORITY_DESCRIPTION_MAX = 1000


def _name(value: str | None, *, limit: int, field: str = "name") -> str:
    name = " ".join((value or "").split())
    if not name:
        raise RuleViolation(_l("Give a name."), field=field)
    if len(name) > limit:
        raise RuleViolation(_l("Use at most %(n)d characters.", n=limit), field=field)
    return name


# --- areas -------------------------------------------------------------------------------


def _check_area_name(session: Session, name: str, area: Area | None) -> None:
    query = select(Area.id).where(func.lower(Area.name) == name.lower())
    if area is not None:
        query = query.where(Area.id != area.id)
    if session.scalar(query) is not None:
        raise RuleViolation(_l("There is already an area with this name."), field="name")


def add_area(session: Session, name: str) -> Area:
    name = _name(name, limit=AREA_NAME_MAX)
    _check_area_name(session, name, None)
    area = Area(name=name)
    with unique_or_violation(session, _l("There is already an area with this name."), "name"):
        session.add(area)
    return area


def rename_area(session: Session, area: Area, name: str) -> None:
    name = _name(name, limit=AREA_NAME_MAX)
    _check_area_name(session, name, area)
    with unique_or_violation(session, _l("There is already an area with this name."), "name"):
        area.name = name


# --- neighbourhoods ------------------------------------------------------------------------

NEIGHBOURHOOD_TAKEN = _l("This area has a neighbourhood with this name already.")


def _check_neighbourhood_name(
    session: Session, area_id: int, name: str, neighbourhood: Neighbourhood | None
) -> None:
    query = select(Neighbourhood.id).where(
        Neighbourhood.area_id == area_id, func.lower(Neighbourhood.name) == name.lower()
    )
    if neighbourhood is not None:
        query = query.where(Neighbourhood.id != neighbourhood.id)
    if session.scalar(query) is not None:
        raise RuleViolation(NEIGHBOURHOOD_TAKEN, field="name")
    # One neighbourhood lies in one area: the same name in another area is the same place.
    elsewhere = select(Area.name).join(Neighbourhood, Neighbourhood.area_id == Area.id)
    elsewhere = elsewhere.where(
        Neighbourhood.area_id != area_id, func.lower(Neighbourhood.name) == name.lower()
    )
    other_area = session.scalar(elsewhere.limit(1))
    if other_area is not None:
        raise RuleViolation(
            _l(
                "%(name)s is a neighbourhood of %(area)s already: a neighbourhood lies in one"
                " area.",
                name=name,
                area=other_area,
            ),
            field="name",
        )


def add_neighbourhood(session: Session, area: Area, name: str) -> Neighbourhood:
    name = _name(name, limit=NEIGHBOURHOOD_NAME_MAX)
    _check_neighbourhood_name(session, area.id, name, None)
    neighbourhood = Neighbourhood(area_id=area.id, name=name)
    with unique_or_violation(session, NEIGHBOURHOOD_TAKEN, "name"):
        session.add(neighbourhood)
    return neighbourhood


def rename_neighbourhood(session: Session, neighbourhood: Neighbourhood, name: str) -> None:
    name = _name(name, limit=NEIGHBOURHOOD_NAME_MAX)
    _check_neighbourhood_name(session, neighbourhood.area_id, name, neighbourhood)
    with unique_or_violation(session, NEIGHBOURHOOD_TAKEN, "name"):
        neighbourhood.name = name


@dataclass(frozen=True)
class Use:
    signals: int = 0
    projects: int = 0
    other: int = 0

    @property
    def used(self) -> bool:
        return bool(self.signals or self.projects or self.other)


def neighbourhood_uses(session: Session, area_id: int) -> dict[int, Use]:
    """How many signals and projects each neighbourhood of the area is used by (two
    statements, whatever the number of neighbourhoods)."""
    in_area = select(Neighbourhood.id).where(Neighbourhood.area_id == area_id)
    signals = dict(
        session.execute(
            select(Signal.neighbourhood_id, func.count())
            .where(Signal.neighbourhood_id.in_(in_area))
            .group_by(Signal.neighbourhood_id)
        ).all()
    )
    projects = dict(
        session.execute(
            select(project_neighbourhoods.c.neighbourhood_id, func.count())
            .where(project_neighbourhoods.c.neighbourhood_id.in_(in_area))
            .group_by(project_neighbourhoods.c.neighbourhood_id)
        ).all()
    )
    return {
        nid: Use(signals=signals.get(nid, 0), projects=projects.get(nid, 0))
        for nid in set(signals) | set(projects)
    }


def _references(session: Session, table_name: str, row_id: int, *, known=()) -> int:
    """Rows of any table (but ``known`` ones) whose foreign key points at this row: a module
    added later (the social map's activities, per priority) is covered without a change here."""
    total = 0
    for table in Base.metadata.sorted_tables:
        if table.name in known:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == table_name:
                total += session.scalar(
                    select(func.count()).select_from(table).where(fk.parent == row_id)
                )
    return total


def remove_neighbourhood(session: Session, neighbourhood: Neighbourhood) -> None:
    """An unused neighbourhood may go; one that a signal or a project is filed under stays."""
    use = neighbourhood_uses(session, neighbourhood.area_id).get(neighbourhood.id, Use())
    other = _references(
        session,
        Neighbourhood.__tablename__,
        neighbourhood.id,
        known=(Signal.__tablename__, project_neighbourhoods.name),
    )
    if other:
        raise RuleViolation(
            _l("%(name)s is in use and cannot be removed.", name=neighbourhood.name)
        )
    if use.used:
        raise RuleViolation(
            _l(
                "%(name)s cannot be removed: signals (%(signals)d) and projects (%(projects)d)"
                " are filed under it. Rename it instead.",
                name=neighbourhood.name,
                signals=use.signals,
                projects=use.projects,
            )
        )
    session.delete(neighbourhood)
    session.flush()


# --- priorities ----------------------------------------------------------------------------

PRIORITY_TAKEN = _l("This area has a priority with this name already.")


@dataclass(frozen=True)
class PriorityInput:
    name: str
    description: str = ""


def _priority_fields(data: PriorityInput) -> tuple[str, str]:
    name = _name(data.name, limit=PRIORITY_NAME_MAX)
    description = (data.description or "").strip()
    if len(description) > PRIORITY_DESCRIPTION_MAX:
        raise RuleViolation(
            _l("Use at most %(n)d characters.", n=PRIORITY_DESCRIPTION_MAX), field="description"
        )
    return name, description


def _check_priority_name(
    session: Session, area_id: int, name: str, priority: Priority | None
) -> None:
    query = select(Priority.id).where(
        Priority.area_id == area_id, func.lower(Priority.name) == name.lower()
    )
    if priority is not None:
        query = query.where(Priority.id != priority.id)
    if session.scalar(query) is not None:
        raise RuleViolation(PRIORITY_TAKEN, field="name")


def add_priority(session: Session, area: Area, data: PriorityInput) -> Priority:
    """A new priority comes last in the area's order."""
    name, description = _priority_fields(data)
    _check_priority_name(session, area.id, name, None)
    last = session.scalar(select(func.max(Priority.position)).where(Priority.area_id == area.id))
    priority = Priority(
        area_id=area.id,
        name=name,
        description=description,
        position=(last if last is not None else -1) + 1,
    )
    with unique_or_violation(session, PRIORITY_TAKEN, "name"):
        session.add(priority)
    return priority


def edit_priority(session: Session, priority: Priority, data: PriorityInput) -> None:
    name, description = _priority_fields(data)
    _check_priority_name(session, priority.area_id, name, priority)
    with unique_or_violation(session, PRIORITY_TAKEN, "name"):
        priority.name = name
        priority.description = description


UP = "up"
DOWN = "down"


def move_priority(session: Session, priority: Priority, direction: str) -> bool:
    """Swap the priority with the one above or below it; the area's positions are numbered
    0, 1, 2 … on the way (priorities loaded with equal positions get distinct ones). Returns
    False when it is first (up) or last (down) already."""
    if direction not in (UP, DOWN):
        raise RuleViolation(_l("Choose up or down."))
    ordered = session.scalars(
        select(Priority)
        .where(Priority.area_id == priority.area_id)
        .order_by(Priority.position, Priority.id)
        .with_for_update()
    ).all()
    index = next(i for i, p in enumerate(ordered) if p.id == priority.id)
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
    session.flush()
    return True


def remove_priority(session: Session, priority: Priority) -> None:
    """A priority nothing refers to may go (the social map files activities under them)."""
    if _references(session, Priority.__tablename__, priority.id):
        raise RuleViolation(_l("%(name)s is in use and cannot be removed.", name=priority.name))
    session.delete(priority)
    session.flush()
