"""Projects, their budget, the Money Maatjes figures live from its module, and signals routed
to theme groups and counted per theme and area."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event

from maatjes.domain import projects
from maatjes.domain.errors import RuleViolation
from maatjes.domain.projects import ProjectInput, SignalInput
from maatjes.extensions import db
from maatjes.models import Contact, Match, Neighbourhood, Project, Role, ThemeGroup
from tests.builders import (
    make_area,
    make_match,
    make_org,
    make_resident,
    make_user,
    make_volunteer,
)

TODAY = date(2022, 3, 9)


def _statements(run):
    statements = []
    engine = db.engine

    def collect(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", collect)
    try:
        result = run()
    finally:
        event.remove(engine, "before_cursor_execute", collect)
    return result, statements


def _contact(match, day, minutes):
    db.session.add(
        Contact(
            match=match,
            contact_on=day,
            kind="phone",
            duration_minutes=minutes,
            logged_by_id=match.volunteer.user_id,
        )
    )


def test_money_maatjes_figures_come_from_its_own_module_in_one_statement():
    """Hand-built: 3 volunteers (one inactive), 3 residents matched (one match ended, and one
    resident matched twice: the second maatje after the first ended), 1 waiting; 5 contacts of
    30 + 45 + 60 + 15 + unknown minutes."""
    first, second = make_volunteer(), make_volunteer()
    make_volunteer(active=False, trained=False)
    r1, r2, r3 = make_resident(), make_resident(), make_resident()
    make_resident()  # waiting: not supported yet
    m1 = make_match(first, r1)
    m2 = make_match(first, r2)
    m3 = make_match(second, r3)
    db.session.flush()
    m3.ended_on = TODAY
    db.session.flush()
    m4 = make_match(second, r3)  # the same resident with a new start
    for match, minutes in ((m1, 30), (m1, 45), (m2, 60), (m3, 15), (m4, None)):
        _contact(match, TODAY, minutes)
    db.session.commit()

    figures, statements = _statements(lambda: projects.money_maatjes_figures(db.session))
    assert len(statements) == 1
    assert figures.active_volunteers == 2
    assert figures.residents_supported == 3
    assert figures.running_matches == 3
    assert figures.contacts == 5
    assert figures.contact_minutes == 150
    assert figures.contact_hours == Decimal("2.5")
    assert db.session.query(Match).count() == 4


def test_money_maatjes_figures_on_an_empty_module():
    figures = projects.money_maatjes_figures(db.session)
    assert (figures.active_volunteers, figures.residents_supported, figures.contacts) == (0, 0, 0)
    assert figures.contact_hours == Decimal("0.0")


def test_money_maatjes_keeps_no_typed_reach():
    project = Project(key=Project.MONEY_MAATJES, name="Money Maatjes")
    db.session.add(project)
    db.session.flush()
    projects.save_project(
        db.session, project, ProjectInput(name="Money Maatjes", volunteers=40, residents_reached=9)
    )
    assert project.volunteers is None and project.residents_reached is None
    other = projects.save_project(
        db.session, None, ProjectInput(name="Ijssie in de Wijk", volunteers=24)
    )
    assert other.volunteers == 24


def test_project_rules():
    projects.save_project(db.session, None, ProjectInput(name="Kerstproject"))
    with pytest.raises(RuleViolation) as refused:
        projects.save_project(db.session, None, ProjectInput(name=" kerstproject "))
    assert refused.value.field == "name"
    with pytest.raises(RuleViolation) as refused:
        projects.save_project(
            db.session,
            None,
            ProjectInput(name="Mijehof", started_on=date(2022, 5, 1), ended_on=date(2022, 4, 1)),
        )
    assert refused.value.field == "ended_on"
    with pytest.raises(RuleViolation) as refused:
        projects.save_project(db.session, None, ProjectInput(name="X", residents_reached=-1))
    assert refused.value.field == "residents_reached"


def test_budget_lines_and_their_total_in_cents():
    project = projects.save_project(db.session, None, ProjectInput(name="Zozoom"))
    projects.add_budget_line(db.session, project, "Room hire", Decimal("1250.10"))
    projects.add_budget_line(db.session, project, "Coffee", Decimal("0.20"))
    assert projects.budget_total(db.session, project.id) == Decimal("1250.30")
    with pytest.raises(RuleViolation, match="below ten million"):
        projects.add_budget_line(db.session, project, "Too much", Decimal("10000000"))
    with pytest.raises(RuleViolation, match="at most two decimals"):
        projects.add_budget_line(db.session, project, "Odd", Decimal("1.005"))


def _places():
    oost, centrum = make_area("Bijlmer-Oost"), make_area("Bijlmer-Centrum")
    places = {}
    for area, names in ((oost, ("Holendrecht", "Reigersbos")), (centrum, ("K-buurt",))):
        for name in names:
            n = Neighbourhood(area=area, name=name)
            db.session.add(n)
            places[name] = n
    groups = {name: ThemeGroup(name=name) for name in ("Armoede", "Jongeren", "Eenzaamheid")}
    db.session.add_all(groups.values())
    db.session.flush()
    return places, groups


def test_a_signal_is_routed_to_its_theme_group_and_rerouted():
    places, groups = _places()
    lead = make_user(Role.LEAD)
    data = SignalInput(
        title="Financiële stress",
        neighbourhood=places["Holendrecht"],
        theme_group=groups["Armoede"],
        heard_on=date(2022, 2, 1),
        residents=120,
    )
    signal = projects.save_signal(db.session, None, data, by=lead, today=TODAY)
    assert signal.routed_on == TODAY and signal.recorded_by_id == lead.id
    data.title = "Financiële stress en schulden"
    later = date(2022, 4, 1)
    projects.save_signal(db.session, signal, data, by=lead, today=later)
    assert signal.routed_on == TODAY  # same group: not rerouted
    data.theme_group = groups["Jongeren"]
    projects.save_signal(db.session, signal, data, by=lead, today=later)
    assert signal.routed_on == later
    data.heard_on = date(2022, 5, 1)
    with pytest.raises(RuleViolation) as refused:
        projects.save_signal(db.session, signal, data, by=lead, today=later)
    assert refused.value.field == "heard_on"


def test_signals_counted_per_theme_and_area_in_one_group_by():
    """The seeds: Ijssie in de Wijk heard four signals from 800+ residents."""
    places, groups = _places()
    lead = make_user(Role.LEAD)
    ijssie = projects.save_project(
        db.session,
        None,
        ProjectInput(name="Ijssie in de Wijk", lead_organisation=make_org("Ijssie")),
    )
    heard = [
        ("Woningnood", "Holendrecht", "Armoede", 2021, 300),
        ("Financiële stress", "Reigersbos", "Armoede", 2021, 250),
        ("Behoefte aan buurtactiviteiten", "K-buurt", "Eenzaamheid", 2021, 150),
        ("Gebrek aan informatie", "K-buurt", "Armoede", 2021, 110),
        ("Hangjongeren", "Holendrecht", "Jongeren", 2022, None),
    ]
    for title, place, group, year, residents in heard:
        projects.save_signal(
            db.session,
            None,
            SignalInput(
                title=title,
                neighbourhood=places[place],
                theme_group=groups[group],
                heard_on=date(year, 2, 1),
                project=ijssie if year == 2021 else None,
                residents=residents,
            ),
            by=lead,
            today=TODAY,
        )
    db.session.commit()

    table, statements = _statements(lambda: projects.signal_counts(db.session))
    assert len(statements) == 1 and "GROUP BY" in statements[0]
    ids = {name: g.id for name, g in groups.items()}
    oost, centrum = make_area("Bijlmer-Oost").id, make_area("Bijlmer-Centrum").id
    assert [name for _id, name in table.rows] == ["Armoede", "Eenzaamheid", "Jongeren"]
    assert table.cell(ids["Armoede"], oost) == 2 and table.cell(ids["Armoede"], centrum) == 1
    assert table.row_total(ids["Armoede"]) == 3
    assert table.column_total(oost) == 3 and table.column_total(centrum) == 2
    assert table.total == 5 and table.residents == 810

    of_ijssie = projects.signal_counts(db.session, year=2021, project_id=ijssie.id)
    assert of_ijssie.total == 4 and of_ijssie.residents == 810
    assert [name for _id, name in of_ijssie.rows] == ["Armoede", "Eenzaamheid"]
    assert projects.signal_counts(db.session, year=2022).total == 1
    assert projects.signal_years(db.session) == [2022, 2021]


def test_project_states():
    today = TODAY
    for name, start, end, archived in (
        ("Running", date(2021, 1, 1), None, False),
        ("Ended", date(2020, 1, 1), date(2021, 1, 1), False),
        ("Later", date(2023, 1, 1), None, False),
        ("Old", date(2019, 1, 1), date(2019, 12, 31), True),
    ):
        project = projects.save_project(
            db.session, None, ProjectInput(name=name, started_on=start, ended_on=end)
        )
        projects.set_archived(db.session, project, archived)

    def names(state):
        query = db.select(Project.name).where(projects.state_clause(state, today))
        return sorted(db.session.scalars(query.order_by(Project.name)))

    assert names("running") == ["Running"]
    assert names("ended") == ["Ended"]
    assert names("archived") == ["Old"]
    assert names("") == ["Ended", "Later", "Running"]
