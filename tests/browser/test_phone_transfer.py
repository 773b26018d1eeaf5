"""What a volunteer's phone transfers, counted from Chromium's own network events (DevTools
protocol): the first visit of the home under 100 KB in all, a second page one request (the
HTML; every asset comes from the HTTP cache without asking). The service worker is blocked, so
that this measures the server's caching and compression, not the worker's copy.

The timings on "slow 3G" are printed by benchmarks/phone_transfer.py, not asserted here."""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import PHONE, TIMEOUT_MS, logged_in_page

pytestmark = pytest.mark.browser


def _watch(context, page) -> dict:
    """requestId -> {url, cache, bytes}, filled from the DevTools protocol's network events."""
    seen: dict[str, dict] = {}
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")

    def sent(event):
        seen[event["requestId"]] = {"url": event["request"]["url"], "cache": False, "bytes": 0}

    def from_cache(event):
        if event["requestId"] in seen:
            seen[event["requestId"]]["cache"] = True

    def received(event):
        response = event["response"]
        if event["requestId"] in seen and (
            response.get("fromDiskCache") or response.get("fromPrefetchCache")
        ):
            seen[event["requestId"]]["cache"] = True

    def finished(event):
        if event["requestId"] in seen:
            seen[event["requestId"]]["bytes"] = event.get("encodedDataLength", 0)

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.requestServedFromCache", from_cache)
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    return seen


def test_the_first_home_is_under_100_kb_and_a_second_page_is_one_request(demo_site, chromium):
    _app, base = demo_site
    # Log in once to get the session cookie; then a fresh phone (empty cache) with that cookie.
    login_page = logged_in_page(chromium, base, "volunteer")
    cookies = login_page.context.cookies()
    login_page.context.close()

    context = chromium.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="nl-NL", service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies(cookies)
    page = context.new_page()
    seen = _watch(context, page)
    try:
        page.goto(f"{base}/me", wait_until="load")
        page.wait_for_load_state("networkidle")  # the icons and manifest come after "load"
        assert urlsplit(page.url).path == "/me"
        network = [r for r in seen.values() if not r["cache"]]
        total = sum(r["bytes"] for r in network)
        listing = "\n".join(f"{r['bytes']:>7} {r['url']}" for r in network)
        assert total < 100 * 1024, f"{total} bytes on the first visit:\n{listing}"
        assert any("/static/" in r["url"] and r["url"].endswith(".css") for r in network)

        link = page.locator("a[href*='/contacts/new']").first
        second = link.get_attribute("href")
        seen.clear()
        page.goto(f"{base}{second}", wait_until="load")
        page.wait_for_load_state("networkidle")
        network = [r for r in seen.values() if not r["cache"]]
        urls = [r["url"] for r in network]
        assert len(network) == 1 and urlsplit(urls[0]).path == second, urls
    finally:
        context.close()
