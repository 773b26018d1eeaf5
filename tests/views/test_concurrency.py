"""At most two residents per volunteer, under 20 simultaneous confirmations (real threads, each
request with its own database connection), on whichever database the suite runs on."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import Match, Role
from tests.builders import (
    intake_form,
    login,
    make_resident,
    make_user,
    make_volunteer,
    volunteer_form,
)

ATTEMPTS = 20


def _post_at_once(app, user_id: int, posts: list[tuple[str, dict]]) -> list[tuple[int, str]]:
    """Make every (url, data) POST at the same moment, each from its own client (and so its own
    database connection)."""
    start = threading.Barrier(len(posts))
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def post(url: str, data: dict) -> None:
        client = app.test_client()
        login(client, user_id)
        with client.session_transaction() as session:
            session["locale"] = "en"
        start.wait()
        response = client.post(url, data=data)
        with lock:
            results.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=post, args=post_args) for post_args in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == len(posts)
    return results


def test_twenty_simultaneous_confirmations_leave_exactly_two_matches(app):
    with app.app_context():
        volunteer = make_volunteer(("tw",), name="Akosua")
        residents = [make_resident(("tw",)) for _ in range(ATTEMPTS)]
        lead = make_user(Role.LEAD)
        db.session.commit()
        volunteer_id, lead_id = volunteer.id, lead.id
        resident_ids = [r.id for r in residents]

    data = {"volunteer": volunteer_id, "started_on": local_today().isoformat()}
    results = _post_at_once(
        app, lead_id, [(f"/residents/{rid}/match", data) for rid in resident_ids]
    )

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


def test_the_same_new_account_created_at_once_gives_one_account_and_clear_messages(app):
    from maatjes.models import User

    with app.app_context():
        lead = make_user(Role.LEAD)
        db.session.commit()
        lead_id = lead.id
    data = {"name": "Kwame", "email": "kwame@example.org", "role": "volunteer", "area": "0"}
    results = _post_at_once(app, lead_id, [("/users/new", data)] * 8)
    assert all(code < 500 for code, _body in results), [code for code, _ in results]
    created = [body for code, body in results if "/password/" in body]
    refused = [b for _c, b in results if "There is already an account with this e-mail" in b]
    assert len(created) == 1 and len(refused) == 7
    with app.app_context():
        count = select(func.count(User.id)).where(User.email == "kwame@example.org")
        assert db.session.scalar(count) == 1


def test_the_same_new_training_and_language_saved_at_once(app):
    from maatjes.models import Language, Training

    with app.app_context():
        lead = make_user(Role.LEAD)
        db.session.commit()
        lead_id = lead.id
    data = {"name": "Meldcode huiselijk geweld", "kind": "other", "description": ""}
    results = _post_at_once(app, lead_id, [("/trainings/new", data)] * 6)
    assert sorted(code for code, _body in results) == [200] * 5 + [302]
    assert all("A training with this name exists already." in b for c, b in results if c == 200)
    with app.app_context():
        assert db.session.scalar(select(func.count(Training.id))) == 1

    # Six intakes at once, each bringing the same language nobody used before.
    with app.app_context():
        from maatjes.models import Area

        area = Area(name="Bijlmer-Oost")
        db.session.add(area)
        db.session.commit()
        area_id = area.id
    intakes = [
        {
            "first_name": f"Resident{n}",
            "last_name": "Test",
            "phone": f"06 1234 56{n:02d}",
            "area": str(area_id),
            "neighbourhood": "",
            "languages": "hns=Sarnami Hindustani",
            "source": "self",
            "consent": "y",
            "consent_on": local_today().isoformat(),
        }
        for n in range(6)
    ]
    results = _post_at_once(app, lead_id, [("/residents/new", i) for i in intakes])
    assert sorted(code for code, _body in results) == [302] * 6, [
        body[:300] for code, body in results if code != 302
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Language)) == 1
        assert db.session.get(Language, "hns").custom_name == "Sarnami Hindustani"


def test_the_same_volunteer_and_resident_registered_at_once_are_stored_once(app):
    from maatjes.models import Area, Organisation, Resident, Volunteer

    with app.app_context():
        lead = make_user(Role.LEAD)
        org, area = Organisation(name="ProFor"), Area(name="Bijlmer-Oost")
        db.session.add_all([org, area])
        db.session.commit()
        lead_id, org_id, area_id = lead.id, org.id, area.id
    volunteer = volunteer_form(org_id)
    results = _post_at_once(app, lead_id, [("/volunteers/new", volunteer)] * 6)
    assert sorted(code for code, _body in results) == [200] * 5 + [302]
    assert all("is already registered" in body for code, body in results if code == 200)
    intake = intake_form(area_id)
    results = _post_at_once(app, lead_id, [("/residents/new", intake)] * 6)
    assert sorted(code for code, _body in results) == [200] * 5 + [302]
    with app.app_context():
        assert db.session.scalar(select(func.count(Volunteer.id))) == 1
        assert db.session.scalar(select(func.count(Resident.id))) == 1
