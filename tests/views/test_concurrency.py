"""At most two residents per volunteer, under 20 simultaneous confirmations (real threads, each
request with its own database connection), on whichever database the suite runs on."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import Match, Role
from tests.builders import login, make_resident, make_user, make_volunteer

ATTEMPTS = 20


def test_twenty_simultaneous_confirmations_leave_exactly_two_matches(app):
    with app.app_context():
        volunteer = make_volunteer(("tw",), name="Akosua")
        residents = [make_resident(("tw",)) for _ in range(ATTEMPTS)]
        lead = make_user(Role.LEAD)
        db.session.commit()
        volunteer_id, lead_id = volunteer.id, lead.id
        resident_ids = [r.id for r in residents]

    start = threading.Barrier(ATTEMPTS)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def confirm(resident_id: int) -> None:
        client = app.test_client()
        login(client, lead_id)
        with client.session_transaction() as session:
            session["locale"] = "en"
        start.wait()
        response = client.post(
            f"/residents/{resident_id}/match",
            data={"volunteer": volunteer_id, "started_on": local_today().isoformat()},
        )
        with lock:
            results.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=confirm, args=(rid,)) for rid in resident_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    codes = sorted(code for code, _body in results)
    assert len(results) == ATTEMPTS
    assert codes.count(302) == 2, codes
    assert codes.count(200) == ATTEMPTS - 2, codes  # the form again, with the reason
    for code, body in results:
        if code == 200:
            assert "Akosua already has two residents" in body
    with app.app_context():
        active = db.session.scalar(
            select(func.count(Match.id)).where(
                Match.volunteer_id == volunteer_id, Match.ended_on.is_(None)
            )
        )
        assert active == 2


def test_the_unique_slot_index_is_the_backstop(app):
    """Even past the rules, the database refuses a second active match in the same slot."""
    with app.app_context():
        volunteer = make_volunteer(("nl",))
        lead = make_user(Role.LEAD)
        first, second = make_resident(), make_resident()
        db.session.add(
            Match(
                volunteer=volunteer,
                resident=first,
                slot=1,
                started_on=local_today(),
                created_by_id=lead.id,
            )
        )
        db.session.flush()
        db.session.add(
            Match(
                volunteer=volunteer,
                resident=second,
                slot=1,
                started_on=local_today(),
                created_by_id=lead.id,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
