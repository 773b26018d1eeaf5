"""The registry's people: contact details, roles, archiving, accounts, and the Linking Pins per
area computed with the SQL the handover module notifies with."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from maatjes.domain import people
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.models import Organisation, Person, PersonRole, Role, User
from tests.builders import make_area, make_org, make_user

NOW = datetime(2022, 3, 9, 10, 0)
TODAY = NOW.date()


def _account(person, role, area=None, by=None):
    return people.create_account(
        db.session,
        person,
        role=role,
        area=area,
        by=by or make_user(Role.ADMIN),
        now=NOW,
        link_hours=72,
    )


# --- contact details -----------------------------------------------------------------------


def test_a_person_is_saved_trimmed_with_a_valid_email_and_phone():
    org = make_org("Venzo")
    person = people.save_person(
        db.session,
        None,
        people.PersonInput(
            name="  Ama Mensah ",
            function=" Coordinator ",
            organisation=org,
            email=" ama@Venzo.example ",
            phone="06 1234 5678",
        ),
    )
    assert (person.name, person.function, person.email, person.phone) == (
        "Ama Mensah",
        "Coordinator",
        "ama@venzo.example",
        "+31612345678",
    )
    assert person.organisation is org and person.active


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (people.PersonInput(name=" "), "name"),
        (people.PersonInput(name="x" * 121), "name"),
        (people.PersonInput(name="Ok", function="f" * 121), "function"),
        (people.PersonInput(name="Ok", email="ama@"), "email"),
        (people.PersonInput(name="Ok", phone="0000"), "phone"),
    ],
)
def test_bad_contact_details_are_refused_on_their_field(data, field):
    with pytest.raises(RuleViolation) as refused:
        people.save_person(db.session, None, data)
    assert refused.value.field == field
    assert db.session.scalar(select(Person.id)) is None


def test_nobody_joins_an_organisation_that_left_but_its_people_keep_it():
    left = Organisation(name="Gone", status="left")
    db.session.add(left)
    db.session.flush()
    with pytest.raises(RuleViolation) as refused:
        people.save_person(db.session, None, people.PersonInput(name="New", organisation=left))
    assert refused.value.field == "organisation"
    old = Person(name="Old", organisation=left)
    db.session.add(old)
    db.session.flush()
    people.save_person(db.session, old, people.PersonInput(name="Old Hand", organisation=left))
    assert old.name == "Old Hand" and old.organisation is left


# --- archiving -----------------------------------------------------------------------------


def test_archiving_ends_current_roles_today_keeps_past_ones_and_blocks_the_account():
    area = make_area("Bijlmer-Oost")
    pin = make_user(Role.LINKING_PIN, area=area)
    person = db.session.scalar(select(Person).where(Person.user_id == pin.id))
    past = PersonRole(
        person=person,
        role=PersonRole.TRAINER,
        started_on=date(2019, 1, 1),
        ended_on=date(2019, 12, 31),
    )
    later = PersonRole(person=person, role=PersonRole.CORE_GROUP, started_on=date(2022, 6, 1))
    db.session.add_all([past, later])
    db.session.flush()
    assert people.area_ids(db.session, pin) == {area.id}
    admin = make_user(Role.ADMIN)
    people.archive_person(db.session, person, by=admin, today=TODAY)
    assert not person.active and not pin.active
    ends = {r.role: r.ended_on for r in person.roles}
    assert ends == {
        PersonRole.LINKING_PIN: TODAY,
        PersonRole.TRAINER: date(2019, 12, 31),
        PersonRole.CORE_GROUP: date(2022, 6, 1),  # it never started
    }
    assert people.area_ids(db.session, pin) == frozenset()
    with pytest.raises(RuleViolation):
        people.archive_person(db.session, person, by=admin, today=TODAY)
    with pytest.raises(RuleViolation) as refused:
        people.give_role(db.session, person, people.RoleInput(PersonRole.TRAINER, started_on=TODAY))
    assert "archived" in str(refused.value.message)


# --- accounts ------------------------------------------------------------------------------


def test_a_linking_pin_account_uses_the_current_role_and_routes_there():
    area = make_area("Gaasperdam")
    person = Person(name="Esther", email="esther@example.org")
    db.session.add(person)
    db.session.flush()
    people.add_role(
        db.session, person, people.RoleInput(PersonRole.LINKING_PIN, started_on=TODAY, area=area)
    )
    user, token = _account(person, Role.LINKING_PIN)
    assert token and person.user is user and user.area_id is None
    assert len(person.roles) == 1  # not recorded twice
    assert people.area_ids(db.session, user) == {area.id}
    receivers = db.session.scalars(
        select(User.id).where(User.active.is_(True), people.acts_for_area(area.id))
    ).all()
    assert receivers == [user.id]


def test_an_account_of_another_role_is_linked_to_the_person_too():
    area = make_area("Bijlmer-Oost")
    person = Person(name="Team Member", email="team@example.org")
    db.session.add(person)
    db.session.flush()
    user, _token = _account(person, Role.BUURTTEAM, area=area)
    assert person.user is user and user.area_id == area.id and user.role == Role.BUURTTEAM
    assert person.roles == []  # a buurtteam account records no Linking Pin role


@pytest.mark.parametrize(
    ("setup", "role", "by_role", "message"),
    [
        ("no_email", Role.VOLUNTEER, Role.ADMIN, "no e-mail address"),
        ("archived", Role.VOLUNTEER, Role.ADMIN, "archived"),
        ("has_account", Role.VOLUNTEER, Role.ADMIN, "has an account already"),
        ("plain", Role.LINKING_PIN, Role.ADMIN, "not a Linking Pin of an area yet"),
        ("plain", Role.ORGANISATION_CONTACT, Role.ADMIN, "needs their organisation"),
        ("left_org", Role.ORGANISATION_CONTACT, Role.ADMIN, "left the pact"),
        ("plain", Role.LEAD, Role.LEAD, "Only pact support staff"),
        ("plain", Role.ADMIN, Role.LEAD, "Only pact support staff"),
        ("plain", "superuser", Role.ADMIN, "Choose a role."),
        ("plain", Role.BUURTTEAM, Role.ADMIN, "need an area"),
        ("taken_email", Role.VOLUNTEER, Role.ADMIN, "already an account with this e-mail"),
    ],
)
def test_account_refusals(setup, role, by_role, message):
    person = Person(name="Someone", email="someone@example.org")
    if setup == "no_email":
        person.email = ""
    elif setup == "archived":
        person.active = False
    elif setup == "has_account":
        person.user = make_user(Role.VOLUNTEER)
    elif setup == "left_org":
        person.organisation = Organisation(name="Gone", status="left")
    elif setup == "taken_email":
        make_user(Role.VOLUNTEER).email = "someone@example.org"
    db.session.add(person)
    db.session.flush()
    users_before = db.session.scalars(select(User.id)).all()
    with pytest.raises(RuleViolation) as refused:
        _account(person, role, by=make_user(by_role))
    assert message in str(refused.value.message)
    db.session.rollback()
    assert len(db.session.scalars(select(User.id)).all()) <= len(users_before)


# --- the Linking Pins per area -------------------------------------------------------------


def test_linking_pins_per_area_say_who_receives_the_handovers_and_why_not():
    oost, centrum, gaasperdam = (
        make_area("Bijlmer-Oost"),
        make_area("Bijlmer-Centrum"),
        make_area("Gaasperdam"),
    )
    receiving = make_user(Role.LINKING_PIN, area=oost, name="Receiving Pin")
    blocked = make_user(Role.LINKING_PIN, area=centrum, name="Blocked Pin")
    blocked.active = False
    other_role = make_user(Role.LEAD, name="Lead Pin")
    from tests.builders import make_linking_pin

    make_linking_pin(other_role, centrum)
    no_account = Person(name="No Account Pin")
    db.session.add(no_account)
    db.session.add(
        PersonRole(person=no_account, role=PersonRole.LINKING_PIN, area=centrum, started_on=TODAY)
    )
    ended = make_user(Role.LINKING_PIN, area=gaasperdam, name="Ended Pin")
    for held in db.session.scalar(select(Person).where(Person.user_id == ended.id)).roles:
        held.ended_on = TODAY
    make_user(Role.BUURTTEAM, area=oost)
    make_user(Role.BUURTTEAM, area=oost)
    db.session.flush()

    rows = {row.area.name: row for row in people.linking_pins_by_area(db.session)}
    assert list(rows) == ["Bijlmer-Centrum", "Bijlmer-Oost", "Gaasperdam"]
    assert rows["Bijlmer-Oost"].reached and rows["Bijlmer-Oost"].buurtteam_accounts == 2
    assert [(p.person.name, p.receives) for p in rows["Bijlmer-Oost"].pins] == [
        ("Receiving Pin", True)
    ]
    assert not rows["Bijlmer-Centrum"].reached
    problems = {p.person.name: p.problem for p in rows["Bijlmer-Centrum"].pins}
    assert problems == {
        "Blocked Pin": "blocked",
        "Lead Pin": "other_role",
        "No Account Pin": "no_account",
    }
    assert rows["Gaasperdam"].pins == [] and not rows["Gaasperdam"].reached
    only = people.linking_pins_by_area(db.session, [oost.id])
    assert [row.area.name for row in only] == ["Bijlmer-Oost"]
    assert receiving.id in {p.person.user_id for p in only[0].pins}
