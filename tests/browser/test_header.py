"""The header is one line at laptop width in either language, with nothing cut off."""

import pytest

from tests.browser.conftest import logged_in_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])
@pytest.mark.parametrize("role", ["admin", "lead"])
def test_the_header_is_one_line_at_1280_px(demo_site, chromium, role, locale):
    _app, base = demo_site
    page = logged_in_page(chromium, base, role, viewport={"width": 1280, "height": 800},
                          locale=locale)  # fmt: skip
    page.goto(f"{base}/lead/", wait_until="load")
    nav = page.locator("nav.navbar").bounding_box()
    assert nav["height"] <= 70, f"the header wraps: {nav['height']} px high"
    for selector in ("#notifications-link", "nav form button", "nav .navbar-user"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] + box["width"] <= 1280, f"{selector} is cut off"
    page.context.close()
