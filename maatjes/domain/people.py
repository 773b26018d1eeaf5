"""The people of the pact and their roles, and the one place that says which areas an account
acts for.

The Linking Pin of an area is recorded here, in the registry (``PersonRole`` with role
``linking_pin`` and the area), and nowhere else: the handover module routes to the accounts of
the people holding that role now. Buurtteam staff belong to an area through their account.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.models import Area, Person, PersonRole, Role, ThemeGroup, User


def linking_pin_of(area_id) -> ColumnElement[bool]:
    """SQL over ``User``: the account belongs to a person the registry records as the current
    Linking Pin of ``area_id`` (a column or a value)."""
    return exists().where(
        Person.user_id == User.id,
        PersonRole.person_id == Person.id,
        PersonRole.role == PersonRole.LINKING_PIN,
        PersonRole.area_id == area_id,
        PersonRole.ended_on.is_(None),
    )


def linking_pin_areas(user_id: int):
    """SELECT of the areas the registry records ``user_id``'s person as current Linking Pin of."""
    return (
        select(PersonRole.area_id)
        .join(Person, Person.id == PersonRole.person_id)
        .where(
            Person.user_id == user_id,
            PersonRole.role == PersonRole.LINKING_PIN,
            PersonRole.ended_on.is_(None),
            PersonRole.area_id.is_not(None),
        )
    )


def acts_for_area(area_id) -> ColumnElement[bool]:
    """SQL over ``User``: buurtteam staff of the area, or its Linking Pin (from the registry)."""
    return or_(
        and_(User.role == Role.BUURTTEAM, User.area_id == area_id),
        and_(User.role == Role.LINKING_PIN, linking_pin_of(area_id)),
    )


def area_ids(session: Session, user: User) -> frozenset[int]:
    """The areas an account acts for: its own area for buurtteam staff; for a Linking Pin the
    areas the registry records (kept on the user object for the rest of the request)."""
    if user.role == Role.BUURTTEAM:
        return frozenset({user.area_id} if user.area_id else ())
    if user.role != Role.LINKING_PIN:
        return frozenset()
    cached = user.__dict__.get("_area_ids")
    if cached is None:
        cached = frozenset(session.scalars(linking_pin_areas(user.id)))
        user.__dict__["_area_ids"] = cached
    return cached


def forget_areas(user: User) -> None:
    user.__dict__.pop("_area_ids", None)


def person_of(session: Session, user: User) -> Person | None:
    return session.scalar(select(Person).where(Person.user_id == user.id))


@dataclass(frozen=True)
class RoleInput:
    role: str
    started_on: date
    area: Area | None = None
    theme_group: ThemeGroup | None = None


def add_role(session: Session, person: Person, data: RoleInput) -> PersonRole:
    """Give a person a role in the pact. A Linking Pin needs an area and a theme group lead a
    group; the same current role twice is refused."""
    if data.role not in PersonRole.ROLES:
        raise RuleViolation(_l("Choose a role."), field="role")
    if data.role == PersonRole.LINKING_PIN and data.area is None:
        raise RuleViolation(_l("A Linking Pin needs an area."), field="area")
    if data.role == PersonRole.THEME_GROUP_LEAD and data.theme_group is None:
        raise RuleViolation(_l("A theme group lead needs a theme group."), field="theme_group")
    area = data.area if data.role == PersonRole.LINKING_PIN else None
    group = data.theme_group if data.role == PersonRole.THEME_GROUP_LEAD else None
    for held in person.roles:
        if (
            held.current
            and held.role == data.role
            and held.area_id == (area.id if area else None)
            and held.theme_group_id == (group.id if group else None)
        ):
            raise RuleViolation(_l("This person holds this role already."), field="role")
    role = PersonRole(
        person=person, role=data.role, area=area, theme_group=group, started_on=data.started_on
    )
    session.add(role)
    if person.user is not None:
        forget_areas(person.user)
    return role


def end_role(role: PersonRole, *, on: date) -> None:
    if role.ended_on is not None:
        raise RuleViolation(_l("This role has ended already."))
    if on < role.started_on:
        raise RuleViolation(_l("A role cannot end before it started."), field="ended_on")
    role.ended_on = on
    if role.person.user is not None:
        forget_areas(role.person.user)
