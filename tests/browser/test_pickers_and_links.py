"""Issue 9, items 10, 11, 15 and 17 in a real browser (headless Chromium): the language picker
by keyboard, the copy and share buttons of the password and calendar links, and "completed"
following "attended" in the training attendance form; nothing refused by the CSP.

Runs with `make test-browser` (Debian's chromium; Playwright never downloads a browser).
"""

import shutil
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from maatjes import create_app
from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import Language, Role
from tests.builders import make_area, make_org, make_session, make_user, make_volunteer

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def site(tmp_path):
    """The app on loopback with a lead, a volunteer (with a login), a training session."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.db'}",
            "SECRET_KEY": "browser-test",
        }
    )
    with app.app_context():
        upgrade()
        make_area()
        make_org()
        lead = make_user(Role.LEAD, name="Lead Lotte")
        volunteer = make_volunteer(("tw", "hns"), name="Akosua Boateng", trained=False)
        db.session.get(Language, "hns").custom_name = "Sarnami Hindustani"
        session = make_session("basic", local_today() - timedelta(days=2))
        db.session.commit()
        ids = {
            "lead": lead.id,
            "volunteer_user": volunteer.user_id,
            "volunteer": volunteer.id,
            "session": session.id,
        }
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}", ids
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test-browser`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        yield chromium
        chromium.close()


def _page_as(browser, app, url, user_id, *, width=375, height=667):
    """A phone-sized page logged in as ``user_id`` (a signed session cookie: staff would
    otherwise need the two-factor step), in English; CSP refusals and script errors collected."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="en-GB", has_touch=True
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    with app.test_request_context():
        cookie = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": f"{user_id}:0", "_fresh": True, "seen": time.time(), "locale": "en"}
        )
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": url}])
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda m: page.problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def test_the_language_picker_by_keyboard(site, browser):
    app, url, ids = site
    page = _page_as(browser, app, url, ids["lead"])
    page.goto(f"{url}/residents/new")
    field = page.get_by_role("combobox", name="Languages they want help in")
    field.click()
    field.press_sequentially("turk")
    listbox = page.get_by_role("listbox")
    assert listbox.is_visible()
    assert listbox.get_by_role("option").first.inner_text() == "Turkish (tr)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "language-picker-375.png", full_page=True)
    field.press("Enter")  # chooses; does not send the form
    assert page.url.endswith("/residents/new")
    assert field.input_value() == "Turkish (tr), "
    assert field.get_attribute("aria-expanded") == "false"
    field.press_sequentially("sarn")  # a custom name, and a language in use: offered first
    assert listbox.get_by_role("option").first.inner_text() == "Sarnami Hindustani (hns)"
    field.press("Enter")
    field.press_sequentially("ned")
    field.press("ArrowDown")
    field.press("ArrowUp")
    field.press("Enter")
    assert field.input_value() == "Turkish (tr), Sarnami Hindustani (hns), Dutch (nl), "
    field.press_sequentially("zzzz")
    assert listbox.is_hidden()
    assert page.get_by_role("status").filter(has_text="No language found").count() == 1
    field.press("Escape")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.problems == []


def test_the_password_link_page_copies(site, browser):
    app, url, ids = site
    page = _page_as(browser, app, url, ids["lead"])
    page.goto(f"{url}/users/")
    page.get_by_role("button", name="New password link").first.click()
    page.get_by_role("button", name="Yes, make a new link").click()
    link = page.locator("#password-link").input_value()
    assert "/password/" in link
    assert page.locator("#password-link-qr svg[role=img]").is_visible()
    page.get_by_role("button", name="Copy").click()
    page.get_by_text("Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    # The share button is there exactly when the browser can share.
    can_share = page.evaluate("typeof navigator.share === 'function'")
    assert page.get_by_role("button", name="Share…").is_visible() == can_share
    page.screenshot(path=ARTIFACTS / "password-link-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.problems == []


def test_the_calendar_link_copies_and_subscribes(site, browser):
    app, url, ids = site
    page = _page_as(browser, app, url, ids["volunteer_user"])
    page.goto(f"{url}/profile")
    page.get_by_role("button", name="Make a calendar link").click()
    subscribe = page.get_by_role("link", name="Subscribe in your calendar")
    link = page.locator("#calendar-link").input_value()
    assert subscribe.get_attribute("href") == "webcal://" + link.split("://", 1)[1]
    page.get_by_role("button", name="Copy").click()
    page.get_by_text("Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    page.screenshot(path=ARTIFACTS / "calendar-link-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.problems == []


def test_completed_follows_attended(site, browser):
    app, url, ids = site
    page = _page_as(browser, app, url, ids["lead"])
    page.goto(f"{url}/volunteers/{ids['volunteer']}")
    page.get_by_role("link", name="Record training").click()
    page.locator(f"a[href*='sessions/{ids['session']}']").click()
    attended = page.get_by_label("Akosua Boateng attended")
    completed = page.get_by_label("Akosua Boateng completed the training")
    assert attended.is_checked() and completed.is_checked() and completed.is_enabled()
    attended.uncheck()
    assert not completed.is_checked() and completed.is_disabled()
    attended.check()
    assert completed.is_checked() and completed.is_enabled()
    page.screenshot(path=ARTIFACTS / "training-attendance-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance saved: 1 attended, 1 completed.").wait_for()
    assert page.problems == []
