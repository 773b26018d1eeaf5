"""Issue 11: the lead's dashboard and the funder report as pages and files.

The report's figures come from one function (tests/domain/test_report.py counts them by hand on
a small programme); here the same programme is fetched as a page, an XLSX and a CSV, and the
hand-counted figures must appear in all three. The dashboard shows every part, with charts
drawn from the tables beside them.
"""

import csv
import io
import re
from datetime import datetime, time

import pytest
import time_machine
from openpyxl import load_workbook

from maatjes.demo import load_demo
from maatjes.domain.clock import AMSTERDAM
from maatjes.extensions import db
from maatjes.models import Role, User
from tests.builders import client_as, login
from tests.domain.test_report import TODAY, _programme
from tests.domain.test_stats import Rows
from tests.views.test_core_loop import text

Q1 = "period=custom&start=2022-01-01&end=2022-03-31"


@pytest.fixture
def counted(app):
    """The hand-counted programme of tests/domain/test_report.py, and a lead to look at it."""
    with app.app_context():
        rows = Rows()
        ids = {key: row.id for key, row in _programme(rows).items()}
        db.session.commit()
        lead_id = rows.lead.id
    noon = datetime.combine(TODAY, time(12), tzinfo=AMSTERDAM)
    with time_machine.travel(noon, tick=False):
        yield client_as(app, lead_id), ids


def _sheet(workbook, title: str) -> dict:
    """{first cell: the rest of the row} below the header of the sheet named ``title``."""
    rows = list(workbook[title].iter_rows(values_only=True))
    return {row[0]: row[1:] for row in rows if row and row[0] is not None}


def test_the_report_page_xlsx_and_csv_show_the_hand_counted_figures(counted):
    lead, _ids = counted
    page = text(lead.get(f"/lead/report?{Q1}"))
    assert "Period: Saturday 1 January 2022 to Thursday 31 March 2022" in page
    assert 'href="/lead/report.xlsx?' in page and 'href="/lead/report.csv?' in page
    # Hand-counted (tests/domain/test_report.py): 5 residents supported, 13 contacts, 9.5
    # hours, median duration 68.5 days; 29 match-weeks, 12 with a contact (41.4 %).
    residents = page.split('id="table-residents"')[1].split("</table>")[0]
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", residents)
    assert cells[cells.index("Residents supported") + 1] == "5"
    assert cells[cells.index("Contacts") + 1] == "13"
    assert cells[cells.index("Contact hours") + 1] == "9.5"

    response = lead.get(f"/lead/report.xlsx?{Q1}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert len(workbook.sheetnames) == 9
    figures = _sheet(workbook, "Residents and contacts")
    assert figures["Residents supported"][0] == 5 and isinstance(
        figures["Residents supported"][0], int
    )
    assert figures["Contacts"][0] == 13 and figures["Contact hours"][0] == 9.5
    assert figures["Median match duration (days)"][0] == 68.5
    weekly = _sheet(workbook, "Weekly contact")
    assert weekly["Total"][:3] == (29, 12, 41.4)
    assert weekly["January 2022"][:3] == (10, 4, 40.0)

    response = lead.get(f"/lead/report.csv?{Q1}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=","))
    flat = {row[0]: row[1:] for row in rows if row}
    assert flat["Residents supported"] == ["5"] and flat["Contact hours"] == ["9.5"]


def test_in_dutch_the_csv_uses_semicolons_and_a_decimal_comma(app, counted):
    _lead, _ids = counted
    with app.app_context():
        lead = db.session.scalar(db.select(User).where(User.role == Role.LEAD))
    dutch = client_as(app, lead.id, locale="nl")
    data = dutch.get(f"/lead/report.csv?{Q1}").data.decode("utf-8-sig")
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(data), delimiter=";") if row}
    assert rows["Contacturen"] == ["9,5"] and rows["Bewoners ondersteund"] == ["5"]


def test_the_area_and_organisation_filters_reach_the_files(counted):
    lead, ids = counted
    # The organisation Two (hand-counted): 2 residents supported, 2 contacts, 85 minutes.
    response = lead.get(f"/lead/report.xlsx?{Q1}&organisation={ids['two']}")
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook["Residents and contacts"]
    heading = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert "Organisation: Two" in heading
    figures = _sheet(workbook, "Residents and contacts")
    assert (figures["Residents supported"][0], figures["Contacts"][0]) == (2, 2)
    assert figures["Contact hours"][0] == 1.4


@pytest.mark.parametrize(
    "query, message",
    [
        ("period=custom&start=2022-03-31&end=2022-01-01", "The last day comes on or after"),
        ("period=custom&start=2022-01-01", "Enter the last day of the period."),
        ("period=custom&start=2022-02-30&end=2022-03-01", "Not a valid date value."),
        ("period=custom&start=1026-01-01&end=2026-01-01", "A period can be at most five years."),
        ("period=custom&start=0001-01-01&end=0001-01-31", "Give a date from 1 January 2000"),
        ("period=custom&start=9999-12-01&end=9999-12-31", "Give a date at most five years ahead."),
        ("period=decade", "Not a valid choice."),
        ("period=year&area=999999", "Not a valid choice."),
    ],
)
def test_a_bad_period_is_explained_and_nothing_is_computed(counted, query, message):
    lead, _ids = counted
    for url in ("/lead/report", "/lead/dashboard", "/lead/report.xlsx", "/lead/report.csv"):
        response = lead.get(f"{url}?{query}")
        assert response.status_code == 422, url
        page = text(response)
        assert message in page, url
        assert 'id="table-' not in page


