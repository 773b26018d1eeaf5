"""The public social map: anyone finds activities by area, day and language, opens one and can
call it; nothing about residents, volunteers or matches shows; archived activities and
organisations that left are gone; the CSV neutralises formulas; the list costs the same
statements with 3 or 30 activities."""

import csv
import html
import io
import json
import re
from datetime import date, time

import pytest

from maatjes.domain import handovers
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import Role
from maatjes.models.social_map import ActivitySchedule
from tests.builders import (
    client_as,
    make_area,
    make_match,
    make_resident,
    make_user,
    make_volunteer,
    statements_of_get,
)
from tests.domain.test_social_map import language, make_activity

EN = {"Accept-Language": "en"}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def anonymous(app):
    return app.test_client()


def _world() -> dict:
    """Eén in Bijlmer-Oost op dinsdag in het Sranantongo, en andere die in één ding verschillen."""
    target = make_activity(
        "Koffie-ochtend Ganzenhoef",
        description="Koffie, thee en een praatje.",
        address="Bijlmerdreef 101",
        postal_code="1102 BS",
        phone="+31201234567",
        email="info@buurtwerkkamer.nl",
    )
    make_activity("Reigersbos Vrouwengroep", area="Holendrecht/Reigersbos", place="Reigersbos")
    make_activity("Donderdaggroep", weekday=3)
    make_activity("Twi-groep", languages=("tw",))
    db.session.commit()
    return {
        "target": target.id,
        "area": target.area_id,
        "neighbourhood": target.neighbourhood_id,
    }


def test_a_visitor_finds_bijlmer_oost_on_tuesday_in_sranantongo_and_can_call(app):
    with app.app_context():
        ids = _world()
    client = anonymous(app)
    response = client.get(f"/sociale-kaart/?area={ids['area']}&day=1&language=srn", headers=EN)
    assert response.status_code == 200
    page = text(response)
    assert re.findall(r'data-activity="(\d+)"', page) == [str(ids["target"])]
    assert 'data-total="1"' in page and "1 activity found" in page
    assert 'href="tel:+31-20-123-4567"' in page and "020 123 4567" in page
    assert "every Tuesday 10:00–12:00" in page and "Sranan Tongo" in page
    # No staff navigation for a visitor; the language switch is there.
    assert "Log out" not in page and 'name="locale" value="nl"' in page
    detail = client.get(f"/sociale-kaart/{ids['target']}", headers=EN)
    assert detail.status_code == 200
    page = text(detail)
    assert 'href="tel:+31-20-123-4567"' in page
    osm = "https://www.openstreetmap.org/search?query=Bijlmerdreef+101%2C+1102+BS%2C+Amsterdam"
    assert f'href="{osm}" target="_blank" rel="noopener"' in page
    assert "mailto:info@buurtwerkkamer.nl" in page
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    )
    assert data["@type"] == "Service" and data["name"] == "Koffie-ochtend Ganzenhoef"
    assert data["provider"] == {"@type": "Organization", "name": "Buurtwerkkamer Zuidoost"}
    assert data["hoursAvailable"][0]["dayOfWeek"] == "https://schema.org/Tuesday"
    assert data["url"].endswith(f"/sociale-kaart/{ids['target']}")
    assert "<title>Koffie-ochtend Ganzenhoef" in page


def test_each_filter_of_the_page_narrows(app):
    with app.app_context():
        ids = _world()
    client = anonymous(app)

    def found(query: str) -> set[str]:
        page = text(client.get(f"/sociale-kaart/?{query}", headers=EN))
        return set(re.findall(r'<h2 class="h5 card-title[^>]*><a [^>]*>([^<]+)</a>', page))

    assert len(found("")) == 4
    assert "Reigersbos Vrouwengroep" not in found(f"area={ids['area']}")
    assert found("day=3") == {"Donderdaggroep"}
    assert found("language=tw") == {"Twi-groep"}
    assert found("q=praatje") == {"Koffie-ochtend Ganzenhoef"}
    assert found(f"neighbourhood={ids['neighbourhood']}") == found("") - {"Reigersbos Vrouwengroep"}


def test_nothing_found_offers_to_clear_and_pager_keeps_the_filters(app):
    with app.app_context():
        for n in range(27):
            make_activity(f"Activiteit {n:02d}")
        db.session.commit()
    client = anonymous(app)
    page = text(client.get("/sociale-kaart/?language=tw", headers=EN))
    assert "No activities found." in page and 'id="nothing-found"' in page
    # A language nothing is offered in (a resident's) stays chosen in the form.
    assert '<option value="tw" selected>' in page
    page = text(client.get("/sociale-kaart/?language=srn&day=1", headers=EN))
    assert "27 activities found" in page
    assert re.search(r'href="/sociale-kaart/\?[^"]*page=2', page)
    next_link = re.search(r'href="(/sociale-kaart/\?[^"]*page=2[^"]*)"', page).group(1)
    assert "language=srn" in next_link and "day=1" in next_link


