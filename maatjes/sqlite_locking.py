"""How transactions begin on SQLite: reads do not queue, writes keep one writer at a time.

SQLite has no row locks. Every transaction that may write begins with ``BEGIN IMMEDIATE``: it
takes the database's write lock at once, so that a check-then-write (a volunteer's caseload,
then a new match) cannot interleave with another one. That guarantee is what the concurrency
tests prove. But a read-only request needs no write lock, and with it two workers served reads
one at a time. So a request that only reads (GET, HEAD, OPTIONS) begins its transactions with a
plain ``BEGIN``: in WAL mode it reads a snapshot and never waits for a writer, nor makes one
wait.

The choice is made per request, before any statement runs; everything outside a request (the
scheduler, the CLI, tests that call the domain directly) writes and begins ``IMMEDIATE``. A
read-only request that must write after all (a page view goes into the audit log) writes in a
transaction of its own on a second connection (``write_after_reading``), while the first keeps
its snapshot; it never upgrades a read transaction to a write (which SQLite may refuse with
"database is locked" when another writer committed meanwhile). With ``strict`` on (tests), a
write inside a read-only transaction raises at once, so such a path cannot slip in unnoticed.
PostgreSQL is not affected: it has row locks, and ``SELECT … FOR UPDATE`` where a rule needs one.
"""

from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

_read_only: ContextVar[bool] = ContextVar("sqlite_read_only", default=False)
_strict: ContextVar[bool] = ContextVar("sqlite_read_only_strict", default=False)

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class WriteInReadOnlyTransaction(RuntimeError):
    """A read-only request wrote inside its read transaction (only raised in strict mode)."""


def start_request(method: str, *, strict: bool) -> None:
    _read_only.set(method in READ_ONLY_METHODS)
    _strict.set(strict)


def end_request() -> None:
    _read_only.set(False)


def reading_only() -> bool:
    return _read_only.get()


def allow_writes() -> None:
    """From now on this request's transactions begin ``IMMEDIATE`` (end the current one first)."""
    _read_only.set(False)


@event.listens_for(Engine, "begin")
def _on_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("BEGIN" if _read_only.get() else "BEGIN IMMEDIATE")


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_writes_while_reading(conn, cursor, statement, parameters, context, executemany):
    if not _read_only.get() or not _strict.get() or conn.dialect.name != "sqlite":
        return
    if statement.lstrip().upper().startswith(_WRITES):
        raise WriteInReadOnlyTransaction(
            "a read-only request wrote inside its read transaction: "
            "use sqlite_locking.write_after_reading"
        )


def write_after_reading(session, objects: list) -> None:
    """Add ``objects`` and commit them. In a read-only request on SQLite they are written in a
    write transaction of their own, on a second connection: the read transaction is left as
    it is (nothing it loaded is expired and read again) and is never upgraded to a write."""
    if not reading_only() or session.get_bind().dialect.name != "sqlite":
        session.add_all(objects)
        session.commit()
        return
    from sqlalchemy.orm import Session

    _read_only.set(False)
    try:
        with Session(session.get_bind()) as writer:
            writer.add_all(objects)
            writer.commit()
    finally:
        _read_only.set(True)
