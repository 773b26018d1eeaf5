"""Web layer: thin views that validate a form, call one domain operation, commit and redirect."""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort, after_this_request, flash
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from maatjes.domain.clock import local_today
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db

T = TypeVar("T")


def roles_required(*roles: str) -> Callable:
    """Log-in required, and the user's role must be one of ``roles`` (else 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorator


def module_access(module: str, *, edit: bool = False) -> Callable:
    """Log-in required; the registry's rule for ``module`` (``domain.registry_access``: who
    reads and who edits it) decides, else 403."""
    from maatjes.domain import registry_access

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            allowed = registry_access.may_edit if edit else registry_access.may_read
            if not allowed(current_user, module):
                abort(403)
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorator


def form_status(form) -> int:
    """The answer to a refused form: 400 for a stale page (CSRF), else 422; 200 when shown."""
    if not form.is_submitted():
        return 200
    token = getattr(form, "csrf_token", None)
    return 400 if token is not None and token.errors else 422


def audit_view(object_type: str, object_id: int, resident_id: int | None, actor=None) -> None:
    """Record that the current user (or ``actor``) opened this record: one INSERT, committed
    once the page is rendered, so that committing does not expire what the page still reads
    (no extra SELECTs). A page that fails to render is not shown and not recorded; a record
    that cannot be written fails the request. The row waits outside the session until then:
    a read-only request writes it in a transaction of its own (see ``sqlite_locking``)."""
    from maatjes.domain import audit
    from maatjes.sqlite_locking import write_after_reading

    row = audit.record(
        db.session,
        action="view",
        object_type=object_type,
        object_id=object_id,
        resident_id=resident_id,
        actor=actor,
        add=False,
    )

    @after_this_request
    def commit(response):
        write_after_reading(db.session, [row])
        return response


def or_404(value: T | None) -> T:
    if value is None:
        abort(404)
    return value


def today():
    return local_today()


def show_violation(form: FlaskForm | None, error: RuleViolation) -> None:
    """Put a refused rule on the form field it concerns (or above the form), after rollback."""
    db.session.rollback()
    if form is not None and error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error.message)]
    elif form is not None:
        form.form_errors.append(str(error.message))
    else:
        flash(str(error.message), "danger")


CONFIRMED = "confirmed"


def confirmed() -> bool:
    """Whether the user already answered "yes" on the confirmation page of this action."""
    from flask import request

    return request.form.get(CONFIRMED) == "1"


def confirmation_page(question: str, explanation: str, yes: str, back: str):
    """Ask before an action that is hard to undo, without JavaScript: the same POST again, with
    everything the user sent as hidden fields and ``confirmed=1``. Whatever the action changed
    while being checked is rolled back first, so nothing happens until the user says yes."""
    from flask import render_template, request

    db.session.rollback()
    fields = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in ("csrf_token", CONFIRMED)
    ]
    return render_template(
        "confirm.html",
        question=question,
        explanation=explanation,
        yes=yes,
        back=back,
        fields=fields,
        action=request.path,
    )
