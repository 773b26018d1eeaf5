"""The people of the pact and their roles, and the one place that says which areas an account
acts for.

The Linking Pin of an area is recorded here, in the registry (``PersonRole`` with role
``linking_pin`` and the area), and nowhere else: the handover module routes to the accounts of
the people holding that role now. Buurtteam staff belong to an area through their account.
"""

from dataclasses import dataclass
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from maatjes.domain import phones
from maatjes.domain.errors import RuleViolation
from maatjes.models import Area, Organisation, Person, PersonRole, Role, ThemeGroup, User


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
        _load_linking_pin_areas(session, user)
        cached = user.__dict__["_area_ids"]
    return cached


def _load_linking_pin_areas(session: Session, user: User) -> None:
    """A Linking Pin's areas, ids and names, in one statement, kept on the user object for the
    rest of the request (the navigation bar names them; the pages filter by them)."""
    rows = session.execute(
        select(Area.id, Area.name)
        .where(Area.id.in_(linking_pin_areas(user.id)))
        .order_by(Area.name, Area.id)
    ).all()
    user.__dict__["_area_ids"] = frozenset(area_id for area_id, _name in rows)
    user.__dict__["_area_names"] = tuple(name for _id, name in rows)


def area_names(session: Session, user: User) -> tuple[str, ...]:
    """The names of the areas an account acts for, for the navigation bar: buurtteam staff's
    own area; a Linking Pin's from the registry (the statement ``area_ids`` shares)."""
    if user.role == Role.BUURTTEAM:
        return (user.area.name,) if user.area is not None else ()
    if user.role != Role.LINKING_PIN:
        return ()
    if "_area_names" not in user.__dict__:
        _load_linking_pin_areas(session, user)
    return user.__dict__["_area_names"]


def holds_no_area(session: Session, user: User) -> bool:
    """A Linking Pin's account whose person the registry no longer records as the Linking Pin
    of any area: the account sees no area's records (its pages say why)."""
    return user.role == Role.LINKING_PIN and not area_ids(session, user)


def forget_areas(user: User) -> None:
    user.__dict__.pop("_area_ids", None)
    user.__dict__.pop("_area_names", None)


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


def give_role(session: Session, person: Person, data: RoleInput) -> PersonRole:
    """``add_role`` from the registry's pages: an archived person takes no new roles."""
    if not person.active:
        raise RuleViolation(
            _l("This person is archived; an archived person takes no new roles."), field="role"
        )
    return add_role(session, person, data)


def end_role(role: PersonRole, *, on: date) -> None:
    if role.ended_on is not None:
        raise RuleViolation(_l("This role has ended already."))
    if on < role.started_on:
        raise RuleViolation(_l("A role cannot end before it started."), field="ended_on")
    role.ended_on = on
    if role.person.user is not None:
        forget_areas(role.person.user)


# --- the registry's people: contact details, archiving, accounts, the Linking Pins ----------

NAME_MAX = 120
FUNCTION_MAX = 120
EMAIL_MAX = 254


@dataclass(frozen=True)
class PersonInput:
    name: str
    function: str = ""
    organisation: Organisation | None = None
    email: str = ""
    phone: str = ""


def save_person(session: Session, person: Person | None, data: PersonInput) -> Person:
    """Create a person of the pact (``person`` None) or change their contact details.

    Names and functions are trimmed; the e-mail address must be one (stored as validated); the
    phone number follows the one phone rule. A new person, or a person moved to another
    organisation, cannot join an organisation that has left the pact."""
    name = (data.name or "").strip()
    if not name:
        raise RuleViolation(_l("Give the person's name."), field="name")
    if len(name) > NAME_MAX:
        raise RuleViolation(_l("Use at most %(n)d characters.", n=NAME_MAX), field="name")
    function = (data.function or "").strip()
    if len(function) > FUNCTION_MAX:
        raise RuleViolation(_l("Use at most %(n)d characters.", n=FUNCTION_MAX), field="function")
    email = (data.email or "").strip()
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            raise RuleViolation(_l("Give a valid e-mail address."), field="email") from None
        if len(email) > EMAIL_MAX:
            raise RuleViolation(_l("Use at most %(n)d characters.", n=EMAIL_MAX), field="email")
    phone = phones.normalise_optional(data.phone, field="phone")
    organisation = data.organisation
    moved = organisation is not None and (
        person is None or person.organisation_id != organisation.id
    )
    if moved and organisation.has_left:
        raise RuleViolation(
            _l("This organisation has left the pact; choose another one."), field="organisation"
        )
    if person is None:
        person = Person()
        session.add(person)
    person.name = name
    person.function = function
    person.organisation = organisation
    person.email = email
    person.phone = phone
    session.flush()
    return person


