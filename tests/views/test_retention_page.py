"""The lead's page of residents whose data is erased within 30 days, and postponing one."""

from datetime import date, datetime

import time_machine

from maatjes.domain import matching
from maatjes.extensions import db
from maatjes.models import Resident, Role
from tests.builders import login, make_match, make_resident, make_user, make_volunteer


def _ended(name: str, ended_on: date) -> int:
    match = make_match(
        make_volunteer(("tw",)),
        make_resident(("tw",), first_name=name),
        started_on=date(2022, 1, 3),
    )
    matching.end_match(
        db.session,
        match,
        ended_on=ended_on,
        outcome="moved",
        reason="",
        needs_new_maatje=False,
        today=ended_on,
    )
    return match.resident_id


def test_the_lead_sees_who_goes_soon_and_postpones_with_a_reason(app):
    with app.app_context():
        soon = _ended("Binnenkort", date(2022, 5, 20))
        _ended("Later", date(2022, 12, 1))
        lead = make_user(Role.LEAD).id
        db.session.commit()
    client = app.test_client()
    with time_machine.travel(datetime(2023, 5, 1, 10), tick=False):
        login(client, lead)  # the session cookie is signed at the travelled time
        page = client.get("/lead/retention").get_data(as_text=True)
        assert "Binnenkort" in page and "Later" not in page
        refused = client.post(
            f"/lead/retention/{soon}/postpone", data={"until": "2023-09-01", "reason": ""}
        )
        assert refused.status_code == 302
        with app.app_context():
            assert db.session.get(Resident, soon).retention_postponed_until is None
        response = client.post(
            f"/lead/retention/{soon}/postpone",
            data={"until": "2023-09-01", "reason": "Lopende klacht"},
        )
        assert response.status_code == 302
    with app.app_context():
        resident = db.session.get(Resident, soon)
        assert resident.retention_postponed_until == date(2023, 9, 1)
        assert resident.retention_postpone_reason == "Lopende klacht"
        assert resident.retention_postponed_by_id == lead
