"""A visitor without an account, on a 375 px phone, finds the activities in Bijlmer-Oost on
Tuesdays in Sranantongo on the social map, opens one and can call it (headless Chromium)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, PHONE, TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_a_visitor_finds_a_tuesday_activity_in_sranantongo_in_bijlmer_oost(demo_site, chromium):
    _app, base = demo_site
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(f"{base}/sociale-kaart/", wait_until="load")
        assert urlsplit(page.url).path == "/sociale-kaart/"  # no login asked
        page.select_option("#filter-area", label="Bijlmer-Oost")
        page.select_option("#filter-day", value="1")  # Tuesday
        page.select_option("#filter-language", value="srn")
        with page.expect_navigation(wait_until="load"):
            page.click("#map-filters button[type=submit]")
        query = parse_qs(urlsplit(page.url).query)
        assert query["day"] == ["1"] and query["language"] == ["srn"]

        cards = page.locator("[data-activity]")
        assert cards.count() >= 1
        texts = cards.all_inner_texts()
        assert any("Sranantongo" in text for text in texts), texts
        assert any("dinsdag" in text.lower() for text in texts), texts
        # Nothing on the phone scrolls sideways.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "social-map-phone.png", full_page=True)

        first = cards.first.locator("h2 a")
        name = first.inner_text()
        with page.expect_navigation(wait_until="load"):
            first.click()
        assert urlsplit(page.url).path.startswith("/sociale-kaart/")
        assert page.locator("h1").inner_text().strip() == name.strip()
        call = page.locator("a[data-call]").first
        assert call.is_visible()
        href = call.get_attribute("href")
        assert href.startswith("tel:+31"), href
        box = call.bounding_box()
        assert box["height"] >= 44 or box["width"] >= 44  # a thumb can hit it
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert problems == []
    finally:
        context.close()
