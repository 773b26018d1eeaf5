"""The resident's right of access: staff export everything after typing their password again;
the export is audited and never cached."""

import json

from sqlalchemy import select

from maatjes.domain import accounts
from maatjes.domain.contacts import ContactInput, log_contact
from maatjes.extensions import db
from maatjes.models import AuditEvent, Role
from tests.builders import TODAY, login, make_match, make_resident, make_user, make_volunteer

PASSWORD = "een lange zin als wachtwoord"


def _case(app):
    with app.app_context():
        lead = make_user(Role.LEAD)
        accounts.set_password(lead, PASSWORD)
        volunteer = make_volunteer(("tw",))
        resident = make_resident(("tw",), first_name="Abena")
        match = make_match(volunteer, resident)
        log_contact(
            db.session,
            match,
            ContactInput(TODAY, "visit", note="Samen de brief van de Belastingdienst gelezen"),
            by=volunteer.user,
            today=TODAY,
        )
        db.session.commit()
        return lead.id, resident.id


def test_a_wrong_password_exports_nothing(app):
    lead, resident = _case(app)
    client = app.test_client()
    login(client, lead, version=1)
    response = client.post(
        f"/residents/{resident}/export", data={"password": "niet goed", "format": "json"}
    )
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Belastingdienst" not in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()


def test_json_and_readable_exports_hold_everything_and_are_audited(app):
    lead, resident = _case(app)
    client = app.test_client()
    login(client, lead, version=1)
    client.get(f"/residents/{resident}")  # a view, to show up in the trail
    response = client.post(
        f"/residents/{resident}/export", data={"password": PASSWORD, "format": "json"}
    )
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["resident"]["first_name"] == "Abena"
    assert data["consents"][0]["scope"] == "processing"
    notes = [c["note"] for m in data["matches"] for c in m["contacts"]]
    assert notes == ["Samen de brief van de Belastingdienst gelezen"]
    assert any(a["action"] == "view" for a in data["audit_trail"])
    assert "password_hash" not in json.dumps(data)
    page = client.post(
        f"/residents/{resident}/export", data={"password": PASSWORD, "format": "html"}
    ).get_data(as_text=True)
    assert "Samen de brief van de Belastingdienst gelezen" in page
    with app.app_context():
        exports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
        assert [e.changes["detail"] for e in exports] == ["json", "html"]
        assert all(e.actor_id == lead and e.resident_id == resident for e in exports)
