"""Issue 10: lists page, search (case- and accent-insensitive), filter and sort from the query
string, and every list, the overview and (issue 11) the dashboard and the report issue the same
number of statements at two sizes."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from maatjes.domain import handovers
from maatjes.domain.clock import local_today
from maatjes.domain.contacts import ContactInput, log_contact
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import Role
from tests.builders import (
    client_as,
    make_area,
    make_match,
    make_resident,
    make_user,
    make_volunteer,
)
from tests.views.test_core_loop import text


def _names(page: str, css_class: str = "card-title-cell") -> list[str]:
    cells = re.findall(rf'class="{css_class}"[^>]*>(.*?)</td>', page, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def _total(page: str) -> int:
    return int(re.search(r'id="list-total" data-total="(\d+)"', page).group(1))


def test_a_lead_finds_a_resident_by_part_of_the_name_without_accents(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        make_resident(first_name="Ïsmaël", last_name="Doğan")
        make_resident(first_name="Ama", last_name="Owusu", phone="06 8765 4321")
        db.session.commit()
    lead = client_as(app, lead_id)
    for query in ("ismael", "ISMA", "dogan", "smaë do"):
        page = text(lead.get(f"/residents/?q={query}"))
        assert _total(page) == 1 and "Ïsmaël Doğan" in page, query
    assert "Ama Owusu" in text(lead.get("/residents/?q=0687654321"))  # the number as typed
    assert "Ama Owusu" in text(lead.get("/residents/?q=%2B31687654321"))
    assert _total(text(lead.get("/residents/?q=nobody"))) == 0
    assert _total(text(lead.get("/residents/?q=%25"))) == 0  # a LIKE wildcard is literal


def test_volunteers_and_accounts_are_found_the_same_way(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        make_volunteer(name="Zoë Ërdem")
        make_volunteer(name="Kwame Boateng")
        db.session.commit()
    lead = client_as(app, lead_id)
    assert _names(text(lead.get("/volunteers/?q=zoe+erdem"))) == ["Zoë Ërdem"]
    accounts = text(lead.get("/users/?q=zoe"))
    assert "Zoë Ërdem" in accounts and "Kwame Boateng" not in accounts


def test_the_residents_list_pages_filters_and_sorts_in_the_query_string(app):
    today = local_today()
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        for n in range(30):
            make_resident(("tw",) if n % 2 else ("tr",), first_name="R", last_name=f"Name {n:02d}")
        matched = make_resident(("tw",), first_name="Matched", last_name="Zz")
        make_match(make_volunteer(("tw",)), matched, started_on=today)
        db.session.commit()
    lead = client_as(app, lead_id)
    first = text(lead.get("/residents/"))
    assert _total(first) == 31 and len(_names(first)) == 25
    assert 'href="/residents/?page=2"' in first and "1–25 of 31" in first
    second = text(lead.get("/residents/?page=2"))
    assert len(_names(second)) == 6
    assert text(lead.get("/residents/?page=99")).count("card-title-cell") == 6  # the last page
    waiting_twi = text(lead.get("/residents/?status=waiting&language=tw"))
    assert _total(waiting_twi) == 15 and "Matched Zz" not in waiting_twi
    assert 'value="tw" selected' in waiting_twi  # the form shows the filter in force
    assert _total(text(lead.get("/residents/?status=matched"))) == 1
    newest = _names(text(lead.get("/residents/?sort=newest")))
    assert newest[0] == "Matched Zz"
    by_name = _names(text(lead.get("/residents/?sort=name")))
    assert by_name[:2] == ["R Name 00", "R Name 01"]
    ignored = text(lead.get("/residents/?status=nonsense&sort=nonsense&page=-3"))
    assert _total(ignored) == 31  # unknown values fall back to the defaults


def test_the_overview_links_to_its_full_lists(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        db.session.commit()
    page = text(client_as(app, lead_id).get("/lead/"))
    for link in (
        "/volunteers/?caseload=0",
        "/volunteers/?training=untrained",
        "/lead/waiting",
    ):
        assert link in page.replace("&amp;", "&"), link


# --- statements do not grow with the data -----------------------------------------------


def _world(size: int) -> dict:
    """``size`` of everything: residents waiting and matched, contacts (some flagged), handovers,
    notifications; returns the ids the pages need."""
    today = local_today()
    lead = make_user(Role.LEAD)
    area = make_area("Bijlmer-Oost")
    team = make_user(Role.BUURTTEAM, area=area)
    volunteer = None
    for n in range(size):
        volunteer = make_volunteer(("tw", "nl"), areas=["Bijlmer-Oost"])
        make_resident(("tw",))  # waiting
        for k in range(2):
            resident = make_resident(("tw", "en"))
            match = make_match(volunteer, resident, started_on=today - timedelta(days=30 + k))
            log_contact(
                db.session,
                match,
                ContactInput(
                    contact_on=today - timedelta(days=14),
                    kind="phone",
                    note="Worried" if n % 2 else "",
                    needs_attention=bool(n % 2),
                ),
                by=volunteer.user,
                today=today,
            )
            data = HandoverInput("Debts", "", "normal", True, today)
            if k == 0:
                handovers.start_handover(db.session, resident, data, by=lead, today=today)
    db.session.commit()
    return {
        "lead": lead.id,
        "team": team.id,
        "volunteer_user": volunteer.user_id,
        "volunteer": volunteer.id,
    }


LIST_PAGES = [
    ("lead", "/lead/"),
    ("lead", "/lead/waiting"),
    ("lead", "/lead/flagged"),
    ("lead", "/residents/"),
    ("lead", "/residents/?q=resident&status=matched&language=tw"),
    ("lead", "/volunteers/"),
    ("lead", "/volunteers/?training=matchable&caseload=2"),
    ("lead", "/users/"),
    ("lead", "/handovers"),
    ("lead", "/handovers?state=open"),
    ("lead", "/trainings/"),
    ("lead", "/notifications"),
    ("lead", "/lead/dashboard?period=year"),
    ("lead", "/lead/dashboard?period=quarter&area=1"),
    ("lead", "/lead/report?period=year"),
    ("lead", "/lead/report.csv?period=month"),
    ("team", "/handovers"),
    ("volunteer_user", "/me"),
    ("volunteer_user", "/notifications"),
]


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


@pytest.fixture
def counts_at(app):
    from tests.conftest import _empty_all_tables

    def measure(size: int) -> dict:
        with app.app_context():
            ids = _world(size)
        clients = {role: client_as(app, ids[role]) for role in ("lead", "team", "volunteer_user")}
        result = {(role, url): _count(app, clients[role], url) for role, url in LIST_PAGES}
        with app.app_context():
            _empty_all_tables()
        return result

    return measure


def test_every_list_and_the_overview_issue_the_same_statements_at_two_sizes(counts_at):
    small = counts_at(3)
    large = counts_at(30)  # past one page of every list
    grown = {page: (small[page], large[page]) for page in small if small[page] != large[page]}
    assert grown == {}


def test_the_match_page_shows_the_newest_contacts_a_page_at_a_time(app):
    """A match of two years has a hundred contacts: the page shows 20, newest first, with a
    pager; the week strip still counts every one of them; statements do not grow."""
    today = local_today()
    with app.app_context():
        volunteer = make_volunteer(("tw",))
        match = make_match(
            volunteer, make_resident(("tw",)), started_on=today - timedelta(days=200)
        )
        for n in range(25):
            log_contact(
                db.session,
                match,
                ContactInput(contact_on=today - timedelta(days=7 * n), kind="phone", note=f"n{n}"),
                by=volunteer.user,
                today=today,
            )
        db.session.commit()
        lead_id, match_id = make_user(Role.LEAD).id, match.id
        db.session.commit()
    lead = client_as(app, lead_id)
    first = text(lead.get(f"/matches/{match_id}"))
    notes = re.findall(r'<div class="small text-muted">(n\d+)</div>', first)
    assert notes == [f"n{n}" for n in range(20)]  # newest first
    assert "1–20 of 25" in first and f'href="/matches/{match_id}?page=2"' in first
    assert first.count('data-status="done"') == 25  # the strip counts all 25 weeks
    second = text(lead.get(f"/matches/{match_id}?page=2"))
    assert re.findall(r'<div class="small text-muted">(n\d+)</div>', second) == [
        f"n{n}" for n in range(20, 25)
    ]
    assert _count(app, lead, f"/matches/{match_id}") == _count(
        app, lead, f"/matches/{match_id}?page=2"
    )
