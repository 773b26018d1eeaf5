"""Areas, their neighbourhoods and the municipality's priorities through the pages."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from maatjes.extensions import db
from maatjes.models import (
    Area,
    Base,
    Neighbourhood,
    Organisation,
    Priority,
    Project,
    Role,
    Signal,
    ThemeGroup,
)
from tests.builders import (
    client_as,
    login,
    make_area,
    make_org,
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


def _counts() -> dict:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
        if table.name not in ("audit_events", "notifications", "job_runs")
    }


def _world() -> dict:
    oost = make_area("Bijlmer-Oost")
    centrum = make_area("Bijlmer-Centrum")
    holendrecht = Neighbourhood(area=oost, name="Holendrecht")
    reigersbos = Neighbourhood(area=oost, name="Reigersbos")
    kbuurt = Neighbourhood(area=centrum, name="K-buurt")
    first = Priority(area=oost, name="Financial self-reliance", position=0)
    second = Priority(area=oost, name="Loneliness", position=1)
    third = Priority(area=oost, name="Youth", position=2)
    db.session.add_all([holendrecht, reigersbos, kbuurt, first, second, third])
    group = ThemeGroup(name="Armoede")
    db.session.add(group)
    db.session.flush()
    db.session.add(
        Signal(
            title="Financial stress",
            neighbourhood=holendrecht,
            theme_group=group,
            heard_on=date(2022, 5, 1),
        )
    )
    project = Project(name="Ijssie in de Wijk")
    project.neighbourhoods.append(holendrecht)
    db.session.add(project)
    contact = make_user(Role.ORGANISATION_CONTACT)
    users = {
        "admin": make_user(Role.ADMIN),
        "lead": make_user(Role.LEAD),
        "volunteer": make_volunteer(("nl",)).user,
        "buurtteam": make_user(Role.BUURTTEAM, area=oost),
        "linking_pin": make_user(Role.LINKING_PIN, area=oost),
        "organisation_contact": contact,
    }
    db.session.commit()
    return {
        "users": {name: user.id for name, user in users.items()},
        "oost": oost.id,
        "centrum": centrum.id,
        "holendrecht": holendrecht.id,
        "reigersbos": reigersbos.id,
        "first": first.id,
        "second": second.id,
        "third": third.id,
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


READ = {"anonymous": LOGIN, **{r: 403 for r in ROLES[1:]}, "admin": OK, "lead": OK}
EDIT = {**READ, "lead": 403}

ROUTES = [
    ("GET", "/registry/areas/", READ),
    ("POST", "/registry/areas/", EDIT),
    ("GET", "/registry/areas/{oost}", READ),
    ("POST", "/registry/areas/{oost}/rename", EDIT),
    ("POST", "/registry/areas/{oost}/neighbourhoods", EDIT),
    ("POST", "/registry/areas/neighbourhoods/{reigersbos}/rename", EDIT),
    ("POST", "/registry/areas/neighbourhoods/{holendrecht}/remove", EDIT),  # in use: 422
    ("POST", "/registry/areas/{oost}/priorities", EDIT),
    ("GET", "/registry/areas/priorities/{first}/edit", EDIT),
    ("POST", "/registry/areas/priorities/{first}/edit", EDIT),
    ("POST", "/registry/areas/priorities/{first}/move", EDIT),
]


@pytest.mark.parametrize(("method", "template", "expected"), ROUTES)
def test_who_may_use_each_area_page(app, world, method, template, expected):
    url = template.format(**world)
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            login(client, world["users"][role])
        response = client.open(url, method=method, data={})
        assert _outcome(response) == expected[role], f"{method} {url} as {role}"


def test_removing_a_priority_is_the_admins(app, world):
    for role in ROLES[2:]:
        client = client_as(app, world["users"][role])
        assert client.post(f"/registry/areas/priorities/{world['third']}/remove").status_code == 403
    admin = client_as(app, world["users"]["admin"])
    url = f"/registry/areas/priorities/{world['third']}/remove"
    response = admin.post(url)
    assert response.status_code == 200 and 'id="confirm-question"' in text(response)
    with app.app_context():
        assert db.session.get(Priority, world["third"]) is not None
    assert admin.post(url, data={"confirmed": "1"}).status_code == 302
    with app.app_context():
        assert db.session.get(Priority, world["third"]) is None


def test_unknown_areas_neighbourhoods_and_priorities_are_absent(app, world):
    admin = client_as(app, world["users"]["admin"])
    for method, url in [
        ("GET", "/registry/areas/999999"),
        ("POST", "/registry/areas/999999/rename"),
        ("POST", "/registry/areas/999999/neighbourhoods"),
        ("POST", "/registry/areas/neighbourhoods/999999/rename"),
        ("POST", "/registry/areas/neighbourhoods/999999/remove"),
        ("POST", "/registry/areas/999999/priorities"),
        ("GET", "/registry/areas/priorities/999999/edit"),
        ("POST", "/registry/areas/priorities/999999/move"),
        ("POST", "/registry/areas/priorities/999999/remove"),
        ("GET", f"/registry/areas/{2**64}"),
    ]:
        assert admin.open(url, method=method).status_code == 404, url


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_neighbourhoods_priorities_linking_pins_and_organisations(app, world):
    with app.app_context():
        venzo, left = make_org("Venzo"), make_org("Gone")
        venzo.areas.append(db.session.get(Area, world["oost"]))
        left.areas.append(db.session.get(Area, world["oost"]))
        left.status = "left"
        db.session.commit()
    page = text(client_as(app, world["users"]["lead"]).get("/registry/areas/"))
    row = page[page.index(f'data-area-id="{world["oost"]}"') :]
    row = row[: row.index("</tr>")]
    assert "Holendrecht, Reigersbos" in row
    assert 'data-priorities="3"' in row
    assert 'data-organisations="1"' in row  # the one that left is not active there
    assert "/registry/people/" in row  # its Linking Pin
    other = page[page.index(f'data-area-id="{world["centrum"]}"') :]
    other = other[: other.index("</tr>")]
    assert 'data-priorities="0"' in other and "none" in other
    # The lead reads; only pact support staff add.
    assert "Add an area" not in page
    assert "Add an area" in text(client_as(app, world["users"]["admin"]).get("/registry/areas/"))
    searched = text(client_as(app, world["users"]["lead"]).get("/registry/areas/?q=centrum"))
    assert "Bijlmer-Centrum" in searched and "Bijlmer-Oost" not in searched


def test_the_list_issues_the_same_statements_at_2_and_40_areas(app):
    from tests.builders import make_linking_pin
    from tests.conftest import _empty_all_tables

    def measure(n):
        with app.app_context():
            org = make_org("Venzo")
            for i in range(n):
                area = make_area(f"Area {i:03d}")
                org.areas.append(area)
                db.session.add_all(
                    [
                        Neighbourhood(area=area, name="North"),
                        Neighbourhood(area=area, name="South"),
                        Priority(area=area, name="Debts"),
                    ]
                )
                make_linking_pin(make_user(Role.LINKING_PIN), area)
            admin_id = make_user(Role.ADMIN).id
            db.session.commit()
        client = client_as(app, admin_id)
        result = (
            statements_of_get(app, client, "/registry/areas/"),
            statements_of_get(app, client, "/registry/areas/?page=2"),
        )
        with app.app_context():
            _empty_all_tables()
        return result

    assert measure(2) == measure(40)


# --- areas ---------------------------------------------------------------------------------


def test_an_admin_adds_and_renames_an_area_with_unique_trimmed_names(app, world):
    admin = client_as(app, world["users"]["admin"])
    response = admin.post("/registry/areas/", data={"name": "  Gaasperdam   Driemond "})
    assert response.status_code == 302
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.name == "Gaasperdam Driemond"))
        assert area is not None
        area_id = area.id
        before = _counts()
    for data, message in [
        ({"name": "bijlmer-oost"}, "There is already an area with this name."),
        ({"name": "  "}, "Give a name."),
        ({"name": "x" * 81}, "80"),
        ({}, "Give a name."),
    ]:
        response = admin.post("/registry/areas/", data=data)
        assert response.status_code == 422 and message in text(response), data
    response = admin.post(f"/registry/areas/{area_id}/rename", data={"name": "Bijlmer-Oost"})
    assert response.status_code == 422
    assert "There is already an area with this name." in text(response)
    with app.app_context():
        assert _counts() == before
        assert db.session.get(Area, area_id).name == "Gaasperdam Driemond"
    response = admin.post(f"/registry/areas/{area_id}/rename", data={"name": "Gaasperdam"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Area, area_id).name == "Gaasperdam"


# --- neighbourhoods ------------------------------------------------------------------------


def test_neighbourhoods_are_added_and_renamed_with_unique_names_per_area(app, world):
    admin = client_as(app, world["users"]["admin"])
    url = f"/registry/areas/{world['oost']}/neighbourhoods"
    assert admin.post(url, data={"name": " Venserpolder "}).status_code == 302
    with app.app_context():
        names = db.session.scalars(
            select(Neighbourhood.name).where(Neighbourhood.area_id == world["oost"])
        ).all()
        assert sorted(names) == ["Holendrecht", "Reigersbos", "Venserpolder"]
        before = _counts()
    for data, message in [
        ({"name": "HOLENDRECHT"}, "This area has a neighbourhood with this name already."),
        ({"name": ""}, "Give a name."),
        ({"name": "n" * 81}, "80"),
    ]:
        response = admin.post(url, data=data)
        assert response.status_code == 422 and message in text(response), data
    rename = f"/registry/areas/neighbourhoods/{world['reigersbos']}/rename"
    response = admin.post(rename, data={"name": "holendrecht"})
    assert response.status_code == 422
    page = text(response)
    assert "This area has a neighbourhood with this name already." in page
    assert 'value="holendrecht"' in page  # what was typed is shown again
    with app.app_context():
        assert _counts() == before
    assert admin.post(rename, data={"name": "Reigersbos-Zuid"}).status_code == 302
    with app.app_context():
        assert db.session.get(Neighbourhood, world["reigersbos"]).name == "Reigersbos-Zuid"


def test_a_neighbourhood_name_of_another_area_is_refused_on_adding_and_renaming(app, world):
    admin = client_as(app, world["users"]["admin"], locale="en")
    with app.app_context():
        before = _counts()
    other = f"/registry/areas/{world['centrum']}/neighbourhoods"
    response = admin.post(other, data={"name": " holendrecht "})
    assert response.status_code == 422
    assert "holendrecht is a neighbourhood of Bijlmer-Oost already" in text(response)
    with app.app_context():
        kbuurt = db.session.scalar(select(Neighbourhood.id).where(Neighbourhood.name == "K-buurt"))
    rename = f"/registry/areas/neighbourhoods/{kbuurt}/rename"
    response = admin.post(rename, data={"name": "REIGERSBOS"})
    assert response.status_code == 422
    assert "REIGERSBOS is a neighbourhood of Bijlmer-Oost already" in text(response)
    with app.app_context():
        assert _counts() == before
        assert db.session.get(Neighbourhood, kbuurt).name == "K-buurt"


def test_a_neighbourhood_in_use_stays_and_an_unused_one_may_go(app, world):
    admin = client_as(app, world["users"]["admin"])
    page = text(admin.get(f"/registry/areas/{world['oost']}"))
    used = page[page.index(f'data-neighbourhood-id="{world["holendrecht"]}"') :]
    used = used[: used.index("</tr>")]
    assert "1 signal, 1 project" in used and "cannot be removed" in used
    assert "/remove" not in used
    response = admin.post(f"/registry/areas/neighbourhoods/{world['holendrecht']}/remove")
    assert response.status_code == 422
    assert "Holendrecht cannot be removed" in text(response)
    with app.app_context():
        assert db.session.get(Neighbourhood, world["holendrecht"]) is not None
    url = f"/registry/areas/neighbourhoods/{world['reigersbos']}/remove"
    response = admin.post(url)
    assert response.status_code == 200 and 'id="confirm-question"' in text(response)
    with app.app_context():
        assert db.session.get(Neighbourhood, world["reigersbos"]) is not None
    assert admin.post(url, data={"confirmed": "1"}).status_code == 302
    with app.app_context():
        assert db.session.get(Neighbourhood, world["reigersbos"]) is None


# --- priorities ----------------------------------------------------------------------------


def _order(area_id: int) -> list[str]:
    return db.session.scalars(
        select(Priority.name)
        .where(Priority.area_id == area_id)
        .order_by(Priority.position, Priority.id)
    ).all()


def test_priorities_are_added_edited_moved_and_removed(app, world):
    admin = client_as(app, world["users"]["admin"])
    url = f"/registry/areas/{world['oost']}/priorities"
    response = admin.post(url, data={"name": " Housing ", "description": "Shortage of homes."})
    assert response.status_code == 302
    with app.app_context():
        assert _order(world["oost"]) == [
            "Financial self-reliance",
            "Loneliness",
            "Youth",
            "Housing",
        ]
    move = "/registry/areas/priorities/{}/move"
    assert admin.post(move.format(world["third"]), data={"direction": "up"}).status_code == 302
    assert admin.post(move.format(world["first"]), data={"direction": "down"}).status_code == 302
    with app.app_context():
        assert _order(world["oost"]) == [
            "Youth",
            "Financial self-reliance",
            "Loneliness",
            "Housing",
        ]
    # Past the top: nothing moves, no error page.
    assert admin.post(move.format(world["third"]), data={"direction": "up"}).status_code == 302
    response = admin.post(move.format(world["third"]), data={"direction": "sideways"})
    assert response.status_code == 422 and "Choose up or down." in text(response)
    with app.app_context():
        assert _order(world["oost"])[0] == "Youth"
    edit = f"/registry/areas/priorities/{world['second']}/edit"
    assert "Loneliness" in text(admin.get(edit))
    response = admin.post(edit, data={"name": "Loneliness of elderly", "description": "65+"})
    assert response.status_code == 302
    with app.app_context():
        priority = db.session.get(Priority, world["second"])
        assert (priority.name, priority.description) == ("Loneliness of elderly", "65+")
    page = text(client_as(app, world["users"]["lead"]).get(f"/registry/areas/{world['oost']}"))
    assert "Loneliness of elderly" in page and "/move" not in page  # the lead reads only


def test_bad_priorities_are_refused_with_a_message(app, world):
    admin = client_as(app, world["users"]["admin"])
    with app.app_context():
        before = _counts()
    url = f"/registry/areas/{world['oost']}/priorities"
    edit = f"/registry/areas/priorities/{world['second']}/edit"
    for data, message in [
        ({"name": "youth"}, "This area has a priority with this name already."),
        ({"name": ""}, "Give a name."),
        ({}, "Give a name."),
        ({"name": "p" * 161}, "160"),
        ({"name": "Ok", "description": "d" * 1001}, "1000"),
    ]:
        for target in (url, edit):
            response = admin.post(target, data=data)
            assert response.status_code == 422, (target, data)
            assert message in text(response), (target, data)
    with app.app_context():
        assert _counts() == before
        assert db.session.get(Priority, world["second"]).name == "Loneliness"
    # The same name in another area is fine.
    other = f"/registry/areas/{world['centrum']}/priorities"
    assert admin.post(other, data={"name": "Youth"}).status_code == 302


def test_the_detail_shows_the_linking_pins_of_the_area(app, world):
    page = text(client_as(app, world["users"]["lead"]).get(f"/registry/areas/{world['oost']}"))
    section = page[page.index('id="linking-pins"') : page.index('id="neighbourhoods"')]
    assert "/registry/people/" in section and "receives handovers" in section
    page = text(client_as(app, world["users"]["lead"]).get(f"/registry/areas/{world['centrum']}"))
    assert "This area has no Linking Pin." in page


def test_an_organisation_named_like_an_area_does_not_matter(app, world):
    # Sanity: organisations are counted per area through their areas only.
    with app.app_context():
        db.session.add(Organisation(name="Bijlmer-Oost Foundation"))
        db.session.commit()
    page = text(client_as(app, world["users"]["lead"]).get("/registry/areas/"))
    assert re.search(r'data-organisations="0"', page)


def test_priorities_loaded_with_equal_positions_are_numbered_when_moved(app, world):
    with app.app_context():
        area = make_area("Gaasperdam")
        ids = []
        for name in ("A", "B", "C"):
            priority = Priority(area=area, name=name, position=0)
            db.session.add(priority)
            db.session.flush()
            ids.append(priority.id)
        db.session.commit()
        area_id = area.id
    admin = client_as(app, world["users"]["admin"])
    response = admin.post(f"/registry/areas/priorities/{ids[2]}/move", data={"direction": "up"})
    assert response.status_code == 302
    with app.app_context():
        assert _order(area_id) == ["A", "C", "B"]
        positions = db.session.scalars(
            select(Priority.position).where(Priority.area_id == area_id).order_by(Priority.position)
        ).all()
        assert positions == [0, 1, 2]
