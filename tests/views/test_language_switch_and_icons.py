"""Issue 9, items 16 and 23: the language switch is one tap (NL | EN, two submit buttons in the
footer form, no JavaScript), and the favicon and web app manifest are served (no 404 on any
page)."""

import json
import re
from html.parser import HTMLParser

from maatjes.extensions import db
from maatjes.models import Role
from tests.builders import login, make_user


class _Footer(HTMLParser):
    """The footer's form, its inputs and buttons; and every <link> of the page."""

    def __init__(self):
        super().__init__()
        self.in_footer = False
        self.form = None
        self.buttons = []
        self.hidden = {}
        self.selects = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        if tag == "footer":
            self.in_footer = True
        if not self.in_footer:
            return
        if tag == "form":
            self.form = attrs
        elif tag == "button":
            self.buttons.append(attrs)
        elif tag == "input" and attrs.get("type") == "hidden":
            self.hidden[attrs["name"]] = attrs.get("value")
        elif tag == "select":
            self.selects += 1

    def handle_endtag(self, tag):
        if tag == "footer":
            self.in_footer = False


def _fetch(client, url):
    """Status, type and body of a GET; the response closed (static files are open files)."""
    with client.get(url) as response:
        return response.status_code, response.mimetype, response.get_data(), response.headers


def _footer(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = _Footer()
    parser.feed(response.get_data(as_text=True))
    return parser


def test_the_language_switch_is_two_buttons_with_the_current_one_pressed(client):
    footer = _footer(client, "/login")
    assert footer.form["method"] == "post"
    assert footer.form["action"] == "/locale"
    assert "csrf_token" in footer.hidden
    assert footer.hidden["next"] == "/login?"
    assert footer.selects == 0
    buttons = [(b["name"], b["value"], b["type"], b["aria-pressed"]) for b in footer.buttons]
    assert buttons == [("locale", "nl", "submit", "true"), ("locale", "en", "submit", "false")]


def test_one_tap_on_en_switches_to_english_and_marks_it(client):
    response = client.post("/locale", data={"locale": "en", "next": "/login?"})
    assert response.status_code == 302
    assert response.headers["Location"].rstrip("?").endswith("/login")
    footer = _footer(client, "/login")
    pressed = {b["value"]: b["aria-pressed"] for b in footer.buttons}
    assert pressed == {"nl": "false", "en": "true"}
    assert "Log in" in client.get("/login").get_data(as_text=True)
    client.post("/locale", data={"locale": "nl", "next": "/login"})
    assert "Inloggen" in client.get("/login").get_data(as_text=True)


def test_the_switch_is_stored_for_a_logged_in_user(app, client):
    with app.app_context():
        user = make_user(Role.LEAD)
        db.session.commit()
        user_id = user.id
    login(client, user_id)
    footer = _footer(client, "/lead/")
    assert footer.hidden["next"] == "/lead/?"
    client.post("/locale", data={"locale": "en", "next": "/lead/?"})
    with app.app_context():
        assert db.session.get(type(user), user_id).locale == "en"
    assert '<html lang="en">' in client.get("/lead/").get_data(as_text=True)


def test_an_unknown_language_changes_nothing(client):
    response = client.post("/locale", data={"locale": "xx", "next": "/login"})
    assert response.status_code == 302
    assert "Inloggen" in client.get("/login").get_data(as_text=True)


def test_favicon_and_manifest_are_served_and_linked_from_every_page(app, client):
    with app.app_context():
        user = make_user(Role.LEAD)
        db.session.commit()
        user_id = user.id
    pages = {}
    for url in ("/login", "/password/forgot"):
        pages[url] = _footer(client, url).links
    login(client, user_id)
    for url in ("/lead/", "/residents/", "/notifications", "/profile"):
        pages[url] = _footer(client, url).links
    for url, links in pages.items():
        rels = {link["rel"]: link["href"] for link in links}
        assert rels["icon"].endswith((".svg", ".ico")), url
        assert "manifest" in rels, url
        for link in links:
            href = re.sub(r"^https?://[^/]+", "", link["href"])
            assert _fetch(client, href)[0] == 200, (url, href)

    status, mimetype, _body, _headers = _fetch(client, "/static/favicon.svg")
    assert (status, mimetype) == (200, "image/svg+xml")
    status, _mimetype, body, _headers = _fetch(client, "/static/manifest.webmanifest")
    assert status == 200
    manifest = json.loads(body)
    assert manifest["name"] == "Money Maatjes"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/"  # each role's own home (a volunteer's: /me)
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    sizes = set()
    for icon in manifest["icons"]:
        # relative to the manifest, which is in static/
        status, mimetype, _body, _headers = _fetch(client, f"/static/{icon['src']}")
        assert (status, mimetype) == (200, icon["type"]), icon
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes


def test_favicon_ico_at_the_root_is_not_a_404(client):
    status, _mimetype, body, headers = _fetch(client, "/favicon.ico")
    assert status == 200
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "no-store" not in headers.get("Cache-Control", "")
