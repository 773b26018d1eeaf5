"""Issue 9, items 12, 23 and 25 over every page of every role of the demo (headless Chromium):
no page scrolls sideways on a 375 px phone, nothing a page loads is missing (favicon and
manifest included), and axe-core finds no violation at 375x667 nor at 1280x800.

Every page is screenshotted at 375x667 into test-artifacts/<role>-<page>.png (full page).
Runs with `make test-browser`.
"""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    ROLE_LOGINS,
    logged_in_page,
    role_pages,
)

pytestmark = pytest.mark.browser

ROLES = list(ROLE_LOGINS)
AXE = Axe()


@pytest.fixture(scope="module")
def pages_by_role(demo_site, chromium):
    """Found once per module: (name, path) of every page of each role."""
    _app, url = demo_site
    found = {}
    for role in ROLES:
        page = logged_in_page(chromium, url, role)
        found[role] = role_pages(page, url)
        page.context.close()
    return found


def _visit(page, url):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("load")


def _axe_violations(page):
    results = AXE.run(page)
    found = []
    for violation in results.response["violations"]:
        targets = [
            f"{node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}"
            for node in violation["nodes"][:4]
        ]
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    return found


def test_every_role_has_its_pages(pages_by_role):
    """The walk below covers the navigation and the detail pages; not an empty list."""
    names = {role: {name for name, _path in pages} for role, pages in pages_by_role.items()}
    assert {"lead", "residents", "residents-detail", "volunteers-detail", "matches-detail"} <= (
        names["lead"]
    )
    assert "audit" in names["admin"]
    assert {"me", "matches-detail", "matches-contacts-new", "handovers-detail"} <= names[
        "volunteer"
    ]
    assert {"handovers", "handovers-detail", "handovers-refer"} <= names["buurtteam"]
    assert {"handovers", "handovers-refer"} <= names["linking_pin"]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_on_a_phone(demo_site, chromium, pages_by_role, role):
    """At 375x667 nothing is wider than the screen; nothing a page asks for is missing (no
    404 for the favicon or the manifest); a full-page screenshot of each page."""
    _app, url = demo_site
    page = logged_in_page(chromium, url, role, viewport=PHONE)
    failed = []
    page.on(
        "response",
        lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    too_wide = []
    icons = set()
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in pages_by_role[role]:
        _visit(page, url + path)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
            )
            too_wide.append(f"{path}: {widths[0]} > {widths[1]} ({wide})")
        icons.update(
            page.eval_on_selector_all(
                "link[rel~=icon], link[rel=manifest], link[rel=apple-touch-icon]",
                "links => links.map(l => l.href)",
            )
        )
        page.screenshot(path=ARTIFACTS / f"{role}-{name}.png", full_page=True)
    assert too_wide == [], "wider than the phone:\n" + "\n".join(too_wide)
    assert any(urlsplit(icon).path.endswith(".svg") for icon in icons)
    for icon in sorted(icons):
        response = page.request.get(icon)
        assert response.status == 200, icon
    assert page.request.get(f"{url}/favicon.ico").status == 200
    assert failed == []
    problems = page.problems
    page.context.close()
    assert problems == []


@pytest.mark.parametrize(
    ("role", "viewport", "locale"),
    [(role, PHONE, "nl-NL") for role in ROLES] + [(role, DESKTOP, "en-GB") for role in ROLES],
    ids=[f"{role}-375" for role in ROLES] + [f"{role}-1280" for role in ROLES],
)
def test_axe_finds_no_violation(demo_site, chromium, pages_by_role, role, viewport, locale):
    """axe-core (from axe-playwright-python) on every page: zero violations, on a phone in
    Dutch and on a desktop in English."""
    _app, url = demo_site
    page = logged_in_page(chromium, url, role, viewport=viewport, locale=locale)
    violations = {}
    for _name, path in pages_by_role[role]:
        _visit(page, url + path)
        found = _axe_violations(page)
        if found:
            violations[path] = found
    page.context.close()
    report = "\n".join(f"{path}: {line}" for path, lines in violations.items() for line in lines)
    assert not violations, f"axe-core at {viewport['width']} px, {role}:\n{report}"
