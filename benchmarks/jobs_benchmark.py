"""How long one pass of each scheduled job takes, and how many SQL statements it issues.

    .venv/bin/python benchmarks/jobs_benchmark.py                      # SQLite, 50,000 matches
    .venv/bin/python benchmarks/jobs_benchmark.py --postgres           # local PostgreSQL
    .venv/bin/python benchmarks/jobs_benchmark.py --matches 5000       # another size

Each size is generated fresh (two matches per volunteer, contacts in about 60% of the weeks,
handovers waiting), then every job runs once with its claim bypassed. The statement count must
not grow with the number of matches: run two sizes and compare. Not a test: machines are noisy.
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from maatjes import create_app  # noqa: E402
from maatjes.domain.clock import AMSTERDAM  # noqa: E402
from maatjes.extensions import db  # noqa: E402
from maatjes.jobs import JOBS, run_job  # noqa: E402
from maatjes.models import (  # noqa: E402
    Area,
    Base,
    Contact,
    Handover,
    Language,
    Match,
    Organisation,
    Resident,
    ResidentLanguage,
    User,
    Volunteer,
)
from maatjes.models.volunteer import volunteer_languages  # noqa: E402

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/maatjes_benchmark"
NOW = datetime(2022, 3, 7, 7, 30, tzinfo=AMSTERDAM).astimezone(UTC)  # a Monday morning
TODAY = NOW.astimezone(AMSTERDAM).date()
CHUNK = 5000


def ensure_postgres_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def chunks(rows: list[dict]):
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def bulk(connection, table, rows: list[dict]) -> None:
    for part in chunks(rows):
        connection.execute(insert(table), part)


def generate(matches: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    volunteers = matches // 2
    now = NOW.replace(tzinfo=None)
    with db.engine.begin() as c:
        c.execute(
            insert(Area),
            [
                {"id": 1, "name": "Bijlmer-Centrum"},
                {"id": 2, "name": "Bijlmer-Oost"},
                {"id": 3, "name": "Gaasperdam/Driemond"},
            ],
        )
        c.execute(insert(Organisation), [{"id": 1, "name": "ProFor", "kind": "member"}])
        c.execute(insert(Language), [{"code": code} for code in ("nl", "tw", "srn", "pap")])
        users = [
            {
                "id": i,
                "email": f"u{i}@bench.test",
                "name": f"User {i}",
                "role": "volunteer",
                "active": True,
                "email_notifications": True,
                "email_digest": False,
                "created_at": now,
            }
            for i in range(1, volunteers + 1)
        ]
        base = volunteers
        users += [
            {
                "id": base + 1,
                "email": "lead1@bench.test",
                "name": "Lead 1",
                "role": "lead",
                "active": True,
                "email_notifications": True,
                "email_digest": False,
                "created_at": now,
            },
            {
                "id": base + 2,
                "email": "lead2@bench.test",
                "name": "Lead 2",
                "role": "lead",
                "active": True,
                "email_notifications": True,
                "email_digest": False,
                "created_at": now,
            },
        ]
        users += [
            {
                "id": base + 2 + a,
                "email": f"pin{a}@bench.test",
                "name": f"Pin {a}",
                "role": "linking_pin",
                "area_id": a,
                "active": True,
                "email_notifications": True,
                "email_digest": False,
                "created_at": now,
            }
            for a in (1, 2, 3)
        ]
        bulk(c, User.__table__, users)
        bulk(
            c,
            Volunteer.__table__,
            [
                {
                    "id": i,
                    "name": f"Volunteer {i}",
                    "organisation_id": 1,
                    "phone": "0600000000",
                    "availability": "",
                    "user_id": i,
                    "active": True,
                    "created_at": now,
                    "vog_date": TODAY - timedelta(days=rng.randint(0, 4 * 365)),
                }
                for i in range(1, volunteers + 1)
            ],
        )
        bulk(
            c,
            volunteer_languages,
            [{"volunteer_id": i, "language_code": "tw"} for i in range(1, volunteers + 1)],
        )
        bulk(
            c,
            Resident.__table__,
            [
                {
                    "id": i,
                    "first_name": f"R{i}",
                    "last_name": "X",
                    "phone": "0611111111",
                    "phone_digits": "0611111111",
                    "area_id": 1 + i % 3,
                    "neighbourhood": "",
                    "needs": [],
                    "source": "self",
                    "consent_on": TODAY,
                    "consent_recorded_by_id": base + 1,
                    "created_at": now,
                }
                for i in range(1, matches + 1)
            ],
        )
        bulk(
            c,
            ResidentLanguage.__table__,
            [{"resident_id": i, "language_code": "tw", "rank": 1} for i in range(1, matches + 1)],
        )
        match_rows, contact_rows = [], []
        for i in range(1, matches + 1):
            start = TODAY - timedelta(days=rng.randint(0, 16 * 7))
            match_rows.append(
                {
                    "id": i,
                    "volunteer_id": (i + 1) // 2,
                    "resident_id": i,
                    "slot": 1 + i % 2,
                    "started_on": start,
                    "created_by_id": base + 1,
                    "created_at": now,
                }
            )
            day = start
            while day <= TODAY:
                if rng.random() < 0.6:
                    contact_rows.append(
                        {
                            "match_id": i,
                            "contact_on": day,
                            "kind": "phone",
                            "topics": [],
                            "note": "",
                            "needs_attention": False,
                            "logged_by_id": (i + 1) // 2,
                            "created_at": now,
                        }
                    )
                day += timedelta(days=7)
        bulk(c, Match.__table__, match_rows)
        bulk(c, Contact.__table__, contact_rows)
        bulk(
            c,
            Handover.__table__,
            [
                {
                    "id": i,
                    "resident_id": i,
                    "direction": "to_buurtteam",
                    "area_id": 1 + i % 3,
                    "sender_id": base + 1,
                    "reason": "x",
                    "needs": "",
                    "urgency": "normal",
                    "consent_on": TODAY,
                    "status": "sent" if i % 2 else "accepted",
                    "created_at": now - timedelta(days=20),
                    "status_changed_at": now - timedelta(days=20),
                }
                for i in range(1, matches // 20 + 1)
            ],
        )
    return len(contact_rows)


def measure(app) -> list[tuple[str, float, int, int]]:
    statements = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def count(*_args):
        statements.append(1)

    results = []
    for job in JOBS:
        statements.clear()
        started = time.perf_counter()
        created = run_job(db.session, job, now=NOW, config=app.config, force=True)
        db.session.commit()
        elapsed = time.perf_counter() - started
        results.append((job.name, elapsed, len(statements), created))
    event.remove(db.engine, "before_cursor_execute", count)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--postgres", action="store_true", help=f"use {POSTGRES}")
    parser.add_argument("--database-url", help="any SQLAlchemy URL (its tables are replaced)")
    args = parser.parse_args()

    for size in args.matches:
        if args.database_url:
            url = args.database_url
        elif args.postgres:
            url = POSTGRES
            ensure_postgres_database(url)
        else:
            url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            Base.metadata.drop_all(db.engine)
            Base.metadata.create_all(db.engine)
            started = time.perf_counter()
            contacts = generate(size)
            if db.engine.dialect.name == "postgresql":
                # what autovacuum does for a live database: planner statistics
                with db.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT"
                ) as connection:
                    connection.execute(text("ANALYZE"))
            generated = time.perf_counter() - started
            backend = db.engine.dialect.name
            print(
                f"\n{backend}: {size:,} active matches, {contacts:,} contacts "
                f"(generated in {generated:.1f} s)"
            )
            for label in ("first pass (creates everything due)", "second pass (nothing new)"):
                print(f"{label}:")
                print(f"{'job':<20}{'seconds':>10}{'statements':>12}{'created':>10}")
                results = measure(app)
                for name, elapsed, count, created in results:
                    print(f"{name:<20}{elapsed:>10.3f}{count:>12}{created:>10}")
                print(f"{'whole pass':<20}{sum(r[1] for r in results):>10.3f}")
            Base.metadata.drop_all(db.engine)
            db.engine.dispose()


if __name__ == "__main__":
    main()
