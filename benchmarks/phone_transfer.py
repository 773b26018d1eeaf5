"""What a volunteer's phone transfers (issue 14): the first visit of the home (/me) with every
asset it loads, and how many requests a second page needs once those assets are cached.

Starts gunicorn (the repository's gunicorn.conf.py, production settings) on loopback over a
fresh SQLite file with the demo data, logs in as the demo volunteer and fetches with
``Accept-Encoding: gzip`` (and again with brotli). With Playwright and Debian's chromium, it also
measures the time until the home is usable (the load event: CSS applied, scripts run) under
"slow 3G" (DevTools protocol: 400 ms latency, 400 kbit/s down, 400 kbit/s up), first and
second visit, and counts the requests that reach the network. Not a test: prints figures.

    .venv/bin/python benchmarks/phone_transfer.py
    .venv/bin/python benchmarks/phone_transfer.py --no-browser
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VOLUNTEER = "akosua@demo.moneymaatjes.nl"
BUDGET = 100 * 1024
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}


class Assets(HTMLParser):
    """The CSS, JS, icons and manifest a page makes the browser load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif (
            tag == "link"
            and attrs.get("href")
            and attrs.get("rel")
            in (
                "stylesheet",
                "icon",
                "manifest",
                "apple-touch-icon",
            )
        ):
            self.urls.append(attrs["href"])


