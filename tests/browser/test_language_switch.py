"""Issue 9, item 16: the language is switched with one tap on NL or EN in the footer, also with
JavaScript switched off, before and after login; the chosen one is marked as pressed.

Runs with `make test-browser`.
"""

import pytest

from tests.browser.conftest import PHONE, TIMEOUT_MS

pytestmark = pytest.mark.browser


def _pressed(page):
    return {
        button.get_attribute("value"): button.get_attribute("aria-pressed")
        for button in page.locator("footer button[name=locale]").all()
    }


def test_one_tap_switches_the_language_without_javascript(demo_site, chromium):
    _app, url = demo_site
    context = chromium.new_context(viewport=PHONE, locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{url}/login", wait_until="load")
    assert page.get_attribute("html", "lang") == "nl"
    assert _pressed(page) == {"nl": "true", "en": "false"}
    assert page.locator("footer select").count() == 0

    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="EN", exact=True).click()  # the one tap
    assert page.url.rstrip("?").endswith("/login")
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("heading", name="Log in").is_visible()
    assert _pressed(page) == {"nl": "false", "en": "true"}

    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="NL", exact=True).click()
    assert page.get_attribute("html", "lang") == "nl"
    assert page.get_by_role("heading", name="Inloggen").is_visible()
    context.close()
