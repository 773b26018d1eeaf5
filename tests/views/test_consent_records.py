"""Consent records: intake and handovers record them; withdrawing sharing consent blocks new
handovers and shows on open ones; new consent lifts the block."""

from sqlalchemy import select

from maatjes.domain import handovers
from maatjes.domain.errors import RuleViolation
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import (
    PROCESSING,
    SHARE_BUURTTEAM,
    ConsentRecord,
    Handover,
    Resident,
    Role,
    User,
)
from tests.builders import TODAY, login, make_area, make_resident, make_user

DATA = dict(reason="Schulden", needs="", urgency="normal", consent=True, consent_on=TODAY)


def _scopes(resident_id):
    return [
        (c.scope, c.withdrawn_on)
        for c in db.session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.resident_id == resident_id)
            .order_by(ConsentRecord.id)
        )
    ]


def test_intake_and_handover_record_consent_once(app_context):
    lead = make_user(Role.LEAD)
    resident = make_resident(("tw",), by=lead)
    assert _scopes(resident.id) == [(PROCESSING, None)]
    handover = handovers.start_handover(
        db.session, resident, HandoverInput(**DATA), by=lead, today=TODAY
    )
    handover.status = "completed"
    handovers.start_handover(db.session, resident, HandoverInput(**DATA), by=lead, today=TODAY)
    assert _scopes(resident.id) == [(PROCESSING, None), (SHARE_BUURTTEAM, None)]


def test_withdrawn_sharing_blocks_new_handovers_and_shows_on_open_ones(app):
    with app.app_context():
        area = make_area("Bijlmer-Oost")
        lead = make_user(Role.LEAD)
        buurtteam = make_user(Role.BUURTTEAM, area=area)
        resident = make_resident(("tw",), by=lead)
        handover = handovers.start_handover(
            db.session, resident, HandoverInput(**DATA), by=lead, today=TODAY
        )
        db.session.commit()
        ids = dict(lead=lead.id, bt=buurtteam.id, resident=resident.id, handover=handover.id)
        sharing = db.session.scalar(
            select(ConsentRecord.id).where(ConsentRecord.scope == SHARE_BUURTTEAM)
        )
    client = app.test_client()
    login(client, ids["lead"])
    page = client.get(f"/residents/{ids['resident']}").get_data(as_text=True)
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and page.count('id="consent"') == 1
    url = f"/residents/{ids['resident']}/consent/{sharing}/withdraw"
    client.post(url, data={})  # not confirmed: nothing happens
    with app.app_context():
        assert _scopes(ids["resident"])[1] == (SHARE_BUURTTEAM, None)
    assert client.post(url, data={"confirm": "y"}).status_code == 302
    with app.app_context():
        assert _scopes(ids["resident"])[1][1] is not None
    # open handover: the receiving team sees the warning
    team = app.test_client()
    login(team, ids["bt"])
    assert 'id="sharing-withdrawn"' in team.get(f"/handovers/{ids['handover']}").get_data(
        as_text=True
    )
    with team.session_transaction() as session:
        session["locale"] = "en"
    assert "consent withdrawn" in team.get("/handovers").get_data(as_text=True)
    # a new handover is refused with the reason
    with app.app_context():
        db.session.get(Handover, ids["handover"]).status = "completed"
        db.session.commit()
        resident = db.session.get(Resident, ids["resident"])
        lead = db.session.get(User, ids["lead"])
        try:
            handovers.start_handover(
                db.session, resident, HandoverInput(**DATA), by=lead, today=TODAY
            )
        except RuleViolation as refused:
            assert refused.field == "consent"
            withdrawn_on = _scopes(ids["resident"])[1][1]
            assert withdrawn_on.strftime("%d-%m-%Y") in str(refused.message)
        else:
            raise AssertionError("a handover after withdrawal was accepted")
        db.session.rollback()
    # new consent recorded on the resident's page lifts the block
    response = client.post(
        f"/residents/{ids['resident']}/consent", data={"given_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    with app.app_context():
        assert _scopes(ids["resident"])[-1] == (SHARE_BUURTTEAM, None)
