"""Theme groups through the pages: who may use each route, the list's counts, adding, editing
and archiving a group, its members in one form, bad input, and statements at two sizes."""

import re
from datetime import date

import pytest
from sqlalchemy import event, func, select

from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import (
    Area,
    Meeting,
    Neighbourhood,
    Organisation,
    Person,
    Project,
    Signal,
    ThemeGroup,
)
from maatjes.models.pact import theme_group_organisations, theme_group_people
from tests.builders import client_as
from tests.views.test_core_loop import text
from tests.views.test_meetings import ROLES, _expect, _users

READERS = {"admin": "ok", "lead": "ok"}
ADMIN_ONLY = {"admin": "ok"}


def _world() -> dict:
    ids = _users()
    this_year = local_today().year
    armoede = ThemeGroup(name="Armoede", description="Poverty", results="Money Maatjes")
    archived = ThemeGroup(name="Oud", active=False)
    org = Organisation(name="Venzo", status="member", joined_on=date(2019, 1, 1))
    gone = Organisation(name="Gone", status="left", joined_on=date(2010, 1, 1))
    person = Person(name="Pien", organisation=org)
    armoede.organisations.append(org)
    armoede.people.append(person)
    area = Area(name="Zuid")
    hood = Neighbourhood(name="Holendrecht", area=area)
    db.session.add_all([armoede, archived, org, gone, person, area, hood])
    db.session.flush()
    db.session.add_all(
        [
            Meeting(kind=Meeting.THEME_GROUP, theme_group=armoede, held_on=date(this_year, 1, 2)),
            Meeting(kind=Meeting.THEME_GROUP, theme_group=armoede, held_on=date(2019, 1, 2)),
            Project(name="Money Maatjes", theme_group=armoede),
            Signal(
                title="Financial stress",
                neighbourhood=hood,
                theme_group=armoede,
                heard_on=date(2021, 5, 1),
            ),
        ]
    )
    db.session.commit()
    return {
        **ids,
        "group": armoede.id,
        "archived": archived.id,
        "org": org.id,
        "gone": gone.id,
        "person": person.id,
    }


ROUTES = [
    ("GET", "/registry/theme-groups/", _expect(READERS)),
    ("GET", "/registry/theme-groups/?q=arm&state=all&page=2", _expect(READERS)),
    ("GET", "/registry/theme-groups/new", _expect(ADMIN_ONLY)),
    ("POST", "/registry/theme-groups/new", _expect(ADMIN_ONLY)),
    ("GET", "/registry/theme-groups/{group}", _expect(READERS)),
    ("GET", "/registry/theme-groups/999999", _expect({"admin": 404, "lead": 404})),
    ("GET", "/registry/theme-groups/{group}/edit", _expect(ADMIN_ONLY)),
    ("POST", "/registry/theme-groups/{group}/edit", _expect(ADMIN_ONLY)),
    ("POST", "/registry/theme-groups/{group}/members", _expect(ADMIN_ONLY)),
]


@pytest.mark.parametrize(("method", "url", "expected"), ROUTES)
def test_who_may_use_each_theme_group_route(app, method, url, expected):
    with app.app_context():
        ids = _world()
    path = url.format(**ids)
    assert app.test_client().open(path, method=method).status_code == 302  # to the login
    for role in ROLES:
        status = client_as(app, ids[role]).open(path, method=method).status_code
        if expected[role] == "ok":
            assert status in (200, 302, 422), (role, path, status)
        else:
            assert status == expected[role], (role, path, status)


def test_the_list_counts_members_and_this_years_meetings(app):
    with app.app_context():
        ids = _world()
    lead = client_as(app, ids["lead"])
    page = text(lead.get("/registry/theme-groups/"))
    row = re.search(rf'data-theme-group="{ids["group"]}".*?</tr>', page, re.S).group(0)
    assert 'data-organisations="1"' in row and 'data-people="1"' in row
    assert 'data-meetings="1"' in row  # the meeting of 2019 is not this year's
    assert "Oud" not in page  # archived groups are behind the filter
    assert "Oud" in text(lead.get("/registry/theme-groups/?state=archived"))
    detail = text(lead.get(f"/registry/theme-groups/{ids['group']}"))
    assert "Money Maatjes" in detail and 'data-signals="1"' in detail
    assert "Venzo" in detail and "Pien" in detail
    assert "Change the members" not in detail  # a lead reads only


