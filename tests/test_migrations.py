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


def _row(connection, table: str, **values) -> int:
    """Insert a row as the schema stands at the current revision (the models may have moved
    on): columns not given that must have a value get a plain one of their type."""
    import datetime as dt

    from sqlalchemy import Boolean, Date, DateTime, Integer, MetaData, Numeric

    meta = MetaData()
    meta.reflect(connection, only=[table])
    columns = meta.tables[table].c
    for column in columns:
        if column.name in values or column.primary_key or column.nullable:
            continue
        if column.server_default is not None:
            continue
        kind = column.type
        if isinstance(kind, Boolean):
            values[column.name] = False
        elif isinstance(kind, DateTime):
            values[column.name] = dt.datetime(2026, 1, 1)
        elif isinstance(kind, Date):
            values[column.name] = dt.date(2026, 1, 1)
        elif isinstance(kind, (Integer, Numeric)):
            values[column.name] = 0
        else:
            values[column.name] = f"{table}-{column.name}-{uuid.uuid4().hex[:6]}"
    result = connection.execute(meta.tables[table].insert().values(**values))
    return result.inserted_primary_key[0]


def _case_at_this_revision(connection, *, started_on: date) -> int:
    """An area, a member organisation, a volunteer with an account, a resident and their
    match, in plain SQL; returns the match's id."""
    area = _row(connection, "areas", name="Bijlmer-Oost")
    org = _row(connection, "organisations", name="ProFor", kind="member")
    user = _row(connection, "users", email="v@example.org", name="V", role="volunteer")
    volunteer = _row(
        connection, "volunteers", name="V", organisation_id=org, phone="0612345678", user_id=user
    )
    resident = _row(
        connection,
        "residents",
        first_name="R",
        last_name="T",
        phone="0687654321",
        phone_digits="0687654321",
        area_id=area,
        needs=[],
        source="self",
        consent_recorded_by_id=user,
    )
    return _row(
        connection,
        "matches",
        volunteer_id=volunteer,
        resident_id=resident,
        slot=1,
        started_on=started_on,
        created_by_id=user,
    )


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
        with db.engine.begin() as c:
            match_id = _case_at_this_revision(c, started_on=date(2026, 1, 5))
            volunteer_user = c.execute(text("SELECT id FROM users WHERE role = 'volunteer'"))
            user_id = volunteer_user.scalar_one()
            ids = [
                _row(
                    c,
                    "contacts",
                    match_id=match_id,
                    contact_on=day,
                    kind="phone",
                    logged_by_id=user_id,
                )
                for day in (date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 12))
            ]
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


def test_the_registry_migration_carries_linking_pins_and_organisations_over(empty_database_url):
    """Migration 0009: a Linking Pin account's area moves to the registry (a person holding the
    role Linking Pin of that area, the one the handovers route to), an organisation's status
    follows its kind, and a downgrade puts the area back on the account (both databases)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as c:
            oost = _row(c, "areas", name="Bijlmer-Oost")
            _row(c, "organisations", name="Humanitas", kind="partner")
            _row(c, "organisations", name="ProFor", kind="member")
            pin = _row(
                c,
                "users",
                email="pin@example.org",
                name="Dorien Groeneveld",
                role="linking_pin",
                area_id=oost,
                active=True,
                created_at=date(2021, 9, 1),
            )
            team = _row(
                c, "users", email="bt@example.org", name="BT", role="buurtteam", area_id=oost
            )
        upgrade()
        with db.engine.connect() as c:
            people = c.execute(text("SELECT id, name, email, user_id FROM people")).all()
            roles = c.execute(
                text("SELECT person_id, role, area_id, started_on, ended_on FROM person_roles")
            ).all()
            areas = dict(c.execute(text("SELECT id, area_id FROM users")).all())
            statuses = dict(c.execute(text("SELECT name, status FROM organisations")).all())
        assert [(p.name, p.email, p.user_id) for p in people] == [
            ("Dorien Groeneveld", "pin@example.org", pin)
        ]
        assert [(r.person_id, r.role, r.area_id, r.ended_on) for r in roles] == [
            (people[0].id, "linking_pin", oost, None)
        ]
        assert str(roles[0].started_on)[:10] == "2021-09-01"
        assert areas == {pin: None, team: oost}  # the buurtteam keeps its area on the account
        assert statuses == {"Humanitas": "partner", "ProFor": "member"}

        # The handover routing reads the registry: the pin acts for Bijlmer-Oost.
        from sqlalchemy import select

        from maatjes.domain import people as people_rules
        from maatjes.models import User

        routed = db.session.scalars(
            select(User.id).where(people_rules.acts_for_area(oost)).order_by(User.id)
        ).all()
        assert routed == sorted([pin, team])
        db.session.remove()

        downgrade(revision="0008")
        with db.engine.connect() as c:
            areas = dict(c.execute(text("SELECT id, area_id FROM users")).all())
        assert areas == {pin: oost, team: oost}
        db.engine.dispose()


def test_the_search_text_migration_folds_the_activities_there_are(empty_database_url):
    """Migration 0012: each activity's name, description and place, folded as the app keeps
    them from then on, so that "cafe" typed finds "Taalcafé" written (both databases)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade(revision="0011")
        with db.engine.begin() as c:
            org = _row(c, "organisations", name="Recogin", kind="member", status="member")
            _row(
                c,
                "activities",
                organisation_id=org,
                name="Taalcafé Curaçao",
                description="Élke dinsdag",
                location_name="",
                address="Kraaiennest 1",
                postal_code="1104 CA",
                city="Amsterdam",
                checked_on=date(2026, 11, 1),
                archived=False,
            )
        upgrade()
        with db.engine.connect() as c:
            folded = c.execute(text("SELECT search_text FROM activities")).scalar_one()
        assert folded == "taalcafe curacao elke dinsdag kraaiennest 1 1104 ca amsterdam"
        downgrade(revision="0011")
        db.engine.dispose()
