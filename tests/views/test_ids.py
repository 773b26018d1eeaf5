"""An id that cannot exist in an INTEGER column is a 404 in a URL and a form error in a form, on
both databases (on PostgreSQL it was a 500 from 2**31 up)."""

import re

import pytest

from maatjes.extensions import db
from maatjes.models import Role
from tests.builders import login, make_area, make_org, make_user, make_volunteer

HUGE = [2**31, 2**31 + 1, 2**63, 2**64]


def _int_routes(app):
    for rule in app.url_map.iter_rules():
        if "<int:" in rule.rule:
            yield rule


def test_every_id_route_answers_404_for_ids_beyond_the_column(app):
    with app.app_context():
        area = make_area()
        users = {
            "lead": make_user(Role.LEAD).id,
            "volunteer": make_volunteer(("tw",)).user_id,
            "buurtteam": make_user(Role.BUURTTEAM, area=area).id,
        }
        db.session.commit()
    routes = list(_int_routes(app))
    assert len(routes) > 15
    for role, user_id in users.items():
        client = app.test_client()
        login(client, user_id)
        for rule in routes:
            for huge in HUGE:
                url = re.sub(r"<int:[^>]+>", str(huge), rule.rule)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    response = client.open(url, method=method, data={})
                    assert response.status_code in (403, 404), (role, method, url)


@pytest.mark.parametrize("huge", [str(2**31), str(2**63), "-1"])
def test_an_id_in_a_form_beyond_the_column_is_a_form_error(app, huge):
    from tests.builders import volunteer_form

    with app.app_context():
        lead = make_user(Role.LEAD).id
        org = make_org().id
        db.session.commit()
    client = app.test_client()
    login(client, lead)
    form = volunteer_form(org, user=huge)
    response = client.post("/volunteers/new", data=form)
    assert response.status_code in (200, 422)
    form = volunteer_form(huge)
    response = client.post("/volunteers/new", data=form)
    assert response.status_code in (200, 404, 422)