def test_an_admin_adds_edits_archives_and_sets_the_members(app):
    with app.app_context():
        ids = _world()
    admin = client_as(app, ids["admin"])
    response = admin.post(
        "/registry/theme-groups/new",
        data={"name": "  Digitale   inclusie ", "description": "Online", "active": "y"},
    )
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = admin.post(
        f"/registry/theme-groups/{new_id}/members",
        data={"members-organisations": [str(ids["org"])], "members-people": [str(ids["person"])]},
    )
    assert response.status_code == 302
    response = admin.post(
        f"/registry/theme-groups/{new_id}/edit",
        data={"name": "Digitale inclusie", "results": "A digital café"},  # active unticked
    )
    assert response.status_code == 302
    with app.app_context():
        group = db.session.get(ThemeGroup, new_id)
        assert (group.name, group.active, group.results) == (
            "Digitale inclusie",
            False,
            "A digital café",
        )
        assert [o.name for o in group.organisations] == ["Venzo"]
        assert [p.name for p in group.people] == ["Pien"]
    # Unticking everything empties the membership.
    assert admin.post(f"/registry/theme-groups/{new_id}/members", data={}).status_code == 302
    with app.app_context():
        assert db.session.get(ThemeGroup, new_id).organisations == []


def _state() -> tuple:
    return (
        db.session.scalar(select(func.count(ThemeGroup.id))),
        tuple(db.session.scalars(select(ThemeGroup.name).order_by(ThemeGroup.id))),
        db.session.scalar(select(func.count()).select_from(theme_group_organisations)),
        db.session.scalar(select(func.count()).select_from(theme_group_people)),
    )


BAD = [
    ("new", {"name": ""}, "This field is required"),
    ("new", {"name": "armoede"}, "A theme group with this name exists already."),
    ("new", {"name": "x" * 81}, "80"),
    ("new", {"name": "Ok", "description": "x" * 2001}, "2000"),
    ("{group}/edit", {"name": "Oud"}, "A theme group with this name exists already."),
    ("{group}/edit", {"name": "   "}, "This field is required"),
    ("{group}/members", {"members-organisations": "999999"}, "Choose from the list"),
    ("{group}/members", {"members-organisations": "{gone}"}, "Choose from the list"),
    ("{group}/members", {"members-people": "x"}, "Choose from the list."),
]


@pytest.mark.parametrize(("route", "form", "message"), BAD)
def test_bad_input_is_refused_with_a_message_and_nothing_written(app, route, form, message):
    with app.app_context():
        ids = _world()
        before = _state()
    form = {k: v.format(**ids) for k, v in form.items()}
    response = client_as(app, ids["admin"]).post(
        f"/registry/theme-groups/{route.format(**ids)}", data=form
    )
    assert response.status_code == 422
    assert message in text(response)
    with app.app_context():
        assert _state() == before


def test_the_list_issues_the_same_statements_at_two_sizes(app):
    from tests.conftest import _empty_all_tables

    def measure(size: int) -> tuple:
        with app.app_context():
            ids = _world()
            orgs = [Organisation(name=f"Org {n}") for n in range(size)]
            for n in range(size):
                group = ThemeGroup(name=f"Group {n}", organisations=orgs[: n % 5])
                db.session.add(group)
                db.session.add(
                    Meeting(kind=Meeting.THEME_GROUP, theme_group=group, held_on=local_today())
                )
            db.session.commit()
            engine = db.engine
        lead = client_as(app, ids["lead"])
        seen = []

        def collect(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
                seen.append(statement)

        counts = []
        for url in ("/registry/theme-groups/", f"/registry/theme-groups/{ids['group']}"):
            event.listen(engine, "before_cursor_execute", collect)
            try:
                assert lead.get(url).status_code == 200
            finally:
                event.remove(engine, "before_cursor_execute", collect)
            counts.append(len(seen))
            seen.clear()
        with app.app_context():
            _empty_all_tables()
        return tuple(counts)

    assert measure(2) == measure(40)
