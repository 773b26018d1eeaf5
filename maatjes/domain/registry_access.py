"""Who may see and change what in the pact's registry. Every registry page asks here.

- Pact support staff (admin) edit everything.
- Project leads read everything, and edit trainings, projects and signals.
- A volunteer sees their own organisation (and the trainings they attended: ``trainings``).
- Buurtteam staff and Linking Pins see the organisations active in their area, and their people.
- An organisation contact sees and keeps its own organisation's details and people; it sees
  nothing of residents (``domain.access`` gives it nothing).

Anything a user may not see is reported as absent (404), like the casework's records.
"""

from sqlalchemy import Select, exists, false, or_, select
from sqlalchemy.orm import Session

from maatjes.domain import people
from maatjes.models import Organisation, Person, Role, User, Volunteer
from maatjes.models.registry import organisation_areas

# Module -> the roles that read it and the roles that edit it (organisations and people have
# their own rules below, as they are shown to more roles).
MODULES = {
    "meetings": ((Role.ADMIN, Role.LEAD), (Role.ADMIN,)),
    "theme_groups": ((Role.ADMIN, Role.LEAD), (Role.ADMIN,)),
    "projects": ((Role.ADMIN, Role.LEAD), (Role.ADMIN, Role.LEAD)),
    "signals": ((Role.ADMIN, Role.LEAD), (Role.ADMIN, Role.LEAD)),
    "subsidies": ((Role.ADMIN, Role.LEAD), (Role.ADMIN,)),
    "trainings": ((Role.ADMIN, Role.LEAD), (Role.ADMIN, Role.LEAD)),
    "areas": ((Role.ADMIN, Role.LEAD), (Role.ADMIN,)),
    "registry": ((Role.ADMIN, Role.LEAD), (Role.ADMIN,)),
}


def may_read(user: User, module: str) -> bool:
    return user.role in MODULES[module][0]


def may_edit(user: User, module: str) -> bool:
    return user.role in MODULES[module][1]


def own_organisation_id(session: Session, user: User) -> int | None:
    """The organisation a volunteer or an organisation contact belongs to (kept on the user
    object for the rest of the request)."""
    if user.role not in (Role.VOLUNTEER, Role.ORGANISATION_CONTACT):
        return None
    if "_organisation_id" not in user.__dict__:
        if user.role == Role.VOLUNTEER:
            found = session.scalar(
                select(Volunteer.organisation_id).where(
                    Volunteer.user_id == user.id, Volunteer.active.is_(True)
                )
            )
        else:
            found = session.scalar(
                select(Person.organisation_id).where(
                    Person.user_id == user.id, Person.active.is_(True)
                )
            )
        user.__dict__["_organisation_id"] = found
    return user.__dict__["_organisation_id"]


def _in_areas(area_ids) -> object:
    return exists().where(
        organisation_areas.c.organisation_id == Organisation.id,
        organisation_areas.c.area_id.in_(list(area_ids)),
    )


def organisations_query(session: Session, user: User) -> Select[tuple[Organisation]]:
    query = select(Organisation)
    if user.role in Role.STAFF:
        return query
    if user.role in Role.AREA_BOUND:
        areas = people.area_ids(session, user)
        return query.where(_in_areas(areas)) if areas else query.where(false())
    own = own_organisation_id(session, user)
    if own is not None:
        return query.where(Organisation.id == own)
    return query.where(false())


def organisation(session: Session, user: User, organisation_id: int) -> Organisation | None:
    return session.scalar(
        organisations_query(session, user).where(Organisation.id == organisation_id)
    )


def may_edit_organisation(session: Session, user: User, target: Organisation) -> bool:
    """Admins edit every organisation; an organisation contact its own details (not its
    status, admission or dates: ``may_admit``)."""
    if user.role == Role.ADMIN:
        return True
    return (
        user.role == Role.ORGANISATION_CONTACT
        and own_organisation_id(session, user) == target.id
        and not target.has_left
    )


def may_admit(user: User) -> bool:
    """Admission, the charter, kind, status and dates: pact support staff only."""
    return user.role == Role.ADMIN


def people_query(session: Session, user: User) -> Select[tuple[Person]]:
    """People: staff see everyone; others the people of the organisations they may see, and
    an area's staff also its Linking Pins."""
    query = select(Person)
    if user.role in Role.STAFF:
        return query
    visible = organisations_query(session, user).with_only_columns(Organisation.id)
    condition = Person.organisation_id.in_(visible)
    if user.role in Role.AREA_BOUND:
        areas = people.area_ids(session, user)
        if areas:
            from maatjes.models import PersonRole

            pins = exists().where(
                PersonRole.person_id == Person.id,
                PersonRole.role == PersonRole.LINKING_PIN,
                PersonRole.area_id.in_(list(areas)),
                PersonRole.ended_on.is_(None),
            )
            condition = or_(condition, pins)
    return query.where(condition)


def person(session: Session, user: User, person_id: int) -> Person | None:
    return session.scalar(people_query(session, user).where(Person.id == person_id))


def may_edit_person(session: Session, user: User, target: Person) -> bool:
    """Admins edit everyone (and the roles in the pact); an organisation contact the contact
    details of its own organisation's people."""
    if user.role == Role.ADMIN:
        return True
    return (
        user.role == Role.ORGANISATION_CONTACT
        and target.organisation_id is not None
        and own_organisation_id(session, user) == target.organisation_id
    )
