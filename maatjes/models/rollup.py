"""The triggers that keep ``contact_weeks`` (``models.match.ContactWeek``) equal to the
contacts: every insert, correction (day or match) and deletion of a contact, by any writer (the
app, a bulk load, a console), moves the count of its match-week in the same transaction.

The same statements are created by migration 0008 and, for a schema made by
``metadata.create_all`` (tests, benchmarks), after the ``contacts`` table is created.

Mind, on SQLite: a later migration that makes Alembic rebuild the ``contacts`` table (batch
mode copies it to a new table) loses these triggers with the old table; such a migration must
run ``statements("sqlite")`` again after it. A bulk load may switch them off and fill the rollup
with ``BACKFILL`` afterwards (benchmarks/large_data.py does).
"""

from sqlalchemy import DDL, event

# Whole weeks since Monday 1900-01-01; 2415020.5 is that day's Julian day number.
_WEEK_SQLITE = "(CAST(julianday({day}) - 2415020.5 AS INTEGER) / 7)"
_WEEK_POSTGRESQL = "(({day} - DATE '1900-01-01') / 7)"


def _sqlite_add(row: str) -> str:
    week = _WEEK_SQLITE.format(day=f"{row}.contact_on")
    return (
        f"INSERT INTO contact_weeks (match_id, week, contacts) VALUES ({row}.match_id, {week}, 1) "
        "ON CONFLICT (match_id, week) DO UPDATE SET contacts = contacts + 1;"
    )


def _sqlite_remove(row: str) -> str:
    week = _WEEK_SQLITE.format(day=f"{row}.contact_on")
    where = f"WHERE match_id = {row}.match_id AND week = {week}"
    return (
        f"UPDATE contact_weeks SET contacts = contacts - 1 {where}; "
        f"DELETE FROM contact_weeks {where} AND contacts <= 0;"
    )


SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS contact_weeks_insert AFTER INSERT ON contacts "
    f"BEGIN {_sqlite_add('NEW')} END",
    "CREATE TRIGGER IF NOT EXISTS contact_weeks_delete AFTER DELETE ON contacts "
    f"BEGIN {_sqlite_remove('OLD')} END",
    "CREATE TRIGGER IF NOT EXISTS contact_weeks_update AFTER UPDATE OF contact_on, match_id "
    f"ON contacts BEGIN {_sqlite_remove('OLD')} {_sqlite_add('NEW')} END",
]

_PG_WEEK_NEW = _WEEK_POSTGRESQL.format(day="NEW.contact_on")
_PG_WEEK_OLD = _WEEK_POSTGRESQL.format(day="OLD.contact_on")
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION contact_weeks_keep() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE contact_weeks SET contacts = contacts - 1
            WHERE match_id = OLD.match_id AND week = {_PG_WEEK_OLD};
        DELETE FROM contact_weeks
            WHERE match_id = OLD.match_id AND week = {_PG_WEEK_OLD} AND contacts <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO contact_weeks (match_id, week, contacts)
            VALUES (NEW.match_id, {_PG_WEEK_NEW}, 1)
            ON CONFLICT (match_id, week) DO UPDATE SET contacts = contact_weeks.contacts + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS contact_weeks_keep ON contacts",
    "CREATE TRIGGER contact_weeks_keep AFTER INSERT OR DELETE OR UPDATE OF contact_on, match_id "
    "ON contacts FOR EACH ROW EXECUTE FUNCTION contact_weeks_keep()",
]

# Fills the rollup from the contacts (the migration, and a bulk load with triggers off).
BACKFILL = {
    "sqlite": "INSERT INTO contact_weeks (match_id, week, contacts) SELECT match_id, "
    f"{_WEEK_SQLITE.format(day='contact_on')} AS w, count(*) FROM contacts GROUP BY match_id, w",
    "postgresql": "INSERT INTO contact_weeks (match_id, week, contacts) SELECT match_id, "
    f"{_WEEK_POSTGRESQL.format(day='contact_on')} AS w, count(*) FROM contacts "
    "GROUP BY match_id, w",
}


def statements(dialect: str) -> list[str]:
    return {"sqlite": SQLITE, "postgresql": POSTGRESQL}[dialect]


def register(contacts_table) -> None:
    """Create the triggers whenever ``metadata.create_all`` creates the contacts table."""
    for dialect, ddl in (("sqlite", SQLITE), ("postgresql", POSTGRESQL)):
        for statement in ddl:
            event.listen(contacts_table, "after_create", DDL(statement).execute_if(dialect=dialect))
