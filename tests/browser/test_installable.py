"""The app can be installed on a phone's home screen: Chromium itself reports no installability
error for the volunteer's home (a manifest with a start URL, name, icons and display mode, and a
service worker in control), in a normal (not incognito) profile as a phone has."""

import pytest

from maatjes.demo import DEMO_PASSWORD
from tests.browser.conftest import CHROMIUM, PHONE, ROLE_LOGINS, TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_chromium_finds_the_volunteers_home_installable(demo_site, chromium, tmp_path):
    _app, base = demo_site
    context = chromium.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="nl-NL",
    )
    try:
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto(f"{base}/login", wait_until="load")
        page.fill("input[name=email]", ROLE_LOGINS["volunteer"])
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation(wait_until="load"):
            page.click("form button[type=submit]")
        page.goto(f"{base}/me", wait_until="load")
        assert page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
        page.reload(wait_until="load")  # now under the worker's control
        assert page.evaluate("!!navigator.serviceWorker.controller")
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [] and '"start_url"' in manifest["data"]
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()
