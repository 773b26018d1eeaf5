"""The audit log: views, exports and writes recorded, personal values never copied, append-only,
one INSERT per audited page, readable by admins only."""

import json

import pytest
from sqlalchemy import event, func, select, update

from maatjes.domain import handovers
from maatjes.domain.audit import AuditLogIsAppendOnly
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import AuditEvent, Resident, Role
from tests.builders import (
    TODAY,
    login,
    make_area,
    make_match,
    make_resident,
    make_user,
    make_volunteer,
)


def _events(**where):
    query = select(AuditEvent).order_by(AuditEvent.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(query))


@pytest.fixture
def case(app):
    with app.app_context():
        area = make_area("Bijlmer-Oost")
        lead = make_user(Role.LEAD)
        volunteer = make_volunteer(("tw",))
        resident = make_resident(("tw",), first_name="Abena", last_name="Mensah")
        match = make_match(volunteer, resident)
        data = HandoverInput(
            reason="Schulden", needs="", urgency="normal", consent=True, consent_on=TODAY
        )
        handover = handovers.start_handover(db.session, resident, data, by=lead, today=TODAY)
        buurtteam = make_user(Role.BUURTTEAM, area=area)
        db.session.commit()
        return {
            "lead": lead.id,
            "volunteer": volunteer.user_id,
            "buurtteam": buurtteam.id,
            "resident": resident.id,
            "match": match.id,
            "handover": handover.id,
        }


def test_every_view_of_a_case_is_recorded_with_who_role_what_and_where_from(app, case):
    visits = [
        ("lead", f"/residents/{case['resident']}", "resident"),
        ("volunteer", f"/matches/{case['match']}", "match"),
        ("volunteer", f"/matches/{case['match']}/contacts/new", "contact_form"),
        ("buurtteam", f"/handovers/{case['handover']}", "handover"),
    ]
    for role, url, kind in visits:
        client = app.test_client()
        login(client, case[role])
        assert client.get(url).status_code == 200
        with app.app_context():
            (row,) = _events(action="view", object_type=kind)
            assert row.actor_id == case[role]
            assert row.actor_role == role
            assert row.resident_id == case["resident"]
            assert row.source == "127.0.0.1"
    with app.app_context():  # lists are not per-resident views
        before = db.session.scalar(select(func.count(AuditEvent.id)))
    client = app.test_client()
    login(client, case["lead"])
    client.get("/residents/")
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == before


def test_a_page_view_costs_one_insert_and_no_read_of_the_log(app, case):
    statements = []
    with app.app_context():
        engine = db.engine

    def collect(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", collect)
    try:
        client = app.test_client()
        login(client, case["lead"])
        assert client.get(f"/residents/{case['resident']}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", collect)
    touching = [s for s in statements if "audit_events" in s]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("INSERT")


def test_writes_record_changed_fields_without_personal_values(app, case):
    client = app.test_client()
    login(client, case["volunteer"])
    response = client.post(
        f"/matches/{case['match']}/contacts/new",
        data={"contact_on": TODAY.isoformat(), "kind": "phone", "note": "GEHEIM-123 schuld"},
    )
    assert response.status_code == 302
    with app.app_context():
        (created,) = _events(action="create", object_type="contact")
        assert created.resident_id == case["resident"]
        assert created.actor_id == case["volunteer"] and created.actor_role == "volunteer"
        assert created.changes["note"] == "[changed]"
        assert created.changes["kind"] == [None, "phone"]
        resident = db.session.get(Resident, case["resident"])
        resident.first_name = "Akua"
        db.session.commit()
        changed = _events(action="update", object_type="resident")[-1]
        assert changed.changes == {"first_name": "[changed]"}
        everything = json.dumps([e.changes for e in _events()])
        for secret in ("GEHEIM", "Akua", "Abena", "Mensah", "Schulden"):
            assert secret not in everything


def test_a_rolled_back_change_leaves_no_audit_row(app, case):
    with app.app_context():
        before = db.session.scalar(select(func.count(AuditEvent.id)))
        db.session.get(Resident, case["resident"]).neighbourhood = "K-buurt"
        db.session.flush()
        db.session.rollback()
        assert db.session.scalar(select(func.count(AuditEvent.id))) == before


def test_the_log_cannot_be_changed_or_emptied_through_the_application(app, case):
    with app.app_context():
        row = _events()[0]
        row.action = "nothing"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        db.session.delete(_events()[0])
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(update(AuditEvent).values(action="x"))
        db.session.rollback()


def test_admins_read_the_log_filtered_by_resident(app, case):
    with app.app_context():
        admin = make_user(Role.ADMIN).id
        other = make_resident(("tw",), first_name="Kofi").id
        db.session.commit()
    client = app.test_client()
    login(client, case["lead"])
    client.get(f"/residents/{case['resident']}")
    client.get(f"/residents/{other}")
    admin_client = app.test_client()
    login(admin_client, admin)
    page = admin_client.get(f"/audit?resident={other}&action=view").get_data(as_text=True)
    assert f"#{other}" in page and "Kofi" in page
    assert f"#{case['resident']}</a>" not in page
    lead_client = app.test_client()
    login(lead_client, case["lead"])
    assert lead_client.get("/audit").status_code == 403
    assert admin_client.get("/audit?resident=abc&since=2022-02-30&page=-3").status_code == 200
