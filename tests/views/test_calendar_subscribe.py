"""Item 17 of issue 9: the calendar link is a subscribe button (``webcal:``), a copy button and
two lines of instructions for iPhone and Android, not a bare URL in a field."""

import html
import re

from maatjes.blueprints.notifications.views import webcal_url
from maatjes.extensions import db
from tests.builders import login, make_volunteer


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _volunteer_client(app):
    with app.app_context():
        user_id = make_volunteer().user_id
        db.session.commit()
    client = app.test_client()
    login(client, user_id)
    with client.session_transaction() as session:
        session["locale"] = "en"
    return client


def test_webcal_url_is_the_same_feed():
    assert webcal_url("https://maatjes.example/calendar/abc.ics") == (
        "webcal://maatjes.example/calendar/abc.ics"
    )
    assert webcal_url("http://localhost:5000/calendar/x-y_z.ics") == (
        "webcal://localhost:5000/calendar/x-y_z.ics"
    )


def test_the_calendar_page_has_a_subscribe_button_copy_and_instructions(app):
    client = _volunteer_client(app)
    response = client.post("/profile/calendar")
    page = _page(response)
    assert response.status_code == 200
    link = re.search(r'id="calendar-link" readonly value="([^"]+)"', page)[1]
    token = re.fullmatch(r"http://maatjes\.test/calendar/([\w-]+)\.ics", link)[1]
    subscribe = re.search(
        r'<a class="btn btn-primary btn-lg mb-3" id="calendar-subscribe" href="([^"]+)">', page
    )
    assert subscribe[1] == f"webcal://maatjes.test/calendar/{token}.ics"
    assert "Subscribe in your calendar" in page
    # Two lines of instructions, one per kind of phone.
    steps = re.search(r'<ul class="small ps-3 mb-3" id="calendar-steps">(.*?)</ul>', page, re.S)[1]
    assert steps.count("<li>") == 2
    assert "iPhone:" in steps and "Android:" in steps and "From URL" in steps
    # A copy button, hidden until the script finds the Clipboard API.
    assert re.search(r'type="button" hidden\s+data-copy="calendar-link"', page)
    assert '<script defer src="/static/copy_share-' in page  # fingerprinted by content
    # The webcal address is the live feed: its https/http twin answers with the calendar.
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"


def test_a_new_link_stops_the_old_subscription(app):
    client = _volunteer_client(app)
    first = re.search(
        r'href="webcal://maatjes\.test/calendar/([\w-]+)\.ics"',
        _page(client.post("/profile/calendar")),
    )[1]
    second = re.search(
        r'href="webcal://maatjes\.test/calendar/([\w-]+)\.ics"',
        _page(client.post("/profile/calendar")),
    )[1]
    assert first != second
    assert client.get(f"/calendar/{first}.ics").status_code == 404
    assert client.get(f"/calendar/{second}.ics").status_code == 200


def test_the_settings_page_says_what_making_a_link_gives(app):
    client = _volunteer_client(app)
    page = _page(client.get("/profile"))
    assert "a button to subscribe with and the steps for iPhone and Android" in page
