"""The audit log: every view of a resident's record, a match, its contacts or a handover, every
export, and every write to casework records, as append-only rows.

Views and exports are recorded by the views (``record``). Writes are recorded by one session
listener for every audited model: the names of changed fields with old and new values, where
only values that are not personal are kept (ids, dates, numbers, yes/no and fixed choices such
as a status); names, phone numbers, e-mail addresses, notes, reasons and every other free text
are recorded as "changed" only, so that the log holds no personal data of its own and an
anonymised resident stays anonymous in it. Audit rows are inserted in the same transaction as
the change (a rollback takes both), and the application cannot update or delete them.
"""

from datetime import date, datetime

from flask import g, has_request_context, request
from sqlalchemy import Boolean as SABoolean
from sqlalchemy import Date, DateTime, Integer, event, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.sql.dml import Delete, Update
from sqlalchemy.sql.elements import ClauseElement

from maatjes.models import (
    AuditEvent,
    Contact,
    Handover,
    HandoverEvent,
    Match,
    Resident,
    ResidentLanguage,
    User,
    Volunteer,
)

SYSTEM = "system"
REDACTED = "[changed]"
# Text columns whose values are fixed choices, not something a person wrote: kept in the log.
CHOICE_COLUMNS = frozenset(
    {
        "kind",
        "status",
        "direction",
        "urgency",
        "role",
        "source",
        "outcome",
        "locale",
        "language_code",
        "scope",
    }
)
# Columns never shown, not even as changed (secrets).
SECRET_COLUMNS = frozenset(
    {"password_hash", "password_token_hash", "totp_secret", "calendar_token_hash"}
)
# Derived from columns that are logged themselves: left out.
DERIVED_COLUMNS = frozenset({"search_text"})


def _audited_models() -> dict[type, str]:
    models = {
        Resident: "resident",
        ResidentLanguage: "resident_language",
        Match: "match",
        Contact: "contact",
        Handover: "handover",
        HandoverEvent: "handover_event",
        Volunteer: "volunteer",
        User: "user",
    }
    try:
        from maatjes.models import ConsentRecord

        models[ConsentRecord] = "consent"
    except ImportError:
        pass
    return models


def _actor() -> tuple[int | None, str, str]:
    """(user id, role, where from) of the current request; the scheduler is "system"."""
    if not has_request_context():
        return None, SYSTEM, ""
    user = g.get("_login_user")
    source = (request.remote_addr or "")[:45]
    if user is None or not getattr(user, "is_authenticated", False):
        return None, "anonymous", source
    return user.id, user.role, source


def record(
    session: Session,
    *,
    action: str,
    object_type: str,
    object_id: int | None,
    resident_id: int | None = None,
    actor: User | None = None,
    changes: dict | None = None,
    detail: str | None = None,
    add: bool = True,
) -> AuditEvent:
    """One audit row, in the session's transaction (the caller commits); with ``add=False``
    the row is returned for the caller to add later."""
    actor_id, role, source = _actor()
    if actor is not None:
        actor_id, role = actor.id, actor.role
    if detail:
        changes = {**(changes or {}), "detail": detail}
    row = AuditEvent(
        actor_id=actor_id,
        actor_role=role,
        action=action,
        object_type=object_type,
        object_id=object_id,
        resident_id=resident_id,
        source=source,
        changes=changes,
    )
    if add:
        session.add(row)
    return row


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _shown(column) -> bool:
    if column.key in CHOICE_COLUMNS:
        return True
    return isinstance(column.type, Integer | SABoolean | Date | DateTime)


def _changes(state, *, new: bool, deleted: bool) -> dict:
    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        column = attr.columns[0]
        if key in DERIVED_COLUMNS:
            continue
        if key in SECRET_COLUMNS and not state.attrs[key].history.has_changes():
            continue
        history = state.attrs[key].history
        if deleted:
            if not _shown(column) or key in SECRET_COLUMNS:
                continue
            value = state.attrs[key].loaded_value
            changes[key] = [_plain(value), None]
            continue
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        value = history.added[0] if history.added else None
        if isinstance(value, ClauseElement):
            changes[key] = REDACTED  # computed in SQL (a counter raised): changed, value unknown
            continue
        if old == value and not new:
            continue  # set to what it was: no change
        if new and value in (None, "", []):
            continue  # empty at creation: nothing to say
        if key in SECRET_COLUMNS or not _shown(column):
            changes[key] = REDACTED
        else:
            changes[key] = [_plain(old), _plain(value)]
    return changes


def _resident_id(session: Session, obj) -> int | None:
    if isinstance(obj, Resident):
        return obj.id
    if hasattr(obj, "resident_id"):
        return obj.resident_id
    if isinstance(obj, Contact):
        return _from_identity_or_db(session, Match, obj.match_id, Match.resident_id)
    if isinstance(obj, HandoverEvent):
        return _from_identity_or_db(session, Handover, obj.handover_id, Handover.resident_id)
    return None


def _from_identity_or_db(session: Session, model, key, column):
    if key is None:
        return None
    known = session.identity_map.get(session.identity_key(model, key))
    if known is not None:
        return known.resident_id
    return session.connection().scalar(select(column).where(model.id == key))


@event.listens_for(Session, "after_flush")
def _audit_writes(session: Session, _flush: UOWTransaction) -> None:
    models = _audited_models()
    rows = []
    actor_id, role, source = _actor()
    for objects, action in (
        (session.new, "create"),
        (session.dirty, "update"),
        (session.deleted, "delete"),
    ):
        for obj in objects:
            kind = models.get(type(obj))
            if kind is None:
                continue
            state = inspect(obj)
            changes = _changes(state, new=action == "create", deleted=action == "delete")
            if action == "update" and not changes:
                continue
            identity = state.identity or (None,)
            rows.append(
                {
                    "at": _now(),
                    "actor_id": actor_id,
                    "actor_role": role,
                    "action": action,
                    "object_type": kind,
                    "object_id": identity[0] if len(identity) == 1 else None,
                    "resident_id": _resident_id(session, obj),
                    "source": source,
                    "changes": changes or None,
                }
            )
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def _now() -> datetime:
    from maatjes.models import utcnow

    return utcnow()


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_the_log(session: Session, _flush, _instances) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditLogIsAppendOnly("audit rows are never changed or deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes_to_the_log(state) -> None:
    statement = state.statement
    if isinstance(statement, Update | Delete) and statement.table.name == AuditEvent.__tablename__:
        raise AuditLogIsAppendOnly("audit rows are never changed or deleted")
