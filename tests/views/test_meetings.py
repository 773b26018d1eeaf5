"""Meetings through the pages: who may use each route, recording a meeting (attendance, a
decision, an action), the action on its owner's home when due, bad input, and lists whose
statements do not grow with the data."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import (
    Action,
    AgendaItem,
    Decision,
    Meeting,
    Notification,
    Organisation,
    Person,
    Role,
    ThemeGroup,
)
from maatjes.models.pact import meeting_attendance, meeting_people
from tests.builders import client_as, make_area, make_user, statements_of_get
from tests.domain.test_meetings import build_year
from tests.views.test_core_loop import text

ROLES = ("admin", "lead", "volunteer", "buurtteam", "linking_pin", "organisation_contact")


def _users() -> dict:
    area = make_area("Bijlmer-Oost")
    users = {role: make_user(role, area=area) for role in ROLES}
    org = Organisation(name="Contact Org", status="member", joined_on=date(2019, 1, 1))
    db.session.add(org)
    db.session.add(
        Person(name="Contact person", organisation=org, user=users["organisation_contact"])
    )
    db.session.flush()
    return {role: user.id for role, user in users.items()}


def _world() -> dict:
    ids = _users()
    group = ThemeGroup(name="Armoede")
    owner = Person(name="Owner Olga")
    meeting = Meeting(kind=Meeting.GENERAL, held_on=date(2022, 2, 1), title="ALV")
    db.session.add_all([group, owner, meeting])
    db.session.flush()
    action = Action(meeting=meeting, text="Write the plan", owner=owner, due_on=date(2022, 3, 1))
    decision = Decision(meeting=meeting, text="Agreed")
    item = AgendaItem(meeting=meeting, title="Welcome", position=1)
    db.session.add_all([action, decision, item])
    db.session.commit()
    return {
        **ids,
        "meeting": meeting.id,
        "action": action.id,
        "decision": decision.id,
        "item": item.id,
        "group": group.id,
    }


OK, FORBIDDEN, ABSENT = "ok", 403, 404
READERS = {"admin": OK, "lead": OK}
ADMIN_ONLY = {"admin": OK}


def _expect(allowed: dict, others=FORBIDDEN) -> dict:
    return {role: allowed.get(role, others) for role in ROLES}


ROUTES = [
    ("GET", "/registry/meetings/", _expect(READERS)),
    ("GET", "/registry/meetings/?q=alv&kind=general&year=2022&page=3", _expect(READERS)),
    ("GET", "/registry/meetings/new", _expect(ADMIN_ONLY)),
    ("POST", "/registry/meetings/new", _expect(ADMIN_ONLY)),
    ("GET", "/registry/meetings/{meeting}", _expect(READERS)),
    ("GET", "/registry/meetings/{meeting}/edit", _expect(ADMIN_ONLY)),
    ("POST", "/registry/meetings/{meeting}/edit", _expect(ADMIN_ONLY)),
    ("GET", "/registry/meetings/999999", _expect({"admin": ABSENT, "lead": ABSENT})),
    ("POST", "/registry/meetings/{meeting}/items", _expect(ADMIN_ONLY)),
    ("POST", "/registry/meetings/{meeting}/items/{item}/delete", _expect(ADMIN_ONLY)),
    ("POST", "/registry/meetings/{meeting}/attendance", _expect(ADMIN_ONLY)),
    ("POST", "/registry/meetings/{meeting}/minutes", _expect(ADMIN_ONLY)),
    ("POST", "/registry/meetings/{meeting}/decisions", _expect(ADMIN_ONLY)),
    ("POST", "/registry/meetings/{meeting}/decisions/{decision}/delete", _expect(ADMIN_ONLY)),
    ("POST", "/registry/meetings/{meeting}/actions", _expect(ADMIN_ONLY)),
    ("GET", "/registry/meetings/attendance?year=2021", _expect(READERS)),
    ("GET", "/registry/actions", _expect({}, OK)),
    # Only the owner (nobody here has the owner's account) or an admin: others find nothing.
    ("POST", "/registry/actions/{action}/status", _expect(ADMIN_ONLY, ABSENT)),
]


@pytest.mark.parametrize(("method", "url", "expected"), ROUTES)
def test_who_may_use_each_meetings_route(app, method, url, expected):
    with app.app_context():
        ids = _world()
    path = url.format(**ids)
    assert app.test_client().open(path, method=method).status_code == 302  # to the login
    for role in ROLES:
        response = client_as(app, ids[role]).open(path, method=method, data={"status": "done"})
        status = response.status_code
        if expected[role] == OK:
            assert status in (200, 302, 422), (role, path, status)
        else:
            assert status == expected[role], (role, path, status)


# --- Done when 2: a meeting recorded, its action on the owner's home when due ----------------


def test_a_meeting_is_recorded_and_its_action_shows_on_the_owners_home_when_due(app):
    today = local_today()
    with app.app_context():
        admin_id = make_user(Role.ADMIN).id
        owner_user = make_user(Role.VOLUNTEER, name="Vera")
        owner = Person(name="Vera Owner", user=owner_user)
        orgs = [
            Organisation(name=f"Member {n}", status="member", joined_on=date(2019, 1, 1))
            for n in range(3)
        ]
        late = Organisation(
            name="Joins next year", status="member", joined_on=today + timedelta(400)
        )
        db.session.add_all([owner, *orgs, late])
        db.session.commit()
        owner_id, owner_user_id = owner.id, owner_user.id
        org_ids = [o.id for o in orgs]
    admin = client_as(app, admin_id)
    held = today - timedelta(days=14)
    response = admin.post(
        "/registry/meetings/new",
        data={"kind": "general", "held_on": held.isoformat(), "title": "ALV", "theme_group": ""},
    )
    assert response.status_code == 302
    meeting_url = response.headers["Location"]
    meeting_id = int(meeting_url.rsplit("/", 1)[1])
    page = text(admin.get(meeting_url))
    assert "Member 0" in page and "Joins next year" not in page  # members on that day only
    response = admin.post(
        f"/registry/meetings/{meeting_id}/attendance",
        data={
            "attendance-organisations": [str(i) for i in org_ids[:2]],
            "attendance-people": [str(owner_id)],
        },
    )
    assert response.status_code == 302
    assert (
        admin.post(
            f"/registry/meetings/{meeting_id}/items",
            data={"item-title": "Taalproject", "item-guest": "Taal Informatie Punt"},
        ).status_code
        == 302
    )
    assert (
        admin.post(
            f"/registry/meetings/{meeting_id}/decisions",
            data={"decision-text": "We start a language café."},
        ).status_code
        == 302
    )
    due = today + timedelta(days=3)
    assert (
        admin.post(
            f"/registry/meetings/{meeting_id}/actions",
            data={
                "action-text": "Find a location for the café",
                "action-owner": str(owner_id),
                "action-due_on": due.isoformat(),
            },
        ).status_code
        == 302
    )
    page = text(admin.get(meeting_url))
    assert "2 organisations" in page and "Vera Owner" in page
    assert "We start a language café." in page and "guest: Taal Informatie Punt" in page
    assert "Find a location for the café" in page
    listing = text(admin.get("/registry/meetings/"))
    row = re.search(rf'data-meeting="{meeting_id}".*?</tr>', listing, re.S).group(0)
    assert 'data-present="2"' in row and 'data-open-actions="1"' in row

    volunteer = client_as(app, owner_user_id)
    assert "Find a location" not in text(volunteer.get("/me"))  # not due yet
    with app.app_context():  # the due date comes (moved here rather than the clock)
        action = db.session.scalar(select(Action))
        action.due_on = today
        db.session.commit()
        action_id = action.id
    home = text(volunteer.get("/me"))
    assert "Your actions that are due" in home and "Find a location for the café" in home
    assert "My actions" in text(volunteer.get("/registry/actions"))
    response = volunteer.post(
        f"/registry/actions/{action_id}/status", data={"status": "done", "next": "/me"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/me")
    assert "Find a location" not in text(volunteer.get("/me"))
    with app.app_context():
        action = db.session.get(Action, action_id)
        assert (action.status, action.closed_on) == ("done", today)


def test_due_actions_show_on_the_lead_overview_and_the_linking_pins_handovers(app):
    today = local_today()
    with app.app_context():
        lead = make_user(Role.LEAD)
        pin = make_user(Role.LINKING_PIN, area=make_area("Bijlmer-Oost"))
        lead_person = Person(name="Lead person", user=lead)
        pin_person = db.session.scalar(select(Person).where(Person.user_id == pin.id))
        meeting = Meeting(kind=Meeting.CORE_GROUP, held_on=today - timedelta(days=30))
        db.session.add_all([lead_person, meeting])
        db.session.add_all(
            [
                Action(meeting=meeting, text="Lead's task", owner=lead_person, due_on=today),
                Action(
                    meeting=meeting,
                    text="Pin's task",
                    owner=pin_person,
                    due_on=today - timedelta(days=2),
                ),
            ]
        )
        db.session.commit()
        lead_id, pin_id = lead.id, pin.id
    overview = text(client_as(app, lead_id).get("/lead/"))
    assert "Lead's task" in overview and "Pin's task" not in overview
    handovers = text(client_as(app, pin_id).get("/handovers"))
    assert "Pin's task" in handovers and "Lead's task" not in handovers


def test_others_see_only_their_own_actions_and_cannot_close_anothers(app):
    today = local_today()
    with app.app_context():
        ids = _world()
        contact = db.session.scalar(
            select(Person).where(Person.user_id == ids["organisation_contact"])
        )
        meeting = db.session.get(Meeting, ids["meeting"])
        db.session.add(Action(meeting=meeting, text="Contact's task", owner=contact, due_on=today))
        db.session.commit()
    own = text(client_as(app, ids["organisation_contact"]).get("/registry/actions"))
    assert "Contact's task" in own and "Write the plan" not in own
    assert "Write the plan" not in text(client_as(app, ids["volunteer"]).get("/registry/actions"))
    every = text(client_as(app, ids["lead"]).get("/registry/actions?status=open&overdue=1"))
    assert "Write the plan" in every and "Contact's task" not in every  # due today: not past
    lead = client_as(app, ids["lead"])
    assert (
        lead.post(f"/registry/actions/{ids['action']}/status", data={"status": "done"}).status_code
        == 404
    )
    with app.app_context():
        assert db.session.get(Action, ids["action"]).status == "open"


def test_the_lead_digest_counts_open_actions_past_their_date(app):
    from flask_babel import force_locale

    from maatjes.domain import rhythm
    from maatjes.notifications import render

    today = local_today()
    with app.app_context():
        lead = make_user(Role.LEAD)
        owner = Person(name="Someone")
        meeting = Meeting(kind=Meeting.GENERAL, held_on=today - timedelta(days=40))
        db.session.add_all([owner, meeting])
        for days in (1, 5, 0, -3):
            db.session.add(
                Action(meeting=meeting, text="t", owner=owner, due_on=today - timedelta(days=days))
            )
        db.session.add(
            Action(
                meeting=meeting,
                text="t",
                owner=owner,
                status="done",
                due_on=today - timedelta(days=9),
            )
        )
        note = Notification(
            key="digest:x", user_id=lead.id, kind=rhythm.LEAD_DIGEST, period=today.isoformat()
        )
        db.session.add(note)
        db.session.commit()
        with app.test_request_context(), force_locale("en"):
            body = render(db.session, note, today=today).body
    assert "Pact actions past their date: 2" in body
    assert "/registry/actions?status=open&overdue=1" in body


# --- Bad input: 422 with a message, nothing written -----------------------------------------


def _counts() -> tuple:
    return tuple(
        db.session.scalar(select(func.count()).select_from(table))
        for table in (Meeting, AgendaItem, Decision, Action, meeting_attendance, meeting_people)
    )


BAD_MEETINGS = [
    ({"kind": "theme_group", "held_on": "2022-03-01"}, "Choose the theme group"),
    (
        {"kind": "general", "held_on": "2022-03-01", "theme_group": "{group}"},
        "Only a theme group's meeting",
    ),
    (
        {"kind": "theme_group", "held_on": "2022-03-01", "theme_group": "999999"},
        "Not a valid choice",
    ),
    ({"kind": "general", "held_on": "0001-01-01"}, "from 1 January 2000"),
    ({"kind": "general", "held_on": "9999-12-31"}, "at most a year from today"),
    ({"kind": "general", "held_on": "{two_years_ahead}"}, "at most a year from today"),
    ({"kind": "general", "held_on": "yesterday"}, "Not a valid date value"),
    ({"kind": "board", "held_on": "2022-03-01"}, "Not a valid choice"),
    ({"kind": "general", "held_on": "2022-03-01", "title": "x" * 161}, "160"),
]


@pytest.mark.parametrize(("form", "message"), BAD_MEETINGS)
def test_a_bad_new_meeting_is_refused_with_a_message(app, form, message):
    with app.app_context():
        ids = _world()
        before = _counts()
    ids["two_years_ahead"] = (local_today() + timedelta(days=2 * 366)).isoformat()
    form = {k: v.format(**ids) for k, v in form.items()}
    response = client_as(app, ids["admin"]).post("/registry/meetings/new", data=form)
    assert response.status_code == 422
    assert message in text(response)
    with app.app_context():
        assert _counts() == before


BAD_DETAIL = [
    ("items", {"item-title": "  "}, "This field is required"),
    ("items", {"item-title": "x" * 301}, "300"),
    ("attendance", {"attendance-organisations": "999999"}, "Choose from the list"),
    ("attendance", {"attendance-organisations": "abc"}, "Choose from the list."),
    ("attendance", {"attendance-people": "999999"}, "Choose from the list"),
    ("attendance", {"attendance-organisations": "{left}"}, "Choose from the list"),
    ("minutes", {"minutes-minutes": "x" * 50_001}, "50000"),
    ("decisions", {"decision-text": ""}, "This field is required"),
    ("actions", {"action-text": "Do it", "action-due_on": "2022-04-01"}, "This field is required"),
    (
        "actions",
        {"action-text": "Do it", "action-owner": "999999", "action-due_on": "2022-04-01"},
        "Not a valid choice",
    ),
    (
        "actions",
        {"action-text": "Do it", "action-owner": "{inactive}", "action-due_on": "2022-04-01"},
        "Not a valid choice",
    ),
    (
        "actions",
        {"action-text": "Do it", "action-owner": "{owner}", "action-due_on": "2021-04-01"},
        "cannot be before the meeting",
    ),
    (
        "actions",
        {"action-text": "Do it", "action-owner": "{owner}", "action-due_on": "1999-12-31"},
        "from 1 January 2000",
    ),
    (
        "actions",
        {"action-text": "", "action-owner": "{owner}", "action-due_on": "2022-04-01"},
        "This field is required",
    ),
]


@pytest.mark.parametrize(("route", "form", "message"), BAD_DETAIL)
def test_bad_input_on_the_meeting_page_is_refused_with_a_message(app, route, form, message):
    with app.app_context():
        ids = _world()
        left = Organisation(
            name="Gone", status="left", joined_on=date(2010, 1, 1), left_on=date(2020, 1, 1)
        )
        inactive = Person(name="Inactive", active=False)
        db.session.add_all([left, inactive])
        db.session.commit()
        ids["left"], ids["inactive"] = left.id, inactive.id
        ids["owner"] = db.session.scalar(select(Person.id).where(Person.name == "Owner Olga"))
        before = _counts()
        minutes = db.session.get(Meeting, ids["meeting"]).minutes
    form = {k: v.format(**ids) for k, v in form.items()}
    response = client_as(app, ids["admin"]).post(
        f"/registry/meetings/{ids['meeting']}/{route}", data=form
    )
    assert response.status_code == 422
    page = text(response)
    assert message in page and "ALV" in page  # the meeting's page again
    with app.app_context():
        assert _counts() == before
        assert db.session.get(Meeting, ids["meeting"]).minutes == minutes


def test_a_bad_status_is_refused(app):
    with app.app_context():
        ids = _world()
    response = client_as(app, ids["admin"]).post(
        f"/registry/actions/{ids['action']}/status", data={"status": "lost"}
    )
    assert response.status_code == 422 and "Choose done, dropped or open." in text(response)
    with app.app_context():
        assert db.session.get(Action, ids["action"]).status == "open"


def test_an_admin_removes_a_decision_and_records_minutes(app):
    with app.app_context():
        ids = _world()
    admin = client_as(app, ids["admin"])
    url = f"/registry/meetings/{ids['meeting']}"
    assert admin.post(f"{url}/decisions/{ids['decision']}/delete").status_code == 302
    assert (
        admin.post(f"{url}/minutes", data={"minutes-minutes": "Line 1\nLine 2"}).status_code == 302
    )
    page = text(admin.get(url))
    assert "Agreed" not in page and "Line 1<br>Line 2" in page
    assert admin.post(f"{url}/decisions/{ids['decision']}/delete").status_code == 404


# --- Lists at two sizes ---------------------------------------------------------------------


PAGES = [
    "/registry/meetings/",
    "/registry/meetings/?year=2021&kind=general",
    "/registry/meetings/?q=a",
    "/registry/meetings/attendance?year=2021",
    "/registry/actions",
    "/registry/actions?status=open&overdue=1",
]


def test_the_meetings_pages_issue_the_same_statements_at_two_sizes(app):
    from tests.conftest import _empty_all_tables

    def measure(scale: int) -> dict:
        with app.app_context():
            lead_id = make_user(Role.LEAD).id
            build_year(2021, scale=scale)
            owner = db.session.scalar(select(Person))
            for meeting in db.session.scalars(select(Meeting).limit(scale * 3)):
                meeting.title = "Agenda"
                db.session.add(
                    Action(meeting=meeting, text="a", owner=owner, due_on=date(2021, 12, 1))
                )
            db.session.commit()
        lead = client_as(app, lead_id)
        counts = {url: statements_of_get(app, lead, url) for url in PAGES}
        with app.app_context():
            _empty_all_tables()
        return counts

    small, large = measure(1), measure(30)
    assert {url: (small[url], large[url]) for url in PAGES if small[url] != large[url]} == {}


def test_the_attendance_page_shows_the_seeds_figures(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        build_year(2021)
        db.session.commit()
    page = text(client_as(app, lead_id).get("/registry/meetings/attendance?year=2021"))
    general = re.search(
        r'data-kind="general" data-meetings="(\d+)".*?data-range="([\d-]+)"', page, re.S
    )
    assert general.groups() == ("7", "15-30")
    assert 'id="core-group" data-size="7" data-meetings="14"' in page
    assert 'data-theme-group="Armoede" data-meetings="5"' in page
    assert 'data-theme-group="Huiselijk geweld" data-meetings="3"' in page
    # A year out of range falls back to this year rather than failing.
    assert (
        client_as(app, lead_id).get("/registry/meetings/attendance?year=99999").status_code == 200
    )


def test_the_list_filters_by_kind_year_and_group_and_searches_the_minutes(app):
    with app.app_context():
        ids = _world()
        group = db.session.get(ThemeGroup, ids["group"])
        db.session.add_all(
            [
                Meeting(
                    kind=Meeting.THEME_GROUP,
                    theme_group=group,
                    held_on=date(2021, 5, 1),
                    title="Armoede overleg",
                    minutes="Over de schuldhulp in Holendrecht",
                ),
                Meeting(kind=Meeting.CORE_GROUP, held_on=date(2021, 6, 1), location="Venzo"),
            ]
        )
        db.session.commit()
    admin = client_as(app, ids["admin"])
    response = admin.post(
        "/registry/meetings/new",
        data={"kind": "theme_group", "theme_group": str(ids["group"]), "held_on": "2022-05-01"},
    )
    assert response.status_code == 302

    def dates(url: str) -> list[str]:
        return re.findall(
            r'data-meeting="\d+">\s*<td[^>]*><a[^>]*>([^<]+)</a>', text(admin.get(url))
        )

    assert dates("/registry/meetings/") == ["1 May 2022", "1 Feb 2022", "1 Jun 2021", "1 May 2021"]
    assert dates(f"/registry/meetings/?theme_group={ids['group']}") == ["1 May 2022", "1 May 2021"]
    assert dates("/registry/meetings/?year=2021&kind=core_group") == ["1 Jun 2021"]
    assert dates("/registry/meetings/?q=schuldhulp") == ["1 May 2021"]
    assert dates("/registry/meetings/?q=venzo") == ["1 Jun 2021"]
    assert dates("/registry/meetings/?year=1999") == dates("/registry/meetings/")  # ignored


# --- Correcting a meeting -------------------------------------------------------------------


def test_an_admin_corrects_a_meetings_kind_group_date_title_and_location(app):
    with app.app_context():
        ids = _world()
    admin = client_as(app, ids["admin"])
    url = f"/registry/meetings/{ids['meeting']}/edit"
    form = admin.get(url)
    assert form.status_code == 200 and 'value="ALV"' in text(form)
    assert f'href="{url}"' in text(admin.get(f"/registry/meetings/{ids['meeting']}"))
    data = {
        "kind": "theme_group",
        "theme_group": str(ids["group"]),
        "held_on": "2022-02-15",
        "title": "Armoede overleg",
        "location": "Buurthuis",
    }
    response = admin.post(url, data=data)
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.get(Meeting, ids["meeting"])
        assert (meeting.kind, meeting.theme_group_id, meeting.held_on) == (
            "theme_group",
            ids["group"],
            date(2022, 2, 15),
        )
        assert (meeting.title, meeting.location) == ("Armoede overleg", "Buurthuis")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": "1999-12-31"}, "from 1 January 2000"),
        ({"held_on": "{two_years_ahead}"}, "at most a year from today"),
        ({"kind": "theme_group"}, "Choose the theme group"),
        ({"theme_group": "{group}"}, "Only a theme group's meeting"),
        ({"held_on": "2022-03-15"}, "An action of this meeting is due before this date"),
    ],
)
def test_a_bad_correction_of_a_meeting_is_refused_and_keeps_what_was_typed(app, changes, message):
    with app.app_context():
        ids = _world()
    ids["two_years_ahead"] = (local_today() + timedelta(days=2 * 366)).isoformat()
    data = {"kind": "general", "held_on": "2022-02-01", "title": "Typed title", "location": ""}
    data.update({k: v.format(**ids) for k, v in changes.items()})
    response = client_as(app, ids["admin"]).post(
        f"/registry/meetings/{ids['meeting']}/edit", data=data
    )
    assert response.status_code == 422
    page = text(response)
    assert message in page and 'value="Typed title"' in page
    with app.app_context():
        meeting = db.session.get(Meeting, ids["meeting"])
        assert (meeting.kind, meeting.held_on, meeting.title) == (
            "general",
            date(2022, 2, 1),
            "ALV",
        )


def test_the_attendance_page_formats_the_average_and_offers_the_years_with_meetings(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        orgs = [
            Organisation(name=f"Org {n}", status="member", joined_on=date(2018, 1, 1))
            for n in range(15)
        ]
        db.session.add_all(orgs)
        for n, present in enumerate((14, 15)):
            meeting = Meeting(kind=Meeting.GENERAL, held_on=date(2021, 3 + n, 1))
            meeting.organisations = orgs[:present]
            db.session.add(meeting)
        db.session.commit()
    url = "/registry/meetings/attendance?year=2021"
    assert "14,5" in text(client_as(app, lead_id, locale="nl").get(url))
    page = text(client_as(app, lead_id).get(url))
    assert "14.5" in page
    years = re.findall(r'<option value="(\d+)"', page)
    assert years == [str(y) for y in range(local_today().year, 2020, -1)]


def test_the_attendance_page_without_meetings_offers_this_year_only(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        db.session.commit()
    page = text(client_as(app, lead_id).get("/registry/meetings/attendance"))
    assert re.findall(r'<option value="(\d+)"', page) == [str(local_today().year)]
