"""The casework is tied to the registry: volunteers come from its members and partners, an
organisation contact sees nothing of residents, and the registry's entry page counts."""

from datetime import date

import pytest
from sqlalchemy import func, select

from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import LanguageChoice
from maatjes.domain.volunteers import VolunteerInput, save_volunteer
from maatjes.extensions import db
from maatjes.models import Organisation, Role, Volunteer
from tests.builders import (
    client_as,
    login,
    make_org,
    make_organisation_contact,
    make_resident,
    make_user,
)


def _volunteer_form(org_id: int) -> dict:
    return {
        "name": "Nana Asante",
        "organisation": str(org_id),
        "phone": "06 1234 5678",
        "languages": "tw",
        "user": "0",
        "active": "y",
    }


def test_volunteers_are_registered_for_the_registrys_members_and_partners_only(app, client):
    with app.app_context():
        lead = make_user(Role.LEAD)
        member = make_org("Recogin")
        candidate = Organisation(name="Nieuwe Stichting", kind="member", status="candidate")
        gone = Organisation(name="Vertrokken", kind="member", status="left")
        db.session.add_all([candidate, gone])
        db.session.commit()
        ids = (lead.id, member.id, candidate.id, gone.id)
    lead_id, member_id, candidate_id, gone_id = ids
    login(client, lead_id)
    page = client.get("/volunteers/new").get_data(as_text=True)
    assert "Recogin" in page and "Nieuwe Stichting" not in page and "Vertrokken" not in page
    for org_id in (candidate_id, gone_id):  # posted anyway: refused, nothing written
        response = client.post("/volunteers/new", data=_volunteer_form(org_id))
        assert response.status_code != 302
        assert "is-invalid" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Volunteer.id))) == 0
        # The rule itself, for any other way in:
        data = VolunteerInput(
            name="Nana",
            organisation=db.session.get(Organisation, candidate_id),
            phone="06 1234 5678",
            email="",
            languages=[LanguageChoice("tw")],
            areas=[],
        )
        with pytest.raises(RuleViolation, match="Nieuwe Stichting"):
            save_volunteer(db.session, None, data, today=date(2026, 1, 5))
        db.session.rollback()
    response = client.post("/volunteers/new", data=_volunteer_form(member_id))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Volunteer.organisation_id)) == member_id


def test_an_organisation_contact_sees_nothing_of_residents(app, client):
    with app.app_context():
        resident = make_resident(("tw",))
        contact = make_organisation_contact(make_org("Recogin"))
        db.session.commit()
        resident_id, contact_id = resident.id, contact.id
    login(client, contact_id)
    for url in ("/handovers", f"/residents/{resident_id}", "/residents/", "/lead/", "/me"):
        assert client.get(url).status_code == 403, url
    assert client.get("/").headers["Location"].endswith("/registry/organisations/")


def test_the_registry_entry_page_counts_this_year(app, client):
    with app.app_context():
        admin = make_user(Role.ADMIN)
        db.session.add_all(
            [
                Organisation(name="A", kind="member", status="member", joined_on=date(2021, 1, 1)),
                Organisation(name="B", kind="partner", status="partner"),
                Organisation(name="C", kind="member", status="candidate"),
                Organisation(name="D", kind="member", status="left"),
            ]
        )
        db.session.commit()
        admin_id = admin.id
    page = client_as(app, admin_id).get("/registry/").get_data(as_text=True)
    assert "2 members and partners · 1 candidate" in page


def test_only_pact_support_staff_record_a_new_linking_pin(app):
    """A lead gives accounts, but being an area's Linking Pin is a role in the pact: the lead
    may give a Linking Pin's account only to a person the registry already holds in it."""
    from maatjes.models import Person, PersonRole, User
    from tests.builders import make_area, make_linking_pin

    with app.app_context():
        lead, admin = make_user(Role.LEAD), make_user(Role.ADMIN)
        oost = make_area("Bijlmer-Oost")
        org = make_org("ProFor")
        newcomer = Person(name="Jan Nieuw", email="jan@example.org", organisation=org)
        db.session.add(newcomer)
        holder = make_linking_pin(make_user(Role.VOLUNTEER), oost)
        holder.user = None  # the registry's Linking Pin, still without an account
        holder.email = "pin@example.org"
        db.session.commit()
        ids = (lead.id, admin.id, oost.id, newcomer.id, holder.id)
    lead_id, admin_id, oost_id, newcomer_id, holder_id = ids
    as_lead = client_as(app, lead_id)
    form = {"role": Role.LINKING_PIN, "area": str(oost_id)}
    refused = as_lead.post(f"/registry/people/{newcomer_id}/account", data=form)
    assert refused.status_code == 422
    assert "Only pact support staff record a new Linking Pin" in refused.get_data(as_text=True)
    by_users_page = as_lead.post(
        "/users/new",
        data={"email": "x@example.org", "name": "X", "role": Role.LINKING_PIN, "area": oost_id},
    )
    assert by_users_page.status_code == 422
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(PersonRole.id)).where(PersonRole.role == PersonRole.LINKING_PIN)
            )
            == 1
        )
        assert db.session.scalar(select(User.id).where(User.email == "x@example.org")) is None
    # The registry's Linking Pin gets an account from the lead; a new one from the admin.
    assert as_lead.post(f"/registry/people/{holder_id}/account", data=form).status_code == 200
    as_admin = client_as(app, admin_id)
    assert as_admin.post(f"/registry/people/{newcomer_id}/account", data=form).status_code == 200
    with app.app_context():
        assert db.session.get(Person, newcomer_id).user is not None
        assert db.session.get(Person, holder_id).user is not None