BAD = [
    "area=abc",
    "area=99999999999999999999",
    "area=-1",
    "neighbourhood=2147483648",
    "theme=%EF%BC%91",
    "day=9",
    "day=-1",
    "day=%C2%B2",
    "cost=%3Cscript%3E",
    "target=x",
    "language=%27%3B--",
    "page=0",
    "page=99999999999999999999",
    "page=%C2%B2",
    "q=" + "x" * 10000,
    "q=%25%5F%5C",
    "area=1&area=2",
]


def test_bad_filter_values_never_fail(app):
    with app.app_context():
        _world()
    client = anonymous(app)
    for query in BAD:
        for path in ("/sociale-kaart/", "/sociale-kaart/activiteiten.csv"):
            response = client.get(f"{path}?{query}", headers=EN)
            assert response.status_code == 200, (path, query)
    assert client.get("/sociale-kaart/?q=%00", headers=EN).status_code == 400
    assert client.get("/sociale-kaart/2147483648").status_code == 404


def test_archived_activities_and_organisations_that_left_are_gone(app):
    with app.app_context():
        shown = make_activity("Zichtbaar").id
        archived = make_activity("Gearchiveerd", archived=True).id
        leaver = make_activity("Van een vertrokken organisatie", organisation="Weg")
        leaver.organisation.status = "left"
        left = leaver.id
        db.session.commit()
    client = anonymous(app)
    page = text(client.get("/sociale-kaart/", headers=EN))
    assert "Zichtbaar" in page
    assert "Gearchiveerd" not in page and "Van een vertrokken" not in page
    assert client.get(f"/sociale-kaart/{shown}").status_code == 200
    assert client.get(f"/sociale-kaart/{archived}").status_code == 404
    assert client.get(f"/sociale-kaart/{left}").status_code == 404
    assert client.get("/sociale-kaart/999999").status_code == 404
    csv_text = client.get("/sociale-kaart/activiteiten.csv").get_data(as_text=True)
    assert "Zichtbaar" in csv_text and "Gearchiveerd" not in csv_text and "Weg" not in csv_text


def test_the_csv_has_the_rows_and_neutralises_formulas(app):
    with app.app_context():
        make_activity(
            '=HYPERLINK("http://evil")',
            organisation="@SUM(A1)",
            address="-1+1",
            phone="+59781234567",
        )
        make_activity("Koffie-ochtend", address="Bijlmerdreef 101", postal_code="1102 BS")
        make_activity("Elders", area="Holendrecht/Reigersbos", place="Reigersbos")
        area = make_area("Bijlmer-Oost").id
        db.session.commit()
    client = anonymous(app)
    response = client.get(f"/sociale-kaart/activiteiten.csv?area={area}", headers=EN)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Organisation", "Area"] and rows[0][-1] == "Last checked"
    assert len(rows) == 3  # header and the two in Bijlmer-Oost
    by_name = {row[0]: row for row in rows[1:]}
    evil = by_name['\'=HYPERLINK("http://evil")']
    assert evil[1] == "'@SUM(A1)"
    assert evil[4].startswith("'-1+1")
    assert evil[9] == "'+597 812-3456" or evil[9].startswith("'+597")
    good = by_name["Koffie-ochtend"]
    assert good[2] == "Bijlmer-Oost" and good[3] == "Ganzenhoef"
    assert good[4] == "Bijlmerdreef 101, 1102 BS Amsterdam"
    assert good[5] == "every Tuesday 10:00–12:00" and good[6] == "Sranan Tongo"
    assert good[7] == "Free" and good[-1] == "2026-06-01"
    # In Dutch, Excel expects semicolons.
    dutch = client.get("/sociale-kaart/activiteiten.csv", headers={"Accept-Language": "nl"})
    assert dutch.get_data().decode("utf-8-sig").splitlines()[0].count(";") == 12


def test_logged_in_users_see_the_same_map(app):
    with app.app_context():
        _world()
        user_ids = [make_user(role).id for role in (Role.LEAD, Role.ADMIN)]
        user_ids.append(make_volunteer(("tw",)).user_id)
        db.session.commit()
    for user_id in user_ids:
        client = client_as(app, user_id)
        page = text(client.get("/sociale-kaart/"))
        assert "4 activities found" in page
        assert client.get("/sociale-kaart/activiteiten.csv").status_code == 200


def _statements(app, client, url: str) -> int:
    return statements_of_get(app, client, url, headers=EN)


