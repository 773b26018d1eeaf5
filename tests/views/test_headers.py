"""Headers: a strict CSP that the pages can live with, HSTS with secure cookies, no-store on
every answer but static files (error pages included), and trusted hosts."""

import re

import pytest

from maatjes import create_app
from tests.builders import login
from tests.views.test_access_matrix import MATRIX, ROLES, build_world

INLINE = [
    # A JSON-LD block (schema.org data on the social map) and a JSON block (the strings of
    # offline.js) are data, never run: the CSP allows them.
    (
        re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json\"))[^>]*>", re.I),
        "inline <script>",
    ),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_page_of_any_role_needs_inline_script_or_style(app):
    """The CSP forbids inline script and style; every page must work without them."""
    with app.app_context():
        world = build_world()
    checked = 0
    for endpoint, rows in MATRIX.items():
        if endpoint in ("static", "bootstrap.static"):
            continue
        for method, template, _expected in rows:
            if method != "GET":
                continue
            url = template.format(**world.ids)
            for role in ROLES:
                client = app.test_client()
                if role != "anonymous":
                    login(client, world.users[role])
                response = client.get(url, follow_redirects=True)
                if response.mimetype != "text/html":
                    response.close()  # a file streamed from static/
                    continue  # an icon or a feed has no script or style to inline
                html = response.get_data(as_text=True)
                for pattern, what in INLINE:
                    assert not pattern.search(html), f"{what} on {url} as {role}"
                policy = response.headers["Content-Security-Policy"]
                assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
                assert "frame-ancestors 'none'" in policy
                checked += 1
    assert checked > 100


def test_error_pages_and_redirects_are_never_stored(app):
    with app.app_context():
        world = build_world()
    client = app.test_client()
    login(client, world.users["lead"])
    for response in (
        client.get("/does-not-exist"),  # 404 (shows the user's name in the header)
        client.get("/logout"),  # 405
        client.get("/residents/999999"),  # 404 from a view
        client.get("/"),  # a redirect
    ):
        assert response.status_code in (302, 404, 405)
        assert response.headers["Cache-Control"] == "no-store"
    static = client.get("/static/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


def test_static_files_are_cached_for_a_year_by_their_fingerprinted_name(app):
    """Only static files escape no-store: fingerprinted names are immutable for a year, the
    service worker is checked again on every update (no-cache), everything else is no-store."""
    with app.test_request_context():
        from flask import url_for

        url = url_for("static", filename="app.css")
    assert re.fullmatch(r"/static/app-[0-9a-f]{32}\.css", url)
    client = app.test_client()
    static = client.get(url)
    assert static.headers["Cache-Control"] == "max-age=31536000, public, immutable"
    static.close()
    worker = client.get("/sw.js")
    assert worker.headers["Cache-Control"] == "no-cache"
    worker.close()
    assert client.get("/me/csrf-token").headers["Cache-Control"] == "no-store"


def test_hsts_only_with_secure_cookies(app, database_url):
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    secure = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SESSION_COOKIE_SECURE": True}
    )
    response = secure.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_other_hosts_are_refused_when_trusted_hosts_are_set(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TRUSTED_HOSTS": ["maatjes.example.org"],
        }
    )
    client = app.test_client()
    assert client.get("/login", headers={"Host": "maatjes.example.org"}).status_code == 200
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("path", ["/login", "/healthz"])
def test_basic_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
