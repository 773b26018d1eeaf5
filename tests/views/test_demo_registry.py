"""The demo's registry pages show the seeds' figures (the annual review 2021), computed from the
records the demo holds, not typed in: 27 -> 34 members and 19 -> 30 partners at the ends of
2020 and 2021, 7 general meetings with 15 to 30 members present, a core group of 7 that met 14
times, the joint subsidy's 13 -> 16 participants of whom 10 -> 14 were granted, the five theme
groups, the three areas with their neighbourhoods, and Ijssie in de Wijk's 800+ residents in
8 neighbourhoods."""

import re

from sqlalchemy import select

from maatjes.demo import load_demo
from maatjes.extensions import db
from maatjes.models import Role, User
from tests.builders import TODAY, login


def _admin_client(app):
    with app.app_context():
        load_demo(db.session, today=TODAY)
        db.session.commit()
        admin = db.session.scalar(select(User).where(User.role == Role.ADMIN).limit(1))
        who = (admin.id, admin.session_version or 0)
    client = app.test_client()
    login(client, *who)
    with client.session_transaction() as session:
        session["locale"] = "en"
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _cells(html: str, row_attribute: str, key: str) -> dict[str, str]:
    """{cell name: text} of the table row marked ``data-<row_attribute>="<key>"``."""
    row = re.search(rf'<tr data-{row_attribute}="{re.escape(key)}".*?</tr>', html, re.S)
    assert row, (row_attribute, key)
    return dict(re.findall(r'data-cell="(\w+)">([^<]*)<', row.group(0)))


def test_the_demo_registry_pages_show_the_seeds_figures(app):
    client = _admin_client(app)

    counts = _page(client, "/registry/organisations/counts")
    years = {
        int(year): (int(members), int(partners))
        for year, members, partners in re.findall(
            r'data-year="(\d+)" data-members="(\d+)" data-partners="(\d+)"', counts
        )
    }
    assert years[2020] == (27, 19)
    assert years[2021] == (34, 30)

    attendance = _page(client, "/registry/meetings/attendance?year=2021")
    general = re.search(
        r'data-kind="general" data-meetings="(\d+)".*?data-range="(\d+)-(\d+)"', attendance, re.S
    )
    assert general and general.groups() == ("7", "15", "30")
    core = re.search(r'id="core-group" data-size="(\d+)" data-meetings="(\d+)"', attendance)
    assert core and core.groups() == ("7", "14")

    subsidies = _page(client, "/registry/subsidies/")
    y2021, y2022 = _cells(subsidies, "year", "2021"), _cells(subsidies, "year", "2022")
    assert (y2021["participants"], y2021["awarded"]) == ("13", "10")
    assert (y2022["participants"], y2022["awarded"]) == ("16", "14")
    assert int(y2021["rejected"]) + int(y2021["awarded"]) == 13
    assert "€" in y2022["granted"]  # Babel's currency format

    groups = _page(client, "/registry/theme-groups/")
    for name in (
        "Armoede",
        "Eenzaamheid",
        "Jongeren",
        "Werk &amp; Participatie",
        "Huiselijk geweld",
    ):
        assert name in groups

    areas = _page(client, "/registry/areas/")
    for name in ("Bijlmer-Oost", "Bijlmer-Centrum", "Gaasperdam", "Holendrecht", "Reigersbos"):
        assert name in areas

    signals = _page(client, "/registry/signals")
    total = re.search(r'id="signals-total">(\d+)<', signals)
    assert total and int(total.group(1)) == 32  # Ijssie in de Wijk's signals
    hoods = set(re.findall(r'data-area="([^"]+)"', signals))
    assert hoods, "signals counted per area"

    projects = _page(client, "/registry/projects")
    rows = dict(re.findall(r'<tr data-project="\d+">.*?>([^<]+)</a>(.*?)</tr>', projects, re.S))
    ijssie = re.findall(r'data-label="Residents reached">(\d+)<', rows["Ijssie in de Wijk"])
    assert ijssie == ["800"]
    assert "live" in rows["Money Maatjes"]  # its figures come from its own module
    with app.app_context():
        from maatjes.models import Project

        project = db.session.scalar(select(Project).where(Project.name == "Ijssie in de Wijk"))
        assert len(project.neighbourhoods) == 8