def assets_of(html: str) -> list[str]:
    parser = Assets()
    parser.feed(html)
    return list(dict.fromkeys(parser.urls))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(path: Path) -> dict:
    env = {**os.environ, "MAATJES_DATABASE_URL": f"sqlite:///{path}", "FLASK_APP": "wsgi.py"}
    env.pop("MAATJES_ENV", None)
    flask = str(Path(sys.executable).parent / "flask")
    for command in (["db", "upgrade"], ["maatjes", "demo"]):
        subprocess.run([flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def start_gunicorn(db_path: Path, port: int, workdir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "MAATJES_ENV": "production",
        "MAATJES_SECRET_KEY": "b" * 48,
        "MAATJES_DATABASE_URL": f"sqlite:///{db_path}",
        "MAATJES_ALLOW_SQLITE_IN_PRODUCTION": "1",
        "MAATJES_BIND": f"127.0.0.1:{port}",
        "MAATJES_WORKERS": "2",
        "MAATJES_ACCESS_LOG": str(workdir / "access.log"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.2)


class Client:
    """urllib with a cookie jar; never decompresses, so lengths are the bytes on the wire."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, encoding: str = "gzip"):
        request = urllib.request.Request(self.base + path, headers={"Accept-Encoding": encoding})
        with self.opener.open(request, timeout=30) as response:
            body = response.read()
            head = sum(len(k) + len(v) + 4 for k, v in response.headers.items()) + 17
            return response.status, response.headers, body, head

    def login(self) -> None:
        from maatjes.demo import DEMO_PASSWORD

        _status, _headers, body, _head = self.get("/login", "identity")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body)
        token = token or re.search(rb'name="csrf_token" value="([^"]+)"', body)
        data = urllib.parse.urlencode(
            {"csrf_token": token.group(1).decode(), "email": VOLUNTEER, "password": DEMO_PASSWORD}
        ).encode()
        with self.opener.open(self.base + "/login", data=data, timeout=30) as response:
            assert not response.url.endswith("/login"), "the demo volunteer could not log in"


def text_of(body: bytes, headers) -> str:
    encoding = headers.get("Content-Encoding")
    if encoding == "gzip":
        import gzip

        body = gzip.decompress(body)
    elif encoding == "br":
        import brotli

        body = brotli.decompress(body)
    return body.decode()


def transfer(client: Client, encoding: str) -> tuple[int, list[str], str]:
    print(f"\nFirst visit of /me, Accept-Encoding: {encoding}")
    print(f"  {'resource':<62} {'encoding':>8} {'body':>8} {'+head':>7}  cache-control")
    status, headers, body, head = client.get("/me", encoding)
    assert status == 200
    html = text_of(body, headers)
    rows = [("/me", headers, body, head)]
    urls = assets_of(html)
    for url in urls:
        _s, h, b, hd = client.get(url, encoding)
        rows.append((url, h, b, hd))
    total = 0
    for url, h, b, hd in rows:
        total += len(b) + hd
        shown = url if len(url) <= 62 else url[:28] + "…" + url[-33:]
        print(
            f"  {shown:<62} {h.get('Content-Encoding', '-'):>8} {len(b):>8} {hd:>7}"
            f"  {h.get('Cache-Control', '')}"
        )
    verdict = "under" if total < BUDGET else "OVER"
    print(f"  total: {total} bytes ({total / 1024:.1f} KB, {verdict} the 100 KB budget)")
    return total, urls, html


def second_page(client: Client, cached: list[str], home_html: str) -> None:
    form = re.search(r'href="(/matches/\d+/contacts/new)"', home_html)
    path = form.group(1) if form else "/trainings/mine"
    _status, headers, body, _head = client.get(path)
    urls = assets_of(text_of(body, headers))
    immutable = set()
    for url in cached:
        _s, h, b, _hd = client.get(url)
        if "immutable" in h.get("Cache-Control", ""):
            immutable.add(url)
    needed = [url for url in urls if url not in immutable]
    print(
        f"\nSecond page {path}: {1 + len(needed)} request(s) (the page{', ' if needed else ''}"
        f"{', '.join(needed)}); {len(urls)} assets already cached as immutable"
    )


def browser_timings(base: str, client: Client) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("\n(Playwright missing: no browser timings)")
        return
    if not Path(CHROMIUM).exists():
        print(f"\n({CHROMIUM} missing: no browser timings)")
        return
    cookies = [
        {"name": c.name, "value": c.value, "domain": "127.0.0.1", "path": c.path or "/"}
        for c in client.jar
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-quic"]
        )
        # The service worker is blocked: this measures what the HTTP cache and the server do.
        context = browser.new_context(
            viewport={"width": 375, "height": 667}, service_workers="block", locale="nl-NL"
        )
        context.add_cookies(cookies)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        seen: dict[str, dict] = {}

        def sent(event):
            seen[event["requestId"]] = {"url": event["request"]["url"], "cache": False, "bytes": 0}

        def from_cache(event):
            if event["requestId"] in seen:
                seen[event["requestId"]]["cache"] = True

        def finished(event):
            if event["requestId"] in seen:
                seen[event["requestId"]]["bytes"] = event.get("encodedDataLength", 0)

        def received(event):
            if event["requestId"] in seen and event["response"].get("fromDiskCache"):
                seen[event["requestId"]]["cache"] = True

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.requestServedFromCache", from_cache)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.responseReceived", received)
        print('\nChromium at 375×667, "slow 3G" (400 ms, 400 kbit/s), service worker blocked:')
        for label, path in (("first visit of /me", "/me"), ("second page", None)):
            seen.clear()
            if path is None:
                link = page.query_selector("a[href*='/contacts/new']")
                path = link.get_attribute("href") if link else "/trainings/mine"
            started = time.monotonic()
            page.goto(base + path, wait_until="load", timeout=120_000)
            page.wait_for_load_state("load")
            elapsed = time.monotonic() - started
            page.wait_for_load_state("networkidle")  # the icons come after the load event
            network = [r for r in seen.values() if not r["cache"]]
            total = sum(r["bytes"] for r in network)
            print(
                f"  {label} ({path}): usable after {elapsed:.2f} s; {len(network)} request(s) "
                f"over the network, {total} bytes ({total / 1024:.1f} KB); "
                f"{len(seen) - len(network)} from the cache"
            )
            for request in network:
                print(f"    {request['bytes']:>7}  {request['url'].replace(base, '')}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="maatjes-phone-"))
    db_path = workdir / "bench.db"
    print(f"Preparing the demo data in {db_path} …")
    prepare_database(db_path)
    port = free_port()
    process = start_gunicorn(db_path, port, workdir)
    base = f"http://127.0.0.1:{port}"
    try:
        client = Client(base)
        client.login()
        total, urls, html = transfer(client, "gzip")
        transfer(client, "br")
        second_page(client, urls, html)
        if not args.no_browser:
            browser_timings(base, client)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
