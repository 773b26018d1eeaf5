"""Short builders for test data; each flushes, none commits unless asked."""

import itertools
from datetime import date, timedelta

from maatjes.domain import matching
from maatjes.domain.languages import LanguageChoice
from maatjes.domain.residents import ResidentInput, register_resident
from maatjes.domain.training import record_attendance
from maatjes.domain.volunteers import VolunteerInput, save_volunteer
from maatjes.extensions import db
from maatjes.models import (
    Area,
    Organisation,
    Person,
    PersonRole,
    Role,
    Training,
    TrainingSession,
    User,
)

_seq = itertools.count(1)
TODAY = date(2022, 3, 9)  # a Wednesday


def make_area(name: str = "Bijlmer-Oost") -> Area:
    area = db.session.query(Area).filter_by(name=name).one_or_none()
    if area is None:
        area = Area(name=name)
        db.session.add(area)
        db.session.flush()
    return area


def make_org(name: str = "ProFor") -> Organisation:
    org = db.session.query(Organisation).filter_by(name=name).one_or_none()
    if org is None:
        org = Organisation(name=name)
        db.session.add(org)
        db.session.flush()
    return org


def make_user(role: str = Role.LEAD, area: Area | None = None, name: str | None = None) -> User:
    n = next(_seq)
    user = User(
        email=f"user{n}@example.org",
        name=name or f"{role.title()} {n}",
        role=role,
        area=area if role != Role.LINKING_PIN else None,
    )
    db.session.add(user)
    db.session.flush()
    if role == Role.LINKING_PIN and area is not None:
        # A Linking Pin's area is the registry's: their person holds the role for the area.
        make_linking_pin(user, area)
    return user


def make_linking_pin(user: User, area: Area, since: date = date(2021, 1, 1)) -> Person:
    person = db.session.query(Person).filter_by(user_id=user.id).one_or_none()
    if person is None:
        person = Person(name=user.name, email=user.email, user=user)
        db.session.add(person)
    db.session.add(
        PersonRole(person=person, role=PersonRole.LINKING_PIN, area=area, started_on=since)
    )
    db.session.flush()
    return person


def make_organisation_contact(org: Organisation, name: str | None = None) -> User:
    """An organisation contact's account: a person of ``org`` with the account."""
    user = make_user(Role.ORGANISATION_CONTACT, name=name)
    db.session.add(Person(name=user.name, email=user.email, organisation=org, user=user))
    db.session.flush()
    return user


def default_lead() -> User:
    """The first lead, created when there is none (builders need someone to act)."""
    lead = db.session.query(User).filter_by(role=Role.LEAD).order_by(User.id).first()
    return lead or make_user(Role.LEAD)


def _training(kind: str) -> Training:
    training = db.session.query(Training).filter_by(kind=kind).first()
    if training is None:
        training = Training(name=f"Training {kind}", kind=kind)
        db.session.add(training)
        db.session.flush()
    return training


def make_session(kind: str, held_on: date) -> TrainingSession:
    session = TrainingSession(training=_training(kind), held_on=held_on)
    db.session.add(session)
    db.session.flush()
    return session


def train(volunteer, *, basic_on: date | None, money_maatje_on: date | None) -> None:
    if basic_on:
        record_attendance(db.session, volunteer, make_session("basic", basic_on), completed=True)
    if money_maatje_on:
        record_attendance(
            db.session, volunteer, make_session("money_maatje", money_maatje_on), completed=True
        )


def make_volunteer(
    languages=("nl",),
    *,
    trained: bool = True,
    areas=(),
    user: User | None | bool = True,
    name: str | None = None,
    active: bool = True,
):
    n = next(_seq)
    if user is True:
        user = make_user(Role.VOLUNTEER, name=name)
    volunteer = save_volunteer(
        db.session,
        None,
        VolunteerInput(
            name=name or f"Volunteer {n}",
            organisation=make_org(),
            phone=f"06 5555 {n:04d}",
            email="",
            languages=[LanguageChoice(code) for code in languages],
            areas=[make_area(a) for a in areas],
            user=user or None,
            active=active,
        ),
        today=TODAY,
    )
    if trained:
        train(volunteer, basic_on=date(2021, 10, 1), money_maatje_on=date(2021, 12, 1))
    return volunteer


def make_resident(languages=("nl",), *, area: str = "Bijlmer-Oost", by: User | None = None, **kw):
    n = next(_seq)
    by = by or default_lead()
    data = ResidentInput(
        first_name=kw.get("first_name", f"Resident{n}"),
        last_name=kw.get("last_name", "Test"),
        phone=kw.get("phone", f"06 1234 {n:04d}"),
        area=make_area(area),
        neighbourhood=kw.get("neighbourhood", "Holendrecht"),
        languages=[LanguageChoice(code) for code in languages],
        needs=kw.get("needs", ["debts"]),
        source=kw.get("source", "self"),
        consent=True,
        consent_on=TODAY - timedelta(days=7),
    )
    return register_resident(db.session, data, by=by, today=TODAY)


def make_match(volunteer, resident, *, started_on: date = TODAY, by: User | None = None):
    return matching.assign_resident(
        db.session,
        volunteer_id=volunteer.id,
        resident=resident,
        started_on=started_on,
        by=by or default_lead(),
        today=started_on,
    )


def login(client, user: User | int, version: int = 0) -> None:
    """Log the test client in as ``user`` (a User or its id) without the password round trip
    (nor the two-factor step). ``version`` is the user's session version (0 for a new user)."""
    if isinstance(user, User):
        user_id, version = user.id, user.session_version or 0
    else:
        user_id = user
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:{version}"
        session["_fresh"] = True


def client_as(app, user: User | int, *, locale: str = "en"):
    """A test client logged in as ``user``, in ``locale`` (the catalog's source, English)."""
    client = app.test_client()
    login(client, user)
    with client.session_transaction() as session:
        session["locale"] = locale
    return client


def volunteer_form(organisation_id: int, **changes: str) -> dict:
    """What a lead types into the new-volunteer form."""
    form = {
        "name": "Dubbel Test",
        "organisation": str(organisation_id),
        "phone": "06 1111 1111",
        "languages": "nl",
        "user": "0",
        "active": "y",
    }
    return {**form, **changes}


def intake_form(area_id: int, **changes: str) -> dict:
    """What a lead types into the intake form, consent given today."""
    from maatjes.domain.clock import local_today

    form = {
        "first_name": "Ama",
        "last_name": "Owusu",
        "phone": "0612345678",
        "area": str(area_id),
        "languages": "tw",
        "source": "self",
        "consent": "y",
        "consent_on": local_today().isoformat(),
    }
    return {**form, **changes}


def statements_of_get(app, client, url: str, headers: dict | None = None) -> int:
    """How many SQL statements one GET of ``url`` issues (transaction control left out); the
    page must answer 200. Pages whose count must not grow with the data compare this at two
    sizes."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    seen = []

    def collect(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", collect)
    try:
        response = client.get(url, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", collect)
    assert response.status_code == 200, url
    return len(seen)
