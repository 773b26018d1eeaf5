"""Every page of every role at a small and at the large size: SQL statements, response bytes,
p50 / p95 over 25 requests (Flask's test client, no network; the app frozen out of the garbage
collector's full passes, as wsgi.py serves it). Not a test: machines are noisy.

    .venv/bin/python benchmarks/pages.py                # SQLite files in /tmp
    .venv/bin/python benchmarks/pages.py --postgres     # maatjes_small / maatjes_large
    .venv/bin/python benchmarks/pages.py --requests 10 --large-scale 0.2

Both sizes are built by ``large_data.build`` (the small one at 1%), so the same accounts and
the same kinds of records exist in both. Exits 1 when a page's statement count differs between
the two sizes (it must not grow with the data), and prints which targets are missed: < 100 ms
p95 on PostgreSQL and < 150 KB at the large size.
"""

import argparse
import gc
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import large_data  # noqa: E402

from maatjes import create_app  # noqa: E402
from maatjes.extensions import db  # noqa: E402

ACCOUNTS = large_data.ACCOUNTS


def pages() -> list[tuple[str, str]]:
    """(role, path) of every page worth measuring; ``{…}`` is filled in per data set."""
    staff = [
        "/lead/",
        "/lead/waiting",
        "/residents/",
        "/residents/?q=ismael",
        "/residents/{resident}",
        "/residents/{waiting}/match",
        "/volunteers/",
        "/volunteers/{volunteer}",
        "/users/",
        "/handovers",
        "/handovers/{handover}",
        "/trainings/",
        "/matches/{match}",
        "/notifications",
        "/lead/retention",
    ]
    rows = [("lead", path) for path in staff]
    rows += [("admin", "/audit")]
    rows += [
        ("volunteer", path)
        for path in (
            "/me",
            "/matches/{match}",
            "/matches/{match}/contacts/new",
            "/handovers",
            "/notifications",
        )
    ]
    rows += [("buurtteam", "/handovers"), ("buurtteam", "/handovers/{handover}")]
    return rows


@contextmanager
def counting(engine):
    """A list that collects every SQL statement run on ``engine`` inside the block (not the
    BEGIN / SAVEPOINT / RELEASE of transactions)."""
    counted: list[str] = []

    def count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            counted.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", count)


def measured_sizes(postgres: bool, requests: int, large_scale: float, reuse: bool, measure):
    """Build (unless ``reuse``) the small (1%) and the large data set on SQLite files or the
    local PostgreSQL, and return {"small": measure(url, requests), "large": ...}."""
    if postgres:
        base = "postgresql+psycopg://postgres@127.0.0.1:5432/"
        urls = {"small": base + "maatjes_small", "large": base + "maatjes_large"}
        for url in urls.values():
            large_data.ensure_postgres_database(url)
    else:
        urls = {
            "small": "sqlite:////tmp/maatjes_small.db",
            "large": "sqlite:////tmp/maatjes_large.db",
        }
    scales = {"small": 0.01, "large": large_scale}
    measured = {}
    for size, url in urls.items():
        if not reuse:
            built = large_data.build(url, scales[size])
            print(f"{size}: built in {built['seconds']} s ({built['contacts']:,} contacts)")
        measured[size] = measure(url, requests)
    return measured


def logged_in_client(app, user_id: int):
    """A test client with the session of ``user_id`` (in Dutch), without the login round trip."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:0"
        session["_fresh"] = True
        session["locale"] = "nl"
    return client


def timed(client, path: str, requests: int, counted: list) -> tuple[int, int, float, float]:
    """(statements, bytes, p50 ms, p95 ms) of ``requests`` GETs of ``path`` after one that warms
    the caches; ``counted`` is the list a cursor listener appends each statement to."""
    times = []
    for attempt in range(requests + 1):
        with client.session_transaction() as session:
            session["seen"] = time.time()
        counted.clear()
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        if attempt:  # the first request warms caches
            times.append(elapsed)
    p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
    return len(counted), len(response.get_data()), statistics.median(times), p95


def deployed_app(config: dict):
    """The app as wsgi.py serves it: created, then its long-lived objects frozen out of the
    garbage collector's full passes (``gc.freeze``)."""
    app = create_app(config)
    gc.freeze()
    return app


def measure(url: str, requests: int) -> dict[tuple[str, str], tuple[int, int, float, float]]:
    app = deployed_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    )
    with app.app_context():
        engine = db.engine
        waiting = db.session.execute(
            db.text(
                "SELECT min(r.id) FROM residents r WHERE r.closed_on IS NULL AND NOT EXISTS "
                "(SELECT 1 FROM matches m WHERE m.resident_id = r.id AND m.ended_on IS NULL)"
            )
        ).scalar()
        handover = db.session.execute(
            db.text("SELECT min(id) FROM handovers WHERE area_id = 2")
        ).scalar()
    ids = {"resident": 1, "match": 1, "volunteer": 1, "waiting": waiting, "handover": handover}
    results = {}
    clients = {}
    with counting(engine) as counted:
        for role, page in pages():
            path = page.format(**ids)
            client = clients.get(role)
            if client is None:
                client = clients[role] = logged_in_client(app, ACCOUNTS[role])
            results[(role, page)] = timed(client, path, requests, counted)
    with app.app_context():
        db.engine.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--requests", type=int, default=25)
    parser.add_argument("--large-scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true", help="do not rebuild the data sets")
    args = parser.parse_args()
    measured = measured_sizes(args.postgres, args.requests, args.large_scale, args.reuse, measure)
    postgres = args.postgres
    print()
    header = (
        f"{'role':<10} {'page':<34} {'stmts':>11} {'KB small→large':>16}"
        f" {'p50 ms':>8} {'p95 ms':>8}"
    )
    print(header)
    print("-" * len(header))
    grown, missed = [], []
    for key, (statements, size, p50, p95) in measured["large"].items():
        small_statements, small_size, _p50, _p95 = measured["small"][key]
        role, path = key
        flag = "" if small_statements == statements else "  ← grows"
        print(
            f"{role:<10} {path:<34} {small_statements:>4} → {statements:<4}"
            f" {small_size / 1024:>6.1f} → {size / 1024:<6.1f} {p50:>8.1f} {p95:>8.1f}{flag}"
        )
        if flag:
            grown.append(key)
        if size > 150 * 1024:
            missed.append(f"{role} {path}: {size / 1024:.0f} KB (target < 150 KB)")
        if postgres and p95 >= 100:
            missed.append(f"{role} {path}: p95 {p95:.0f} ms (target < 100 ms on PostgreSQL)")
    print()
    for line in missed:
        print("target missed:", line)
    if grown:
        print(f"{len(grown)} page(s) issue more statements at the large size")
        return 1
    print("statement counts are the same at both sizes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