def test_the_list_issues_the_same_statements_with_3_and_30_activities(app):
    from tests.conftest import _empty_all_tables

    areas = ("Bijlmer-Oost", "Holendrecht/Reigersbos", "Bijlmer-Centrum", "Gaasperdam")
    places = ("Ganzenhoef", "Reigersbos", "Kraaiennest", "Gein")
    pages = ["/sociale-kaart/", "/sociale-kaart/?day=1&language=srn", "/sociale-kaart/?q=groep"]

    def measure(size: int) -> dict:
        with app.app_context():
            for n in range(size):
                activity = make_activity(
                    f"Groep {n}",
                    organisation=f"Organisatie {n % 5}",
                    area=areas[n % 4],
                    place=places[n % 4],
                    languages=("srn", "tw", "nl")[: 1 + n % 3],
                    targets=("women", "adults")[: n % 3],
                    theme_name=f"Thema {n % 3}",
                )
                activity.schedules.append(ActivitySchedule(on_date=date(2030, 1, 1 + n % 28)))
                activity.schedules.append(
                    ActivitySchedule(weekday=(n + 2) % 7, opens_at=time(19), closes_at=time(21))
                )
            language("ak").custom_name = "Akan (Twi)"
            db.session.commit()
        client = anonymous(app)
        counts = {url: _statements(app, client, url) for url in pages}
        counts["csv"] = _statements(app, client, "/sociale-kaart/activiteiten.csv")
        with app.app_context():
            _empty_all_tables()
        return counts

    small, large = measure(3), measure(30)
    assert small == large


def test_no_resident_volunteer_or_match_is_on_the_public_pages(app):
    with app.app_context():
        area = make_area("Bijlmer-Oost")
        make_user(Role.LEAD)
        volunteer = make_volunteer(("srn",), name="Vrijwilliger Kwaku")
        resident = make_resident(
            ("srn",), first_name="Abena", last_name="Geheimnaam", area="Bijlmer-Oost"
        )
        make_match(volunteer, resident)
        activity = make_activity("Koffie-ochtend")
        db.session.commit()
        ids = (area.id, activity.id)
    client = anonymous(app)
    for url in (
        "/sociale-kaart/",
        f"/sociale-kaart/?area={ids[0]}&language=srn&q=abena",
        f"/sociale-kaart/{ids[1]}",
        "/sociale-kaart/activiteiten.csv",
    ):
        page = text(client.get(url, headers=EN))
        for secret in ("Abena", "Geheimnaam", "Kwaku", "06 1234"):
            assert secret not in page, (url, secret)


def test_the_handover_and_the_match_link_to_the_map_for_the_resident(app):
    start = date(2022, 3, 9)
    with app.app_context():
        area = make_area("Bijlmer-Oost")
        lead = make_user(Role.LEAD)
        buurtteam = make_user(Role.BUURTTEAM, area=area)
        volunteer = make_volunteer(("srn",))
        resident = make_resident(("srn", "nl"), area="Bijlmer-Oost")
        match = make_match(volunteer, resident, started_on=start)
        handover = handovers.start_handover(
            db.session,
            resident,
            HandoverInput(
                reason="Schuldhulp", needs="", urgency="normal", consent=True, consent_on=start
            ),
            by=lead,
            today=start,
        )
        db.session.commit()
        ids = (area.id, lead.id, buurtteam.id, volunteer.user_id, handover.id, match.id)
    expected = f'href="/sociale-kaart/?area={ids[0]}&amp;language=srn" id="social-map-link"'
    for user_id in (ids[1], ids[2]):
        page = client_as(app, user_id).get(f"/handovers/{ids[4]}").get_data(as_text=True)
        assert expected in page
    for user_id in (ids[1], ids[3]):
        page = client_as(app, user_id).get(f"/matches/{ids[5]}").get_data(as_text=True)
        assert expected in page


def _base_has_a_head_block() -> bool:
    from pathlib import Path

    base = Path(__file__).resolve().parents[2] / "maatjes" / "templates" / "base.html"
    return "block head" in base.read_text(encoding="utf-8")


@pytest.mark.skipif(
    not _base_has_a_head_block(),
    reason="base.html has no {% block head %} yet: the description and canonical link wait for it",
)
def test_each_page_has_a_description_and_a_canonical_link(app):
    with app.app_context():
        ids = _world()
    client = anonymous(app)
    page = text(client.get(f"/sociale-kaart/?day=1&area={ids['area']}", headers=EN))
    head = page[: page.index("</head>")]
    assert '<meta name="description" content="Activities of the organisations' in head
    assert (
        f'<link rel="canonical" href="http://maatjes.test/sociale-kaart/?area={ids["area"]}&day=1">'
        in head
    )
    page = text(client.get(f"/sociale-kaart/{ids['target']}", headers=EN))
    head = page[: page.index("</head>")]
    assert '<meta name="description" content="Koffie, thee en een praatje.">' in head
    assert (
        f'<link rel="canonical" href="http://maatjes.test/sociale-kaart/{ids["target"]}">' in head
    )
