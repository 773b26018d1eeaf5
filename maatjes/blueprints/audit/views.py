"""The audit log, for pact support staff (admin): read-only, filtered, paginated.

Leads do not see it: it records what leads do. Nobody edits or deletes rows here or anywhere.
"""

from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from maatjes.blueprints import roles_required
from maatjes.blueprints.fields import MAX_ID
from maatjes.extensions import db
from maatjes.models import AuditEvent, Resident, Role, User

bp = Blueprint("audit", __name__, url_prefix="/audit")

PER_PAGE = 50
ACTIONS = ("view", "export", "create", "update", "delete", "anonymise")


def _id(name: str) -> int | None:
    value = request.args.get(name, "").strip()
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("")
@roles_required(Role.ADMIN)
def index():
    filters = {
        "resident": _id("resident"),
        "user": _id("user"),
        "action": request.args.get("action") if request.args.get("action") in ACTIONS else None,
        "since": _day("since"),
        "until": _day("until"),
    }
    conditions = []
    if filters["resident"]:
        conditions.append(AuditEvent.resident_id == filters["resident"])
    if filters["user"]:
        conditions.append(AuditEvent.actor_id == filters["user"])
    if filters["action"]:
        conditions.append(AuditEvent.action == filters["action"])
    if filters["since"]:
        conditions.append(AuditEvent.at >= datetime.combine(filters["since"], time.min))
    if filters["until"]:
        end = datetime.combine(filters["until"] + timedelta(days=1), time.min)
        conditions.append(AuditEvent.at < end)
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*conditions))
    actor = aliased(User)
    rows = db.session.execute(
        select(
            AuditEvent, actor.name, Resident.first_name, Resident.last_name, Resident.anonymised_at
        )
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(Resident, Resident.id == AuditEvent.resident_id)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    shown = {key: value for key, value in filters.items() if value}
    return render_template(
        "audit/index.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        filters=shown,
        actions=ACTIONS,
    )
