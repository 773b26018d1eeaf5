"""The large data set of issue 10, built by bulk inserts through the schema, on SQLite or
PostgreSQL: 10,000 residents, 3,000 volunteers, 5,000 active and 20,000 ended matches,
1,000,000 contacts, 3,000 handovers (and the accounts to look at it with).

    .venv/bin/python benchmarks/large_data.py                         # SQLite file in /tmp
    .venv/bin/python benchmarks/large_data.py --postgres              # maatjes_large on localhost
    .venv/bin/python benchmarks/large_data.py --database URL --scale 0.1

Other benchmarks import ``build(url, scale)``. The accounts to log in with are named in
``ACCOUNTS`` (the same ids at every scale). Contacts go in with COPY on PostgreSQL.
"""

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from maatjes.models import (  # noqa: E402
    Area,
    Base,
    Contact,
    Handover,
    HandoverEvent,
    Language,
    Match,
    Organisation,
    Resident,
    ResidentLanguage,
    Training,
    TrainingAttendance,
    TrainingSession,
    User,
    Volunteer,
    rollup,  # noqa: E402
)
from maatjes.models.volunteer import volunteer_areas, volunteer_languages  # noqa: E402

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/maatjes_large"
TODAY = date(2026, 11, 18)  # a Wednesday; pages are measured "today" (time is not frozen)
CHUNK = 10_000
FULL = {
    "residents": 10_000,
    "volunteers": 3_000,
    "active_matches": 5_000,
    "ended_matches": 20_000,
    "contacts": 1_000_000,
    "handovers": 3_000,
}
AREAS = ("Bijlmer-Centrum", "Bijlmer-Oost", "Gaasperdam/Driemond")
LANGUAGES = ("nl", "en", "tw", "fat", "srn", "pap", "ar", "tr", "pt", "fr", "es", "hns")
FIRST = ("Ama", "Kofi", "Ïsmaël", "Sunita", "Kwame", "Esi", "Rafael", "Zeynep", "Chantal", "Yaw")
LAST = ("Owusu", "Mensah", "Ramdin", "Boateng", "Doğan", "Martina", "Pinas", "El Idrissi")
# Accounts with fixed ids (the volunteer user 1 has two active matches).
ACCOUNTS = {"volunteer": 1, "lead": 100_001, "admin": 100_002, "buurtteam": 100_003,
            "linking_pin": 100_004}  # fmt: skip


def ensure_postgres_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
        ).scalar():
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def _bulk(connection, table, rows) -> None:
    rows = list(rows)
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(table), rows[start : start + CHUNK])


def _copy_contacts(connection, rows) -> None:
    columns = (
        "id",
        "match_id",
        "contact_on",
        "kind",
        "duration_minutes",
        "topics",
        "stress_score",
        "note",
        "needs_attention",
        "attention_handled_at",
        "logged_by_id",
        "created_at",
    )
    raw = connection.connection.driver_connection
    statement = f"COPY contacts ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] if c != "topics" else "[]" for c in columns])


