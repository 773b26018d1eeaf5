"""What the audit log costs a page: the resident page and the contact form, with and without the
audit row, measured in one run, alternating.

    .venv/bin/python benchmarks/audit_benchmark.py                 # SQLite
    .venv/bin/python benchmarks/audit_benchmark.py --postgres      # local PostgreSQL
    .venv/bin/python benchmarks/audit_benchmark.py --postgres URL  # another (emptied!) database
    MAATJES_BENCH_DATABASE_URL=URL .venv/bin/python benchmarks/audit_benchmark.py   # the same

Loads the demo data into a fresh database, then for each page takes ROUNDS rounds of N requests
with the audit row and N without (``audit.record`` made a no-op), and prints p50/p95 of each and
the ratio. Not a test: machines are noisy; the ratio of one run is what counts.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from maatjes import create_app  # noqa: E402
from maatjes.demo import load_demo  # noqa: E402
from maatjes.domain import audit  # noqa: E402
from maatjes.extensions import db  # noqa: E402
from maatjes.models import Base, Match, Role, User  # noqa: E402

# A database of its own (created when missing): the benchmark drops and creates its tables.
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/maatjes_bench"
N = 100
ROUNDS = 3


def measure(client, url: str) -> list[float]:
    times = []
    for _ in range(N):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def _ensure_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=POSTGRES,
        default=os.environ.get("MAATJES_BENCH_DATABASE_URL"),
        metavar="URL",
    )
    args = parser.parse_args()
    if args.postgres:
        _ensure_database(args.postgres)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.postgres or f"sqlite:///{Path(tmp) / 'audit.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
        with app.app_context():
            Base.metadata.drop_all(db.engine)
            Base.metadata.create_all(db.engine)
            load_demo(db.session)
            db.session.commit()
            lead = db.session.scalar(select(User).where(User.role == Role.LEAD))
            match = db.session.scalar(select(Match).where(Match.ended_on.is_(None)))
            volunteer_user = match.volunteer.user_id
            ids = lead.id, lead.session_version, match.resident_id, match.id
        pages = {
            "resident page (lead)": (ids[0], ids[1], f"/residents/{ids[2]}"),
            "contact form (volunteer)": (volunteer_user, 1, f"/matches/{ids[3]}/contacts/new"),
        }
        real_record = audit.record
        print(f"audit cost on {url.split(':')[0]}: {ROUNDS} rounds of {N} requests each")
        print(f"{'page':28} {'with p50':>9} {'p95':>7} {'without p50':>12} {'p95':>7} {'ratio':>6}")
        for name, (user_id, version, page) in pages.items():
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = f"{user_id}:{version}"
            client.get(page)  # warm up
            with_audit, without = [], []
            for _ in range(ROUNDS):
                audit.record = real_record
                with_audit += measure(client, page)
                audit.record = lambda *a, **k: None
                without += measure(client, page)
            audit.record = real_record
            p50w, p50o = statistics.median(with_audit), statistics.median(without)
            p95w = statistics.quantiles(with_audit, n=20)[18]
            p95o = statistics.quantiles(without, n=20)[18]
            print(
                f"{name:28} {p50w:8.1f}ms {p95w:6.1f}ms {p50o:11.1f}ms {p95o:6.1f}ms "
                f"{p50w / p50o:6.2f}"
            )
        with app.app_context():
            if args.postgres:
                Base.metadata.drop_all(db.engine)
            db.engine.dispose()


if __name__ == "__main__":
    main()
