"""The organisations' pages: the whole admission as an admin clicks through it, access per role
for every route, bad input in every form, and lists that do not grow in statements."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import (
    Assessment,
    Organisation,
    Person,
    Role,
    ThemeGroup,
)
from tests.builders import client_as, make_area, make_user, make_volunteer, statements_of_get

CRITERIA = Assessment.CRITERIA


def _world() -> dict:
    """Organisations in two areas, a candidate, and a user of every role."""
    oost, centrum = make_area("Bijlmer-Oost"), make_area("Bijlmer-Centrum")
    volunteer = make_volunteer(("tw",))  # of ProFor
    profor = volunteer.organisation
    profor.status, profor.joined_on, profor.kind = "member", date(2019, 1, 1), "member"
    profor.areas = [centrum]
    in_oost = Organisation(
        name="Oost Samen", kind="member", status="member", joined_on=date(2018, 1, 1)
    )
    in_oost.areas = [oost]
    in_centrum = Organisation(
        name="Centrum Partner", kind="partner", status="partner", joined_on=date(2020, 1, 1)
    )
    in_centrum.areas = [centrum]
    candidate = Organisation(name="Kandidaat", kind="member", status="candidate")
    candidate.areas = [oost]
    db.session.add_all([in_oost, in_centrum, candidate, ThemeGroup(name="Armoede")])
    db.session.flush()
    contact_user = make_user(Role.ORGANISATION_CONTACT)
    contact = Person(
        name="Ama Mensah",
        organisation=in_centrum,
        user=contact_user,
        function="coordinator",
        email="ama@example.org",
        phone="+31612345678",
    )
    db.session.add(contact)
    users = {
        "admin": make_user(Role.ADMIN),
        "lead": make_user(Role.LEAD),
        "volunteer": volunteer.user,
        "buurtteam": make_user(Role.BUURTTEAM, area=oost),
        "linking_pin": make_user(Role.LINKING_PIN, area=oost),
        "organisation_contact": contact_user,
    }
    db.session.commit()
    return {
        "users": {role: user.id for role, user in users.items()},
        "profor": profor.id,
        "oost": in_oost.id,
        "centrum": in_centrum.id,
        "candidate": candidate.id,
        "area_oost": oost.id,
        "area_centrum": centrum.id,
        "contact": contact.id,
        "theme": db.session.scalar(select(ThemeGroup.id)),
    }


@pytest.fixture
def world(app):
    with app.app_context():
        return _world()


def _client(app, world, role):
    if role == "anonymous":
        return app.test_client()
    return client_as(app, world["users"][role])


def _counts_row(html: str, year: int) -> tuple[int, int]:
    import re

    found = re.search(rf'data-year="{year}" data-members="(\d+)" data-partners="(\d+)"', html)
    assert found, year
    return int(found.group(1)), int(found.group(2))


def _org_state(app, organisation_id):
    with app.app_context():
        org = db.session.get(Organisation, organisation_id)
        return {
            "status": org.status,
            "joined_on": org.joined_on,
            "decision": org.decision,
            "charter": org.charter_signed_on,
            "left_on": org.left_on,
            "assessed": {a.criterion: (a.met, a.note) for a in org.assessments},
        }


# ---------------------------------------------------------------------------------------------
# Done-when 1: a candidate through the admission and the charter into the year-end count


def test_an_admin_takes_a_candidate_member_through_admission_and_charter(app, world):
    admin = _client(app, world, "admin")
    response = admin.post(
        "/registry/organisations/new",
        data={
            "name": "Stichting Nieuw Lid",
            "kind": "member",
            "entry": "candidate",
            "website": "nieuwlid.nl",
            "email": "info@nieuwlid.nl",
            "phone": "020 123 4567",
            "areas": [str(world["area_oost"])],
            "themes": [str(world["theme"])],
            "languages": "nl, srn, hns=Sarnami Hindustani",
        },
    )
    assert response.status_code == 302, response.text
    with app.app_context():
        org = db.session.scalar(
            select(Organisation).where(Organisation.name == "Stichting Nieuw Lid")
        )
        org_id = org.id
        assert (org.status, org.joined_on, org.website, org.phone) == (
            "candidate",
            None,
            "https://nieuwlid.nl",
            "+31201234567",
        )
        assert sorted(lang.code for lang in org.languages) == ["hns", "nl", "srn"]
    url = f"/registry/organisations/{org_id}/admission"
    page = admin.get(url)
    assert page.status_code == 200
    assert "Has no profit motive" in page.text

    # Five met, one not met: the admission is refused with the reason.
    assessment = {c: "met" for c in CRITERIA} | {"no_profit_motive": "not_met"}
    assessment |= {f"{c}_note": "" for c in CRITERIA} | {"no_profit_motive_note": "Winst"}
    response = admin.post(url, data={**assessment, "submit_assess": "y"})
    assert response.status_code == 302
    assert _org_state(app, org_id)["assessed"]["no_profit_motive"] == (False, "Winst")
    decision = {
        "decision": "admitted",
        "decided_on": "2026-03-01",
        "decision_note": "General meeting",
        "submit_decide": "y",
    }
    response = admin.post(url, data=decision)
    assert response.status_code == 422
    assert "A member is admitted only when all six criteria are assessed and met" in response.text
    assert "not met: Has no profit motive" in response.text
    assert _org_state(app, org_id)["status"] == "candidate"

    # All six met: admitted on 1 March 2026.
    assessment |= {"no_profit_motive": "met", "no_profit_motive_note": "Stichting, no profit"}
    assert admin.post(url, data={**assessment, "submit_assess": "y"}).status_code == 302
    response = admin.post(url, data=decision)
    assert response.status_code == 302
    state = _org_state(app, org_id)
    assert (state["status"], state["joined_on"], state["decision"]) == (
        "member",
        date(2026, 3, 1),
        "admitted",
    )
    assert len(state["assessed"]) == 6

    # The charter, once.
    charter = f"/registry/organisations/{org_id}/charter"
    assert admin.post(charter, data={"signed_on": "2026-03-02"}).status_code == 302
    again = admin.post(charter, data={"signed_on": "2026-03-03"})
    assert again.status_code == 422 and "signed already" in again.text
    assert _org_state(app, org_id)["charter"] == date(2026, 3, 2)

    detail = admin.get(f"/registry/organisations/{org_id}")
    assert detail.status_code == 200
    assert 'data-decision="admitted"' in detail.text
    assert detail.text.count('data-outcome="met"') == 6

    # The year-end counts: in 2026 (ProFor and Oost Samen are members already), not in 2025.
    counts = _client(app, world, "lead").get("/registry/organisations/counts")
    assert counts.status_code == 200
    if local_today().year >= 2026:
        assert _counts_row(counts.text, 2026) == (3, 1)
        assert _counts_row(counts.text, 2025) == (2, 1)


def test_refusing_keeps_the_candidate_and_shows_the_refusal(app, world):
    admin = _client(app, world, "admin")
    url = f"/registry/organisations/{world['candidate']}/admission"
    response = admin.post(
        url,
        data={
            "decision": "refused",
            "decided_on": "2025-11-01",
            "decision_note": "Commercial",
            "submit_decide": "y",
        },
    )
    assert response.status_code == 302
    state = _org_state(app, world["candidate"])
    assert (state["status"], state["decision"]) == ("candidate", "refused")
    detail = admin.get(f"/registry/organisations/{world['candidate']}")
    assert 'data-decision="refused"' in detail.text and "Commercial" in detail.text


def test_a_partner_enters_directly_after_the_introductory_talk(app, world):
    admin = _client(app, world, "admin")
    response = admin.post(
        "/registry/organisations/new",
        data={
            "name": "Buurtpartner",
            "kind": "partner",
            "entry": "partner",
            "joined_on": "2025-09-01",
            "note": "Introductory talk on 20 August",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == "Buurtpartner"))
        assert (org.status, org.joined_on, org.decision_note) == (
            "partner",
            date(2025, 9, 1),
            "Introductory talk on 20 August",
        )


def test_leaving_asks_first_and_keeps_the_record(app, world):
    admin = _client(app, world, "admin")
    url = f"/registry/organisations/{world['oost']}/leave"
    asked = admin.post(url, data={"left_on": "2025-12-31"})
    assert asked.status_code == 200 and 'id="confirm-question"' in asked.text
    assert _org_state(app, world["oost"])["status"] == "member"
    done = admin.post(url, data={"left_on": "2025-12-31", "confirmed": "1"})
    assert done.status_code == 302
    state = _org_state(app, world["oost"])
    assert (state["status"], state["left_on"]) == ("left", date(2025, 12, 31))
    assert admin.get(f"/registry/organisations/{world['oost']}").status_code == 200
    before = admin.post(url, data={"left_on": "2017-01-01"})
    assert before.status_code == 422


# ---------------------------------------------------------------------------------------------
# Access per role, every route

OK = "ok"
LOGIN = "login"
ROLES = (
    "anonymous",
    "admin",
    "lead",
    "volunteer",
    "buurtteam",
    "linking_pin",
    "organisation_contact",
)


def _expect(**given):
    """Every role refused (403) unless given; anonymous always goes to the login page."""
    return {role: given.get(role, 403) for role in ROLES} | {"anonymous": LOGIN}


ADMIN_ONLY = _expect(admin=OK)
ROUTES = [
    # (method, url template, expectations)
    (
        "GET",
        "/registry/organisations/",
        _expect(
            admin=OK,
            lead=OK,
            buurtteam=OK,
            linking_pin=OK,
            volunteer="/registry/organisations/{profor}",
            organisation_contact="/registry/organisations/{centrum}",
        ),
    ),
    ("GET", "/registry/organisations/counts", _expect(admin=OK, lead=OK)),
    ("GET", "/registry/organisations/new", ADMIN_ONLY),
    (
        "GET",
        "/registry/organisations/{oost}",
        _expect(
            admin=OK, lead=OK, buurtteam=OK, linking_pin=OK, volunteer=404, organisation_contact=404
        ),
    ),
    (
        "GET",
        "/registry/organisations/{centrum}",
        _expect(
            admin=OK,
            lead=OK,
            buurtteam=404,
            linking_pin=404,
            volunteer=404,
            organisation_contact=OK,
        ),
    ),
    (
        "GET",
        "/registry/organisations/{profor}",
        _expect(
            admin=OK,
            lead=OK,
            buurtteam=404,
            linking_pin=404,
            volunteer=OK,
            organisation_contact=404,
        ),
    ),
    (
        "GET",
        "/registry/organisations/{oost}/edit",
        _expect(admin=OK, volunteer=404, organisation_contact=404),
    ),
    (
        "GET",
        "/registry/organisations/{centrum}/edit",
        _expect(admin=OK, buurtteam=404, linking_pin=404, volunteer=404, organisation_contact=OK),
    ),
    (
        "GET",
        "/registry/organisations/{profor}/edit",
        _expect(admin=OK, buurtteam=404, linking_pin=404, organisation_contact=404),
    ),
    ("GET", "/registry/organisations/{candidate}/admission", ADMIN_ONLY),
    ("POST", "/registry/organisations/{candidate}/admission", ADMIN_ONLY),
    ("POST", "/registry/organisations/{oost}/charter", ADMIN_ONLY),
    ("POST", "/registry/organisations/{oost}/leave", ADMIN_ONLY),
    ("GET", "/registry/organisations/999999", _expect(**{r: 404 for r in ROLES})),
    ("POST", "/registry/organisations/999999/charter", ADMIN_ONLY | {"admin": 404}),
]


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_it_should(app, world, role):
    client = _client(app, world, role)
    for method, template, expectations in ROUTES:
        url = template.format(**world)
        response = client.open(url, method=method, data={})
        expected = expectations[role]
        where = f"{role} {method} {url}"
        if expected == LOGIN:
            assert response.status_code == 302 and "/login" in response.location, where
        elif expected == OK:
            assert response.status_code in (200, 302, 422), where
            assert "/login" not in (response.location or ""), where
        elif isinstance(expected, str):
            assert response.status_code == 302, where
            assert response.location.endswith(expected.format(**world)), where
        else:
            assert response.status_code == expected, where


def test_edit_and_admission_buttons_show_only_for_those_allowed(app, world):
    page = _client(app, world, "admin").get(f"/registry/organisations/{world['candidate']}")
    assert 'id="edit-link"' in page.text and 'id="admission-link"' in page.text
    assert 'id="criteria"' in page.text
    lead = _client(app, world, "lead").get(f"/registry/organisations/{world['candidate']}")
    assert 'id="edit-link"' not in lead.text and 'id="admission-link"' not in lead.text
    assert 'id="criteria"' in lead.text  # staff see the admission panel
    team = _client(app, world, "buurtteam").get(f"/registry/organisations/{world['oost']}")
    assert 'id="edit-link"' not in team.text and 'id="admission"' not in team.text
    contact = _client(app, world, "organisation_contact")
    own = contact.get(f"/registry/organisations/{world['centrum']}")
    assert 'id="edit-link"' in own.text and 'id="leave-form"' not in own.text
    assert 'href="tel:+31-6-12345678"' in own.text and "coordinator" in own.text
    assert 'id="admission"' not in own.text
    admin_member = _client(app, world, "admin").get(f"/registry/organisations/{world['oost']}")
    assert 'id="charter-form"' in admin_member.text and 'id="leave-form"' in admin_member.text


def test_an_organisation_contact_edits_only_its_details(app, world):
    contact = _client(app, world, "organisation_contact")
    url = f"/registry/organisations/{world['centrum']}/edit"
    page = contact.get(url)
    assert page.status_code == 200 and 'name="name"' not in page.text
    response = contact.post(
        url,
        data={
            "name": "Hijacked",
            "kind": "member",
            "description": "Wij helpen met formulieren.",
            "website": "https://centrum.example.nl",
            "phone": "06 1234 5678",
            "areas": [str(world["area_centrum"]), str(world["area_oost"])],
            "languages": "tw",
            "contact_person": str(world["contact"]),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        org = db.session.get(Organisation, world["centrum"])
        assert (org.name, org.kind, org.status) == ("Centrum Partner", "partner", "partner")
        assert org.description == "Wij helpen met formulieren."
        assert org.contact_person_id == world["contact"]
        assert {a.name for a in org.areas} == {"Bijlmer-Oost", "Bijlmer-Centrum"}


def test_an_admin_edits_name_and_details_but_not_the_kind_of_a_member(app, world):
    admin = _client(app, world, "admin")
    url = f"/registry/organisations/{world['oost']}/edit"
    page = admin.get(url)
    assert page.status_code == 200 and 'value="Oost Samen"' in page.text
    response = admin.post(url, data={"name": "Oost Samen Sterk", "kind": "member"})
    assert response.status_code == 302
    refused = admin.post(url, data={"name": "Oost Samen Sterk", "kind": "partner"})
    assert refused.status_code == 422
    assert "only while the organisation is a candidate" in refused.text
    with app.app_context():
        org = db.session.get(Organisation, world["oost"])
        assert (org.name, org.kind) == ("Oost Samen Sterk", "member")


# ---------------------------------------------------------------------------------------------
# Bad input: a clear message, 422, nothing written


def _rows(app) -> dict:
    from maatjes.models import Base

    with app.app_context():
        return {
            t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
            if t.name not in ("notifications", "job_runs", "audit_events")
        }


BAD_NEW = [
    ({"name": "", "kind": "member", "entry": "candidate"}, "This field is required"),
    ({"name": "oost samen", "kind": "member", "entry": "candidate"}, "in the registry already"),
    ({"name": "X", "kind": "boss", "entry": "candidate"}, "Not a valid choice"),
    (
        {"name": "X", "kind": "member", "entry": "partner", "joined_on": "2025-01-01"},
        "Only a partner",
    ),
    ({"name": "X", "kind": "partner", "entry": "partner", "note": "t"}, "Give a date"),
    (
        {
            "name": "X",
            "kind": "partner",
            "entry": "partner",
            "joined_on": "1999-01-01",
            "note": "t",
        },
        "from 1 January 2000",
    ),
    (
        {
            "name": "X",
            "kind": "partner",
            "entry": "partner",
            "joined_on": "9999-12-31",
            "note": "t",
        },
        "at most a year",
    ),
    (
        {"name": "X", "kind": "partner", "entry": "partner", "joined_on": "2025-01-01"},
        "introductory talk",
    ),
    (
        {"name": "X", "kind": "member", "entry": "candidate", "joined_on": "2025-01-01"},
        "no joined date",
    ),
    (
        {"name": "X", "kind": "member", "entry": "candidate", "website": "javascript:alert(1)"},
        "web address",
    ),
    (
        {"name": "X", "kind": "member", "entry": "candidate", "email": "not-an-email"},
        "valid e-mail",
    ),
    ({"name": "X", "kind": "member", "entry": "candidate", "phone": "12"}, "not a phone number"),
    (
        {"name": "X", "kind": "member", "entry": "candidate", "areas": ["999999"]},
        "is not a valid choice",
    ),
    ({"name": "X", "kind": "member", "entry": "candidate", "themes": ["x"]}, "Invalid choice"),
    (
        {"name": "X", "kind": "member", "entry": "candidate", "languages": "xyzzy qq"},
        "is not a language we know",
    ),
    (
        {"name": "X", "kind": "member", "entry": "candidate", "joined_on": "0000-00-00"},
        "Not a valid date",
    ),
    ({"name": "X" * 161, "kind": "member", "entry": "candidate"}, "160"),
]


def test_bad_input_in_the_new_form(app, world):
    admin = _client(app, world, "admin")
    before = _rows(app)
    for data, message in BAD_NEW:
        response = admin.post("/registry/organisations/new", data=data)
        assert response.status_code == 422, data
        assert message in response.text, (data, message)
    assert _rows(app) == before


def test_bad_input_in_the_edit_form(app, world):
    admin = _client(app, world, "admin")
    url = f"/registry/organisations/{world['oost']}/edit"
    before = _rows(app)
    for data, message in [
        ({"name": "Centrum Partner", "kind": "member"}, "in the registry already"),
        (
            {"name": "Ok", "kind": "member", "contact_person": str(world["contact"])},
            "Not a valid choice",
        ),
        ({"name": "Ok", "kind": "member", "contact_person": "abc"}, "could not coerce"),
        ({"name": "Ok", "kind": "member", "website": "http://"}, "web address"),
        ({"name": "Ok", "kind": "member", "description": "x" * 2001}, "2000"),
    ]:
        response = admin.post(url, data=data)
        assert response.status_code == 422, data
        assert message in response.text, (data, message)
    assert _rows(app) == before
    assert _org_state(app, world["oost"])["status"] == "member"


def test_bad_input_in_the_admission_forms(app, world):
    admin = _client(app, world, "admin")
    url = f"/registry/organisations/{world['candidate']}/admission"
    before = _rows(app)
    good = {c: "met" for c in CRITERIA}
    for data, message in [
        ({"submit_assess": "y"}, "Choose met, not met or not assessed yet"),
        ({**good, "culturally_sensitive": "maybe", "submit_assess": "y"}, "Not a valid choice"),
        (
            {
                **good,
                "reliable_partner": "unassessed",
                "reliable_partner_note": "hm",
                "submit_assess": "y",
            },
            "before writing a note",
        ),
        ({**good, "three_years_active_note": "x" * 1001, "submit_assess": "y"}, "1000"),
        ({"submit_decide": "y", "decided_on": "2026-01-01"}, "Choose admitted or not admitted"),
        ({"submit_decide": "y", "decision": "admitted"}, "Give a date as day, month and year"),
        (
            {"submit_decide": "y", "decision": "refused", "decided_on": "31-02-2022"},
            "Not a valid date",
        ),
        ({"submit_decide": "y", "decision": "refused", "decided_on": "1900-01-01"}, "2000"),
        (
            {"submit_decide": "y", "decision": "admitted", "decided_on": "2026-01-01"},
            "not assessed yet",
        ),
    ]:
        response = admin.post(url, data=data)
        assert response.status_code == 422, data
        assert message in response.text, (data, message)
    assert _rows(app) == before
    state = _org_state(app, world["candidate"])
    assert (state["status"], state["decision"], state["assessed"]) == ("candidate", None, {})


def test_bad_input_in_charter_and_leave(app, world):
    admin = _client(app, world, "admin")
    before = _rows(app)
    cases = [
        (f"/registry/organisations/{world['oost']}/charter", {}, "Give a date as day"),
        (
            f"/registry/organisations/{world['oost']}/charter",
            {"signed_on": "2017-01-01"},
            "on or after",
        ),
        (
            f"/registry/organisations/{world['oost']}/charter",
            {"signed_on": "junk"},
            "Not a valid date",
        ),
        (
            f"/registry/organisations/{world['centrum']}/charter",
            {"signed_on": "2024-01-01"},
            "Only an admitted member",
        ),
        (
            f"/registry/organisations/{world['candidate']}/charter",
            {"signed_on": "2024-01-01"},
            "Only an admitted member",
        ),
        (f"/registry/organisations/{world['oost']}/leave", {}, "Give a date as day"),
        (
            f"/registry/organisations/{world['oost']}/leave",
            {"left_on": "2017-12-31"},
            "before it joined",
        ),
        (
            f"/registry/organisations/{world['oost']}/leave",
            {"left_on": "9999-01-01"},
            "at most a year",
        ),
        (
            f"/registry/organisations/{world['candidate']}/leave",
            {"left_on": "2024-01-01"},
            "Only a member or a partner",
        ),
    ]
    for url, data, message in cases:
        response = admin.post(url, data=data)
        assert response.status_code == 422, (url, data)
        assert message in response.text, (url, data, message)
    assert _rows(app) == before


def test_the_admission_of_an_admitted_organisation_goes_back_to_its_page(app, world):
    response = _client(app, world, "admin").get(
        f"/registry/organisations/{world['oost']}/admission"
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/registry/organisations/{world['oost']}")


# ---------------------------------------------------------------------------------------------
# The list: search, filters, and statements that do not grow


def test_the_list_searches_and_filters(app, world):
    lead = _client(app, world, "lead")
    page = lead.get("/registry/organisations/?q=oost")
    assert "Oost Samen" in page.text and "Kandidaat" not in page.text
    page = lead.get("/registry/organisations/?status=candidate")
    assert "Kandidaat" in page.text and "Oost Samen" not in page.text
    page = lead.get("/registry/organisations/?kind=partner")
    assert "Centrum Partner" in page.text and "ProFor" not in page.text
    page = lead.get(f"/registry/organisations/?area={world['area_centrum']}")
    assert "ProFor" in page.text and "Oost Samen" not in page.text
    team = _client(app, world, "buurtteam").get("/registry/organisations/")
    assert "Oost Samen" in team.text and "Centrum Partner" not in team.text
    admin = _client(app, world, "admin").get("/registry/organisations/")
    assert 'id="new-organisation"' in admin.text
    assert 'id="new-organisation"' not in lead.get("/registry/organisations/").text


def _add_organisations(app, world, n):
    with app.app_context():
        from maatjes.models import Area

        oost = db.session.get(Area, world["area_oost"])
        for i in range(n):
            org = Organisation(
                name=f"Extra {n}-{i}",
                kind="member" if i % 2 else "partner",
                status="member" if i % 2 else "partner",
                joined_on=date(2000 + i % 26, 1, 1),
                left_on=date(2025, 1, 1) if i % 7 == 0 else None,
            )
            org.areas = [oost]
            db.session.add(org)
        db.session.commit()


def test_the_list_and_the_counts_issue_the_same_statements_at_2_and_40_organisations(app):
    from tests.conftest import _empty_all_tables

    def measure(n):
        with app.app_context():
            world = _world()
        _add_organisations(app, world, n)
        result = {
            url: statements_of_get(app, _client(app, world, "lead"), url)
            for url in ("/registry/organisations/", "/registry/organisations/counts")
        }
        result["team"] = statements_of_get(
            app, _client(app, world, "buurtteam"), "/registry/organisations/"
        )
        with app.app_context():
            _empty_all_tables()
        return result

    small, large = measure(2), measure(40)
    assert small == large


# ---------------------------------------------------------------------------------------------
# Walk-through fixes


def test_an_organisation_contact_sees_its_own_due_actions_on_its_page(app, world):
    from datetime import timedelta

    from maatjes.models import Action, Meeting

    yesterday = local_today() - timedelta(days=1)
    with app.app_context():
        other = Person(name="Kofi Boateng", organisation_id=world["oost"])
        meeting = Meeting(kind=Meeting.GENERAL, held_on=yesterday, title="AV")
        meeting.actions.append(
            Action(text="Send the charter", owner_id=world["contact"], due_on=yesterday)
        )
        meeting.actions.append(Action(text="Book the room", owner=other, due_on=yesterday))
        db.session.add_all([other, meeting])
        db.session.commit()
    contact = client_as(app, world["users"]["organisation_contact"], locale="en")
    page = contact.get("/", follow_redirects=True).text
    assert 'id="due-actions"' in page and "Your actions that are due" in page
    assert "Send the charter" in page and "Book the room" not in page
    admin_page = _client(app, world, "admin").get(f"/registry/organisations/{world['centrum']}")
    assert 'id="due-actions"' not in admin_page.text


def test_a_refusal_needs_a_reason_and_shows_in_the_list_and_on_the_page(app, world):
    admin = client_as(app, world["users"]["admin"], locale="en")
    url = f"/registry/organisations/{world['candidate']}/admission"
    data = {"decision": "refused", "decided_on": "2025-11-01", "submit_decide": "y"}
    response = admin.post(url, data={**data, "decision_note": "  "})
    assert response.status_code == 422 and "why it is not admitted" in response.text
    assert _org_state(app, world["candidate"])["decision"] is None
    assert admin.post(url, data={**data, "decision_note": "Commercial"}).status_code == 302
    listed = admin.get("/registry/organisations/?status=candidate").text
    row = listed[listed.index(f'data-organisation="{world["candidate"]}"') :]
    row = row.split("</tr>")[0]
    assert 'data-status="refused"' in row and "Not admitted · 1 Nov 2025" in row
    page = admin.get(f"/registry/organisations/{world['candidate']}").text
    assert 'data-status="refused"' in page and "Commercial" in page


def test_the_note_of_registering_a_candidate_shows_and_starts_the_decision(app, world):
    admin = client_as(app, world["users"]["admin"], locale="en")
    response = admin.post(
        "/registry/organisations/new",
        data={"name": "Nieuwkomer", "kind": "partner", "entry": "candidate", "note": "Met Ama"},
    )
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).text
    assert 'id="intake-note"' in page and "Met Ama" in page
    admission = admin.get(response.headers["Location"] + "/admission").text
    assert "Met Ama</textarea>" in admission


def test_the_new_form_shows_every_mistake_at_once(app, world):
    admin = client_as(app, world["users"]["admin"], locale="en")
    before = _rows(app)
    response = admin.post(
        "/registry/organisations/new",
        data={
            "name": "X",
            "kind": "member",
            "entry": "candidate",
            "website": "not a site",
            "phone": "12",
            "email": "not-an-email",
            "languages": "xyzzy qq",
        },
    )
    assert response.status_code == 422
    for message in ("web address", "not a phone number", "valid e-mail", "not a language"):
        assert message in response.text, message
    assert _rows(app) == before


def test_the_page_lists_the_theme_groups_it_is_a_member_of(app, world):
    with app.app_context():
        group = db.session.get(ThemeGroup, world["theme"])
        group.organisations.append(db.session.get(Organisation, world["centrum"]))
        db.session.commit()
    admin_page = _client(app, world, "admin").get(f"/registry/organisations/{world['centrum']}")
    assert f'data-theme-group="{world["theme"]}"' in admin_page.text
    other = _client(app, world, "admin").get(f"/registry/organisations/{world['oost']}")
    assert 'data-theme-group="' not in other.text


def test_the_area_filter_offers_an_area_bound_user_its_own_areas_only(app, world):
    def offered(role) -> set[str]:
        page = _client(app, world, role).get("/registry/organisations/").text
        select_ = page[page.index('name="area"') :].split("</select>")[0]
        return set(re.findall(r'<option value="(\d+)"', select_))

    own, other = str(world["area_oost"]), str(world["area_centrum"])
    assert offered("buurtteam") == offered("linking_pin") == {own}
    assert offered("lead") == {own, other}