def build(url: str, scale: float = 1.0, seed: int = 7) -> dict[str, float]:
    """Create the schema afresh at ``url`` and fill it; returns counts and seconds taken."""
    rng = random.Random(seed)
    n = {key: max(1, int(value * scale)) for key, value in FULL.items()}
    n["active_matches"] = min(n["active_matches"], 2 * n["volunteers"] - 2)
    started = time.perf_counter()
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE"))
            c.execute(text("CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    now = datetime.combine(TODAY, datetime.min.time()).replace(tzinfo=UTC).replace(tzinfo=None)
    with engine.begin() as c:
        c.execute(insert(Area), [{"id": i + 1, "name": a} for i, a in enumerate(AREAS)])
        c.execute(
            insert(Organisation),
            [{"id": i, "name": f"Organisation {i}", "kind": "member"} for i in range(1, 11)],
        )
        c.execute(
            insert(Language),
            [{"code": code, "custom_name": "Sarnami Hindustani" if code == "hns" else None}
             for code in LANGUAGES],
        )  # fmt: skip
        user = {"active": True, "email_notifications": True, "email_digest": False}
        users = [
            {**user, "id": i, "email": f"v{i}@large.test", "name": f"Maatje {i}",
             "role": "volunteer", "area_id": None, "created_at": now}
            for i in range(1, n["volunteers"] + 1)
        ]  # fmt: skip
        for role, uid in ACCOUNTS.items():
            if role != "volunteer":
                users.append(
                    {**user, "id": uid, "email": f"{role}@large.test", "name": role.title(),
                     "role": role, "area_id": 2 if role in ("buurtteam", "linking_pin") else None,
                     "created_at": now}
                )  # fmt: skip
        _bulk(c, User.__table__, users)
        _bulk(
            c,
            Volunteer.__table__,
            (
                {"id": i, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                 "organisation_id": 1 + i % 10, "phone": f"+316{20000000 + i}",
                 "email": f"v{i}@large.test", "availability": "", "user_id": i, "active": True,
                 "created_at": now, "vog_date": TODAY - timedelta(days=rng.randint(0, 1400))}
                for i in range(1, n["volunteers"] + 1)
            ),
        )  # fmt: skip
        spoken = {i: rng.sample(LANGUAGES[:11], rng.choice((1, 1, 2))) for i in
                  range(1, n["volunteers"] + 1)}  # fmt: skip
        spoken[1] = ["tw", "nl"]
        _bulk(c, volunteer_languages,
              ({"volunteer_id": i, "language_code": code} for i, codes in spoken.items()
               for code in codes))  # fmt: skip
        areas = ({"volunteer_id": i, "area_id": 1 + i % 3} for i in range(1, n["volunteers"] + 1))
        _bulk(c, volunteer_areas, areas)
        c.execute(
            insert(Training),
            [{"id": 1, "name": "Basistraining", "kind": "basic", "description": ""},
             {"id": 2, "name": "Money Maatje training", "kind": "money_maatje", "description": ""}],
        )  # fmt: skip
        c.execute(
            insert(TrainingSession),
            [{"id": s, "training_id": 1 + (s - 1) % 2,
              "held_on": date(2024, 1, 10) + timedelta(days=30 * s)} for s in range(1, 21)],
        )  # fmt: skip
        attendance = []
        for i in range(1, n["volunteers"] + 1):
            if i > 2 and rng.random() < 0.05:
                continue  # about one in twenty is not trained yet
            basic = 1 + 2 * rng.randint(0, 4)
            attendance.append({"volunteer_id": i, "session_id": basic, "completed": True})
            attendance.append({"volunteer_id": i, "session_id": basic + 1 + 2 * rng.randint(0, 4),
                               "completed": True})  # fmt: skip
        _bulk(c, TrainingAttendance.__table__, attendance)
        residents = []
        for i in range(1, n["residents"] + 1):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            residents.append(
                {"id": i, "first_name": first, "last_name": f"{last} {i}",
                 "phone": f"+316{30000000 + i}", "phone_digits": f"316{30000000 + i}",
                 "area_id": 1 + i % 3, "neighbourhood": "", "needs": ["debts"],
                 "needs_other": "", "source": "self", "consent_on": TODAY - timedelta(days=400),
                 "consent_recorded_by_id": ACCOUNTS["lead"],
                 "created_at": now - timedelta(days=rng.randint(1, 900)),
                 "retention_postpone_reason": "", "closed_on": None}
            )  # fmt: skip
        wants = {i: rng.sample(LANGUAGES[:11], rng.choice((1, 1, 2))) for i in
                 range(1, n["residents"] + 1)}  # fmt: skip
        # Active matches: resident i with a volunteer who speaks one of its languages (here:
        # the resident takes the volunteer's first language), two per volunteer at most.
        active_rows, ended_rows = [], []
        for i in range(1, n["active_matches"] + 1):
            volunteer_id = (i + 1) // 2
            wants[i] = [spoken[volunteer_id][0]]
            active_rows.append(
                {"id": i, "volunteer_id": volunteer_id, "resident_id": i, "slot": 1 + (i + 1) % 2,
                 "started_on": TODAY - timedelta(days=rng.randint(0, 200)), "ended_on": None,
                 "outcome": None, "end_reason": None, "created_by_id": ACCOUNTS["lead"],
                 "created_at": now}
            )  # fmt: skip
        first_waiting = n["active_matches"] + 1
        waiting_cut = first_waiting + max(1, (n["residents"] - n["active_matches"]) // 5)
        for k in range(n["ended_matches"]):
            match_id = n["active_matches"] + 1 + k
            resident_id = 1 + k % n["residents"]
            start = TODAY - timedelta(days=rng.randint(120, 1500))
            ended = start + timedelta(days=rng.randint(10, 200))
            ended_rows.append(
                {"id": match_id, "volunteer_id": 1 + k % n["volunteers"],
                 "resident_id": resident_id, "slot": 1, "started_on": start,
                 "ended_on": min(ended, TODAY - timedelta(days=1)),
                 "outcome": rng.choice(("goals_reached", "buurtteam", "moved", "other")),
                 "end_reason": "Verhuisd" if ended - start < timedelta(days=91) else None,
                 "created_by_id": ACCOUNTS["lead"], "created_at": now}
            )  # fmt: skip
        for row in residents:
            if row["id"] >= waiting_cut:
                row["closed_on"] = TODAY - timedelta(days=rng.randint(1, 300))
        _bulk(c, Resident.__table__, residents)
        ranked = (
            {"resident_id": i, "language_code": code, "rank": rank}
            for i, codes in wants.items()
            for rank, code in enumerate(codes, start=1)
        )
        _bulk(c, ResidentLanguage.__table__, ranked)
        _bulk(c, Match.__table__, active_rows + ended_rows)
        matches = active_rows + ended_rows
        per_match = n["contacts"] // len(matches)
        extra = n["contacts"] - per_match * len(matches)

        def contacts():
            contact_id = 0
            for index, match in enumerate(matches):
                last = match.get("ended_on") or TODAY
                span = max(1, (last - match["started_on"]).days)
                count = per_match + (1 if index < extra else 0)
                for _ in range(count):
                    contact_id += 1
                    flagged = contact_id % 997 == 0
                    yield {
                        "id": contact_id, "match_id": match["id"],
                        "contact_on": match["started_on"] + timedelta(days=rng.randint(0, span)),
                        "kind": "phone" if contact_id % 3 else "visit", "duration_minutes": 30,
                        "topics": [], "stress_score": 1 + contact_id % 10, "note": "",
                        "needs_attention": flagged,
                        "attention_handled_at": now if flagged and contact_id % 5 else None,
                        "logged_by_id": match["volunteer_id"], "created_at": now,
                    }  # fmt: skip

        # The contact_weeks rollup: its triggers off for the bulk load, then filled at once
        # (as migration 0008 fills it), so a million rows load in seconds.
        if engine.dialect.name == "postgresql":
            c.execute(text("ALTER TABLE contacts DISABLE TRIGGER contact_weeks_keep"))
            _copy_contacts(c, contacts())
            c.execute(text("ALTER TABLE contacts ENABLE TRIGGER contact_weeks_keep"))
        else:
            for name in ("contact_weeks_insert", "contact_weeks_delete", "contact_weeks_update"):
                c.execute(text(f"DROP TRIGGER {name}"))
            _bulk(c, Contact.__table__, contacts())
            for statement in rollup.SQLITE:
                c.execute(text(statement))
        c.execute(text(rollup.BACKFILL[engine.dialect.name]))
        handovers, events = [], []
        for h in range(1, n["handovers"] + 1):
            status = rng.choice(("sent", "accepted", "first_contact", "completed", "declined"))
            created = now - timedelta(days=rng.randint(0, 300))
            handovers.append(
                {"id": h, "resident_id": 1 + h % n["residents"],
                 "direction": "to_buurtteam" if h % 4 else "to_maatjes", "area_id": 1 + h % 3,
                 "sender_id": ACCOUNTS["lead"], "reason": "Schulden", "needs": "",
                 "urgency": "normal", "consent_on": TODAY - timedelta(days=300),
                 "status": status, "receiver_name": None if status == "sent" else "Linda",
                 "receiver_phone": None if status == "sent" else "+31205550142",
                 "created_at": created, "status_changed_at": created}
            )  # fmt: skip
            events.append({"handover_id": h, "at": created, "by_id": ACCOUNTS["lead"],
                           "status": "sent", "note": ""})  # fmt: skip
        _bulk(c, Handover.__table__, handovers)
        _bulk(c, HandoverEvent.__table__, events)
    if engine.dialect.name == "postgresql":
        with engine.begin() as c:
            for table in ("users", "volunteers", "residents", "matches", "contacts", "handovers",
                          "handover_events", "organisations", "areas", "trainings",
                          "training_sessions", "training_attendances"):  # fmt: skip
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT coalesce(max(id), 1) FROM {table}))"))  # fmt: skip
        # What autovacuum does soon after a bulk load in production: statistics, and the
        # visibility map that lets index-only scans skip the table.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as c:
            c.execute(text("ANALYZE"))
    engine.dispose()
    return {**n, "seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help=f"use {POSTGRES}")
    parser.add_argument("--database", help="a SQLAlchemy URL (a fresh schema is made there)")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    url = args.database or (POSTGRES if args.postgres else "sqlite:////tmp/maatjes_large.db")
    if url.startswith("postgresql"):
        ensure_postgres_database(url)
    result = build(url, args.scale)
    print(f"{url}: " + ", ".join(f"{k} {v:,}" for k, v in result.items()))


if __name__ == "__main__":
    main()
