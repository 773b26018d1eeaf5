"""Load run: locust (headless) against gunicorn with the demo data, on SQLite or PostgreSQL.

    .venv/bin/python benchmarks/load.py                       # SQLite in a temporary file
    .venv/bin/python benchmarks/load.py --database postgresql+psycopg://postgres@127.0.0.1:5432/load
    .venv/bin/python benchmarks/load.py --users 30 --seconds 60

Migrates and loads the demo data into the database (give an empty PostgreSQL database: it is
filled), starts gunicorn with the repository's gunicorn.conf.py on a free loopback port (demo
mode, so the demo accounts log in with the password alone), runs tests/load/locustfile.py,
stops gunicorn, and prints p50, p95, requests per second and failures per request type.
Exits 1 when any request failed.
"""

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)


def run(database: str, users: int, seconds: int, workdir: Path) -> int:
    env = {
        **os.environ,
        "MAATJES_DATABASE_URL": database,
        # development: demo mode is refused in production (its accounts skip two-factor)
        "MAATJES_ENV": "development",
        "MAATJES_DEMO_MODE": "1",
        "MAATJES_SECRET_KEY": "load-test-" + "x" * 40,
        "FLASK_APP": "wsgi.py",
        "MAATJES_ACCESS_LOG": str(workdir / "access.log"),
    }
    env.pop("MAATJES_TEST_DATABASE_URL", None)
    for command in (["db", "upgrade"], ["maatjes", "demo"]):
        subprocess.run(
            [str(BIN / "flask"), *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    port = _free_port()
    env["MAATJES_BIND"] = f"127.0.0.1:{port}"
    env.setdefault("MAATJES_WORKERS", "2")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "gunicorn.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    host = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{host}/healthz", server)
        prefix = workdir / "locust"
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "tests" / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=False,
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return report(prefix.with_name("locust_stats.csv"), database)


def report(stats_file: Path, database: str) -> int:
    with open(stats_file, newline="") as handle:
        rows = list(csv.DictReader(handle))
    kind = database.split(":", 1)[0]
    print(f"\nload run on {kind}")
    print(f"{'request':44} {'count':>7} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7}")
    failures = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        label = f"{row['Type']} {name}" if row["Type"] else name
        print(
            f"{label[:44]:44} {row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{row['50%']:>7} {row['95%']:>7} {float(row['Requests/s']):>7.1f}"
        )
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
            total = int(row["Request Count"])
    print(f"{total} requests, {failures} failed")
    failures_file = stats_file.with_name("locust_failures.csv")
    if failures and failures_file.exists():
        with open(failures_file, newline="") as handle:
            for row in csv.DictReader(handle):
                print(
                    f"  failed: {row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}"
                )
    return 1 if failures or not total else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: SQLite in a temp file)")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        database = args.database or f"sqlite:///{workdir / 'load.db'}"
        sys.exit(run(database, args.users, args.seconds, workdir))


if __name__ == "__main__":
    main()
