from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from maatjes.blueprints import or_404, roles_required, show_violation, today
from maatjes.blueprints.residents.forms import PostponeForm
from maatjes.domain import access, matching, retention
from maatjes.domain import overview as overview_rules
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.models import Role

PER_PAGE = 50

bp = Blueprint("lead", __name__, url_prefix="/lead")


@bp.route("/")
@roles_required(*Role.STAFF)
def overview():
    data = overview_rules.build(db.session, today=today())
    return render_template(
        "lead/overview.html",
        o=data,
        max_residents=matching.MAX_ACTIVE_RESIDENTS,
        csrf_form=FlaskForm(),
    )


@bp.route("/waiting")
@roles_required(*Role.STAFF)
def waiting():
    residents = matching.waiting_residents(db.session)
    demand = matching.waiting_by_language(db.session)
    by_language: dict[str, list] = {d.code: [] for d in demand}
    for resident in residents:
        for code in resident.language_codes:
            by_language.setdefault(code, []).append(resident)
    return render_template(
        "lead/waiting.html", demand=demand, by_language=by_language, total=len(residents)
    )


def _page() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1


@bp.route("/retention")
@roles_required(*Role.STAFF)
def retention_page():
    """Who will be anonymised in the next 30 days (or is due now), and postponing one."""
    page = _page()
    rows, total = retention.upcoming(
        db.session,
        today=today(),
        months=current_app.config["RETENTION_MONTHS"],
        page=page,
        per_page=PER_PAGE,
    )
    form = PostponeForm()
    return render_template(
        "lead/retention.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        form=form,
        months=current_app.config["RETENTION_MONTHS"],
    )


@bp.route("/retention/<int:resident_id>/postpone", methods=["POST"])
@roles_required(*Role.STAFF)
def postpone(resident_id: int):
    resident = or_404(access.resident(db.session, current_user, resident_id))
    form = PostponeForm()
    if form.validate_on_submit():
        try:
            retention.postpone(
                resident,
                until=form.until.data,
                reason=form.reason.data,
                by=current_user,
                today=today(),
            )
        except RuleViolation as error:
            show_violation(None, error)
        else:
            db.session.commit()
            flash(_("Erasure of %(name)s is postponed.", name=resident.name), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "danger")
    return redirect(url_for("lead.retention_page"))
