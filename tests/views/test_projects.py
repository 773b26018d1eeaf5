"""Projects and signals over HTTP: who may use each page, the forms (bad input is a 422 with a
message and writes nothing), Money Maatjes' live figures, and lists whose statements do not
grow with the data."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import (
    BudgetLine,
    Neighbourhood,
    Project,
    Role,
    Signal,
    SubsidyApplication,
    SubsidyParticipant,
    ThemeGroup,
)
from tests.builders import (
    client_as,
    login,
    make_area,
    make_match,
    make_org,
    make_resident,
    make_user,
    make_volunteer,
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
READ = {
    "anonymous": LOGIN,
    "admin": OK,
    "lead": OK,
    "volunteer": 403,
    "buurtteam": 403,
    "linking_pin": 403,
    "organisation_contact": 403,
}
ADMIN_ONLY = {**READ, "lead": 403}


def build_registry_world() -> dict:
    """Users of every role, a project with a budget line and a signal, Money Maatjes, and a
    subsidy application with a participant; returns user ids and record ids."""
    oost = make_area("Bijlmer-Oost")
    holendrecht = Neighbourhood(area=oost, name="Holendrecht")
    armoede = ThemeGroup(name="Armoede")
    db.session.add_all([holendrecht, armoede])
    venzo = make_org("Venzo")
    project = Project(name="Ijssie in de Wijk", lead_organisation=venzo, theme_group=armoede)
    money_maatjes = Project(key=Project.MONEY_MAATJES, name="Money Maatjes", theme_group=armoede)
    db.session.add_all([project, money_maatjes])
    db.session.flush()
    line = BudgetLine(project=project, description="Coffee", amount=Decimal("12.50"))
    signal = Signal(
        title="Woningnood",
        neighbourhood=holendrecht,
        theme_group=armoede,
        project=project,
        heard_on=date(2021, 6, 1),
        residents=300,
    )
    application = SubsidyApplication(
        funder="Gemeente Amsterdam", scheme="Sociale Basis", year=2022, lead_organisation=venzo
    )
    db.session.add_all([line, signal, application])
    db.session.flush()
    participant = SubsidyParticipant(
        application=application,
        organisation=make_org("SurAnt"),
        requested=Decimal("12500"),
        decision="rejected",
        reason="Not eligible",
    )
    db.session.add(participant)
    users = {
        "admin": make_user(Role.ADMIN),
        "lead": make_user(Role.LEAD),
        "volunteer": make_volunteer().user,
        "buurtteam": make_user(Role.BUURTTEAM, area=oost),
        "linking_pin": make_user(Role.LINKING_PIN, area=oost),
        "organisation_contact": make_user(Role.ORGANISATION_CONTACT),
    }
    db.session.commit()
    return {
        "users": {role: user.id for role, user in users.items()},
        "project": project.id,
        "money_maatjes": money_maatjes.id,
        "line": line.id,
        "signal": signal.id,
        "neighbourhood": holendrecht.id,
        "theme_group": armoede.id,
        "organisation": venzo.id,
        "application": application.id,
        "participant": participant.id,
    }


# (method, url template, expectations); POSTs are sent empty: a form error (422), a
# confirmation page, or "bring back" an unarchived project: nothing changes.
ROUTES = [
    ("GET", "/registry/projects", READ),
    ("GET", "/registry/projects?state=archived&theme_group=1&q=wijk&page=2", READ),
    ("GET", "/registry/projects/new", READ),
    ("POST", "/registry/projects/new", READ),
    ("GET", "/registry/projects/{project}", READ),
    ("GET", "/registry/projects/{money_maatjes}", READ),
    ("GET", "/registry/projects/{project}/edit", READ),
    ("POST", "/registry/projects/{project}/edit", READ),
    ("POST", "/registry/projects/{project}/budget", READ),
    ("POST", "/registry/projects/{project}/budget/{line}/remove", READ),
    ("POST", "/registry/projects/{project}/archive", READ),
    ("GET", "/registry/signals", READ),
    ("GET", "/registry/signals?year=2021&project=1&area=1&neighbourhood=1&theme_group=1", READ),
    ("GET", "/registry/signals/new", READ),
    ("POST", "/registry/signals/new", READ),
    ("GET", "/registry/signals/{signal}/edit", READ),
    ("POST", "/registry/signals/{signal}/edit", READ),
]
ABSENT = [  # a record that does not exist: 404 for those who may use the page, else 403
    ("GET", "/registry/projects/999999"),
    ("GET", "/registry/projects/999999/edit"),
    ("POST", "/registry/projects/999999/archive"),
    ("POST", "/registry/projects/{project}/budget/999999/remove"),
    ("POST", "/registry/projects/{money_maatjes}/budget/{line}/remove"),  # another project's
    ("GET", "/registry/signals/999999/edit"),
]


def outcome(response):
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return LOGIN
    if response.status_code in (403, 404):
        return response.status_code
    assert response.status_code in (200, 302, 422), response.status_code
    return OK


def check_routes(app, world, routes, absent):
    for method, template, expected in routes:
        url = template.format(**world)
        for role in ROLES:
            client = app.test_client()
            if role != "anonymous":
                login(client, world["users"][role])
            response = client.open(url, method=method, data={})
            assert outcome(response) == expected[role], f"{method} {url} as {role}"
    for method, template, expected in absent:
        url = template.format(**world)
        for role in ROLES:
            client = app.test_client()
            if role != "anonymous":
                login(client, world["users"][role])
            response = client.open(url, method=method, data={})
            want = expected[role] if expected[role] != OK else 404
            assert outcome(response) == want, f"{method} {url} as {role}"


def test_every_route_per_role(app):
    with app.app_context():
        world = build_registry_world()
    check_routes(app, world, ROUTES, [(m, u, READ) for m, u in ABSENT])
    with app.app_context():  # the empty posts changed nothing
        assert db.session.scalar(select(func.count(BudgetLine.id))) == 1
        assert db.session.scalar(select(func.count(Project.id))) == 2
        assert not db.session.get(Project, world["project"]).archived


# --- projects -------------------------------------------------------------------------------


def _project_form(world, **changes) -> dict:
    form = {
        "name": "Masterplan Zozoom",
        "description": "Sessions with residents",
        "lead_organisation": str(world["organisation"]),
        "organisations": [str(world["organisation"])],
        "theme_group": str(world["theme_group"]),
        "started_on": "2021-03-01",
        "ended_on": "2021-12-31",
        "volunteers": "12",
        "residents_reached": "175",
        "neighbourhoods": [str(world["neighbourhood"])],
        "results": "10 sessions",
    }
    return {**form, **changes}


def test_a_lead_adds_and_edits_a_project(app):
    with app.app_context():
        world = build_registry_world()
    lead = client_as(app, world["users"]["lead"])
    response = lead.post("/registry/projects/new", data=_project_form(world))
    assert response.status_code == 302
    project_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = lead.get(f"/registry/projects/{project_id}").get_data(as_text=True)
    assert "Masterplan Zozoom" in page and "Venzo" in page and "Holendrecht" in page
    assert 'id="residents-reached">175<' in page
    response = lead.post(
        f"/registry/projects/{project_id}/edit",
        data=_project_form(
            world, name="Masterplan Zozoom 2", residents_reached="", organisations=[]
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        project = db.session.get(Project, project_id)
        assert project.name == "Masterplan Zozoom 2" and project.residents_reached is None
        assert project.organisations == [] and project.started_on == date(2021, 3, 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "MONEY maatjes"}, "A project with this name exists already."),
        ({"ended_on": "2021-01-01"}, "The project cannot end before it starts."),
        ({"started_on": "0001-01-01"}, "Give a date from 2000 up to 5 years ahead."),
        ({"ended_on": "9999-12-31"}, "Give a date from 2000 up to 5 years ahead."),
        ({"started_on": "2021-02-30"}, "Not a valid date value."),
        ({"volunteers": "-1"}, "Number must be between 0 and 1000000."),
        ({"residents_reached": "99999999999999999999"}, "Number must be between 0 and 1000000."),
        ({"volunteers": "lots"}, "Not a valid integer value."),
        ({"lead_organisation": "999999"}, "Not a valid choice."),
        ({"organisations": ["999999"]}, "is not a valid choice"),
        ({"neighbourhoods": ["x"]}, "Invalid choice(s)"),
        ({"theme_group": "2147483648"}, "Not a valid choice."),
    ],
)
def test_bad_project_input_is_refused_and_nothing_written(app, changes, message):
    with app.app_context():
        world = build_registry_world()
    lead = client_as(app, world["users"]["lead"])
    for url in ("/registry/projects/new", f"/registry/projects/{world['project']}/edit"):
        response = lead.post(url, data=_project_form(world, **changes))
        assert response.status_code == 422, url
        assert message in response.get_data(as_text=True), url
    with app.app_context():
        names = set(db.session.scalars(select(Project.name)))
        assert names == {"Ijssie in de Wijk", "Money Maatjes"}


def test_budget_lines_in_euros_with_their_total(app):
    with app.app_context():
        world = build_registry_world()
    lead = client_as(app, world["users"]["lead"])
    url = f"/registry/projects/{world['project']}/budget"
    assert lead.post(url, data={"description": "Rent", "amount": "12.500,50"}).status_code == 302
    page = lead.get(f"/registry/projects/{world['project']}").get_data(as_text=True)
    assert 'id="budget-total">€12,513.00<' in page
    for amount, message in (
        ("12,500", "could mean thousands or decimals"),
        ("10000000", "below ten million"),
        ("-3", "cannot be negative"),
        ("1.999", "could mean thousands or decimals"),
        ("0,005", "An amount has at most two decimals (cents)."),
        ("", "Give an amount."),
    ):
        response = lead.post(url, data={"description": "Bad", "amount": amount})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert 'value="Bad"' in response.get_data(as_text=True)  # what was typed, again
    response = lead.post(url, data={"description": "", "amount": "5"})
    assert response.status_code == 422
    with app.app_context():
        amounts = sorted(db.session.scalars(select(BudgetLine.amount)))
        assert amounts == [Decimal("12.50"), Decimal("12500.50")]
        line = db.session.scalar(select(BudgetLine.id).where(BudgetLine.description == "Rent"))
    remove = f"/registry/projects/{world['project']}/budget/{line}/remove"
    asked = lead.post(remove, data={})
    assert asked.status_code == 200 and "confirm-question" in asked.get_data(as_text=True)
    assert lead.post(remove, data={"confirmed": "1"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(BudgetLine.id))) == 1


def test_money_is_shown_in_the_users_language(app):
    with app.app_context():
        world = build_registry_world()
    url = f"/registry/projects/{world['project']}"
    dutch = client_as(app, world["users"]["admin"], locale="nl").get(url).get_data(as_text=True)
    english = client_as(app, world["users"]["admin"], locale="en").get(url).get_data(as_text=True)
    assert 'id="budget-total">€\xa012,50<' in dutch
    assert 'id="budget-total">€12.50<' in english


def test_archiving_asks_first_and_keeps_the_project(app):
    with app.app_context():
        world = build_registry_world()
    lead = client_as(app, world["users"]["lead"])
    url = f"/registry/projects/{world['project']}/archive"
    asked = lead.post(url, data={"archived": "y"})
    assert asked.status_code == 200 and "confirm-question" in asked.get_data(as_text=True)
    with app.app_context():
        assert not db.session.get(Project, world["project"]).archived
    assert lead.post(url, data={"archived": "y", "confirmed": "1"}).status_code == 302
    current = lead.get("/registry/projects").get_data(as_text=True)
    archived = lead.get("/registry/projects?state=archived").get_data(as_text=True)
    assert "Ijssie in de Wijk" not in current and "Ijssie in de Wijk" in archived
    assert lead.post(url, data={}).status_code == 302  # brought back, no question
    with app.app_context():
        project = db.session.get(Project, world["project"])
        assert not project.archived and len(project.budget_lines) == 1


def test_money_maatjes_shows_its_figures_live_and_cannot_type_them(app):
    with app.app_context():
        world = build_registry_world()
        volunteer = make_volunteer()
        make_match(volunteer, make_resident())
        make_match(volunteer, make_resident())
        db.session.commit()
    admin = client_as(app, world["users"]["admin"])
    page = admin.get(f"/registry/projects/{world['money_maatjes']}").get_data(as_text=True)
    figures = dict(
        re.findall(r'data-figure="(\w+)">\s*<div class="fs-4 fw-semibold">([^<]*)<', page)
    )
    # two volunteers are active (the world's and this one); two residents, two matches
    assert figures == {
        "active_volunteers": "2",
        "residents_supported": "2",
        "running_matches": "2",
        "contacts": "0",
        "contact_hours": "0.0",
    }
    edit = admin.get(f"/registry/projects/{world['money_maatjes']}/edit").get_data(as_text=True)
    assert 'name="volunteers"' not in edit and "live-figures-note" in edit
    response = admin.post(
        f"/registry/projects/{world['money_maatjes']}/edit",
        data={"name": "Money Maatjes", "volunteers": "99", "residents_reached": "500"},
    )
    assert response.status_code == 302
    with app.app_context():
        project = db.session.get(Project, world["money_maatjes"])
        assert project.volunteers is None and project.residents_reached is None
    listing = admin.get("/registry/projects").get_data(as_text=True)
    assert "live" in listing


def test_the_project_list_searches_and_filters(app):
    with app.app_context():
        world = build_registry_world()
        today = local_today()
        db.session.add(
            Project(
                name="Kerstproject",
                description="350 kinderen",
                started_on=today - timedelta(days=400),
                ended_on=today - timedelta(days=30),
            )
        )
        db.session.commit()
    lead = client_as(app, world["users"]["lead"])

    def names(query):
        page = lead.get(f"/registry/projects{query}").get_data(as_text=True)
        return re.findall(r'href="/registry/projects/\d+">([^<]+)</a>', page)

    assert names("") == ["Ijssie in de Wijk", "Kerstproject", "Money Maatjes"]
    assert names("?q=KINDEREN") == ["Kerstproject"]
    assert names("?state=ended") == ["Kerstproject"]
    assert names("?state=running") == ["Ijssie in de Wijk", "Money Maatjes"]
    assert names(f"?theme_group={world['theme_group']}") == ["Ijssie in de Wijk", "Money Maatjes"]


# --- signals --------------------------------------------------------------------------------


def _signal_form(world, **changes) -> dict:
    form = {
        "title": "Financiële stress",
        "description": "Huishoudens komen niet rond",
        "neighbourhood": str(world["neighbourhood"]),
        "theme_group": str(world["theme_group"]),
        "project": str(world["project"]),
        "heard_on": "2021-06-02",
        "residents": "250",
    }
    return {**form, **changes}


def test_a_lead_records_and_reroutes_a_signal(app):
    with app.app_context():
        world = build_registry_world()
        jongeren = ThemeGroup(name="Jongeren")
        db.session.add(jongeren)
        db.session.commit()
        jongeren_id = jongeren.id
    lead = client_as(app, world["users"]["lead"])
    response = lead.post("/registry/signals/new", data=_signal_form(world))
    assert response.status_code == 302
    with app.app_context():
        signal = db.session.scalar(select(Signal).where(Signal.title == "Financiële stress"))
        assert signal.routed_on == local_today() and signal.residents == 250
        assert signal.recorded_by_id == world["users"]["lead"]
        db.session.execute(
            db.update(Signal).where(Signal.id == signal.id).values(routed_on=date(2021, 7, 1))
        )
        db.session.commit()
        signal_id = signal.id
    form = lead.get(f"/registry/signals/{signal_id}/edit").get_data(as_text=True)
    assert "Bijlmer-Oost — Holendrecht" in form
    lead.post(f"/registry/signals/{signal_id}/edit", data=_signal_form(world, residents=""))
    with app.app_context():
        signal = db.session.get(Signal, signal_id)
        assert signal.routed_on == date(2021, 7, 1) and signal.residents is None
    lead.post(
        f"/registry/signals/{signal_id}/edit",
        data=_signal_form(world, theme_group=str(jongeren_id)),
    )
    with app.app_context():
        assert db.session.get(Signal, signal_id).routed_on == local_today()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "This field is required."),
        ({"theme_group": ""}, "Choose the theme group the signal goes to."),
        ({"neighbourhood": ""}, "Choose the neighbourhood."),
        ({"neighbourhood": "999999"}, "Not a valid choice."),
        ({"project": "abc"}, "Invalid Choice: could not coerce."),
        ({"heard_on": ""}, "Give a date."),
        ({"heard_on": "1999-12-31"}, "Give a date from 2000 up to today."),
        ({"heard_on": (local_today() + timedelta(days=1)).isoformat()}, "up to today"),
        ({"residents": "-5"}, "Number must be between 0 and 1000000."),
        ({"title": "x" * 161}, "Field cannot be longer than 160 characters."),
    ],
)
def test_bad_signal_input_is_refused_and_nothing_written(app, changes, message):
    with app.app_context():
        world = build_registry_world()
    lead = client_as(app, world["users"]["lead"])
    for url in ("/registry/signals/new", f"/registry/signals/{world['signal']}/edit"):
        response = lead.post(url, data=_signal_form(world, **changes))
        assert response.status_code == 422, url
        assert message in response.get_data(as_text=True), url
    with app.app_context():
        assert list(db.session.scalars(select(Signal.title))) == ["Woningnood"]


def test_signals_are_counted_per_theme_and_area_and_filtered(app):
    with app.app_context():
        world = build_registry_world()
        centrum = make_area("Bijlmer-Centrum")
        kbuurt = Neighbourhood(area=centrum, name="K-buurt")
        eenzaamheid = ThemeGroup(name="Eenzaamheid")
        db.session.add_all([kbuurt, eenzaamheid])
        db.session.flush()
        for title, place, group, day in (
            ("Behoefte aan buurtactiviteiten", kbuurt, eenzaamheid, date(2021, 5, 1)),
            (
                "Gebrek aan informatie",
                kbuurt,
                db.session.get(ThemeGroup, world["theme_group"]),
                date(2022, 1, 5),
            ),
        ):
            db.session.add(
                Signal(title=title, neighbourhood=place, theme_group=group, heard_on=day)
            )
        db.session.commit()
    lead = client_as(app, world["users"]["lead"])
    page = lead.get("/registry/signals").get_data(as_text=True)
    assert 'id="signals-total">3<' in page
    armoede = re.search(r'<tr data-group="Armoede">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r">(\d+)</td>", armoede) == ["1", "1", "2"]  # Centrum, Oost, total
    titles = re.findall(r'/registry/signals/\d+/edit">([^<]+)<', page)
    assert titles == ["Gebrek aan informatie", "Woningnood", "Behoefte aan buurtactiviteiten"]
    in_2021 = lead.get("/registry/signals?year=2021").get_data(as_text=True)
    assert 'id="signals-total">2<' in in_2021 and "Gebrek aan informatie" not in in_2021
    of_project = lead.get(f"/registry/signals?project={world['project']}").get_data(as_text=True)
    assert 'id="signals-total">1<' in of_project
    found = lead.get("/registry/signals?q=INFORMATIE").get_data(as_text=True)
    assert "Gebrek aan informatie" in found and "Woningnood</a>" not in found


# --- statements do not grow with the data -----------------------------------------------------


def _count(app, client, url: str) -> int:
    with app.app_context():
        engine = db.engine
    statements = []

    def collect(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", collect)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", collect)
    assert response.status_code == 200, url
    return len(statements)


def grow(world: dict, size: int) -> None:
    """``size`` more projects, signals and applications, each with a few of everything."""
    oost = make_area("Bijlmer-Oost")
    centrum = make_area("Bijlmer-Centrum")
    groups = [db.session.get(ThemeGroup, world["theme_group"])]
    for n in range(size):
        area = (oost, centrum)[n % 2]
        place = Neighbourhood(area=area, name=f"Buurt {n}")
        group = ThemeGroup(name=f"Groep {n}")
        db.session.add_all([place, group])
        groups.append(group)
        org = make_org(f"Org {n}")
        project = Project(
            name=f"Project {n}",
            lead_organisation=org,
            theme_group=group,
            organisations=[org, make_org(f"Org {n + 1}")],
            neighbourhoods=[place],
            started_on=date(2021, 1, 1),
        )
        db.session.add_all([place, group, project])
        db.session.flush()
        for k in range(3):
            db.session.add(
                Signal(
                    title=f"Signal {n}.{k}",
                    neighbourhood=place,
                    theme_group=groups[k % len(groups)],
                    project=project,
                    heard_on=date(2021 + k % 2, 3, 1),
                )
            )
            db.session.add(BudgetLine(project=project, description="x", amount=Decimal("1.10")))
        application = SubsidyApplication(
            funder=f"Fonds {n}", scheme="Regeling", year=2020 + n % 4, lead_organisation=org
        )
        db.session.add(application)
        db.session.flush()
        for k, decision in enumerate(("granted", "partly", "rejected")):
            db.session.add(
                SubsidyParticipant(
                    application=application,
                    organisation=make_org(f"Org {n + k}"),
                    requested=Decimal("100.10"),
                    granted=Decimal("100.10") if decision == "granted" else None,
                    decision=decision,
                )
            )
    db.session.commit()


LIST_PAGES = [
    "/registry/projects",
    "/registry/projects?state=running&q=project",
    "/registry/signals",
    "/registry/signals?year=2021&project=1",
    "/registry/signals?q=signal&area=1",
    "/registry/subsidies/",
    "/registry/subsidies/?year=2021",
    "/registry/projects/{project}",
    "/registry/projects/{money_maatjes}",
    "/registry/subsidies/{application}",
]


@pytest.fixture
def counts_at(app):
    from tests.conftest import _empty_all_tables

    def measure(size: int) -> dict:
        with app.app_context():
            world = build_registry_world()
            grow(world, size)
        lead = client_as(app, world["users"]["lead"])
        result = {url: _count(app, lead, url.format(**world)) for url in LIST_PAGES}
        with app.app_context():
            _empty_all_tables()
        return result

    return measure


def test_the_lists_and_totals_issue_the_same_statements_at_two_sizes(counts_at):
    small = counts_at(3)
    large = counts_at(30)  # past one page of every list
    assert {url: (small[url], large[url]) for url in small if small[url] != large[url]} == {}
