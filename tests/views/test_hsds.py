"""The HSDS 3.0 export of the social map: every answer validates against the published schemas
(copied into tests/data/hsds-3.0 with their notice), pages walk, ids stay, nothing personal."""

import json
import re
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import select

from maatjes.domain import hsds
from maatjes.extensions import db
from maatjes.models import Language, Organisation, Person
from maatjes.models.registry import Neighbourhood
from maatjes.models.social_map import Activity, ActivitySchedule, ActivityTargetGroup
from tests.builders import make_area, make_org, make_resident, make_volunteer, statements_of_get

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "hsds-3.0"
EN = {"Accept-Language": "en"}

# --- schemas --------------------------------------------------------------------------------

checker = FormatChecker()


@checker.checks("uri", raises=ValueError)
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.path)) and " " not in value


@checker.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@lru_cache
def validator(name: str) -> Draft202012Validator:
    if name == "page":  # the paging fields: the API's Page, all present, and the contents
        openapi = json.loads((SCHEMAS / "openapi.json").read_text(encoding="utf-8"))
        assert openapi["jsonSchemaDialect"] == "https://json-schema.org/draft/2020-12/schema"
        page = openapi["components"]["schemas"]["Page"]
        properties = {**page["properties"], "contents": {"type": "array"}}
        schema = {**page, "properties": properties, "required": list(properties)}
    else:
        schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=checker)


def valid(name: str, document: dict) -> dict:
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return document


def valid_page(document: dict, item_schema: str) -> dict:
    valid("page", document)
    assert isinstance(document["contents"], list)
    for item in document["contents"]:
        valid(item_schema, item)
    return document


def test_the_copied_schemas_carry_their_notice():
    notice = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    assert "Open Referral" in notice and "279fd2e" in notice and "CC BY-SA 4.0" in notice
    assert "Attribution-ShareAlike 4.0" in (SCHEMAS / "LICENSE").read_text(encoding="utf-8")


# --- data -----------------------------------------------------------------------------------

SECRET_NAMES = ("Wilhelmina Geheimhouden", "Volunteer Verborgen", "Contact Persoonlijk")


def _language(code: str, custom_name: str | None = None) -> Language:
    row = db.session.get(Language, code)
    if row is None:
        row = Language(code=code, custom_name=custom_name)
        db.session.add(row)
        db.session.flush()
    return row


def _activity(org: Organisation, name: str, **kw) -> Activity:
    schedules = kw.pop("schedules", [])
    languages = kw.pop("languages", [])
    groups = kw.pop("groups", [])
    activity = Activity(organisation=org, name=name, checked_on=date(2026, 1, 5), **kw)
    activity.schedules = schedules
    activity.languages = [_language(code) for code in languages]
    activity.target_group_rows = [ActivityTargetGroup(code=code) for code in groups]
    db.session.add(activity)
    db.session.flush()
    return activity


