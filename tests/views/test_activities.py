"""Keeping the social map's activities over HTTP: who may use each page (an organisation contact
its own organisation's activities only), the form (bad input of every field is a 422 with a
message that keeps what was typed and writes nothing), schedules, the gaps table's figures and
links, and pages whose statements do not grow with the data."""

import re
from datetime import date, time, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import (
    Activity,
    ActivitySchedule,
    Language,
    Neighbourhood,
    Organisation,
    Priority,
    Role,
    ThemeGroup,
)
from tests.builders import (
    client_as,
    make_area,
    make_org,
    make_organisation_contact,
    make_user,
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


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _activity(org, name, **kw) -> Activity:
    activity = Activity(organisation=org, name=name, checked_on=kw.pop("checked_on", date.today()))
    for key, value in kw.items():
        setattr(activity, key, value)
    db.session.add(activity)
    db.session.flush()
    return activity


def build_world() -> dict:
    """Two organisations with an activity each, an area with a neighbourhood and a priority, a
    theme group, and users of every role; returns ids."""
    oost = make_area("Bijlmer-Oost")
    centrum = make_area("Bijlmer-Centrum")
    holendrecht = Neighbourhood(area=oost, name="Holendrecht")
    kbuurt = Neighbourhood(area=centrum, name="K-buurt")
    armoede = ThemeGroup(name="Armoede")
    money = Priority(area=oost, name="Financial self-reliance", position=0)
    other_priority = Priority(area=centrum, name="Loneliness", position=0)
    db.session.add_all([holendrecht, kbuurt, armoede, money, other_priority])
    own = make_org("Venzo")
    other = make_org("ProFor")
    left = Organisation(name="Gone", status="left")
    db.session.add(left)
    db.session.flush()
    mine = _activity(own, "Koffie-ochtend", area=oost, theme_group=armoede)
    theirs = _activity(other, "Naaiatelier", area=centrum)
    gone = _activity(left, "Old club", area=oost)
    contact = make_organisation_contact(own)
    left_contact = make_organisation_contact(left)
    users = {
        "admin": make_user(Role.ADMIN).id,
        "lead": make_user(Role.LEAD).id,
        "volunteer": make_user(Role.VOLUNTEER).id,
        "buurtteam": make_user(Role.BUURTTEAM, area=oost).id,
        "linking_pin": make_user(Role.LINKING_PIN, area=oost).id,
        "organisation_contact": contact.id,
    }
    db.session.commit()
    return {
        "users": users,
        "left_contact": left_contact.id,
        "oost": oost.id,
        "centrum": centrum.id,
        "holendrecht": holendrecht.id,
        "kbuurt": kbuurt.id,
        "armoede": armoede.id,
        "money": money.id,
        "other_priority": other_priority.id,
        "own": own.id,
        "other": other.id,
        "left": left.id,
        "mine": mine.id,
        "theirs": theirs.id,
        "gone": gone.id,
    }


@pytest.fixture
def world(app):
    with app.app_context():
        return build_world()


def client_for(app, world, role):
    if role == "anonymous":
        return app.test_client()
    return client_as(app, world["users"][role])


def outcome(response):
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return "login"
    if response.status_code in (403, 404):
        return response.status_code
    assert response.status_code in (200, 302, 422), response.status_code
    return "ok"


KEEPERS = {
    "anonymous": "login",
    "admin": "ok",
    "lead": "ok",
    "volunteer": 403,
    "buurtteam": 403,
    "linking_pin": 403,
    "organisation_contact": "ok",
}
STAFF_ONLY = {**KEEPERS, "organisation_contact": 403}
OWN = KEEPERS  # the contact's own organisation's activity
THEIRS = {**KEEPERS, "organisation_contact": 404}  # another organisation's

ROUTES = [
    ("GET", "/registry/activities/", KEEPERS),
    ("GET", "/registry/activities/?q=koffie&area=none&theme_group=1&priority=1&page=2", KEEPERS),
    ("GET", "/registry/activities/?checked=stale&archived=yes&organisation=1", KEEPERS),
    ("GET", "/registry/activities/new", KEEPERS),
    ("POST", "/registry/activities/new", KEEPERS),
    ("GET", "/registry/activities/{mine}", OWN),
    ("GET", "/registry/activities/{mine}/edit", OWN),
    ("POST", "/registry/activities/{mine}/edit", OWN),
    ("POST", "/registry/activities/{mine}/checked", OWN),
    ("POST", "/registry/activities/{mine}/archive", OWN),
    ("GET", "/registry/activities/{theirs}", THEIRS),
    ("GET", "/registry/activities/{theirs}/edit", THEIRS),
    ("POST", "/registry/activities/{theirs}/edit", THEIRS),
    ("POST", "/registry/activities/{theirs}/checked", THEIRS),
    ("POST", "/registry/activities/{theirs}/archive", THEIRS),
    ("GET", "/registry/activities/gaps", STAFF_ONLY),
]


def test_who_may_use_each_page(app, world):
    found, expected = {}, {}
    for method, template, rule in ROUTES:
        url = template.format(**world)
        for role in ROLES:
            response = client_for(app, world, role).open(url, method=method)
            found[(method, url, role)] = outcome(response)
            expected[(method, url, role)] = rule[role]
    assert {k: v for k, v in found.items() if v != expected[k]} == {}


def test_a_contact_whose_organisation_left_keeps_nothing(app, world):
    contact = client_as(app, world["left_contact"])
    assert contact.get("/registry/activities/").status_code == 403
    assert contact.get(f"/registry/activities/{world['gone']}").status_code == 403
    assert contact.post("/registry/activities/new", data=_form(world)).status_code == 403


def test_an_activity_that_does_not_exist_is_absent(app, world):
    admin = client_as(app, world["users"]["admin"])
    for url in ("/registry/activities/999999", "/registry/activities/99999999999999/edit"):
        assert admin.get(url).status_code == 404
    assert admin.post("/registry/activities/999999/checked").status_code == 404


def _form(world, **changes) -> dict:
    form = {
        "organisation": str(world["own"]),
        "name": "Taalcafé",
        "description": "Dutch conversation over coffee",
        "target_groups": ["women", "newcomers"],
        "minimum_age": "18",
        "maximum_age": "",
        "place": "address",
        "area": str(world["oost"]),
        "neighbourhood": str(world["holendrecht"]),
        "location_name": "Buurtwerkkamer",
        "address": "Kantershof 1",
        "postal_code": "1104hl",
        "city": "Amsterdam",
        "cost": "free",
        "cost_amount": "",
        "access": "walk_in",
        "phone": "020 123 4567",
        "email": "info@venzo.nl",
        "website": "www.venzo.nl",
        "theme_group": str(world["armoede"]),
        "priority": str(world["money"]),
        "languages": "nl, srn, Twi",
        "weekly-0-weekday": "1",
        "weekly-0-opens_at": "10:00",
        "weekly-0-closes_at": "12:00",
        "weekly-1-weekday": "3",
        "weekly-1-opens_at": "",
        "weekly-1-closes_at": "",
        "once-0-on_date": (local_today() + timedelta(days=30)).isoformat(),
        "once-0-opens_at": "14:00",
        "once-0-closes_at": "16:30",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_a_contact_adds_an_activity_for_its_own_organisation_only(app, world):
    contact = client_as(app, world["users"]["organisation_contact"])
    page = text(contact.get("/registry/activities/new"))
    assert 'name="organisation"' not in page and "Venzo" in page
    # Changing the form to another organisation changes nothing: it is fixed to its own.
    response = contact.post(
        "/registry/activities/new", data=_form(world, organisation=world["other"])
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(Activity).where(Activity.name == "Taalcafé"))
        assert saved.organisation_id == world["own"]
        assert saved.checked_on == local_today() and saved.reminded_on is None
        assert saved.target_groups == ["women", "newcomers"]
        assert [lang.code for lang in saved.languages] == ["nl", "srn", "tw"]
        assert saved.phone == "+31201234567" and saved.postal_code == "1104 HL"
        assert saved.website == "https://www.venzo.nl"
        assert saved.priority_id == world["money"] and saved.area_id == world["oost"]
        saved_id = saved.id
    # It edits its own, and the edit form shows what is stored.
    edit = text(contact.get(f"/registry/activities/{saved_id}/edit"))
    assert 'value="Taalcafé"' in edit and 'value="10:00"' in edit and 'value="16:30"' in edit
    response = contact.post(
        f"/registry/activities/{saved_id}/edit",
        data=_form(world, name="Taalcafé Venzo", organisation=world["other"]),
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Activity, saved_id)
        assert (saved.name, saved.organisation_id) == ("Taalcafé Venzo", world["own"])
    # The list shows its own organisation's activities, not the others'.
    listing = text(contact.get("/registry/activities/"))
    assert "Koffie-ochtend" in listing and "Taalcafé Venzo" in listing
    assert "Naaiatelier" not in listing and "Old club" not in listing


def test_staff_keep_every_organisations_activities(app, world):
    for role in ("admin", "lead"):
        staff = client_as(app, world["users"][role])
        response = staff.post(
            f"/registry/activities/{world['theirs']}/edit",
            data=_form(world, name=f"Naaiatelier {role}", organisation=world["other"]),
        )
        assert response.status_code == 302, role
        listing = text(staff.get("/registry/activities/"))
        assert "Koffie-ochtend" in listing and f"Naaiatelier {role}" in listing
    # No new activity for an organisation that left.
    admin = client_as(app, world["users"]["admin"])
    response = admin.post("/registry/activities/new", data=_form(world, organisation=world["left"]))
    assert response.status_code == 422


def test_schedules_are_saved_and_shown(app, world):
    admin = client_as(app, world["users"]["admin"])
    response = admin.post("/registry/activities/new", data=_form(world))
    assert response.status_code == 302
    page = text(admin.get(response.headers["Location"]))
    with app.app_context():
        activity = db.session.scalar(select(Activity).where(Activity.name == "Taalcafé"))
        rows = [
            (s.weekday, s.on_date, s.opens_at, s.closes_at)
            for s in db.session.scalars(
                select(ActivitySchedule)
                .where(ActivitySchedule.activity_id == activity.id)
                .order_by(ActivitySchedule.id)
            )
        ]
    one_off = local_today() + timedelta(days=30)
    assert sorted(rows, key=str) == sorted(
        [
            (1, None, time(10), time(12)),
            (3, None, None, None),
            (None, one_off, time(14), time(16, 30)),
        ],
        key=str,
    )
    assert "Tuesday 10:00–12:00" in page and "Thursday" in page
    assert re.search(r'data-date="' + one_off.isoformat() + r'">[^<]*14:00–16:30', page)
    assert f'href="/sociale-kaart/{activity.id}"' in page


# (field changes, the message shown); each is refused with 422, keeps what was typed and
# writes nothing.
BAD = [
    ({"name": ""}, "This field is required."),
    ({"name": "x" * 161}, "Field cannot be longer than 160 characters."),
    ({"description": "x" * 5001}, "Field cannot be longer than 5000 characters."),
    ({"target_groups": ["pirates"]}, "is not a valid choice"),
    ({"minimum_age": "abc"}, "Not a valid integer value."),
    ({"minimum_age": "130"}, "Give an age from 0 to 120."),
    ({"maximum_age": "-1"}, "Give an age from 0 to 120."),
    ({"minimum_age": "60", "maximum_age": "12"}, "The minimum age cannot be above the maximum"),
    ({"place": "moon"}, "Not a valid choice."),
    (
        {"area": "", "neighbourhood": "", "priority": "", "address": ""},
        "Give the address, or at least the neighbourhood or area",
    ),
    ({"area": "abc"}, "Invalid Choice"),
    ({"neighbourhood": "999999"}, "Not a valid choice."),
    ({"neighbourhood": "KBUURT"}, "is not in Bijlmer-Oost"),
    ({"priority": "OTHER_PRIORITY"}, "is a priority of another area"),
    ({"postal_code": "ABCD 12"}, "Give a Dutch postal code like 1102 AB"),
    ({"address": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"cost": "paid", "cost_amount": ""}, "Give the amount it costs, in euros."),
    ({"cost": "paid", "cost_amount": "100000"}, "Give an amount from 0 up to 100,000 euros."),
    ({"cost": "paid", "cost_amount": "-5"}, "An amount cannot be negative."),
    ({"cost": "paid", "cost_amount": "twelve"}, "Give an amount in euros"),
    ({"cost": "gratis"}, "Not a valid choice."),
    ({"access": "teleport"}, "Not a valid choice."),
    ({"phone": "12345"}, "This is not a phone number we can call."),
    ({"email": "not-an-address"}, "Give a valid e-mail address."),
    ({"website": "javascript:alert(1)"}, "Give a web address like www.example.nl"),
    ({"theme_group": "999999"}, "Not a valid choice."),
    ({"languages": "Klingonish"}, "is not a language we know"),
    ({"weekly-0-weekday": "9"}, "Not a valid choice."),
    ({"weekly-0-opens_at": "25:99"}, "Not a valid time value."),
    ({"weekly-0-opens_at": "12:00", "weekly-0-closes_at": "10:00"}, "the closing time must be"),
    ({"weekly-0-opens_at": "", "weekly-0-closes_at": "10:00"}, "give the opening time too"),
    ({"weekly-2-opens_at": "10:00"}, "A time needs its weekday or its date."),
    ({"once-0-on_date": "2026-02-31"}, "Not a valid date value."),
    ({"once-0-on_date": "0001-01-01"}, "give a date at most a year back and two years ahead"),
    ({"once-0-on_date": "2099-01-01"}, "give a date at most a year back and two years ahead"),
    ({"organisation": "999999"}, "Not a valid choice."),
    ({"organisation": ""}, "Choose the organisation."),
]


@pytest.mark.parametrize(("changes", "message"), BAD)
def test_bad_input_is_refused_with_a_message_and_kept(app, world, changes, message):
    admin = client_as(app, world["users"]["admin"])
    with app.app_context():
        before = db.session.scalar(select(func.count(Activity.id)))
        schedules = db.session.scalar(select(func.count(ActivitySchedule.id)))
    ids = {"KBUURT": str(world["kbuurt"]), "OTHER_PRIORITY": str(world["other_priority"])}
    changes = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
    for url in ("/registry/activities/new", f"/registry/activities/{world['mine']}/edit"):
        response = admin.post(
            url,
            data=_form(
                world,
                name=changes.get("name", "Typed name"),
                **{k: v for k, v in changes.items() if k != "name"},
            ),
        )
        page = text(response)
        assert response.status_code == 422, (url, changes)
        assert message in page, (url, changes)
        if changes.get("name", "Typed name") == "Typed name":
            assert 'value="Typed name"' in page
        assert "Dutch conversation over coffee" in page or "description" in changes
    with app.app_context():
        assert db.session.scalar(select(func.count(Activity.id))) == before
        assert db.session.scalar(select(func.count(ActivitySchedule.id))) == schedules
        assert db.session.get(Activity, world["mine"]).name == "Koffie-ochtend"
        assert db.session.scalar(select(func.count()).select_from(Language)) == 0


def test_huge_and_odd_input_never_fails(app, world):
    admin = client_as(app, world["users"]["admin"])
    odd = _form(
        world,
        minimum_age="9" * 40,
        **{"weekly-0-weekday": "x" * 5000, "weekly-99-weekday": "1", "once-0-on_date": "99999-1-1"},
    )
    assert admin.post("/registry/activities/new", data=odd).status_code == 422
    assert admin.get("/registry/activities/?page=99999999999&area=abc").status_code == 200
    assert admin.get("/registry/activities/new?organisation=99999999999999").status_code == 200


def test_cost_other_than_paid_clears_the_amount_and_online_clears_the_address(app, world):
    admin = client_as(app, world["users"]["admin"])
    response = admin.post(
        "/registry/activities/new",
        data=_form(
            world, cost="on_request", cost_amount="12,50", place="online", area="", priority=""
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(Activity).where(Activity.name == "Taalcafé"))
        assert saved.cost_amount is None and saved.address == "" and saved.location_name == ""
        # The neighbourhood gives the area.
        assert saved.area_id == world["oost"]


def test_checked_and_archive_and_bring_back(app, world):
    with app.app_context():
        activity = db.session.get(Activity, world["mine"])
        activity.checked_on = date(2020, 1, 1)
        activity.reminded_on = date(2021, 2, 1)
        db.session.commit()
    contact = client_as(app, world["users"]["organisation_contact"])
    stale = text(contact.get("/registry/activities/?checked=stale"))
    assert "Koffie-ochtend" in stale
    assert "Not checked for 12 months" in text(contact.get(f"/registry/activities/{world['mine']}"))
    assert contact.post(f"/registry/activities/{world['mine']}/checked").status_code == 302
    with app.app_context():
        activity = db.session.get(Activity, world["mine"])
        assert activity.checked_on == local_today() and activity.reminded_on is None
    assert "Koffie-ochtend" not in text(contact.get("/registry/activities/?checked=stale"))
    url = f"/registry/activities/{world['mine']}/archive"
    asked = contact.post(url, data={"archived": "y"})
    assert asked.status_code == 200 and 'id="confirm-question"' in text(asked)
    with app.app_context():
        assert db.session.get(Activity, world["mine"]).archived is False
    assert contact.post(url, data={"archived": "y", "confirmed": "1"}).status_code == 302
    with app.app_context():
        assert db.session.get(Activity, world["mine"]).archived is True
    assert "Koffie-ochtend" not in text(contact.get("/registry/activities/"))
    assert "Koffie-ochtend" in text(contact.get("/registry/activities/?archived=yes"))
    assert contact.post(url, data={}).status_code == 302
    with app.app_context():
        assert db.session.get(Activity, world["mine"]).archived is False


def test_the_organisation_page_links_to_its_activities(app, world):
    contact = client_as(app, world["users"]["organisation_contact"])
    page = text(contact.get(f"/registry/organisations/{world['own']}"))
    assert 'id="social-map-activities" data-count="1"' in page
    assert 'id="activities-link" href="/registry/activities/"' in page
    assert 'id="add-activity-link"' in page
    admin = client_as(app, world["users"]["admin"])
    page = text(admin.get(f"/registry/organisations/{world['left']}"))
    assert 'data-count="1"' in page and 'id="add-activity-link"' not in page
    assert f'href="/registry/activities/?organisation={world["left"]}"' in page
    lead = client_as(app, world["users"]["lead"])
    assert 'id="tile-activities"' in text(lead.get("/registry/"))


# --- the gaps table -----------------------------------------------------------------------


def build_gaps() -> dict:
    """By hand: Oost has priorities A (2 activities) and B (none) and one activity without a
    priority; Centrum has priority C (1); one online activity has no area; one archived
    activity in A is not counted."""
    oost, centrum = make_area("Bijlmer-Oost"), make_area("Bijlmer-Centrum")
    a = Priority(area=oost, name="A financial", position=0)
    b = Priority(area=oost, name="B lonely", position=1)
    c = Priority(area=centrum, name="C youth", position=0)
    armoede, jongeren = ThemeGroup(name="Armoede"), ThemeGroup(name="Jongeren")
    db.session.add_all([a, b, c, armoede, jongeren, Language(code="srn"), Language(code="nl")])
    db.session.flush()
    srn, nl = db.session.get(Language, "srn"), db.session.get(Language, "nl")
    org = make_org("Venzo")
    _activity(org, "one", area=oost, priority=a, theme_group=armoede, languages=[srn, nl])
    _activity(org, "two", area=oost, priority=a, theme_group=armoede, languages=[srn])
    _activity(org, "three", area=oost, theme_group=jongeren)
    _activity(org, "four", area=centrum, priority=c, theme_group=jongeren, languages=[nl])
    _activity(org, "five", place="online", theme_group=armoede, languages=[nl])
    _activity(org, "archived", area=oost, priority=a, theme_group=armoede, archived=True)
    lead = make_user(Role.LEAD)
    db.session.commit()
    return {
        "lead": lead.id,
        "oost": oost.id,
        "centrum": centrum.id,
        "a": a.id,
        "b": b.id,
        "c": c.id,
        "armoede": armoede.id,
        "jongeren": jongeren.id,
    }


def _cell(page: str, name: str) -> tuple[int, str, str]:
    found = re.search(
        rf'<td class="([^"]*)" data-cell="{re.escape(name)}" data-count="(\d+)"><a href="([^"]+)"',
        page,
    )
    assert found, name
    return int(found[2]), found[1], found[3]


def test_the_gaps_table_counts_by_hand(app):
    with app.app_context():
        ids = build_gaps()
    page = text(client_as(app, ids["lead"]).get("/registry/activities/gaps"))
    oost, centrum, a, b, c = ids["oost"], ids["centrum"], ids["a"], ids["b"], ids["c"]
    armoede, jongeren = ids["armoede"], ids["jongeren"]
    assert 'data-total="5"' in page
    count, cls, href = _cell(page, f"priority-{a}")
    assert (count, "gap-empty" in cls) == (2, False)
    assert href == f"/registry/activities/?area={oost}&priority={a}"
    count, cls, href = _cell(page, f"priority-{b}")
    assert (count, "gap-empty" in cls) == (0, True)
    assert href == f"/registry/activities/?area={oost}&priority={b}"
    assert _cell(page, f"priority-{c}")[0] == 1
    assert _cell(page, f"area-{oost}-no-priority")[:1] == (1,)
    assert _cell(page, f"area-{oost}-no-priority")[2] == (
        f"/registry/activities/?area={oost}&priority=none"
    )
    assert _cell(page, "no-area") == (1, "text-end", "/registry/activities/?area=none")
    themes = {
        (armoede, oost): 2,
        (armoede, centrum): 0,
        (jongeren, oost): 1,
        (jongeren, centrum): 1,
    }
    for (theme, area), expected in themes.items():
        count, cls, href = _cell(page, f"theme-{theme}-area-{area}")
        assert (count, "gap-empty" in cls) == (expected, expected == 0)
        assert href == f"/registry/activities/?area={area}&theme_group={theme}"
    assert _cell(page, f"theme-{armoede}-no-area")[0] == 1
    assert _cell(page, f"theme-{jongeren}-no-area")[0] == 0
    # An empty cell is marked by a sign and a word, not by colour alone.
    assert "⚠</span> 0 <span" in page and "none" in page
    # Languages per area, by name.
    assert re.search(rf'data-area="{oost}">.*Sranan Tongo \(2\).*Dutch \(1\)', page)
    assert re.search(rf'data-area="{centrum}">.*Dutch \(1\)', page)
    assert re.search(r'data-area="none">.*Dutch \(1\)', page)
    # The cell's link shows the cell's activities.
    lead = client_as(app, ids["lead"])
    listing = text(lead.get(f"/registry/activities/?area={oost}&priority={a}"))
    assert re.search(r'data-total="2"', listing)
    listing = text(lead.get("/registry/activities/?area=none"))
    assert 'data-total="1"' in listing and ">five<" in listing


# --- statements ---------------------------------------------------------------------------


PAGES = [
    "/registry/activities/",
    "/registry/activities/?q=activity&checked=stale",
    "/registry/activities/?area=none",
    "/registry/activities/gaps",
]


def test_the_pages_issue_the_same_statements_at_two_sizes(app):
    from tests.conftest import _empty_all_tables

    def measure(scale: int) -> dict:
        with app.app_context():
            lead_id = make_user(Role.LEAD).id
            langs = [Language(code=code) for code in ("nl", "srn", "tw", "pap")]
            db.session.add_all(langs)
            themes = [ThemeGroup(name=f"Theme {i}") for i in range(scale)]
            db.session.add_all(themes)
            for a in range(scale):
                area = make_area(f"Area {a}")
                hood = Neighbourhood(area=area, name=f"Hood {a}")
                priorities = [Priority(area=area, name=f"P{a}.{i}") for i in range(3)]
                db.session.add_all([hood, *priorities])
                org = make_org(f"Org {a}")
                for i in range(scale * 3):
                    activity = _activity(
                        org,
                        f"Activity {a}.{i}",
                        area=area,
                        neighbourhood=hood,
                        priority=priorities[i % 3],
                        theme_group=themes[i % scale],
                        languages=langs[: 1 + i % 4],
                        checked_on=date(2020, 1, 1),
                    )
                    activity.schedules = [ActivitySchedule(weekday=i % 7)]
                _activity(org, f"Online {a}", place="online", checked_on=date(2020, 1, 1))
            db.session.commit()
        lead = client_as(app, lead_id)
        counts = {url: statements_of_get(app, lead, url) for url in PAGES}
        with app.app_context():
            _empty_all_tables()
        return counts

    small, large = measure(1), measure(12)
    assert {url: (small[url], large[url]) for url in PAGES if small[url] != large[url]} == {}
