"""A volunteer on a phone logs a contact and sees the week turn done (headless Chromium).

Runs with `make test-browser` (Debian's chromium package; Playwright drives it via
executable_path and never downloads a browser). The app is served on loopback (conftest).
"""

import pytest

from maatjes.demo import DEMO_PASSWORD, DOMAIN
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(demo_site):
    """The demo on loopback (this module's own, so the contact logged here is the only one)."""
    _app, base = demo_site
    return base


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="nl-NL",
    )
    yield context.new_page()
    context.close()


def test_volunteer_logs_a_contact_on_a_phone(live_server, phone):
    page = phone
    # The strict Content-Security-Policy must not block anything the pages use.
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: refused.append(str(error)))
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mailadres").fill(f"akosua@{DOMAIN}")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    card = page.locator(".resident-card", has_text="Ama Owusu")
    badge = card.locator("[data-week-status]")
    assert badge.get_attribute("data-week-status") == "due"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "volunteer-home-before.png", full_page=True)

    # Two taps from home: "log a contact", then "save". The kind of contact is preselected
    # (the volunteer's last kind, else a phone call), so nothing else needs a tap.
    taps = []

    def tap(locator):
        taps.append(locator)
        locator.tap()

    tap(card.get_by_role("link", name="Contactmoment invullen"))
    page.wait_for_url("**/contacts/new")
    assert page.locator("input[name=kind]:checked").count() == 1
    tap(page.get_by_role("button", name="Contactmoment opslaan").first)
    assert len(taps) == 2

    page.wait_for_url(f"{live_server}/me")
    assert page.get_by_text("Contactmoment opgeslagen").is_visible()
    assert badge.get_attribute("data-week-status") == "done"
    page.screenshot(path=ARTIFACTS / "volunteer-contact-logged.png", full_page=True)

    # Nothing on the page is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Bootstrap's script runs under the CSP: the menu opens on a tap.
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("link", name="Mijn bewoners").is_visible()
    assert refused == []
