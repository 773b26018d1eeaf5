"""Requests per second of the volunteer's own pages against a bare reference page, measured
side by side under gunicorn (2 sync workers), on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/throughput.py                  # both databases
    .venv/bin/python benchmarks/throughput.py --sqlite-only --seconds 3

The reference (benchmarks/reference/app.py) renders one template with one indexed query. Each
round measures the reference and each app page in turn for ``--seconds`` with ``--clients``
concurrent keep-alive-less clients (Python threads); three rounds; the ratio of each page's
median to the reference's median is printed. Target: >= 0.5 for the volunteer's home, contact
form and match page. The data set is benchmarks/large_data.py at 10% (1,000 residents, 100,000
contacts); the volunteer is its account 1, with two residents.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import large_data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECRET = "throughput-" + "x" * 40
PAGES = ("/me", "/matches/1/contacts/new", "/matches/1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(app: str, port: int, env: dict, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "/dev/null", "-w", "2", "-k", "sync",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115 (closed with the process)
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn for {app} did not start; see {log}") from None
            time.sleep(0.2)


def _session_cookie(url: str) -> str:
    """A signed session for the volunteer (account 1), as the app itself would make it."""
    os.environ["MAATJES_DATABASE_URL"] = url
    from maatjes import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps(
        {"_user_id": "1:0", "_fresh": True, "seen": time.time() + 3600, "locale": "nl"}
    )
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def _rate(port: int, path: str, cookie: str, seconds: float, clients: int) -> float:
    done = [0] * clients
    failures = []
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < stop:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                failures.append(response.status)
                return
            done[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{path}: HTTP {failures[0]}")
    return sum(done) / (time.monotonic() - started)


def measure(url: str, seconds: float, clients: int, rounds: int) -> dict[str, list[float]]:
    built = large_data.build(url, 0.1)
    print(f"{url}: data built in {built['seconds']} s")
    cookie = _session_cookie(url)
    env = {**os.environ, "MAATJES_DATABASE_URL": url, "MAATJES_SECRET_KEY": SECRET,
           "MAATJES_ENV": "development"}  # fmt: skip
    env.pop("MAATJES_TEST_DATABASE_URL", None)
    logs = Path(tempfile.mkdtemp(prefix="throughput-"))
    app_port, reference_port = _free_port(), _free_port()
    servers = [
        _start("wsgi:app", app_port, env, logs / "app.log"),
        _start("benchmarks.reference.app:app", reference_port, env, logs / "reference.log"),
    ]
    rates: dict[str, list[float]] = {"/reference": [], **{page: [] for page in PAGES}}
    try:
        _rate(app_port, PAGES[0], cookie, 1, clients)  # warm both up
        _rate(reference_port, "/reference", cookie, 1, clients)
        for _ in range(rounds):
            for page in PAGES:
                rates["/reference"].append(
                    _rate(reference_port, "/reference", cookie, seconds, clients)
                )
                rates[page].append(_rate(app_port, page, cookie, seconds, clients))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
    return rates


def report(name: str, rates: dict[str, list[float]]) -> bool:
    reference = statistics.median(rates["/reference"])
    print(f"\n{name}: reference {reference:.0f} requests/s (median of {len(rates['/reference'])})")
    ok = True
    for page in PAGES:
        median = statistics.median(rates[page])
        ratio = median / reference
        ok &= ratio >= 0.5
        rounds = ", ".join(f"{r:.0f}" for r in rates[page])
        print(f"  {page:<28} {median:6.0f} requests/s  ({rounds})  ratio {ratio:.2f}"
              f"{'' if ratio >= 0.5 else '  < 0.5'}")  # fmt: skip
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/maatjes_throughput"
    )
    args = parser.parse_args()
    databases = {"SQLite": f"sqlite:///{tempfile.mkdtemp(prefix='throughput-')}/maatjes.db"}
    if not args.sqlite_only:
        large_data.ensure_postgres_database(args.postgres)
        databases["PostgreSQL"] = args.postgres
    ok = True
    for name, url in databases.items():
        ok &= report(name, measure(url, args.seconds, args.clients, args.rounds))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
