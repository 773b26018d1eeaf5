"""Joint subsidy applications over HTTP: admin edits, lead reads, others are refused; the
forms refuse bad input with a message (422) and write nothing; amounts in both languages; the
totals per year from the seeds."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import Organisation, SubsidyApplication, SubsidyParticipant
from tests.builders import client_as, make_org
from tests.views.test_projects import ADMIN_ONLY, READ, build_registry_world, check_routes

ROUTES = [
    ("GET", "/registry/subsidies/", READ),
    ("GET", "/registry/subsidies/?year=2022&q=sociale&page=3", READ),
    ("GET", "/registry/subsidies/{application}", READ),
    ("GET", "/registry/subsidies/new", ADMIN_ONLY),
    ("POST", "/registry/subsidies/new", ADMIN_ONLY),
    ("GET", "/registry/subsidies/{application}/edit", ADMIN_ONLY),
    ("POST", "/registry/subsidies/{application}/edit", ADMIN_ONLY),
    ("GET", "/registry/subsidies/{application}/participants/new", ADMIN_ONLY),
    ("POST", "/registry/subsidies/{application}/participants/new", ADMIN_ONLY),
    ("GET", "/registry/subsidies/{application}/participants/{participant}/edit", ADMIN_ONLY),
    ("POST", "/registry/subsidies/{application}/participants/{participant}/edit", ADMIN_ONLY),
    ("POST", "/registry/subsidies/{application}/participants/{participant}/remove", ADMIN_ONLY),
]
ABSENT = [
    ("GET", "/registry/subsidies/999999", READ),
    ("GET", "/registry/subsidies/999999/edit", ADMIN_ONLY),
    ("GET", "/registry/subsidies/999999/participants/new", ADMIN_ONLY),
    ("GET", "/registry/subsidies/{application}/participants/999999/edit", ADMIN_ONLY),
    ("POST", "/registry/subsidies/999999/participants/{participant}/remove", ADMIN_ONLY),
]


def test_every_route_per_role(app):
    with app.app_context():
        world = build_registry_world()
    check_routes(app, world, ROUTES, ABSENT)
    with app.app_context():  # the empty posts changed nothing
        assert db.session.scalar(select(func.count(SubsidyParticipant.id))) == 1
        assert db.session.scalar(select(func.count(SubsidyApplication.id))) == 1


def _application_form(world, **changes) -> dict:
    form = {
        "funder": "Gemeente Amsterdam",
        "scheme": "Sociale Basis",
        "year": "2023",
        "starts_on": "2023-01-01",
        "ends_on": "2023-12-31",
        "submitted_on": "2022-10-01",
        "lead_organisation": str(world["organisation"]),
        "note": "Penvoerder Venzo",
    }
    return {**form, **changes}


def test_the_admin_records_an_application(app):
    with app.app_context():
        world = build_registry_world()
    admin = client_as(app, world["users"]["admin"])
    response = admin.post("/registry/subsidies/new", data=_application_form(world))
    assert response.status_code == 302
    application_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = admin.get(f"/registry/subsidies/{application_id}").get_data(as_text=True)
    assert 'id="lead-applicant">Venzo<' in page and "Penvoerder Venzo" in page
    response = admin.post(
        f"/registry/subsidies/{application_id}/edit",
        data=_application_form(world, scheme="Sociale Basis 2023", ends_on=""),
    )
    assert response.status_code == 302
    with app.app_context():
        application = db.session.get(SubsidyApplication, application_id)
        assert application.scheme == "Sociale Basis 2023" and application.ends_on is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"funder": ""}, "This field is required."),
        ({"year": ""}, "Give the year of the work."),
        ({"year": "1999"}, "Give a year from 2000 up to 5 years ahead."),
        ({"year": str(local_today().year + 6)}, "Give a year from 2000 up to 5 years ahead."),
        ({"year": "2" * 30}, "Give a year from 2000 up to 5 years ahead."),
        ({"year": "1e309"}, "Not a valid integer value."),
        ({"ends_on": "2022-12-31"}, "The period cannot end before it starts."),
        (
            {"starts_on": "2024-02-01", "ends_on": "2024-12-31"},
            "The period must include part of 2023: it starts after it.",
        ),
        (
            {"starts_on": "2022-01-01", "ends_on": "2022-06-30"},
            "The period must include part of 2023: it ends before it.",
        ),
        ({"starts_on": "", "ends_on": "2021-12-31"}, "it ends before it"),
        ({"starts_on": "0001-01-01"}, "Give a date from 2000 up to 5 years ahead."),
        ({"submitted_on": (local_today() + timedelta(days=2)).isoformat()}, "up to today"),
        ({"lead_organisation": ""}, "Choose the lead applicant."),
        ({"lead_organisation": "999999"}, "Not a valid choice."),
        ({"scheme": "x" * 161}, "Field cannot be longer than 160 characters."),
    ],
)
def test_bad_application_input_is_refused_and_nothing_written(app, changes, message):
    with app.app_context():
        world = build_registry_world()
    admin = client_as(app, world["users"]["admin"])
    for url in ("/registry/subsidies/new", f"/registry/subsidies/{world['application']}/edit"):
        response = admin.post(url, data=_application_form(world, **changes))
        assert response.status_code == 422, url
        assert message in response.get_data(as_text=True), url
    with app.app_context():
        rows = db.session.execute(select(SubsidyApplication.scheme, SubsidyApplication.year)).all()
        assert rows == [("Sociale Basis", 2022)]


def _participant_form(organisation_id, **changes) -> dict:
    form = {
        "organisation": str(organisation_id),
        "requested": "12.500,00",
        "decision": "partly",
        "granted": "10000",
        "reason": "",
    }
    return {**form, **changes}


def test_participants_with_amounts_and_decisions(app):
    with app.app_context():
        world = build_registry_world()
        kwakoe = make_org("Kwakoe").id
        db.session.commit()
    admin = client_as(app, world["users"]["admin"])
    base = f"/registry/subsidies/{world['application']}"
    response = admin.post(f"{base}/participants/new", data=_participant_form(kwakoe))
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(
            select(SubsidyParticipant).where(SubsidyParticipant.organisation_id == kwakoe)
        )
        assert (row.requested, row.granted, row.decision) == (
            Decimal("12500.00"),
            Decimal("10000.00"),
            "partly",
        )
        participant_id = row.id
    edit = f"{base}/participants/{participant_id}/edit"
    form = admin.get(edit).get_data(as_text=True)
    assert 'value="12500.00"' in form  # shown to edit without thousands separator
    response = admin.post(edit, data=_participant_form(kwakoe, decision="granted", granted=""))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(SubsidyParticipant, participant_id).granted == Decimal("12500.00")
    page = admin.get(base).get_data(as_text=True)
    assert "€12,500.00" in page and "Rejected" in page and "Not eligible" in page
    footer = re.search(r'<tr class="fw-semibold" id="application-totals">(.*?)</tr>', page, re.S)
    assert "1 granted, 1 rejected" in footer.group(1)
    assert '"requested">€25,000.00<' in footer.group(1)
    assert '"granted">€12,500.00<' in footer.group(1)
    remove = f"{base}/participants/{participant_id}/remove"
    asked = admin.post(remove, data={})
    assert asked.status_code == 200 and "Remove Kwakoe from this application?" in asked.get_data(
        as_text=True
    )
    assert admin.post(remove, data={"confirmed": "1"}).status_code == 302
    with app.app_context():
        assert db.session.get(SubsidyParticipant, participant_id) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"requested": "12,345"}, "could mean thousands or decimals"),
        ({"requested": "12.5001"}, "at most two decimals"),
        ({"requested": "-1"}, "cannot be negative"),
        ({"requested": "10.000.000"}, "below ten million"),
        ({"requested": "twaalf"}, "Give an amount in euros"),
        ({"granted": "12500"}, "above 0 and below the requested amount"),
        ({"granted": ""}, "above 0 and below the requested amount"),
        ({"decision": "granted", "granted": "9000"}, "choose “partly granted” for less"),
        ({"decision": "granted", "requested": ""}, "Give the requested amount first."),
        ({"decision": "rejected", "granted": ""}, "Give the funder&#39;s reason"),
        ({"decision": "rejected", "granted": "5", "reason": "No"}, "no granted amount"),
        ({"decision": "pending"}, "nothing is granted: leave it empty"),
        ({"decision": "approved"}, "Not a valid choice."),
        ({"organisation": "999999"}, "Not a valid choice."),
        ({"organisation": "SURANT"}, "takes part in this application already"),
    ],
)
def test_bad_participant_input_is_refused_and_nothing_written(app, changes, message):
    with app.app_context():
        world = build_registry_world()
        kwakoe = make_org("Kwakoe").id
        surant = db.session.scalar(select(Organisation.id).where(Organisation.name == "SurAnt"))
        other = SubsidyParticipant(
            application_id=world["application"],
            organisation_id=kwakoe,
            decision="pending",
        )
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    if changes.get("organisation") == "SURANT":
        changes = {**changes, "organisation": str(surant)}
    admin = client_as(app, world["users"]["admin"])
    base = f"/registry/subsidies/{world['application']}/participants"
    posts = [(f"{base}/{other_id}/edit", kwakoe)]
    if "organisation" not in changes:  # a new one for another organisation
        with app.app_context():
            posts.append((f"{base}/new", make_org("Mama Cash").id))
            db.session.commit()
    for url, organisation in posts:
        response = admin.post(url, data=_participant_form(organisation, **changes))
        assert response.status_code == 422, url
        assert message in response.get_data(as_text=True), url
    with app.app_context():
        rows = db.session.execute(
            select(
                SubsidyParticipant.organisation_id,
                SubsidyParticipant.requested,
                SubsidyParticipant.granted,
                SubsidyParticipant.decision,
            ).order_by(SubsidyParticipant.id)
        ).all()
        assert rows == [
            (surant, Decimal("12500.00"), None, "rejected"),
            (kwakoe, None, None, "pending"),
        ]


def test_totals_per_year_from_the_seeds_in_both_languages(app):
    """2021: 13 participants, 10 granted; 2022: 16 participants, 14 granted (one partly), SurAnt
    and MCTC rejected; Venzo the lead applicant of both."""
    with app.app_context():
        world = build_registry_world()
        venzo = db.session.get(Organisation, world["organisation"])
        db.session.execute(db.delete(SubsidyParticipant))
        db.session.execute(db.delete(SubsidyApplication))
        for year, names in ((2021, 13), (2022, 14)):
            application = SubsidyApplication(
                funder="Gemeente Amsterdam",
                scheme="Sociale Basis",
                year=year,
                lead_organisation=venzo,
            )
            db.session.add(application)
            for n in range(names):
                granted = n < 10 if year == 2021 else True
                decision = ("granted" if n else "partly") if granted else "rejected"
                db.session.add(
                    SubsidyParticipant(
                        application=application,
                        organisation=make_org(f"Lid {n}"),
                        requested=Decimal("12500.00"),
                        granted=(
                            (Decimal("12500.00") if n else Decimal("6250.50")) if granted else None
                        ),
                        decision=decision,
                        reason="" if granted else "Budget",
                    )
                )
            if year == 2022:
                for name in ("SurAnt", "MCTC"):
                    db.session.add(
                        SubsidyParticipant(
                            application=application,
                            organisation=make_org(name),
                            requested=Decimal("5000"),
                            decision="rejected",
                            reason="Not eligible",
                        )
                    )
        db.session.commit()

    def year_row(page, year):
        row = re.search(rf'<tr data-year="{year}">(.*?)</tr>', page, re.S).group(1)
        return dict(re.findall(r'data-cell="(\w+)">([^<]*)<', row))

    english = client_as(app, world["users"]["lead"]).get("/registry/subsidies/")
    page = english.get_data(as_text=True)
    assert year_row(page, 2021) == {
        "applications": "1",
        "participants": "13",
        "awarded": "10",
        "rejected": "3",
        "requested": "€162,500.00",
        "granted": "€118,750.50",
    }
    assert year_row(page, 2022) == {
        "applications": "1",
        "participants": "16",
        "awarded": "14",
        "rejected": "2",
        "requested": "€185,000.00",
        "granted": "€168,750.50",
    }
    assert page.count('<td data-label="Lead applicant">Venzo</td>') == 2
    dutch = client_as(app, world["users"]["lead"], locale="nl").get("/registry/subsidies/")
    assert year_row(dutch.get_data(as_text=True), 2022)["granted"] == "€\xa0168.750,50"
    only_2021 = client_as(app, world["users"]["lead"]).get("/registry/subsidies/?year=2021")
    assert len(re.findall(r"<tr data-application=", only_2021.get_data(as_text=True))) == 1


def test_a_period_overlapping_the_year_is_accepted(app):
    with app.app_context():
        world = build_registry_world()
    admin = client_as(app, world["users"]["admin"])
    data = _application_form(world, starts_on="2022-07-01", ends_on="2023-06-30")
    assert admin.post("/registry/subsidies/new", data=data).status_code == 302


def test_a_second_application_for_the_same_funder_scheme_and_year_is_refused(app):
    with app.app_context():
        world = build_registry_world()
    admin = client_as(app, world["users"]["admin"])
    data = _application_form(world, funder="gemeente AMSTERDAM ", scheme="sociale basis")
    data.update(year="2022", starts_on="", ends_on="")
    response = admin.post("/registry/subsidies/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "for sociale basis in 2022 exists already" in page
    assert f'href="/registry/subsidies/{world["application"]}"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(SubsidyApplication.id))) == 1
    # Saving the existing application itself is no duplicate; another year is another one.
    edit = f"/registry/subsidies/{world['application']}/edit"
    assert admin.post(edit, data=data).status_code == 302
    data["year"] = "2023"
    assert admin.post("/registry/subsidies/new", data=data).status_code == 302


def test_the_search_finds_the_lead_applicant_and_the_participants(app):
    with app.app_context():
        world = build_registry_world()
        other = SubsidyApplication(
            funder="Oranje Fonds", scheme="Samen", year=2022, lead_organisation=make_org("Profor")
        )
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    admin = client_as(app, world["users"]["admin"])

    def found(q: str) -> set[int]:
        page = admin.get("/registry/subsidies/", query_string={"q": q}).get_data(as_text=True)
        return {int(i) for i in re.findall(r'data-application="(\d+)"', page)}

    assert found("venzo") == {world["application"]}  # the lead applicant
    assert found("surant") == {world["application"]}  # a participant
    assert found("profor") == {other_id}
    assert found("sociale venzo") == {world["application"]}  # words from different places
    assert found("oranje venzo") == set()
    assert found("fonds") == {other_id}


def test_unknown_amounts_are_not_shown_as_nothing(app):
    with app.app_context():
        world = build_registry_world()
        unknown = SubsidyApplication(
            funder="Oranje Fonds", scheme="Samen", year=2021, lead_organisation=make_org("Profor")
        )
        db.session.add(unknown)
        db.session.flush()
        db.session.add(
            SubsidyParticipant(application=unknown, organisation=make_org("A"), decision="pending")
        )
        # The world's application: one rejected participant asked € 12,500; one more, pending,
        # asked an amount not known yet.
        db.session.add(
            SubsidyParticipant(
                application_id=world["application"], organisation=make_org("B"), decision="pending"
            )
        )
        db.session.commit()
        unknown_id = unknown.id
    admin = client_as(app, world["users"]["admin"])
    page = admin.get("/registry/subsidies/").get_data(as_text=True)
    row = re.search(rf'data-application="{unknown_id}".*?</tr>', page, re.S).group(0)
    assert row.count("—") == 2 and "€0.00" not in row
    row = re.search(rf'data-application="{world["application"]}".*?</tr>', page, re.S).group(0)
    assert "€12,500.00" in row and "(1 unknown)" in row
    # A rejection grants nothing: that € 0.00 is known, the pending one's is not.
    assert '"Granted amount">€0.00 <span' in row
    year = re.search(r'data-year="2021".*?</tr>', page, re.S).group(0)
    assert year.count("—") == 2 and "€0.00" not in year
    footer = admin.get(f"/registry/subsidies/{world['application']}").get_data(as_text=True)
    footer = re.search(r'id="application-totals".*?</tr>', footer, re.S).group(0)
    assert "€12,500.00" in footer and '"requested">€12,500.00 <span' in footer
    assert "(1 unknown)" in footer  # the pending one's requested and granted are unknown
    detail = admin.get(f"/registry/subsidies/{unknown_id}").get_data(as_text=True)
    assert "€0.00" not in detail
