"""Shared by the browser tests that walk the demo: one live server with the demo data and one
headless Chromium per module, a login per role, and the pages each role reaches.

Debian's chromium (executable_path): Playwright never downloads a browser.
"""

import os
import re
import shutil
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from maatjes import create_app
from maatjes.demo import DEMO_PASSWORD, DOMAIN, load_demo
from maatjes.extensions import db

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 60_000  # a shared 2-core machine: generous

# One demo account per role (maatjes/demo.py).
ROLE_LOGINS = {
    "admin": f"admin@{DOMAIN}",
    "lead": f"lead@{DOMAIN}",
    "volunteer": f"akosua@{DOMAIN}",
    "buurtteam": f"buurtteam.oost@{DOMAIN}",
    "linking_pin": f"linkingpin.oost@{DOMAIN}",
}
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}

# The detail pages worth a visit: the first link of each kind found on the role's pages.
DETAIL_PATTERNS = (
    re.compile(r"^/residents/\d+$"),
    re.compile(r"^/residents/\d+/edit$"),
    re.compile(r"^/residents/\d+/match$"),
    re.compile(r"^/residents/\d+/handover$"),
    re.compile(r"^/residents/\d+/export$"),
    re.compile(r"^/residents/new$"),
    re.compile(r"^/volunteers/\d+$"),
    re.compile(r"^/volunteers/\d+/edit$"),
    re.compile(r"^/volunteers/new$"),
    re.compile(r"^/matches/\d+$"),
    re.compile(r"^/matches/\d+/contacts/new$"),
    re.compile(r"^/matches/\d+/transfer$"),
    re.compile(r"^/matches/contacts/\d+/edit$"),
    re.compile(r"^/handovers/\d+$"),
    re.compile(r"^/handovers/refer$"),
    re.compile(r"^/trainings/\d+$"),
    re.compile(r"^/trainings/new$"),
    re.compile(r"^/trainings/sessions/\d+$"),
    re.compile(r"^/users/new$"),
    re.compile(r"^/lead/retention$"),
    re.compile(r"^/lead/flagged$"),
    re.compile(r"^/lead/report$"),
    re.compile(r"^/profile/password$"),
    re.compile(r"^/profile/two-factor$"),
)


@contextmanager
def _database(tmp_path_factory):
    """A new, empty database for one module: an SQLite file, or, when
    MAATJES_TEST_DATABASE_URL names a PostgreSQL server (as in CI), a database of its own on
    that server, dropped afterwards."""
    server = os.environ.get("MAATJES_TEST_DATABASE_URL")
    if not server or make_url(server).get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('demo') / 'browser.db'}"
        return
    url = make_url(server)
    name = f"maatjes_browser_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The app with the demo data on loopback, in demo mode (the demo accounts log in with the
    password alone), on SQLite or on PostgreSQL (``_database``). Yields (app, base url)."""
    with _database(tmp_path_factory) as database_url:
        yield from _serve_demo(database_url)


def _serve_demo(database_url):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "browser-test",
            "DEMO_MODE": True,
        }
    )
    with app.app_context():
        upgrade()
        load_demo(db.session)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test-browser`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def logged_in_page(browser, base_url, role, *, viewport=PHONE, locale="nl-NL"):
    """A new browser context logged in through the login form as the demo account of ``role``.
    Script errors and CSP refusals are collected in ``page.problems``."""
    context = browser.new_context(viewport=viewport, locale=locale, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda m: page.problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.goto(f"{base_url}/login", wait_until="load")
    page.fill("input[name=email]", ROLE_LOGINS[role])
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.click("form button[type=submit]")
    assert urlsplit(page.url).path != "/login", f"{role} could not log in"
    language = locale[:2]
    if page.get_attribute("html", "lang") != language:
        # The account's language from an earlier test: one tap on NL or EN in the footer.
        with page.expect_navigation(wait_until="load"):
            page.click(f"footer button[value={language}]")
    assert page.get_attribute("html", "lang") == language
    return page


def _site_links(page, base_url):
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme and not href.startswith(base_url):
            continue
        if parts.path and parts.path.startswith("/") and parts.path not in paths:
            paths.append(parts.path)
    return paths


def role_pages(page, base_url):
    """The pages a role reaches: its home, every page in its navigation, notifications and
    profile, then the first detail page of each kind linked from those. Returns a list of
    (name, path), name fit for a file name."""
    home = urlsplit(page.url).path
    nav = page.eval_on_selector_all(
        "#nav a.nav-link[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    first = [home, *nav, "/notifications", "/profile"]
    pages = []
    for path in first:
        if path not in pages:
            pages.append(path)
    found = {}
    to_visit = list(pages)
    for _depth in range(3):  # the navigation, the pages it links to, and theirs
        seen = len(found)
        for path in to_visit:
            page.goto(base_url + path, wait_until="load")
            for link in _site_links(page, base_url):
                for pattern in DETAIL_PATTERNS:
                    if pattern.match(link) and pattern.pattern not in found:
                        found[pattern.pattern] = link
        to_visit = list(found.values())[seen:]
    for pattern in DETAIL_PATTERNS:  # a fixed order: the same names every run
        link = found.get(pattern.pattern)
        if link and link not in pages:
            pages.append(link)
    return [(page_name(path), path) for path in pages]


def page_name(path):
    """/residents/ -> residents, /residents/12 -> residents-detail, /residents/12/edit ->
    residents-edit: ids left out, so the names are the same every run."""
    parts = [w for w in path.strip("/").split("/") if w]
    words = [w for w in parts if not w.isdigit()]
    if parts and parts[-1].isdigit():
        words.append("detail")
    return "-".join(words) or "home"
