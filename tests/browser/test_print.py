"""Issue 9, item 24: the overview and a resident page on paper: A4, no navigation, no footer,
no buttons or forms, tables not cut mid-row; the overview of the demo fits on one page.

Runs with `make test-browser` (headless Chromium prints to PDF).
"""

import re

import pytest

from tests.browser.conftest import ARTIFACTS, DESKTOP, logged_in_page

pytestmark = pytest.mark.browser

A4_POINTS = (595, 842)  # 210 x 297 mm


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The size of each page of a PDF made by Chromium (uncompressed page objects)."""
    assert pdf.startswith(b"%PDF")
    count = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert count >= 1
    assert len(boxes) >= 1
    return [(float(w), float(h)) for w, h in boxes[:count]]


def _hidden(page, selector):
    return page.eval_on_selector_all(
        selector, "els => els.map(e => getComputedStyle(e).display === 'none')"
    )


@pytest.fixture(scope="module")
def lead_page(demo_site, chromium):
    _app, url = demo_site
    page = logged_in_page(chromium, url, "lead", viewport=DESKTOP)
    yield page, url
    page.context.close()


def _print_view(page, url, path):
    page.emulate_media(media="screen")
    page.goto(url + path, wait_until="load")
    assert page.locator("nav.navbar").is_visible()  # on screen it is there
    page.emulate_media(media="print")
    assert _hidden(page, "nav.navbar") == [True]
    assert _hidden(page, "footer") == [True]
    assert all(_hidden(page, "main form"))
    assert all(_hidden(page, "main .btn"))
    # links print as text, without their address after them
    after = page.eval_on_selector_all(
        "main a[href]", "els => els.map(e => getComputedStyle(e, '::after').content)"
    )
    assert set(after) <= {"none", "normal"}
    # What is printed: the content, not the navigation's or the footer's words.
    printed = page.locator("body").inner_text()
    assert "Uitloggen" not in printed
    assert page.locator("nav .navbar-brand").inner_text() not in printed.splitlines()
    assert page.locator("main h1").inner_text() in printed
    rows = page.eval_on_selector_all(
        "main tr", "els => els.map(e => getComputedStyle(e).breakInside)"
    )
    assert set(rows) <= {"avoid"}
    return page.pdf(format="A4", print_background=True)


def test_the_overview_prints_on_one_a4_page_without_navigation(lead_page):
    page, url = lead_page
    pdf = _print_view(page, url, "/lead/")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "lead-overview-print.pdf").write_bytes(pdf)
    pages = _pdf_pages(pdf)
    assert len(pages) == 1, f"{len(pages)} pages"
    width, height = pages[0]
    assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2


def test_a_resident_page_prints_without_navigation(lead_page):
    page, url = lead_page
    page.emulate_media(media="screen")
    page.goto(f"{url}/residents/", wait_until="load")
    resident = page.locator("main table a[href^='/residents/']").first.get_attribute("href")
    pdf = _print_view(page, url, resident)
    (ARTIFACTS / "lead-resident-print.pdf").write_bytes(pdf)
    pages = _pdf_pages(pdf)
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in pages)


def test_the_funder_report_prints_on_a4_with_its_period_and_without_navigation(lead_page):
    """Issue 11: the report of a year on paper: A4 pages, no navigation, no filter form and no
    download links, the period and the filters in the heading, no part cut across pages."""
    page, url = lead_page
    pdf = _print_view(page, url, "/lead/report?period=year")
    (ARTIFACTS / "lead-report-print.pdf").write_bytes(pdf)
    pages = _pdf_pages(pdf)
    # Nine parts of a year for the demo programme: more than one page, fewer than five.
    assert 2 <= len(pages) <= 4, f"{len(pages)} pages"
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in pages)
    printed = page.locator("body").inner_text()
    assert "Periode: " in printed and "Gebied: Alle" in printed
    assert "Downloaden als" not in printed  # the download links are for the screen
    assert not page.locator("#downloads").is_visible()
    parts = page.eval_on_selector_all(
        ".report-part", "els => els.map(e => getComputedStyle(e).breakInside)"
    )
    assert len(parts) == 9 and set(parts) == {"avoid"}
    # Nothing runs off the paper: at the width of A4 (794 px at 96 dpi) the widest tables
    # (nine columns per area and per organisation) fit.
    page.set_viewport_size({"width": 794, "height": 1123})
    assert page.evaluate("document.documentElement.scrollWidth") <= 794
