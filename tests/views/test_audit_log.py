"""The audit log: views, exports and writes recorded, personal values never copied, append-only,
one INSERT per audited page, readable by admins only."""

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, func, insert, select, update

from maatjes.blueprints.handovers import views as handovers_views
from maatjes.blueprints.matches import views as matches_views
from maatjes.blueprints.residents import views as residents_views
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


def _statements(app, user: int, url: str) -> list[str]:
    statements = []
    with app.app_context():
        engine = db.engine

    def collect(conn, cursor, statement, *args):
        # Transaction control is not work: on SQLite a read-only page writes its audit row in
        # a write transaction of its own (BEGIN IMMEDIATE after the reads' plain BEGIN).
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    client = app.test_client()
    login(client, user)
    event.listen(engine, "before_cursor_execute", collect)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", collect)
    return statements


@pytest.mark.parametrize(
    ("role", "page", "module"),
    [
        ("lead", "/residents/{resident}", residents_views),
        ("volunteer", "/matches/{match}", matches_views),
        ("buurtteam", "/handovers/{handover}", handovers_views),
    ],
)
def test_a_page_view_costs_one_insert_and_nothing_else(app, case, monkeypatch, role, page, module):
    url = page.format(**case)
    audited = _statements(app, case[role], url)
    monkeypatch.setattr(module, "audit_view", lambda *args, **kwargs: None)
    plain = _statements(app, case[role], url)
    touching = [s for s in audited if "audit_events" in s]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("INSERT")
    assert len(audited) - len(plain) <= 1, "\n".join(s[:90] for s in audited[len(plain) - 2 :])


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


def test_the_calendar_feed_is_recorded_as_a_view_by_its_volunteer(app, case):
    client = app.test_client()
    login(client, case["volunteer"])
    page = client.post("/profile/calendar").get_data(as_text=True)
    link = page.split('id="calendar-link" readonly value="', 1)[1].split('"', 1)[0]
    feed = app.test_client().get(link.split("maatjes.test", 1)[1])  # no one logged in
    assert feed.status_code == 200 and "Abena" in feed.get_data(as_text=True)
    with app.app_context():
        (row,) = _events(action="view", object_type="calendar_feed")
        assert row.actor_id == case["volunteer"] and row.actor_role == "volunteer"


def test_the_log_pages_by_fifty_newest_first_and_filters_by_user_and_day(app, case):
    with app.app_context():
        admin = make_user(Role.ADMIN).id
        old = datetime(2025, 3, 1, 9, 0)
        db.session.execute(
            insert(AuditEvent),
            [
                {
                    "at": old + timedelta(minutes=n),
                    "actor_id": case["lead"] if n % 2 else case["volunteer"],
                    "actor_role": "lead" if n % 2 else "volunteer",
                    "action": "view",
                    "object_type": "resident",
                    "object_id": 1000 + n,
                    "resident_id": case["resident"],
                    "source": "10.0.0.1",
                }
                for n in range(60)
            ],
        )
        db.session.commit()
    client = app.test_client()
    login(client, admin)
    first = client.get("/audit?since=2025-03-01&until=2025-03-01").get_data(as_text=True)
    assert "60 " in first and first.count("resident #") == 50
    assert first.index("resident #1059") < first.index("resident #1058")  # newest first
    assert "resident #1009" not in first and "page=2" in first
    second = client.get("/audit?since=2025-03-01&until=2025-03-01&page=2").get_data(as_text=True)
    assert second.count("resident #") == 10 and "resident #1009" in second
    leads = client.get(f"/audit?user={case['lead']}&since=2025-03-01&until=2025-03-01").get_data(
        as_text=True
    )
    assert leads.count("resident #") == 30 and "resident #1058" not in leads
    assert client.get("/audit?until=2025-02-28").get_data(as_text=True).count("resident #") == 0
