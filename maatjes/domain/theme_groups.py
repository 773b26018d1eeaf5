"""Theme groups (themagroepen): Armoede, Eenzaamheid, Jongeren, Werk & Participatie, Huiselijk
geweld and new ones; their members (organisations and people), meetings and results. A group is
archived (``active`` off), never deleted: meetings, projects and signals refer to it."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.domain.sql import unique_or_violation
from maatjes.models import Meeting, Organisation, Person, Project, Signal, ThemeGroup
from maatjes.models.pact import theme_group_organisations, theme_group_people

NAME_TAKEN = _l("A theme group with this name exists already.")


@dataclass
class ThemeGroupInput:
    name: str
    description: str = ""
    results: str = ""
    active: bool = True


def save_theme_group(
    session: Session, group: ThemeGroup | None, data: ThemeGroupInput
) -> ThemeGroup:
    name = " ".join(data.name.split())
    if not name:
        raise RuleViolation(_l("Give the theme group a name."), "name")
    taken = select(ThemeGroup.id).where(func.lower(ThemeGroup.name) == name.lower())
    if group is not None:
        taken = taken.where(ThemeGroup.id != group.id)
    if session.scalar(taken) is not None:
        raise RuleViolation(NAME_TAKEN, "name")
    with unique_or_violation(session, NAME_TAKEN, "name"):
        if group is None:
            group = ThemeGroup(name=name)
            session.add(group)
        group.name = name
        group.description = data.description.strip()
        group.results = data.results.strip()
        group.active = data.active
    return group


def member_choices(session: Session, group: ThemeGroup) -> tuple[list, list]:
    """Organisations that may join (not left, or members already) and people (active, or
    members already): two statements."""
    current_orgs = select(theme_group_organisations.c.organisation_id).where(
        theme_group_organisations.c.theme_group_id == group.id
    )
    organisations = session.execute(
        select(Organisation.id, Organisation.name)
        .where(or_(Organisation.status != "left", Organisation.id.in_(current_orgs)))
        .order_by(Organisation.name)
    ).all()
    current_people = select(theme_group_people.c.person_id).where(
        theme_group_people.c.theme_group_id == group.id
    )
    people = session.execute(
        select(Person.id, Person.name, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(or_(Person.active.is_(True), Person.id.in_(current_people)))
        .order_by(Person.name, Person.id)
    ).all()
    return list(organisations), list(people)


def set_members(
    session: Session, group: ThemeGroup, organisation_ids: set[int], person_ids: set[int]
) -> None:
    """The group's members are exactly these organisations and people (from the choices)."""
    organisations, people = member_choices(session, group)
    if not organisation_ids <= {row[0] for row in organisations}:
        raise RuleViolation(_l("Choose organisations from the list."), "organisations")
    if not person_ids <= {row[0] for row in people}:
        raise RuleViolation(_l("Choose people from the list."), "people")
    session.execute(
        delete(theme_group_organisations).where(
            theme_group_organisations.c.theme_group_id == group.id
        )
    )
    session.execute(
        delete(theme_group_people).where(theme_group_people.c.theme_group_id == group.id)
    )
    if organisation_ids:
        session.execute(
            insert(theme_group_organisations),
            [{"theme_group_id": group.id, "organisation_id": i} for i in sorted(organisation_ids)],
        )
    if person_ids:
        session.execute(
            insert(theme_group_people),
            [{"theme_group_id": group.id, "person_id": i} for i in sorted(person_ids)],
        )
    session.expire(group, ["organisations", "people"])


def _count(table_column, group_column) -> object:
    return select(group_column, func.count(table_column).label("n")).group_by(group_column)


def list_query(year: int) -> Select:
    """Theme groups with their organisations, people and meetings in ``year``: one statement
    (counts by GROUP BY subqueries)."""
    orgs = _count(
        theme_group_organisations.c.organisation_id, theme_group_organisations.c.theme_group_id
    ).subquery()
    people = _count(theme_group_people.c.person_id, theme_group_people.c.theme_group_id).subquery()
    meetings = (
        _count(Meeting.id, Meeting.theme_group_id)
        .where(
            Meeting.kind == Meeting.THEME_GROUP,
            Meeting.held_on >= date(year, 1, 1),
            Meeting.held_on <= date(year, 12, 31),
        )
        .subquery()
    )
    return (
        select(
            ThemeGroup,
            func.coalesce(orgs.c.n, 0),
            func.coalesce(people.c.n, 0),
            func.coalesce(meetings.c.n, 0),
        )
        .outerjoin(orgs, orgs.c.theme_group_id == ThemeGroup.id)
        .outerjoin(people, people.c.theme_group_id == ThemeGroup.id)
        .outerjoin(meetings, meetings.c.theme_group_id == ThemeGroup.id)
    )


@dataclass
class Routed:
    projects: list[str]
    signals: int


def routed(session: Session, group: ThemeGroup) -> Routed:
    """The projects that came out of the group and the number of signals routed to it."""
    projects = session.scalars(
        select(Project.name).where(Project.theme_group_id == group.id).order_by(Project.name)
    ).all()
    signals = session.scalar(select(func.count(Signal.id)).where(Signal.theme_group_id == group.id))
    return Routed(list(projects), signals or 0)


def meetings_of(session: Session, group: ThemeGroup, limit: int = 50) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting)
            .where(Meeting.theme_group_id == group.id)
            .order_by(Meeting.held_on.desc(), Meeting.id.desc())
            .limit(limit)
        )
    )