def test_the_dashboard_shows_every_part_with_charts_equal_to_their_tables(app):
    with app.app_context():
        load_demo(db.session)
        db.session.commit()
        lead = db.session.scalar(db.select(User).where(User.email.like("lead@%")))
        lead_id, version = lead.id, lead.session_version or 0
    client = app.test_client()
    login(client, lead_id, version)
    with client.session_transaction() as session:
        session["locale"] = "en"
    response = client.get("/lead/dashboard?period=year")
    assert response.status_code == 200
    page = text(response)
    for part in ("capacity", "demand", "rhythm", "handovers", "outcomes", "training"):
        assert f'<section id="{part}"' in page, part
    for table in (
        "capacity",
        "funnel",
        "free_places",
        "waiting_by_language",
        "longest_waits",
        "time_to_match",
        "rhythm_weeks",
        "rhythm_by_organisation",
        "rhythm_now",
        "handovers",
        "handover_times",
        "handovers_by_area",
        "outcomes",
        "stress",
        "early_reasons",
        "training_completions",
        "training_due",
    ):
        assert f'id="table-{table}"' in page, table
    svgs = re.findall(r"<svg[^>]*class=\"chart[^\"]*\".*?</svg>", page, re.S)
    assert len(svgs) == 5  # stages, funnel, rhythm, outcomes, stress
    assert "<script" not in "".join(svgs) and 'style="' not in "".join(svgs)
    # The outcomes chart says what the outcomes table says (the demo: 1 goals reached, 1 at
    # the buurtteam, 1 moved before the minimum).
    table = page.split('id="table-outcomes"')[1].split("</table>")[0]
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", table)
    assert cells[cells.index("Goals reached") + 1] == "1"
    assert cells[cells.index("Resident moved") + 2] == "1"
    outcomes_chart = next(svg for svg in svgs if "Outcomes" in svg.split("</title>")[0])
    description = re.search(r"<desc[^>]*>(.*?)</desc>", outcomes_chart, re.S).group(1)
    assert "Goals reached" in description and "Resident moved" in description
    # The funnel chart shows the residents of the funnel table (the report's funnel).
    table = page.split('id="table-funnel"')[1].split("</table>")[0]
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", table)
    residents = [
        cells[cells.index(step) + 1] for step in ("Registered", "Matched", "Support ended")
    ]
    funnel_chart = next(svg for svg in svgs if "Funnel" in svg.split("</title>")[0])
    description = re.search(r"<desc[^>]*>(.*?)</desc>", funnel_chart, re.S).group(1)
    for step, n in zip(("Registered", "Matched", "Support ended"), residents, strict=True):
        assert re.search(rf"{step}\W+{n}\b", description), (step, n, description)
    # Every part links to the list behind its numbers where one exists.
    assert "/lead/waiting?language=" in page
    assert re.search(r"/volunteers/\?training=matchable&(amp;)?caseload=0", page)
    assert "/residents/?contact=missed" in page


def test_a_handover_count_opens_the_handovers_of_that_period_and_status(counted):
    """Hand-counted (tests/domain/test_report.py): in the first quarter of 2022 H1 was sent to
    the buurtteam, H2 (completed) and H3 (sent) to Money Maatjes; H4 is from December."""
    lead, ids = counted
    page = text(lead.get(f"/lead/dashboard?{Q1}"))
    table = page.split('id="table-handovers"')[1].split("</table>")[0]
    links = dict(
        (re.sub(r"&amp;", "&", href), n)
        for href, n in re.findall(r'<a href="([^"]+)">(\d+)</a>', table)
    )
    to_maatjes = next(h for h in links if "direction=to_maatjes" in h and "status=" not in h)
    assert links[to_maatjes] == "2"
    assert "sent_from=2022-01-01" in to_maatjes and "sent_to=2022-03-31" in to_maatjes
    listed = text(lead.get(to_maatjes))
    assert 'data-total="2"' in listed and "Sent from 1 Jan 2022 to 31 Mar 2022" in listed
    completed = next(h for h in links if "direction=to_maatjes" in h and "status=completed" in h)
    assert links[completed] == "1" and 'data-total="1"' in text(lead.get(completed))
    # Without the period the list shows every handover, H4 of December included.
    assert 'data-total="4"' in text(lead.get("/handovers"))
    # A period that is no period is ignored, as any list filter is.
    assert 'data-total="4"' in text(lead.get("/handovers?sent_from=2022-13-01&sent_to=x"))
