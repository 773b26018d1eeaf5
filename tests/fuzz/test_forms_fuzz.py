"""Hypothesis posts hostile input to every form of the app, as every role.

Per case: never a 500 (nor a traceback in the page); a refused post (4xx, or the form shown
again with its errors) wrote no row anywhere; and at the end no page shows stored input
unescaped. Field names come from the app's own form classes, so every real field is hit;
values come from strategies for each kind of field (text, dates, numbers, ids, choices)
plus the nasty ones: huge strings, control and direction characters, HTML and script, SQL,
odd Unicode, impossible dates, huge and negative ids, missing and repeated fields.

Bounded for CI: MAATJES_FUZZ_EXAMPLES cases (default 1000), derandomized so a failure repeats.
"""

import inspect
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateField, IntegerField, SelectField, SelectMultipleField
from wtforms.fields.core import UnboundField

import maatjes.blueprints as blueprints_package
from maatjes.blueprints.forms import Form
from maatjes.extensions import db, limiter
from maatjes.models import Base
from tests.builders import login
from tests.fuzz.conftest import CASES
from tests.views.test_access_matrix import ROLES, build_world

EXAMPLES = int(os.environ.get("MAATJES_FUZZ_EXAMPLES", "1000"))
# Routes whose whole point is to end the session: nothing to fuzz, and they would log out.
SKIPPED = {"auth.logout", "auth.logout_everywhere"}
# Tables a refused post may still touch: the log of what was seen and the login-failure
# counters live in rows that exist already; notifications and job runs are not posted.
COUNTED_EXCEPT = {"audit_events", "notifications", "job_runs"}
URL_IDS = {
    "resident_id": "r_own",
    "match_id": "m_own",
    "handover_id": "h_own",
    "contact_id": "contact",
    "volunteer_id": "volunteer",
    "user_id": "user",
    "training_id": "training",
    "session_id": "session",
    "notification_id": "note",
    "record_id": "consent",
    "organisation_id": "org_oost",
    "person_id": "p_oost",
    "role_id": "role",
    "meeting_id": "meeting",
    "item_id": "item",
    "decision_id": "decision",
    "action_id": "action",
    "theme_group_id": "theme",
    "project_id": "project",
    "line_id": "line",
    "signal_id": "signal",
    "application_id": "application",
    "participant_id": "participant",
    "area_id": "area",
    "neighbourhood_id": "neighbourhood",
    "priority_id": "priority",
    "activity_id": "act_own",
}
SCRIPT = "<script>alert('x')</script>"


def _form_fields() -> dict[str, type]:
    """Every field name of every form class in the blueprints, with its field class."""
    import importlib
    import pkgutil

    fields: dict[str, type] = {}
    for module_info in pkgutil.walk_packages(blueprints_package.__path__, "maatjes.blueprints."):
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Form):
                for attr, value in vars(cls).items():
                    if isinstance(value, UnboundField):
                        fields.setdefault(attr, value.field_class)
    return fields


FIELDS = _form_fields()

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=80),
    st.sampled_from(
        [
            "",
            " ",
            "x" * 20_000,
            "Ïsmaël \u202eevil\u202c",
            "bell\x07\x1b[31m\x7f\x9b",
            "\u2066isolate\u2069 \u200f",
            SCRIPT,
            '"><img src=x onerror=alert(1)>',
            "'; DROP TABLE residents; --",
            "1 OR 1=1",
            "e\u0301\u0301\u0301 \U0001f600 \ufdfd \ufeff",
            "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
            "ｆｕｌｌｗｉｄｔｈ ﬁ",
            "%s%n%x {0} {{7*7}}",
            "tw, xq, hns=Sarnami",
        ]
    ),
)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "-1", "2147483648", str(2**63), "1e309", "NaN", "1.5", "", " 3 "]),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        ["2023-02-30", "0000-01-01", "99999-01-01", "2022-13-01", "31-12-2022", "", "yesterday"]
    ),
)
flags = st.sampled_from(["y", "n", "", "on", "0", SCRIPT])


