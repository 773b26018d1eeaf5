from flask import Blueprint, render_template
from flask_wtf import FlaskForm

from maatjes.blueprints import roles_required, today
from maatjes.domain import matching
from maatjes.domain import overview as overview_rules
from maatjes.extensions import db
from maatjes.models import Role

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
