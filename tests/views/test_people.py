"""The people of the pact through the pages: the list, a person, contact details, roles in the
pact, accounts, archiving, and the Linking Pins per area that the handovers reach."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from maatjes.domain import events, handovers
from maatjes.domain.clock import local_today
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import (
    Base,
    Notification,
    Organisation,
    Person,
    PersonRole,
    Role,
    ThemeGroup,
    User,
)
from tests.builders import (
    TODAY,
    client_as,
    login,
    make_area,
    make_org,
    make_resident,
    make_user,
    make_volunteer,
    statements_of_get,
)

ROLES = (
    "anonymous",
    "admin",
    "lead",
    "volunteer",
    "buurtteam",
    "linking_pin",
    "organisation_contact",
)
OK, LOGIN = "ok", "login"


def text(response) -> str:
    return response.get_data(as_text=True)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _counts() -> dict:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
        if table.name not in ("audit_events", "notifications", "job_runs")
    }


# --- the world -----------------------------------------------------------------------------


def _world() -> dict:
    """Two areas, an organisation active in each, a person of each, an organisation contact
    of the first, and one account of every role (the Linking Pin and buurtteam in Oost)."""
    oost, centrum = make_area("Bijlmer-Oost"), make_area("Bijlmer-Centrum")
    ours, theirs = make_org("Venzo"), make_org("SurAnt")
    ours.areas.append(oost)
    theirs.areas.append(centrum)
    mine = Person(name="Ama Mensah", organisation=ours, email="ama@venzo.example")
    other = Person(name="Kofi Boateng", organisation=theirs, email="kofi@surant.example")
    db.session.add_all([mine, other])
    db.session.flush()
    role = PersonRole(person=mine, role=PersonRole.CORE_GROUP, started_on=date(2021, 1, 1))
    db.session.add(role)
    contact_user = make_user(Role.ORGANISATION_CONTACT)
    db.session.add(Person(name=contact_user.name, organisation=ours, user=contact_user))
    users = {
        "admin": make_user(Role.ADMIN),
        "lead": make_user(Role.LEAD),
        "volunteer": make_volunteer(("nl",)).user,
        "buurtteam": make_user(Role.BUURTTEAM, area=oost),
        "linking_pin": make_user(Role.LINKING_PIN, area=oost),
        "organisation_contact": contact_user,
    }
    db.session.commit()
    return {
        "users": {name: user.id for name, user in users.items()},
        "mine": mine.id,
        "other": other.id,
        "role": role.id,
        "oost": oost.id,
        "centrum": centrum.id,
        "ours": ours.id,
    }


@pytest.fixture
def world(app):
    with app.app_context():
        return _world()


def _outcome(response):
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return LOGIN
    if response.status_code in (403, 404):
        return response.status_code
    assert response.status_code in (200, 302, 422), response.status_code
    return OK


def _expect(**special):
    base = {"anonymous": LOGIN, **{r: 403 for r in ROLES[1:]}}
    return {**base, **special}


READERS_MINE = _expect(admin=OK, lead=OK, buurtteam=OK, linking_pin=OK, organisation_contact=OK)
READERS_OTHER = _expect(admin=OK, lead=OK, buurtteam=404, linking_pin=404, organisation_contact=404)
ADMIN_ONLY = _expect(admin=OK)
STAFF = _expect(admin=OK, lead=OK)
EDITORS_MINE = _expect(admin=OK, organisation_contact=OK)
EDITORS_OTHER = _expect(admin=OK, organisation_contact=404)

ROUTES = [
    ("GET", "/registry/people/", READERS_MINE),
    ("GET", "/registry/people/{mine}", READERS_MINE),
    ("GET", "/registry/people/{other}", READERS_OTHER),
    ("GET", "/registry/people/new", EDITORS_MINE),
    ("POST", "/registry/people/new", EDITORS_MINE),
    ("GET", "/registry/people/{mine}/edit", EDITORS_MINE),
    ("POST", "/registry/people/{mine}/edit", EDITORS_MINE),
    ("GET", "/registry/people/{other}/edit", EDITORS_OTHER),
    ("POST", "/registry/people/{mine}/archive", EDITORS_MINE),
    ("POST", "/registry/people/{other}/archive", EDITORS_OTHER),
    ("POST", "/registry/people/{mine}/roles", ADMIN_ONLY),
    ("POST", "/registry/people/roles/{role}/end", ADMIN_ONLY),
    ("GET", "/registry/people/{mine}/account", STAFF),
    ("POST", "/registry/people/{mine}/account", STAFF),
    ("GET", "/registry/people/linking-pins", STAFF),
]


@pytest.mark.parametrize(("method", "template", "expected"), ROUTES)
def test_who_may_use_each_people_page(app, world, method, template, expected):
    url = template.format(**world)
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            login(client, world["users"][role])
        response = client.open(url, method=method, data={})
        assert _outcome(response) == expected[role], f"{method} {url} as {role}"


def test_an_unknown_person_or_role_is_absent(app, world):
    client = client_as(app, world["users"]["admin"])
    for method, url in [
        ("GET", "/registry/people/999999"),
        ("GET", "/registry/people/999999/edit"),
        ("POST", "/registry/people/999999/archive"),
        ("POST", "/registry/people/999999/roles"),
        ("POST", "/registry/people/roles/999999/end"),
        ("GET", "/registry/people/999999/account"),
        ("GET", f"/registry/people/{2**64}"),
    ]:
        assert client.open(url, method=method).status_code == 404, url


# --- the core: a Linking Pin recorded through the pages receives the area's handovers -----


def _handover_to(area_name: str) -> int:
    lead = make_user(Role.LEAD)
    resident = make_resident(("nl",), area=area_name, by=lead)
    data = HandoverInput(reason="Debts", needs="", urgency="normal", consent=True, consent_on=TODAY)
    handover = handovers.start_handover(db.session, resident, data, by=lead, today=TODAY)
    db.session.commit()
    return handover.id


def test_a_linking_pin_recorded_through_the_pages_receives_the_handovers_of_the_area(app):
    with app.app_context():
        area = make_area("Gaasperdam")
        org = make_org("Ijssie in de Wijk")
        admin_id = make_user(Role.ADMIN).id
        db.session.commit()
        area_id, org_id = area.id, org.id
    admin = client_as(app, admin_id)

    # The linking pins page warns: handovers to Gaasperdam reach no Linking Pin.
    page = text(admin.get("/registry/people/linking-pins"))
    assert 'id="unreached"' in page and "Gaasperdam" in page

    response = admin.post(
        "/registry/people/new",
        data={
            "name": "Esther Pinas",
            "function": "Linking Pin",
            "organisation": str(org_id),
            "email": "esther@ijssie.example",
            "phone": "06 1234 5678",
        },
    )
    assert response.status_code == 302
    person_id = int(re.search(r"/registry/people/(\d+)$", response.headers["Location"])[1])

    today = local_today().isoformat()
    response = admin.post(
        f"/registry/people/{person_id}/roles",
        data={"role": "linking_pin", "area": str(area_id), "started_on": today},
    )
    assert response.status_code == 302
    response = admin.get(f"/registry/people/{person_id}/account")
    assert "Linking Pin of: Gaasperdam" in text(response)
    response = admin.post(f"/registry/people/{person_id}/account", data={"role": "linking_pin"})
    assert response.status_code == 200
    assert "/password/" in text(response)  # the one-time link
    with app.app_context():
        person = db.session.get(Person, person_id)
        user = person.user
        assert user is not None and user.role == Role.LINKING_PIN and user.email == person.email
        assert user.area_id is None  # the area is the registry's, not the account's
        roles = [(r.role, r.area_id) for r in person.roles]
        assert roles == [("linking_pin", area_id)]  # not recorded a second time
        pin_id = user.id

    page = text(admin.get("/registry/people/linking-pins"))
    assert 'id="unreached"' not in page
    assert re.search(rf'id="area-{area_id}" data-reached="yes"', page)

    with app.app_context():
        handover_id = _handover_to("Gaasperdam")
        notes = db.session.scalars(
            select(Notification.user_id).where(
                Notification.kind == events.HANDOVER_NEW,
                Notification.handover_id == handover_id,
            )
        ).all()
        assert pin_id in notes

    pin = client_as(app, pin_id)
    listing = text(pin.get("/handovers"))
    assert f"/handovers/{handover_id}" in listing
    assert pin.get(f"/handovers/{handover_id}").status_code == 200

    # The role ends (today): the handovers of the area no longer reach this account.
    with app.app_context():
        role_id = db.session.scalar(select(PersonRole.id).where(PersonRole.person_id == person_id))
    response = admin.post(f"/registry/people/roles/{role_id}/end", data={"ended_on": today})
    assert response.status_code == 302
    pin = client_as(app, pin_id)
    assert f"/handovers/{handover_id}" not in text(pin.get("/handovers"))
    assert pin.get(f"/handovers/{handover_id}").status_code == 404
    page = text(admin.get("/registry/people/linking-pins"))
    assert re.search(rf'id="area-{area_id}" data-reached="no"', page)
    detail = text(admin.get(f"/registry/people/{person_id}"))
    assert 'id="past-roles"' in detail and "Gaasperdam" in detail

    with app.app_context():  # a new handover of the area: no notification for them any more
        second = _handover_to("Gaasperdam")
        assert not db.session.scalar(
            select(func.count()).where(
                Notification.kind == events.HANDOVER_NEW,
                Notification.handover_id == second,
                Notification.user_id == pin_id,
            )
        )


def test_an_area_chosen_for_a_linking_pin_account_is_recorded_as_their_role(app):
    with app.app_context():
        area = make_area("Bijlmer-Centrum")
        person = Person(name="Rinaldo Kross", email="rinaldo@example.org")
        db.session.add(person)
        admin_id = make_user(Role.ADMIN).id
        db.session.commit()
        person_id, area_id = person.id, area.id
    admin = client_as(app, admin_id)
    # Neither a current Linking Pin nor an area: refused with the reason, nothing written.
    with app.app_context():
        before = _counts()
    response = admin.post(f"/registry/people/{person_id}/account", data={"role": "linking_pin"})
    assert response.status_code == 422
    assert "not a Linking Pin of an area yet" in text(response)
    with app.app_context():
        assert _counts() == before
    response = admin.post(
        f"/registry/people/{person_id}/account",
        data={"role": "linking_pin", "area": str(area_id)},
    )
    assert response.status_code == 200
    with app.app_context():
        person = db.session.get(Person, person_id)
        assert [(r.role, r.area_id, r.current) for r in person.roles] == [
            ("linking_pin", area_id, True)
        ]
        assert person.user.role == Role.LINKING_PIN
    # No second account.
    response = admin.get(f"/registry/people/{person_id}/account")
    assert 'id="has-account"' in text(response)
    with app.app_context():
        before = _counts()
    response = admin.post(f"/registry/people/{person_id}/account", data={"role": "volunteer"})
    assert response.status_code == 422
    assert "has an account already" in text(response)
    with app.app_context():
        assert _counts() == before


def test_account_rules_per_role(app, world):
    lead = client_as(app, world["users"]["lead"])
    admin = client_as(app, world["users"]["admin"])
    url = f"/registry/people/{world['other']}/account"
    with app.app_context():
        before = _counts()
    # A project lead creates no staff accounts.
    response = lead.post(url, data={"role": "admin", "confirm_staff": "y"})
    assert response.status_code == 422
    # A staff account needs the tick first.
    response = admin.post(url, data={"role": "lead"})
    assert response.status_code == 422 and 'id="confirm-staff"' in text(response)
    # Buurtteam staff need an area.
    response = admin.post(url, data={"role": "buurtteam"})
    assert response.status_code == 422 and "need an area" in text(response)
    with app.app_context():
        assert _counts() == before
    # An organisation contact's account belongs to the person's organisation.
    response = lead.post(url, data={"role": "organisation_contact"})
    assert response.status_code == 200
    with app.app_context():
        person = db.session.get(Person, world["other"])
        assert person.user.role == Role.ORGANISATION_CONTACT
        assert person.organisation.name == "SurAnt"
    # Without an e-mail address: nothing to log in with.
    with app.app_context():
        bare = Person(name="No Mail")
        db.session.add(bare)
        db.session.commit()
        bare_id = bare.id
    response = admin.post(f"/registry/people/{bare_id}/account", data={"role": "volunteer"})
    assert response.status_code == 422 and "no e-mail address" in text(response)


def test_an_organisation_contact_without_an_organisation_is_refused(app, world):
    with app.app_context():
        bare = Person(name="Free Lancer", email="free@example.org")
        db.session.add(bare)
        db.session.commit()
        bare_id = bare.id
        before = _counts()
    admin = client_as(app, world["users"]["admin"])
    response = admin.post(
        f"/registry/people/{bare_id}/account", data={"role": "organisation_contact"}
    )
    assert response.status_code == 422
    assert "needs their organisation" in text(response)
    with app.app_context():
        assert _counts() == before


# --- the list ------------------------------------------------------------------------------


def test_the_list_searches_and_filters(app, world):
    with app.app_context():
        group = ThemeGroup(name="Armoede")
        db.session.add(group)
        gone = Person(name="Old Member", organisation_id=world["ours"], active=False)
        db.session.add(gone)
        db.session.commit()
    admin = client_as(app, world["users"]["admin"])

    def names(url):
        page = text(admin.get(url))
        return set(re.findall(r'/registry/people/\d+">([^<]+)</a>', page))

    everyone = names("/registry/people/")
    assert {"Ama Mensah", "Kofi Boateng"} <= everyone and "Old Member" not in everyone
    assert names("/registry/people/?q=venzo") >= {"Ama Mensah"}
    assert "Kofi Boateng" not in names("/registry/people/?q=venzo")
    assert names("/registry/people/?q=kofi@surant") == {"Kofi Boateng"}
    assert names("/registry/people/?role=core_group") == {"Ama Mensah"}
    linking = names("/registry/people/?role=linking_pin")
    assert len(linking) == 1 and "Ama Mensah" not in linking
    assert names(f"/registry/people/?organisation={world['ours']}") >= {"Ama Mensah"}
    assert "Kofi Boateng" not in names(f"/registry/people/?organisation={world['ours']}")
    with_account = names("/registry/people/?account=with")
    assert "Ama Mensah" not in with_account and len(with_account) == 2
    assert names("/registry/people/?account=without") >= {"Ama Mensah", "Kofi Boateng"}
    assert names("/registry/people/?status=archived") == {"Old Member"}
    # Unknown filter values are ignored, not an error.
    assert admin.get("/registry/people/?organisation=abc&role=boss&page=-1").status_code == 200


def test_each_role_sees_only_the_people_it_may(app, world):
    def names(role):
        page = text(client_as(app, world["users"][role]).get("/registry/people/"))
        return set(re.findall(r'/registry/people/\d+">([^<]+)</a>', page))

    assert {"Ama Mensah", "Kofi Boateng"} <= names("lead")
    for role in ("buurtteam", "linking_pin", "organisation_contact"):
        seen = names(role)
        assert "Ama Mensah" in seen and "Kofi Boateng" not in seen, role
    # An area's staff see its Linking Pins too (they have no organisation here).
    assert len(names("buurtteam")) == len(names("linking_pin"))
    # Accounts are for staff eyes only.
    assert "With an account" in text(
        client_as(app, world["users"]["lead"]).get("/registry/people/")
    )
    page = text(client_as(app, world["users"]["buurtteam"]).get("/registry/people/"))
    assert "With an account" not in page


def _people(n: int) -> dict:
    area = make_area("Bijlmer-Oost")
    org = make_org("Venzo")
    org.areas.append(area)
    group = ThemeGroup(name="Armoede")
    db.session.add(group)
    db.session.flush()
    for i in range(n):
        person = Person(name=f"Person {i:03d}", organisation=org, email=f"p{i}@example.org")
        db.session.add(person)
        db.session.add(
            PersonRole(
                person=person,
                role=PersonRole.LINKING_PIN if i % 2 else PersonRole.THEME_GROUP_LEAD,
                area=area if i % 2 else None,
                theme_group=None if i % 2 else group,
                started_on=date(2021, 1, 1),
            )
        )
        if i % 3 == 0:
            person.user = User(email=f"pu{i}@example.org", name=person.name, role=Role.VOLUNTEER)
    contact = make_user(Role.ORGANISATION_CONTACT)
    db.session.add(Person(name="Contact", organisation=org, user=contact))
    ids = {
        "admin": make_user(Role.ADMIN).id,
        "buurtteam": make_user(Role.BUURTTEAM, area=area).id,
        "organisation_contact": contact.id,
    }
    db.session.commit()
    return ids


def test_the_list_and_the_linking_pins_issue_the_same_statements_at_2_and_40_people(app):
    from tests.conftest import _empty_all_tables

    urls = [
        ("admin", "/registry/people/"),
        ("admin", "/registry/people/?q=person&role=linking_pin"),
        ("admin", "/registry/people/?account=with&page=2"),
        ("admin", "/registry/people/linking-pins"),
        ("buurtteam", "/registry/people/"),
        ("organisation_contact", "/registry/people/"),
    ]

    def measure(n):
        with app.app_context():
            ids = _people(n)
        result = {
            (role, url): statements_of_get(app, client_as(app, ids[role]), url)
            for role, url in urls
        }
        with app.app_context():
            _empty_all_tables()
        return result

    small, large = measure(2), measure(40)
    assert small == large


# --- one person ----------------------------------------------------------------------------


def test_the_person_page_shows_details_roles_account_and_theme_groups(app, world):
    with app.app_context():
        person = db.session.get(Person, world["mine"])
        person.phone = "+31612345678"
        person.function = "Coordinator"
        group = ThemeGroup(name="Armoede")
        group.people.append(person)
        db.session.add(group)
        db.session.add(
            PersonRole(
                person=person,
                role=PersonRole.TRAINER,
                started_on=date(2020, 1, 1),
                ended_on=date(2020, 12, 31),
            )
        )
        db.session.commit()
    lead_page = text(
        client_as(app, world["users"]["lead"]).get(f"/registry/people/{world['mine']}")
    )
    assert 'href="tel:+31-6-12345678"' in lead_page
    assert "Coordinator" in lead_page and "Venzo" in lead_page
    assert "Core group member" in lead_page  # current
    assert 'id="past-roles"' in lead_page and "Trainer" in lead_page
    assert "Armoede" in lead_page
    assert 'id="person-account"' in lead_page  # staff see the account line
    assert 'id="add-role"' not in lead_page  # roles are the admin's
    contact_page = text(
        client_as(app, world["users"]["organisation_contact"]).get(
            f"/registry/people/{world['mine']}"
        )
    )
    assert 'id="person-account"' not in contact_page
    assert 'id="edit-person"' in contact_page
    admin_page = text(
        client_as(app, world["users"]["admin"]).get(f"/registry/people/{world['mine']}")
    )
    assert 'id="add-role"' in admin_page and 'id="archive-person"' in admin_page


def test_an_organisation_contact_keeps_its_own_people_with_the_organisation_fixed(app, world):
    contact = client_as(app, world["users"]["organisation_contact"])
    page = text(contact.get("/registry/people/new"))
    assert 'id="fixed-organisation"' in page and 'name="organisation"' not in page
    response = contact.post(
        "/registry/people/new",
        data={
            "name": " Yaw Darko ",
            "email": "Yaw@Venzo.example",
            "phone": "020 123 4567",
            "organisation": str(world["ours"] + 1000),  # ignored: the organisation is fixed
        },
    )
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.name == "Yaw Darko"))
        assert person.organisation_id == world["ours"]
        assert person.phone == "+31201234567"
        assert person.email == "Yaw@venzo.example"
    response = contact.post(
        f"/registry/people/{world['mine']}/edit",
        data={"name": "Ama Mensah-Owusu", "function": "Director", "email": "", "phone": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(Person, world["mine"])
        assert person.name == "Ama Mensah-Owusu" and person.organisation_id == world["ours"]


def test_an_admin_chooses_from_the_organisations_that_have_not_left(app, world):
    with app.app_context():
        left = Organisation(name="Gone Foundation", status="left", left_on=date(2021, 6, 1))
        db.session.add(left)
        db.session.commit()
        left_id = left.id
        before = _counts()
    admin = client_as(app, world["users"]["admin"])
    page = text(admin.get("/registry/people/new"))
    assert "Gone Foundation" not in page and "Venzo" in page
    response = admin.post(
        "/registry/people/new", data={"name": "Someone", "organisation": str(left_id)}
    )
    assert response.status_code == 422 and "Not a valid choice" in text(response)
    with app.app_context():
        assert _counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "   "}, "This field is required."),
        ({"name": "x" * 121}, "120"),
        ({"name": "Ok", "email": "not-an-email"}, "Give a valid e-mail address."),
        ({"name": "Ok", "phone": "12"}, "This is not a phone number we can call."),
        ({"name": "Ok", "organisation": "abc"}, "Not a valid choice"),
        ({"name": "Ok", "organisation": str(2**64)}, "Not a valid choice"),
        ({"name": "Ok", "function": "f" * 121}, "120"),
    ],
)
def test_bad_contact_details_are_refused_with_a_message(app, world, data, message):
    with app.app_context():
        before = _counts()
    admin = client_as(app, world["users"]["admin"])
    for url in ("/registry/people/new", f"/registry/people/{world['mine']}/edit"):
        response = admin.post(url, data=data)
        assert response.status_code == 422, url
        assert message in text(response), url
    with app.app_context():
        assert _counts() == before
        assert db.session.get(Person, world["mine"]).name == "Ama Mensah"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a role."),
        ({"role": "king", "started_on": "2022-01-01"}, "Not a valid choice"),
        ({"role": "linking_pin", "started_on": "2022-01-01"}, "A Linking Pin needs an area."),
        (
            {"role": "theme_group_lead", "started_on": "2022-01-01"},
            "A theme group lead needs a theme group.",
        ),
        ({"role": "core_group", "started_on": "2022-01-01"}, "holds this role already"),
        ({"role": "trainer", "started_on": "0001-01-01"}, "from 1 January 2000 onwards"),
        ({"role": "trainer", "started_on": "9999-12-31"}, "at most five years ahead"),
        ({"role": "trainer", "started_on": "2022-02-30"}, "Not a valid date value"),
        ({"role": "trainer"}, "Give the first day."),
        ({"role": "linking_pin", "area": "x", "started_on": "2022-01-01"}, "Not a valid choice"),
    ],
)
def test_bad_roles_show_the_person_again_with_the_message(app, world, data, message):
    with app.app_context():
        before = _counts()
    admin = client_as(app, world["users"]["admin"])
    response = admin.post(f"/registry/people/{world['mine']}/roles", data=data)
    assert response.status_code == 422
    page = text(response)
    assert message in page and 'id="person-name"' in page
    with app.app_context():
        assert _counts() == before


@pytest.mark.parametrize(
    ("ended_on", "message"),
    [
        ("", "Give the last day."),
        ("2020-12-31", "A role cannot end before it started."),
        ("1999-12-31", "from 1 January 2000 onwards"),
        ("9999-01-01", "at most five years ahead"),
        ("yesterday", "Not a valid date value"),
    ],
)
def test_bad_role_ends_show_the_person_again_with_the_message(app, world, ended_on, message):
    admin = client_as(app, world["users"]["admin"])
    response = admin.post(
        f"/registry/people/roles/{world['role']}/end", data={"ended_on": ended_on}
    )
    assert response.status_code == 422
    assert message in text(response)
    with app.app_context():
        assert db.session.get(PersonRole, world["role"]).ended_on is None


def test_a_role_ends_once(app, world):
    admin = client_as(app, world["users"]["admin"])
    url = f"/registry/people/roles/{world['role']}/end"
    assert admin.post(url, data={"ended_on": "2022-01-31"}).status_code == 302
    response = admin.post(url, data={"ended_on": "2022-02-28"})
    assert response.status_code == 422 and "This role has ended already." in text(response)
    with app.app_context():
        assert db.session.get(PersonRole, world["role"]).ended_on == date(2022, 1, 31)


def test_archiving_asks_first_then_ends_the_roles_and_blocks_the_account(app, world):
    with app.app_context():
        pin_person = db.session.scalar(
            select(Person).where(Person.user_id == world["users"]["linking_pin"])
        )
        pin_id = pin_person.id
    admin = client_as(app, world["users"]["admin"])
    url = f"/registry/people/{pin_id}/archive"
    response = admin.post(url)
    assert response.status_code == 200 and 'id="confirm-question"' in text(response)
    with app.app_context():
        assert db.session.get(Person, pin_id).active
    response = admin.post(url, data={"confirmed": "1"})
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(Person, pin_id)
        assert not person.active
        assert all(r.ended_on == local_today() for r in person.roles)
        assert not person.user.active
    # Archived: no new role, no account, not in the default list.
    response = admin.post(
        f"/registry/people/{pin_id}/roles",
        data={"role": "trainer", "started_on": local_today().isoformat()},
    )
    assert response.status_code == 422
    assert "an archived person takes no new roles" in text(response)
    assert f'/registry/people/{pin_id}"' not in text(admin.get("/registry/people/"))
    assert f'/registry/people/{pin_id}"' in text(admin.get("/registry/people/?status=archived"))


def test_an_organisation_contact_archives_its_own_people_but_not_itself(app, world):
    contact = client_as(app, world["users"]["organisation_contact"], locale="en")
    with app.app_context():
        own_id = db.session.scalar(
            select(Person.id).where(Person.user_id == world["users"]["organisation_contact"])
        )
    page = text(contact.get(f"/registry/people/{world['mine']}"))
    assert 'id="archive-person"' in page
    assert 'id="archive-person"' not in text(contact.get(f"/registry/people/{own_id}"))
    url = f"/registry/people/{world['mine']}/archive"
    assert 'id="confirm-question"' in text(contact.post(url))
    assert contact.post(url, data={"confirmed": "1"}).status_code == 302
    with app.app_context():
        assert not db.session.get(Person, world["mine"]).active
    # Another organisation's person: absent.
    assert contact.post(f"/registry/people/{world['other']}/archive").status_code == 404
    # Itself: refused with a message, before the question; its account stays.
    response = contact.post(
        f"/registry/people/{own_id}/archive", data={"confirmed": "1"}, follow_redirects=True
    )
    assert "You cannot archive yourself" in text(response)
    with app.app_context():
        person = db.session.get(Person, own_id)
        assert person.active and person.user.active
        assert db.session.get(Person, world["other"]).active


def test_the_organisation_filter_with_an_organisation_out_of_scope_shows_no_one(app, world):
    contact = client_as(app, world["users"]["organisation_contact"], locale="en")
    mine = text(contact.get(f"/registry/people/?organisation={world['ours']}"))
    assert "Ama Mensah" in mine
    with app.app_context():
        theirs = db.session.scalar(
            select(Person.organisation_id).where(Person.id == world["other"])
        )
    for client in (contact, client_as(app, world["users"]["buurtteam"], locale="en")):
        page = text(client.get(f"/registry/people/?organisation={theirs}"))
        assert "Ama Mensah" not in page and "Kofi Boateng" not in page
        assert f'value="{theirs}"' not in page  # not a choice of the filter either


def test_a_linking_pin_without_an_area_is_told_why_the_lists_are_empty(app, world):
    from maatjes.models import PersonRole as Held

    pin = client_as(app, world["users"]["linking_pin"], locale="en")
    notice = "You are not recorded as the Linking Pin of an area"
    page = text(pin.get("/registry/people/"))
    assert notice not in page
    assert "· Linking Pin · Bijlmer-Oost" in page  # the navbar's "who" line names the area
    with app.app_context():
        for held in db.session.scalars(
            select(Held)
            .join(Person, Person.id == Held.person_id)
            .where(Person.user_id == world["users"]["linking_pin"])
        ):
            held.ended_on = held.started_on
        db.session.commit()
    page = text(pin.get("/registry/people/"))
    assert notice in page and "· Linking Pin · Bijlmer-Oost" not in page
    assert notice in text(pin.get("/registry/organisations/"))
    assert notice not in text(client_as(app, world["users"]["buurtteam"]).get("/registry/people/"))


def test_a_role_starting_later_is_recorded_and_a_theme_group_lead_needs_a_group(app, world):
    with app.app_context():
        group = ThemeGroup(name="Jongeren")
        db.session.add(group)
        db.session.commit()
        group_id = group.id
    admin = client_as(app, world["users"]["admin"])
    later = (local_today() + timedelta(days=30)).isoformat()
    response = admin.post(
        f"/registry/people/{world['other']}/roles",
        data={"role": "theme_group_lead", "theme_group": str(group_id), "started_on": later},
    )
    assert response.status_code == 302
    page = text(admin.get(f"/registry/people/{world['other']}"))
    assert "Theme group lead (Jongeren)" in page