def build_map(extra: int = 0) -> dict:
    """Two areas, a member and a partner, one organisation that left, the activities of the
    map in every shape (weekly, once, online, at home, paid, on request), an archived one; and
    a resident, a volunteer and a contact person whose names must never appear."""
    oost = make_area("Bijlmer-Oost")
    reigersbos = Neighbourhood(area=make_area("Gaasperdam"), name="Reigersbos")
    db.session.add(reigersbos)
    _language("srn")
    _language("hns", "Sarnami Hindoestani")
    member = make_org("Buurtwerkkamer Oost")
    member.description = "Open huiskamer voor de buurt."
    member.website = "https://buurtwerkkamer.example.nl"
    member.email = "info@buurtwerkkamer.example.nl"
    member.phone = "+31201234567"
    contact = Person(name=SECRET_NAMES[2], organisation=member, email="c.persoonlijk@example.nl")
    db.session.add(contact)
    db.session.flush()
    member.contact_person = contact
    partner = make_org("Stichting Zozoom")
    partner.status = "partner"
    gone = make_org("Vertrokken Vereniging")
    gone.status = "left"
    gone.left_on = date(2025, 1, 1)
    db.session.flush()
    weekly = _activity(
        member,
        "Vrouwengroep Reigersbos",
        description="Koffie en gesprek in het Sranantongo.",
        area=reigersbos.area,
        neighbourhood=reigersbos,
        location_name="Buurtwerkkamer Reigersbos",
        address="Reigersbos 100",
        postal_code="1107 ES",
        phone="+31207654321",
        email="vrouwen@example.nl",
        website="https://vrouwen.example.nl/groep",
        minimum_age=18,
        groups=["women", "adults"],
        languages=["nl", "srn", "hns"],
        access=Activity.WALK_IN,
        schedules=[
            ActivitySchedule(weekday=1, opens_at=time(10), closes_at=time(12)),
            ActivitySchedule(on_date=date(2026, 7, 14), opens_at=time(19, 30)),
        ],
    )
    once = _activity(
        member,
        "Kerstproject",
        area=oost,
        address="Bijlmerplein 1",
        cost=Activity.PAID,
        cost_amount=Decimal("7.50"),
        access=Activity.SIGN_UP,
        schedules=[ActivitySchedule(on_date=date(2026, 12, 20))],
    )
    online = _activity(
        partner,
        "Masterplan Zozoom sessie",
        place=Activity.ONLINE,
        website="https://zozoom.example.nl",
        cost=Activity.ON_REQUEST,
        access=Activity.REFERRAL,
        minimum_age=12,
        maximum_age=23,
        groups=["young_people"],
    )
    at_home = _activity(partner, "Thuisbezoek", place=Activity.AT_HOME, area=oost)
    archived = _activity(member, "Oude koffieochtend", archived=True)
    left = _activity(gone, "Activiteit van vertrokken club")
    for n in range(extra):
        _activity(
            member if n % 2 else partner,
            f"Extra {n}",
            area=oost,
            address=f"Straat {n}",
            languages=["nl", "srn"],
            groups=["adults"],
            schedules=[ActivitySchedule(weekday=n % 7, opens_at=time(9), closes_at=time(11))],
        )
    make_resident(first_name="Wilhelmina", last_name="Geheimhouden")
    make_volunteer(name=SECRET_NAMES[1])
    db.session.commit()
    return {
        "weekly": weekly.id,
        "once": once.id,
        "online": online.id,
        "at_home": at_home.id,
        "archived": archived.id,
        "left": left.id,
        "member": member.id,
        "partner": partner.id,
        "gone": gone.id,
    }


@pytest.fixture
def ids(app):
    with app.app_context():
        return build_map()