def _value_for(field_class: type):
    if issubclass(field_class, DateField):
        return st.one_of(dates, nasty_text)
    if issubclass(field_class, IntegerField):
        return st.one_of(numbers, nasty_text)
    if issubclass(field_class, SelectField | SelectMultipleField):
        return st.one_of(numbers, nasty_text, st.sampled_from(["phone", "volunteer", "lead"]))
    if issubclass(field_class, BooleanField):
        return flags
    return nasty_text


@st.composite
def form_data(draw):
    names = draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=12))
    pairs = [(name, draw(_value_for(FIELDS[name]))) for name in names]
    # a repeated field, now and then
    if pairs and draw(st.booleans()):
        name, _value = pairs[0]
        pairs.append((name, draw(_value_for(FIELDS[name]))))
    return MultiDict(pairs)


def _post_routes(app, ids):
    routes = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in SKIPPED:
            continue
        url = rule.rule
        for argument in rule.arguments:
            if argument == "action":
                continue
            url = url.replace(f"<int:{argument}>", str(ids[URL_IDS[argument]]))
        routes.append((rule.endpoint, url))
    return sorted(routes)


def _counts():
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
        if table.name not in COUNTED_EXCEPT
    }


def test_hostile_posts_to_every_form_as_every_role(app):
    app.config["LOGIN_LIMIT"] = "100000 per minute"
    with app.app_context():
        world = build_world()
        before = _counts()
    routes = _post_routes(app, world.ids)
    assert len(routes) >= 30
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        if role != "anonymous":
            login(clients[role], world.users[role])

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        route=st.sampled_from(routes),
        role=st.sampled_from(ROLES),
        data=form_data(),
        action=st.sampled_from(
            ["accept", "decline", "first_contact", "complete", "return", "x" * 300]
        ),
    )
    def post(route, role, data, action):
        endpoint, url = route
        url = url.replace("<action>", action)
        response = clients[role].post(url, data=data)
        body = response.get_data(as_text=True)
        CASES["requests"] += 1
        CASES["by_endpoint"][endpoint] = CASES["by_endpoint"].get(endpoint, 0) + 1
        assert response.status_code != 500, (endpoint, role, data)
        assert "Traceback" not in body
        refused = response.status_code >= 400 or (
            response.status_code == 200 and ("invalid-feedback" in body or "alert-danger" in body)
        )
        if refused:
            with app.app_context():
                now = _counts()
            # a refusal writes nothing; compare with the last known state
            assert now == post.state, (endpoint, role, data)
        else:
            with app.app_context():
                post.state = _counts()

    post.state = before
    try:
        post()
    finally:
        app.config["LOGIN_LIMIT"] = "30 per 10 minutes"
        with app.app_context():
            limiter.reset()

    # Whatever was stored is shown escaped on the pages that show it.
    lead = app.test_client()
    login(lead, world.users["admin"])
    pages = [
        "/residents/",
        "/volunteers/",
        "/users/",
        "/handovers",
        f"/residents/{world.ids['r_own']}",
        f"/matches/{world.ids['m_own']}",
        f"/handovers/{world.ids['h_own']}",
        "/trainings/",
        "/lead/",
        "/registry/organisations/",
        f"/registry/organisations/{world.ids['org_oost']}",
        "/registry/people/",
        f"/registry/meetings/{world.ids['meeting']}",
        "/registry/actions",
        f"/registry/projects/{world.ids['project']}",
        "/registry/signals",
        f"/registry/subsidies/{world.ids['application']}",
        f"/registry/areas/{world.ids['area']}",
        f"/registry/theme-groups/{world.ids['theme']}",
        "/registry/activities/",
        f"/registry/activities/{world.ids['act_own']}",
        "/sociale-kaart/",
        f"/sociale-kaart/{world.ids['act_own']}",
    ]
    for page in pages:
        html = lead.get(page, follow_redirects=True).get_data(as_text=True)
        assert SCRIPT not in html and not re.search(r"<img src=x onerror", html), page
