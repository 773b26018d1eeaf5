"""Contacts logged on a phone without a connection (static/offline.js, static/sw.js), in headless
Chromium at 375×667: the queue on the phone survives a reload, is sent once back online, a lost
answer never makes a second contact, a refused contact comes back with its reason, and logging
out leaves nothing of the volunteer on the phone.

Runs with `make test-browser` (Debian's chromium; conftest.py serves the demo on loopback).
"""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from maatjes.demo import DEMO_PASSWORD, DOMAIN
from maatjes.domain.matching import end_match
from maatjes.extensions import db
from maatjes.models import Contact, Match, User
from tests.browser.conftest import PHONE, TIMEOUT_MS

pytestmark = pytest.mark.browser

QUEUE = "idbKeyval.values(idbKeyval.createStore('maatjes-offline', 'queue'))"
KEPT_PAGES = """async () => {
  const kept = [];
  for (const key of await caches.keys()) {
    const requests = await (await caches.open(key)).keys();
    kept.push(...requests.map((r) => key + ' ' + new URL(r.url).pathname));
  }
  return kept;
}"""


@pytest.fixture
def site(demo_site):
    return demo_site


@pytest.fixture
def context(chromium):
    context = chromium.new_context(viewport=PHONE, locale="en-GB", has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


def log_in(page, base, first_name):
    page.goto(f"{base}/login")
    page.fill("input[name=email]", f"{first_name}@{DOMAIN}")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.click("form button[type=submit]")
    assert urlsplit(page.url).path == "/me"
    if page.get_attribute("html", "lang") != "en":
        with page.expect_navigation(wait_until="load"):
            page.click("footer button[value=en]")
    # The service worker takes over the page (clients.claim), then keeps the home.
    wait_until(page, lambda: page.evaluate("navigator.serviceWorker.controller !== null"))
    page.goto(f"{base}/me")
    kept(page, "/me")


def kept(page, path):
    """Waits until the worker keeps a copy of ``path``; returns the names of the caches."""
    for _ in range(100):
        found = page.evaluate(KEPT_PAGES)
        if any(entry.endswith(" " + path) and entry.startswith("pages-u") for entry in found):
            return found
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} not kept: {found}")


def wait_until(page, condition, tries=200):
    for _ in range(tries):
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001 - a page between two loads: ask again
            pass
        page.wait_for_timeout(100)
    raise AssertionError("waited in vain")


def queue(page):
    return page.evaluate(QUEUE)