def check_archive(person: Person, *, by: User) -> None:
    """Whether ``by`` may archive ``person`` (asked before the confirmation, and again on
    archiving). Nobody archives their own person: it would block their own account. Someone
    who is not pact support staff (an organisation contact) does not archive a person with an
    account: blocking it is support staff's."""
    from maatjes.domain import accounts

    if not person.active:
        raise RuleViolation(_l("This person is archived already."))
    if person.user_id is not None and person.user_id == by.id:
        raise RuleViolation(
            _l(
                "You cannot archive yourself: it would block your own account. Ask the pact's"
                " support staff."
            )
        )
    if person.user is not None and not accounts.may_manage(by, person.user):
        raise RuleViolation(
            _l(
                "%(name)s has an account: ask the pact's support staff to archive them, so the"
                " account is blocked too.",
                name=person.name,
            )
        )


def archive_person(session: Session, person: Person, *, by: User, today: date) -> None:
    """Archive a person (kept for the history of meetings, actions and theme groups): their
    current roles in the pact end today, and their account, if any, is blocked."""
    from maatjes.domain import accounts

    check_archive(person, by=by)
    person.active = False
    for held in person.roles:
        if held.current:
            # A role that was to start later never starts.
            held.ended_on = max(today, held.started_on)
    user = person.user
    if user is not None:
        forget_areas(user)
        user.__dict__.pop("_organisation_id", None)
        if user.active and accounts.may_manage(by, user):
            accounts.set_active(session, by, user, False)
    session.flush()


def current_linking_pin_areas(person: Person) -> list[Area]:
    return [
        held.area
        for held in person.roles
        if held.current and held.role == PersonRole.LINKING_PIN and held.area is not None
    ]


def create_account(
    session: Session,
    person: Person,
    *,
    role: str,
    area: Area | None,
    by: User,
    now: datetime,
    link_hours: int,
) -> tuple[User, str]:
    """An account for a person of the registry (their name and e-mail address); returns the
    user and the one-time set-password token.

    A Linking Pin's account needs the person to be a current Linking Pin, or an area chosen here,
    which is then recorded as their role (the handovers of that area reach them). An
    organisation contact's account needs the person's organisation. Project leads create
    accounts for the roles that are not staff. A person has at most one account."""
    from maatjes.domain import accounts

    if person.user_id is not None:
        raise RuleViolation(_l("This person has an account already."))
    if not person.active:
        raise RuleViolation(_l("This person is archived; an archived person gets no account."))
    if not person.email:
        raise RuleViolation(
            _l("This person has no e-mail address to log in with. Add it to their details first.")
        )
    if role not in Role.ALL:
        raise RuleViolation(_l("Choose a role."), field="role")
    if role in Role.STAFF and by.role != Role.ADMIN:
        raise RuleViolation(_l("Only pact support staff can create staff accounts."), field="role")
    if role == Role.LINKING_PIN and by.role != Role.ADMIN:
        # Roles in the pact are recorded by its support staff: a lead gives an account only to
        # a person the registry already holds as a Linking Pin, for an area they hold.
        held = current_linking_pin_areas(person)
        if not held:
            raise RuleViolation(
                _l(
                    "Only pact support staff record a new Linking Pin of an area. Ask them to"
                    " add the role in the registry first."
                ),
                field="role",
            )
        if area is not None and area not in held:
            raise RuleViolation(
                _l("This person is not the Linking Pin of that area."), field="area"
            )
    if role == Role.LINKING_PIN and area is None:
        held = current_linking_pin_areas(person)
        if not held:
            raise RuleViolation(
                _l(
                    "This person is not a Linking Pin of an area yet. Choose the area they are"
                    " the Linking Pin of."
                ),
                field="area",
            )
        area = held[0]
    if role == Role.ORGANISATION_CONTACT:
        if person.organisation is None:
            raise RuleViolation(
                _l(
                    "An organisation contact needs their organisation: record it on this"
                    " person first."
                ),
                field="role",
            )
        if person.organisation.has_left:
            raise RuleViolation(_l("This person's organisation has left the pact."), field="role")
    if role not in Role.AREA_BOUND:
        area = None
    user, token = accounts.create_user(
        session,
        email=person.email,
        name=person.name,
        role=role,
        area=area,
        by=by,
        now=now,
        link_hours=link_hours,
        organisation=person.organisation,
        person=person,
    )
    # A Linking Pin's and an organisation contact's account is linked to the person by
    # ``create_user``; the other roles here, so the person shows their account.
    if person.user is None:
        person.user = user
    session.flush()
    return user, token


