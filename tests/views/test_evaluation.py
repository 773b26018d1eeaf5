"""Issue 11: a contact can be marked as the 13-week evaluation (the dashboard counts matches
past the minimum without one); the mark is kept, shown and corrected like the rest."""

import re
from datetime import timedelta

from sqlalchemy import select

from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import Contact
from tests.builders import client_as, make_match, make_resident, make_volunteer
from tests.views.test_core_loop import text


def test_a_volunteer_marks_a_contact_as_the_evaluation_and_can_take_it_back(app):
    today = local_today()
    with app.app_context():
        match = make_match(make_volunteer(), make_resident(), started_on=today - timedelta(95))
        db.session.commit()
        match_id, user_id = match.id, match.volunteer.user_id
    volunteer = client_as(app, user_id)
    form = text(volunteer.get(f"/matches/{match_id}/contacts/new"))
    assert 'name="evaluation"' in form and "This was the evaluation" in form
    logged = volunteer.post(
        f"/matches/{match_id}/contacts/new",
        data={"contact_on": today.isoformat(), "kind": "visit", "evaluation": "y"},
    )
    assert logged.status_code == 302
    with app.app_context():
        contact = db.session.scalar(select(Contact))
        assert contact.evaluation is True
        contact_id = contact.id
    assert "data-evaluation" in text(volunteer.get(f"/matches/{match_id}"))
    edit = text(volunteer.get(f"/matches/contacts/{contact_id}/edit"))
    assert "checked" in re.search(r'<input[^>]*id="evaluation"[^>]*>', edit).group(0)
    volunteer.post(
        f"/matches/contacts/{contact_id}/edit",
        data={"contact_on": today.isoformat(), "kind": "visit"},
    )
    with app.app_context():
        assert db.session.get(Contact, contact_id).evaluation is False
    assert "data-evaluation" not in text(volunteer.get(f"/matches/{match_id}"))