def matches_of(app, first_name, count):
    """The ids of the ``count`` active matches of a demo volunteer, in the home's order."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == f"{first_name}@{DOMAIN}"))
        ids = [
            m.id
            for m in db.session.scalars(
                select(Match)
                .where(Match.ended_on.is_(None), Match.started_on <= date.today())
                .order_by(Match.started_on)
            )
            if m.volunteer.user_id == user.id
        ]
        db.session.remove()
    assert len(ids) >= count, ids
    return ids[:count]


def contacts_with(app, uuids):
    with app.app_context():
        found = db.session.scalars(select(Contact).where(Contact.client_uuid.in_(uuids))).all()
        result = [(c.match_id, c.client_uuid) for c in found]
        db.session.remove()
    return result


def contact_count(app, match_id):
    with app.app_context():
        n = db.session.scalar(select(func.count(Contact.id)).where(Contact.match_id == match_id))
        db.session.remove()
    return n


def save_offline(page, base, match_id):
    """Opens the kept contact form from the home while offline and saves it."""
    page.locator(f".resident-card[data-match='{match_id}']").get_by_role(
        "link", name="Log a contact"
    ).click()
    page.wait_for_url(f"{base}/matches/{match_id}/contacts/new")
    page.get_by_role("button", name="Save contact").first.click()
    page.wait_for_url(f"{base}/me")
    expect(page.locator("#offline-saved")).to_have_text(
        "Saved on this phone; it will be sent when you are online."
    )


def test_contacts_logged_offline_are_stored_once_when_online(site, context):
    app, base = site
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, base, "kwame")
    first, second = matches_of(app, "kwame", 2)
    before = {m: contact_count(app, m) for m in (first, second)}
    for match_id in (first, second):  # opened once online: kept for offline use
        page.goto(f"{base}/matches/{match_id}/contacts/new")
        kept(page, f"/matches/{match_id}/contacts/new")
    page.goto(f"{base}/me")

    context.set_offline(True)
    page.reload()  # the kept copy of the home
    save_offline(page, base, first)
    save_offline(page, base, second)
    waiting = page.locator("[data-queue-waiting]")
    expect(waiting).to_have_text("2 contacts wait on this phone.")

    page.reload()  # still offline: the queue survives
    expect(waiting).to_have_text("2 contacts wait on this phone.")
    page.goto(f"{base}/")  # the installed app's start: offline, the kept home
    expect(waiting).to_have_text("2 contacts wait on this phone.")
    page.goto(f"{base}/me")
    uuids = sorted(item["uuid"] for item in queue(page))
    assert len(uuids) == 2
    assert contacts_with(app, uuids) == []

    context.set_offline(False)  # the "online" event sends the queue, then the home reloads
    expect(page.locator("#offline-queue")).to_be_hidden()
    for match_id in (first, second):
        badge = page.locator(f".resident-card[data-match='{match_id}'] [data-week-status]")
        expect(badge).to_have_attribute("data-week-status", "done")
    assert sorted(u for _m, u in contacts_with(app, uuids)) == uuids
    assert {m: contact_count(app, m) for m in (first, second)} == {
        m: n + 1 for m, n in before.items()
    }
    assert queue(page) == []

    # Another load sends nothing again.
    page.reload()
    assert {m: contact_count(app, m) for m in (first, second)} == {
        m: n + 1 for m, n in before.items()
    }
    assert problems == []


def test_a_resend_after_a_lost_answer_stores_nothing_twice(site, context):
    app, base = site
    page = context.new_page()
    log_in(page, base, "akosua")
    [match_id] = matches_of(app, "akosua", 1)
    before = contact_count(app, match_id)
    page.goto(f"{base}/matches/{match_id}/contacts/new")
    kept(page, f"/matches/{match_id}/contacts/new")
    context.set_offline(True)
    page.get_by_role("button", name="Save contact").first.click()
    page.wait_for_url(f"{base}/me")
    [item] = queue(page)

    # Back online, the first send reaches the server, which stores the contact, but the answer
    # never comes back (the connection drops on the way).
    posts = []

    def lose_the_first_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.url)
        if len(posts) == 1:
            route.fetch()  # the server handles it
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route(re.compile(r".*/matches/\d+/contacts/new$"), lose_the_first_answer)
    context.set_offline(False)
    # No answer: the contact still waits, and is sent again (here at the reload of the kept
    # home that follows); the server knows the UUID and stores nothing twice.
    wait_until(page, lambda: len(posts) >= 2 and queue(page) == [])
    assert posts == [f"{base}/matches/{match_id}/contacts/new"] * 2
    assert queue(page) == []
    assert contact_count(app, match_id) == before + 1
    assert contacts_with(app, [item["uuid"]]) == [(match_id, item["uuid"])]

    page.goto(f"{base}/me")  # and nothing later either
    assert len(posts) == 2 and contact_count(app, match_id) == before + 1


def test_a_contact_for_a_match_ended_meanwhile_comes_back_and_can_be_dropped(site, context):
    app, base = site
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "shanti")
    [match_id] = matches_of(app, "shanti", 1)
    page.goto(f"{base}/matches/{match_id}/contacts/new")
    kept(page, f"/matches/{match_id}/contacts/new")
    page.goto(f"{base}/me")
    context.set_offline(True)
    save_offline(page, base, match_id)
    [item] = queue(page)

    with app.app_context():  # the project lead ends the match meanwhile
        match = db.session.get(Match, match_id)
        end_match(
            db.session,
            match,
            ended_on=date.today(),
            outcome="moved",
            reason="Moved away",
            needs_new_maatje=False,
            today=date.today(),
        )
        db.session.commit()
        db.session.remove()

    context.set_offline(False)
    row = page.locator(f"[data-queue-refused] li[data-uuid='{item['uuid']}']")
    expect(row).to_contain_text("This match has ended; no contacts can be added.")
    expect(page.locator("[data-queue-waiting]")).to_be_hidden()
    assert [i["state"] for i in queue(page)] == ["refused"]
    page.reload()  # refused contacts stay on the phone until dropped
    expect(row).to_be_visible()
    row.get_by_role("button", name="Drop").click()
    expect(page.locator("#offline-queue")).to_be_hidden()
    assert queue(page) == []
    assert contacts_with(app, [item["uuid"]]) == []


def test_logout_wipes_the_queue_and_the_kept_pages(site, context):
    app, base = site
    page = context.new_page()
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    log_in(page, base, "ricardo")
    [match_id] = matches_of(app, "ricardo", 1)
    page.goto(f"{base}/matches/{match_id}/contacts/new")
    caches = kept(page, f"/matches/{match_id}/contacts/new")
    ricardo = page.get_attribute("body", "data-user")
    assert f"pages-u{ricardo} /me" in caches
    page.goto(f"{base}/me")
    context.set_offline(True)
    save_offline(page, base, match_id)
    assert len(queue(page)) == 1
    # Back online, the server is too busy to take it: the contact keeps waiting.
    context.route(
        re.compile(r".*/matches/\d+/contacts/new$"),
        lambda route: (
            route.fulfill(status=503) if route.request.method == "POST" else route.continue_()
        ),
    )
    context.set_offline(False)
    wait_until(page, lambda: page.evaluate("document.body.dataset.offlineCopy === undefined"))
    expect(page.locator("[data-queue-waiting]")).to_have_text("1 contact waits on this phone.")

    page.get_by_role("button", name="Menu").click()
    with page.expect_navigation(url=f"{base}/login"):
        page.get_by_role("button", name="Log out").click()
    assert dialogs and "1 contact" in dialogs[0]  # warned: a contact had not been sent
    assert queue(page) == []
    assert not [c for c in page.evaluate(KEPT_PAGES) if c.startswith("pages-u")]

    # Another volunteer on the same phone: nothing of the first.
    log_in(page, base, "kwame")
    kwame = page.get_attribute("body", "data-user")
    assert kwame != ricardo
    names = {entry.split(" ")[0] for entry in page.evaluate(KEPT_PAGES)}
    assert f"pages-u{ricardo}" not in names and f"pages-u{kwame}" in names
    assert queue(page) == []
    context.set_offline(True)
    page.goto(f"{base}/me")  # offline: kwame's own kept home, none of ricardo's residents
    assert page.get_attribute("body", "data-user") == kwame
    assert page.get_attribute("body", "data-offline-copy")
    home = page.locator("main").inner_text()
    assert "Kofi" in home and "Glenn" not in home  # kwame's resident, not ricardo's
    assert "Asante" not in home  # the kept copy has first names only, no phone numbers


def test_an_expired_session_asks_to_log_in_and_sends_after_login(site, context):
    app, base = site
    page = context.new_page()
    log_in(page, base, "akosua")
    [match_id] = matches_of(app, "akosua", 1)
    before = contact_count(app, match_id)
    page.goto(f"{base}/matches/{match_id}/contacts/new")
    kept(page, f"/matches/{match_id}/contacts/new")
    page.goto(f"{base}/me")
    context.set_offline(True)
    save_offline(page, base, match_id)
    context.clear_cookies()  # the session ends while the phone is offline
    context.set_offline(False)
    page.wait_for_url(re.compile(r"/login"))
    expect(page.locator("#offline-login")).to_have_text("Log in to send 1 waiting contact.")
    assert contact_count(app, match_id) == before
    page.fill("input[name=email]", f"akosua@{DOMAIN}")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/me")
    wait_until(page, lambda: queue(page) == [])
    assert contact_count(app, match_id) == before + 1


def test_a_post_that_loses_the_connection_on_the_way_waits_on_the_phone(site, context):
    """The phone thinks it is online, but the post never arrives: the contact is in the queue
    (saved before the post), the worker shows the home, and the queue sends it later."""
    app, base = site
    page = context.new_page()
    log_in(page, base, "akosua")
    [match_id] = matches_of(app, "akosua", 1)
    before = contact_count(app, match_id)
    page.goto(f"{base}/matches/{match_id}/contacts/new")
    kept(page, f"/matches/{match_id}/contacts/new")
    dropped = []

    def drop_posts(route):
        if route.request.method == "POST" and not dropped:
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route(re.compile(r".*/matches/\d+/contacts/new$"), drop_posts)
    page.get_by_role("button", name="Save contact").first.click()
    page.wait_for_url(f"{base}/me")
    assert dropped
    wait_until(page, lambda: queue(page) == [])  # sent again at the home's load
    assert contact_count(app, match_id) == before + 1


def test_a_refused_contact_can_be_fixed(site, context):
    app, base = site
    page = context.new_page()
    log_in(page, base, "kwame")
    match_id = matches_of(app, "kwame", 2)[0]
    before = contact_count(app, match_id)
    page.goto(f"{base}/matches/{match_id}/contacts/new")
    kept(page, f"/matches/{match_id}/contacts/new")
    context.set_offline(True)
    tomorrow = date.fromordinal(date.today().toordinal() + 1).isoformat()
    page.fill("input[name=contact_on]", tomorrow)  # a slip of the finger
    page.click("details summary")
    page.fill("textarea[name=note]", "Talked about the energy bill")
    page.get_by_role("button", name="Save contact").first.click()
    page.wait_for_url(f"{base}/me")
    context.set_offline(False)
    row = page.locator("[data-queue-refused] li")
    expect(row).to_contain_text("A contact cannot be in the future.")
    row.get_by_role("link", name="Fix").click()
    page.wait_for_url(re.compile(r"/contacts/new#fix="))
    expect(page.locator("#offline-fix")).to_contain_text("A contact cannot be in the future.")
    assert page.input_value("input[name=contact_on]") == tomorrow
    assert page.input_value("textarea[name=note]") == "Talked about the energy bill"
    page.fill("input[name=contact_on]", date.today().isoformat())
    page.get_by_role("button", name="Save contact").first.click()
    page.wait_for_url(f"{base}/me")
    wait_until(page, lambda: queue(page) == [])
    assert contact_count(app, match_id) == before + 1
