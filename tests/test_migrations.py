"""`flask db upgrade` on an empty database gives exactly the schema of the models."""

import uuid
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from maatjes import create_app
from maatjes.extensions import db
from maatjes.models import Base


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"maatjes_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_matches_models_and_downgrade_empties(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, Base.metadata)
            indexes = {i["name"] for i in inspect(connection).get_indexes("matches")}
        assert differences == []
        assert {"uq_matches_active_slot", "uq_matches_active_resident"} <= indexes
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_sqlite_connections_enforce_foreign_keys(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fk.db'}"})
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()


def test_the_contact_weeks_rollup_is_filled_by_the_migration_and_kept_by_triggers(
    empty_database_url,
):
    """Migration 0008 fills contact_weeks from the contacts there, and its triggers keep it
    equal to the contacts on every insert, change of day and deletion (both databases)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade(revision="0007")
        from maatjes.models import Contact
        from tests.builders import make_match, make_resident, make_volunteer

        volunteer = make_volunteer()
        match = make_match(volunteer, make_resident(), started_on=date(2026, 1, 5))
        for day in (date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 12)):
            db.session.add(
                Contact(match=match, contact_on=day, kind="phone", logged_by_id=volunteer.user_id)
            )
        db.session.commit()
        match_id = match.id
        ids = [c.id for c in sorted(match.contacts, key=lambda c: c.contact_on)]
        db.session.remove()
        upgrade()

        def weeks():
            with db.engine.connect() as c:
                rows = c.execute(text("SELECT week, contacts FROM contact_weeks ORDER BY week"))
                return [tuple(row) for row in rows]

        monday = (date(2026, 1, 5) - date(1900, 1, 1)).days // 7
        assert weeks() == [(monday, 2), (monday + 1, 1)]  # filled by the migration
        with db.engine.begin() as c:
            c.execute(
                text(
                    "INSERT INTO contacts (id, match_id, contact_on, kind, topics, note,"
                    " needs_attention, logged_by_id, created_at) VALUES"
                    f" (99, {match_id}, '2026-01-13', 'visit', '[]', '', false,"
                    f" (SELECT logged_by_id FROM contacts WHERE id = {ids[0]}), '2026-01-13')"
                )
            )
        assert weeks() == [(monday, 2), (monday + 1, 2)]
        with db.engine.begin() as c:
            c.execute(text(f"UPDATE contacts SET contact_on = '2026-01-21' WHERE id = {ids[0]}"))
        assert weeks() == [(monday, 1), (monday + 1, 2), (monday + 2, 1)]
        with db.engine.begin() as c:
            c.execute(text(f"DELETE FROM contacts WHERE id IN ({ids[0]}, {ids[1]})"))
        assert weeks() == [(monday + 1, 2)]
        db.engine.dispose()
