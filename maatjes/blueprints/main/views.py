import logging

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from maatjes.blueprints import roles_required, today
from maatjes.domain import access, contacts, meetings, weeks
from maatjes.extensions import db
from maatjes.models import Handover, Match, Role

bp = Blueprint("main", __name__)
log = logging.getLogger(__name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role == Role.VOLUNTEER:
        return redirect(url_for("main.home"))
    if current_user.role in Role.AREA_BOUND:
        return redirect(url_for("handovers.index"))
    if current_user.role == Role.ORGANISATION_CONTACT:  # their home: their organisation
        return redirect(url_for("organisations.index"))
    return redirect(url_for("lead.overview"))


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError:
        log.warning("health check: database unreachable")
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200


@bp.route("/me/csrf-token")
def csrf_token():
    """A fresh CSRF token for the phone's queue of contacts, fetched before it sends them (the
    token in a page saved hours ago may have expired). Not logged in: 401 JSON with the login
    address (a browser that asks for a page is redirected to log in, as everywhere)."""
    from flask_wtf.csrf import generate_csrf

    from maatjes.blueprints.matches.views import login_needed_json, wants_json

    if not current_user.is_authenticated:
        if wants_json(json_first=True):
            return login_needed_json()
        return current_app.login_manager.unauthorized()
    if current_user.role != Role.VOLUNTEER:
        abort(403)
    return {"csrf_token": generate_csrf()}


@bp.route("/me")
@roles_required(Role.VOLUNTEER)
def home():
    """The volunteer's home: my residents, this week, one tap to log a contact."""
    day = today()
    matches = db.session.scalars(
        access.matches_query(current_user)
        .where(Match.ended_on.is_(None))
        .options(joinedload(Match.resident))
        .order_by(Match.started_on)
    ).all()
    monday = weeks.week_start(day)
    contact_days = contacts.days_by_match(db.session, [m.id for m in matches])
    rows = []
    for match in matches:
        strip = weeks.match_weeks(match.started_on, None, day, contact_days.get(match.id, []))
        summary = weeks.summarize(strip, match.started_on, day)
        rows.append((match, strip[-1] if strip else None, summary))
    handovers = db.session.scalars(
        access.handovers_query(current_user)
        .options(joinedload(Handover.resident))
        .order_by(Handover.status_changed_at.desc())
        .limit(20)
    ).all()
    return render_template(
        "main/home.html",
        rows=rows,
        today=day,
        monday=monday,
        handovers=handovers,
        minimum=weeks.MINIMUM_WEEKS,
        due_actions=meetings.due_actions(db.session, current_user, day),
    )


@bp.app_context_processor
def inject_nav():
    # The user object itself rather than Flask-Login's proxy: a page reads current_user dozens
    # of times, and each read through the proxy looks the user up again.
    return {"Role": Role, "current_user": current_user._get_current_object()}