def get(client, url: str, status: int = 200) -> dict:
    response = client.get(url, headers=EN)
    assert response.status_code == status, (url, response.status_code, response.data[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


# --- validation -----------------------------------------------------------------------------


def test_every_service_answer_validates_against_the_hsds_schemas(client, ids):
    listed = valid_page(get(client, "/hsds/services"), "service_list")
    assert listed["total_items"] == 4 and listed["size"] == 4
    full = valid_page(get(client, "/hsds/services?full=true"), "service")
    assert [s["id"] for s in full["contents"]] == [s["id"] for s in listed["contents"]]
    for summary in listed["contents"]:
        single = valid("service", get(client, f"/hsds/services/{summary['id']}"))
        assert single["id"] == summary["id"] and single["status"] == "active"
        assert single == next(s for s in full["contents"] if s["id"] == summary["id"])


def test_a_service_maps_the_activity(client, ids):
    sid = hsds.service_id(ids["weekly"])
    service = get(client, f"/hsds/services/{sid}")
    assert service["organization_id"] == hsds.organization_id(ids["member"])
    assert service["organization"]["name"] == "Buurtwerkkamer Oost"
    assert service["url"] == "https://vrouwen.example.nl/groep"
    assert service["email"] == "vrouwen@example.nl"
    assert service["application_process"] == "Walk in"
    assert service["fees_description"] == "Free"
    assert service["cost_options"][0] | {"id": None} == {
        "id": None,
        "service_id": sid,
        "amount": 0,
        "currency": "EUR",
        "amount_description": "Free",
    }
    assert service["eligibility_description"] == "Adults, Women"
    assert service["minimum_age"] == 18 and "maximum_age" not in service
    assert service["assured_date"] == "2026-01-05"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", service["last_modified"])
    assert service["phones"] == [
        {
            "id": service["phones"][0]["id"],
            "service_id": sid,
            "number": "+31207654321",
            "type": "voice",
        }
    ]
    (weekly,) = [row for row in service["schedules"] if "freq" in row]
    (once,) = [row for row in service["schedules"] if "dtstart" in row]
    assert weekly["freq"] == "WEEKLY" and weekly["byday"] == "TU" and "dtstart" not in weekly
    assert re.match(r"^10:00\+0[12]:00$", weekly["opens_at"])
    assert re.match(r"^12:00\+0[12]:00$", weekly["closes_at"])
    assert weekly["timezone"] in (1, 2) and weekly["description"] == "Every Tuesday, 10:00–12:00"
    # 14 July: summer time in Amsterdam.
    assert once["dtstart"] == once["valid_from"] == once["valid_to"] == "2026-07-14"
    assert "freq" not in once and once["opens_at"] == "19:30+02:00" and once["timezone"] == 2
    assert [(lang["code"], lang["name"]) for lang in service["languages"]] == [
        ("hns", "Sarnami Hindoestani"),
        ("nl", "Dutch"),
        ("srn", "Sranan Tongo"),
    ]
    (place,) = service["service_at_locations"]
    location = place["location"]
    assert place["location_id"] == location["id"] and location["location_type"] == "physical"
    assert location["name"] == "Buurtwerkkamer Reigersbos"
    assert location["description"] == "Reigersbos, Gaasperdam"
    (address,) = location["addresses"]
    assert address | {"id": None} == {
        "id": None,
        "location_id": location["id"],
        "address_1": "Reigersbos 100",
        "city": "Amsterdam",
        "state_province": "Noord-Holland",
        "postal_code": "1107 ES",
        "country": "NL",
        "address_type": "physical",
    }
    assert service["service_areas"][0]["name"] == "Reigersbos"
    (contact,) = service["contacts"]
    assert contact["email"] == "vrouwen@example.nl"
    assert contact["phones"][0]["number"] == "+31207654321"


def test_costs_places_and_the_dutch_labels(client, ids):
    paid = get(client, f"/hsds/services/{ids['once']}")
    assert paid["cost_options"][0]["amount"] == 7.5
    assert paid["cost_options"][0]["currency"] == "EUR"
    assert (
        paid["fees_description"].startswith("Costs money: ") and "7.50" in paid["fees_description"]
    )
    assert paid["application_process"] == "Sign up first"
    online = get(client, f"/hsds/services/{ids['online']}")
    assert online["cost_options"][0]["amount_description"] == "Cost on request"
    assert "amount" not in online["cost_options"][0]
    assert online["service_at_locations"][0]["location"]["location_type"] == "virtual"
    assert (online["minimum_age"], online["maximum_age"]) == (12, 23)
    at_home = get(client, f"/hsds/services/{ids['at_home']}")
    assert at_home["service_at_locations"] == [] and at_home["service_areas"][0]["name"]
    dutch = client.get(f"/hsds/services/{ids['once']}", headers={"Accept-Language": "nl"})
    valid("service", dutch.get_json())  # the labels in Dutch once translated
    assert dutch.get_json()["languages"] == [] and "7,50" in dutch.get_json()["fees_description"]


def test_every_organization_answer_validates(client, ids):
    listed = valid_page(get(client, "/hsds/organizations"), "organization_list")
    names = [row["name"] for row in listed["contents"]]
    assert "Vertrokken Vereniging" not in names
    assert {"Buurtwerkkamer Oost", "Stichting Zozoom"} <= set(names)
    for row in listed["contents"]:
        for url in (
            f"/hsds/organizations/{row['id']}",
            f"/hsds/organizations/{row['id']}?full_service=true",
        ):
            valid("organization", get(client, url))
    member = get(client, f"/hsds/organizations/{hsds.organization_id(ids['member'])}")
    assert member["description"] == "Open huiskamer voor de buurt."
    assert member["website"] == "https://buurtwerkkamer.example.nl"
    assert member["phones"][0]["number"] == "+31201234567"
    assert {s["name"] for s in member["services"]} == {"Vrouwengroep Reigersbos", "Kerstproject"}
    full = get(client, f"/hsds/organizations/{ids['member']}?full_service=true")
    assert all("schedules" in s for s in full["services"])
    partner = get(client, f"/hsds/organizations/{ids['partner']}")
    assert partner["description"] == "" and "website" not in partner


def test_the_index_says_what_this_is(client):
    index = get(client, "/hsds/")
    openapi = json.loads((SCHEMAS / "openapi.json").read_text(encoding="utf-8"))
    root = openapi["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    Draft202012Validator(root["schema"], format_checker=checker).validate(index)
    assert index["version"] == "3.0"
    assert index["services"].endswith("/hsds/services")
    assert index["organizations"].endswith("/hsds/organizations")


# --- what is left out -----------------------------------------------------------------------


def test_archived_activities_and_those_of_organisations_that_left_are_absent(client, ids):
    listed = get(client, "/hsds/services?per_page=100")
    names = {s["name"] for s in listed["contents"]}
    assert "Oude koffieochtend" not in names and "Activiteit van vertrokken club" not in names
    for key in ("archived", "left"):
        for ref in (ids[key], hsds.service_id(ids[key])):
            assert get(client, f"/hsds/services/{ref}", 404)["error"]["status"] == 404
    for ref in (ids["gone"], hsds.organization_id(ids["gone"])):
        get(client, f"/hsds/organizations/{ref}", 404)
    assert "Oude koffieochtend" not in json.dumps(
        get(client, f"/hsds/organizations/{ids['member']}")
    )


def test_an_archived_activity_maps_to_an_inactive_service(app, ids):
    with app.test_request_context(headers=EN), app.app_context():
        activity = db.session.get(Activity, ids["archived"])
        exported = hsds.service(activity, locale="en", today=date(2026, 3, 1))
        valid("service", exported)
        assert exported["status"] == "inactive"
        assert exported["id"] == hsds.service_id(ids["archived"])


def test_no_resident_volunteer_or_person_appears_anywhere(client, ids):
    texts = []
    for url in ("/hsds/", "/hsds/services?full=true", "/hsds/organizations"):
        texts.append(client.get(url, headers=EN).get_data(as_text=True))
    for org in get(client, "/hsds/organizations")["contents"]:
        texts.append(
            client.get(f"/hsds/organizations/{org['id']}?full_service=true", headers=EN).get_data(
                as_text=True
            )
        )
    everything = "\n".join(texts)
    for secret in (*SECRET_NAMES, "Geheimhouden", "c.persoonlijk@example.nl", "06 1234"):
        assert secret not in everything


@pytest.mark.parametrize(
    "ref",
    [
        "999999",
        "2147483648",
        "99999999999",
        "abc",
        "00000000-0000-0000-0000-000000000000",
        str(10**30),
        "-1",
        "x" * 500,
        "%00",
    ],
)
def test_unknown_ids_answer_a_json_404(client, ids, ref):
    for kind in ("services", "organizations"):
        answer = get(client, f"/hsds/{kind}/{ref}", 404)
        assert answer["error"]["status"] == 404


# --- paging ---------------------------------------------------------------------------------


def test_the_pages_walk_every_service_once(app, client):
    with app.app_context():
        build_map(extra=7)  # 4 + 7 public services
    seen, page, pages = [], 1, None
    while True:
        answer = valid_page(get(client, f"/hsds/services?page={page}&per_page=3"), "service_list")
        assert answer["page_number"] == page and answer["total_items"] == 11
        assert answer["total_pages"] == 4 and answer["first_page"] == (page == 1)
        assert answer["size"] == len(answer["contents"]) == (3 if page < 4 else 2)
        assert answer["empty"] is False
        seen += [s["id"] for s in answer["contents"]]
        pages = page
        if answer["last_page"]:
            break
        page += 1
    assert pages == 4 and len(seen) == len(set(seen)) == 11
    beyond = valid_page(get(client, "/hsds/services?page=5&per_page=3"), "service_list")
    assert beyond["contents"] == [] and beyond["last_page"] and beyond["size"] == 0
    default = get(client, "/hsds/services")
    assert default["size"] == 11 and default["total_pages"] == 1 and default["last_page"]
    capped = get(client, "/hsds/services?per_page=1000")
    assert capped["size"] == 11
    organizations = valid_page(get(client, "/hsds/organizations?per_page=1"), "organization_list")
    assert (
        organizations["size"] == 1 and organizations["total_pages"] == organizations["total_items"]
    )


def test_an_empty_map_is_an_empty_page(client):
    answer = valid_page(get(client, "/hsds/services"), "service_list")
    assert answer | {"contents": []} == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=x",
        f"page={10**20}",
        "page=1.5",
        "page=",
        "page=%EF%BC%91",  # a full-width digit one
        f"page={'9' * 5000}",
        "per_page=0",
        "per_page=-5",
        "per_page=x",
        f"per_page={10**20}",
        "modified_after=yesterday",
        "modified_after=2026-01-01T00:00:00Z",
        "search=%25_%5C",
        "full=true&page=2&per_page=2",
        "organization_id=nonsense",
        "organization_id=99999999999",
    ],
)
def test_bad_paging_never_fails(client, ids, query):
    for kind in ("services", "organizations"):
        response = client.get(f"/hsds/{kind}?{query}", headers=EN)
        assert response.status_code in (200, 400), (query, response.status_code)
        answer = response.get_json()
        if response.status_code == 400:
            assert answer["error"]["status"] == 400 and answer["error"]["message"]
        else:
            valid("page", answer)


def test_the_spec_filters(client, ids):
    found = get(client, "/hsds/services?search=REIGERSBOS vrouwen")
    assert [s["name"] for s in found["contents"]] == ["Vrouwengroep Reigersbos"]
    by_org = get(client, f"/hsds/services?organization_id={hsds.organization_id(ids['partner'])}")
    assert {s["name"] for s in by_org["contents"]} == {"Masterplan Zozoom sessie", "Thuisbezoek"}
    assert get(client, "/hsds/services?modified_after=2999-01-01T00:00:00Z")["empty"]
    orgs = get(client, "/hsds/organizations?search=zozoom")
    assert [o["name"] for o in orgs["contents"]] == ["Stichting Zozoom"]


# --- ids ------------------------------------------------------------------------------------


def test_ids_are_stable_uuids_across_requests_and_renames(app, client, ids):
    first = get(client, "/hsds/services?full=true")
    again = get(client, "/hsds/services?full=true")
    assert first == again
    before = next(s for s in first["contents"] if s["name"] == "Vrouwengroep Reigersbos")
    assert before["id"] == str(uuid.uuid5(hsds.NAMESPACE, f"activity:{ids['weekly']}"))
    with app.app_context():
        activity = db.session.get(Activity, ids["weekly"])
        activity.name = "Vrouwengroep Reigersbos (nieuw)"
        db.session.get(Organisation, ids["member"]).name = "Buurtwerkkamer Oost-Nieuw"
        db.session.commit()
    after = get(client, f"/hsds/services/{before['id']}")
    assert after["name"] == "Vrouwengroep Reigersbos (nieuw)"

    def sub_ids(service: dict) -> list[str]:
        found = re.findall(
            r'"(?:id|location_id|contact_id)": "([0-9a-f-]{36})"', json.dumps(service)
        )
        return found

    assert sub_ids(after) == sub_ids(before)
    every = sub_ids(first)
    assert all(str(uuid.UUID(value)) == value for value in every)
    # One record, one id: no two objects of the export share one (an organization summary
    # repeats in each of its services: the same record).
    assert len(_object_ids(first["contents"])) == len(set(_object_ids(first["contents"])))


def _object_ids(value, key: str = "") -> list[str]:
    if isinstance(value, list):
        return [found for item in value for found in _object_ids(item)]
    if not isinstance(value, dict) or key == "organization":
        return []
    own = [value["id"]] if "id" in value else []
    return own + [found for name, item in value.items() for found in _object_ids(item, name)]


# --- cost -----------------------------------------------------------------------------------


def _statements(app, client, url: str) -> int:
    return statements_of_get(app, client, url, headers=EN)


def test_the_export_issues_the_same_statements_at_two_sizes(app):
    from tests.conftest import _empty_all_tables

    def measure(extra: int) -> dict:
        with app.app_context():
            ids = build_map(extra=extra)
            org = db.session.scalar(select(Organisation.id).where(Organisation.id == ids["member"]))
        pages = [
            "/hsds/services",
            "/hsds/services?full=true&per_page=100",
            "/hsds/services?search=extra",
            "/hsds/organizations",
            f"/hsds/organizations/{org}",
            f"/hsds/organizations/{hsds.organization_id(org)}?full_service=true",
            f"/hsds/services/{hsds.service_id(ids['weekly'])}",
        ]
        client = app.test_client()
        counts = [_statements(app, client, url) for url in pages]
        with app.app_context():
            _empty_all_tables()
        return counts

    small, large = measure(3), measure(30)
    assert small == large
