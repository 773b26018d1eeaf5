"""A bounded load run in the suite: locust against gunicorn, volunteers, leads and buurtteams
at once, with no failed request; on the database the suite runs on (SQLite, or PostgreSQL in a
database of its own)."""

import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]


def _database(database_url: str, tmp_path: Path):
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path / 'load.db'}", None
    name = f"maatjes_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def test_a_mixed_load_has_no_failed_request(database_url, tmp_path):
    database, drop = _database(database_url, tmp_path)
    try:
        result = subprocess.run(
            [
                sys.executable,
                "benchmarks/load.py",
                "--database",
                database,
                "--users",
                "8",
                "--seconds",
                "12",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        if drop:
            drop()
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 failed" in result.stdout
    assert "POST /matches/[id]/contacts/new" in result.stdout  # contacts were really logged