@dataclass
class LinkingPin:
    """A person the registry records as a current Linking Pin of an area, and whether the
    handovers of the area reach their account."""

    role: PersonRole
    receives: bool

    @property
    def person(self) -> Person:
        return self.role.person

    @property
    def problem(self) -> str | None:
        """Why handovers do not reach this Linking Pin ("no_account", "blocked",
        "other_role"), or None."""
        user = self.person.user
        if user is None:
            return "no_account"
        if not user.active:
            return "blocked"
        if user.role != Role.LINKING_PIN:
            return "other_role"
        return None


@dataclass
class AreaLinkingPins:
    area: Area
    pins: list[LinkingPin]
    buurtteam_accounts: int

    @property
    def reached(self) -> bool:
        """Whether a new handover to this area reaches at least one Linking Pin."""
        return any(pin.receives for pin in self.pins)


def linking_pins_by_area(
    session: Session, area_ids: list[int] | None = None
) -> list[AreaLinkingPins]:
    """Per area (``area_ids``, or every area) its current Linking Pins from the registry and
    whether a new handover reaches each of them, computed with the SQL the handover module
    notifies with (``acts_for_area``: active accounts only). Three statements."""
    from sqlalchemy.orm import joinedload

    areas_query = select(Area).order_by(Area.name, Area.id)
    if area_ids is not None:
        areas_query = areas_query.where(Area.id.in_(area_ids))
    areas = session.scalars(areas_query).all()
    if not areas:
        return []
    ids = [a.id for a in areas]
    roles = session.scalars(
        select(PersonRole)
        .join(Person, Person.id == PersonRole.person_id)
        .where(
            PersonRole.role == PersonRole.LINKING_PIN,
            PersonRole.ended_on.is_(None),
            PersonRole.area_id.in_(ids),
        )
        .options(
            joinedload(PersonRole.person).joinedload(Person.user),
            joinedload(PersonRole.person).joinedload(Person.organisation),
        )
        .order_by(Person.name, PersonRole.id)
    ).all()
    # Who a handover of each area reaches: the same condition ``events.handover_sent`` uses.
    reached = session.execute(
        select(Area.id, User.id, User.role)
        .join(User, and_(User.active.is_(True), acts_for_area(Area.id)))
        .where(Area.id.in_(ids))
    ).all()
    receivers = {(area_id, user_id) for area_id, user_id, _role in reached}
    buurtteam: dict[int, int] = {}
    for area_id, _user_id, role in reached:
        if role == Role.BUURTTEAM:
            buurtteam[area_id] = buurtteam.get(area_id, 0) + 1
    pins: dict[int, list[LinkingPin]] = {area_id: [] for area_id in ids}
    for held in roles:
        user_id = held.person.user_id
        receives = user_id is not None and (held.area_id, user_id) in receivers
        pins[held.area_id].append(LinkingPin(held, receives))
    return [AreaLinkingPins(a, pins[a.id], buurtteam.get(a.id, 0)) for a in areas]
