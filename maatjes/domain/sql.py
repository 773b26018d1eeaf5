"""Small SQL helpers the rules share, for both SQLite and PostgreSQL."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Integer, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from maatjes.domain.errors import RuleViolation


def upsert_insert(session: Session, table: Any):
    """An INSERT that supports ``on_conflict_do_nothing`` on the session's database."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


@contextmanager
def unique_or_violation(session: Session, message: Any, field: str | None = None) -> Iterator[None]:
    """Add rows inside this block; if a unique constraint refuses them (someone else saved the
    same name a moment earlier, past the check the rule made first), the block is rolled back to
    its savepoint and the user gets ``message`` instead of an error page."""
    try:
        with session.begin_nested():
            yield
            session.flush()
    except IntegrityError:
        raise RuleViolation(message, field=field) from None


def serialize(session: Session, name: str) -> None:
    """Hold a lock named ``name`` until the transaction ends, so that a check-then-insert (is
    this person registered already?) cannot interleave with another one. PostgreSQL: an advisory
    transaction lock; SQLite needs none, as every transaction there is ``BEGIN IMMEDIATE``."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


class days_between(FunctionElement):  # noqa: N801 (used like a SQL function)
    """Whole days from the date ``earlier`` to the date ``later`` (``later - earlier``)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)})"
        f" - julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


def without_jit(session: Session) -> None:
    """Turn PostgreSQL's JIT compilation off for the rest of this transaction. The cockpit's
    aggregates are estimated expensive enough to cross ``jit_above_cost``, but run in tens of
    milliseconds; compiling them cost 50 to 130 ms more on the large data set (measured with
    benchmarks/cockpit.py). SQLite has no JIT."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
