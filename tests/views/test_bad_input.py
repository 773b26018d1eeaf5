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
                    url,
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
