"""Garbage into every form, as every role: a clear answer, never a 500, nothing half-written."""

import pytest
from sqlalchemy import func, select

from maatjes.extensions import db
from maatjes.models import Base
from tests.builders import login
from tests.views.test_access_matrix import MATRIX, ROLES, build_world

GARBAGE = [
    {},
    {"volunteer": "abc", "started_on": "31-02-2022", "contact_on": "yesterday", "kind": "x"},
    {"stress_score": "999999999999999999999", "duration_minutes": "-5", "held_on": "0000-00-00"},
    {"languages": "nl=" + "x" * 200, "area": "NaN", "organisation": "1e9", "user": "-1"},
    {"first_name": "Ama\u0000", "last_name": "<script>", "phone": "☎" * 40},
    {"role": "superuser", "email": "not-an-email", "locale": "xx", "next": "//evil"},
    {"receiver_name": " ", "note": "x" * 5000, "reason": "", "consent": "y", "urgency": "?"},
    {"ended_on": "2999-01-01", "outcome": "won the lottery", "needs_new_maatje": "maybe"},
    {  # a complete, valid intake but for one NUL byte
        "first_name": "Ama",
        "last_name": "Owusu\u0000",
        "phone": "0612345678",
        "area": "1",
        "neighbourhood": "",
        "languages": "nl",
        "source": "self",
        "consent": "y",
        "consent_on": "2022-01-01",
        "name": "X",
        "organisation": "1",
        "user": "0",
    },
    {"areas": ["1", "x"], "needs": ["debts", "nonsense"], "topics": ["?"], "held_on": "2022-13-01"},
    {  # ids beyond what a database integer holds
        "volunteer": str(2**64),
        "started_on": "2022-01-03",
        "area": str(2**64),
        "organisation": str(2**70),
        "user": str(2**64),
        "trainer_organisation": str(2**64),
        "areas": [str(2**64)],
    },
]


def _counts():
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
        if table.name not in ("notifications", "job_runs")
    }


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_garbage_posts_never_crash_or_half_write(app, role):
    with app.app_context():
        world = build_world()
        before = _counts()
    client = app.test_client()
    login(client, world.users[role])
    for endpoint, cases in sorted(MATRIX.items()):
        for method, template, _expected in cases:
            url = template.format(**world.ids)
            for data in GARBAGE:
                if method == "POST" and endpoint in ("auth.logout", "users.toggle_active"):
                    continue  # these act without a form; covered by the access matrix
                response = client.open(
                    url if method == "POST" else url.partition("?")[0],  # garbage is the query
                    method="POST" if method == "POST" else "GET",
                    data=data if method == "POST" else None,
                    query_string=None if method == "POST" else data,
                )
                response.close()
                assert response.status_code < 500, f"{method} {url} {data}"
            if method == "GET" and endpoint in (
                "users.new",
                "volunteers.new",
                "residents.new",
                "trainings.new",
                "handovers.refer",
                "residents.match",
            ):
                for data in GARBAGE:
                    response = client.post(url, data=data)
                    response.close()
                    assert response.status_code < 500, f"POST {url} {data}"
    with app.app_context():
        after = _counts()
    # garbage may have been refused or (for valid-looking pieces) never reach a full record;
    # rows that were added must be whole records, so counts only change where a form accepted
    changed = {k for k in before if before[k] != after[k]}
    assert changed <= {
        "handover_events",
        "handovers",
        "training_attendances",
        "training_sessions",
        "users",
        "contacts",
    }, changed


@pytest.mark.parametrize("role", ["lead", "volunteer"])
def test_ids_too_large_for_the_database_are_not_found(app, role):
    with app.app_context():
        world = build_world()
    client = app.test_client()
    login(client, world.users[role])
    huge = {key: 2**64 for key in world.ids}
    for cases in MATRIX.values():
        for method, template, _expected in cases:
            if "{" not in template:
                continue
            url = template.format(**huge)
            response = client.open(url, method=method)
            assert response.status_code == 404, f"{method} {url}"


def test_a_match_for_an_impossible_volunteer_id_is_refused_in_the_form(app):
    from maatjes.domain.clock import local_today
    from maatjes.models import Match
    from tests.builders import default_lead, make_resident

    with app.app_context():
        lead, resident = default_lead(), make_resident(("nl",))
        db.session.commit()
        lead_id, resident_id = lead.id, resident.id
    client = app.test_client()
    login(client, lead_id)
    client.post("/locale", data={"locale": "en"})
    for volunteer in (str(2**64), "-3", "0"):
        response = client.post(
            f"/residents/{resident_id}/match",
            data={"volunteer": volunteer, "started_on": local_today().isoformat()},
        )
        assert response.status_code == 200, volunteer
        page = response.get_data(as_text=True)
        assert "Choose from the list." in page or "Choose a volunteer." in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Match.id))) == 0
