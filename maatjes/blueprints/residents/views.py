from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import or_404, roles_required, show_violation, today
from maatjes.blueprints.residents.forms import MatchForm, ResidentForm
from maatjes.domain import access, matching, residents
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import format_language_list
from maatjes.extensions import db
from maatjes.formatting import custom_language_names
from maatjes.labels import choices
from maatjes.models import Area, Handover, Match, Resident, Role

bp = Blueprint("residents", __name__, url_prefix="/residents")


@bp.route("/")
@roles_required(*Role.STAFF)
def index():
    rows = db.session.scalars(
        access.residents_query(current_user)
        .options(selectinload(Resident.language_links), joinedload(Resident.area))
        .order_by(Resident.last_name, Resident.first_name)
    ).all()
    active = dict(
        db.session.execute(
            select(Match.resident_id, Match.id).where(Match.ended_on.is_(None))
        ).all()
    )
    return render_template("residents/index.html", residents=rows, active=active)


def _prepare(form: ResidentForm) -> None:
    form.area.choices = [
        (a.id, a.name) for a in db.session.scalars(select(Area).order_by(Area.name))
    ]
    form.needs.choices = choices("need")
    form.source.choices = choices("source")


def resident_input(form) -> residents.ResidentInput:
    return residents.ResidentInput(
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        phone=form.phone.data,
        area=or_404(db.session.get(Area, form.area.data)),
        neighbourhood=form.neighbourhood.data or "",
        languages=form.languages.parsed,
        needs=list(form.needs.data or []),
        source=form.source.data if "source" in form else "buurtteam",
        consent=bool(form.consent.data) if "consent" in form else False,
        consent_on=form.consent_on.data if "consent_on" in form else None,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def new():
    form = ResidentForm()
    _prepare(form)
    if not form.is_submitted():
        form.consent_on.data = today()
    if form.validate_on_submit():
        try:
            resident = residents.register_resident(
                db.session,
                resident_input(form),
                by=current_user,
                today=today(),
                allow_duplicate=form.allow_duplicate.data,
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is on the waiting list.", name=resident.name), "success")
            return redirect(url_for("residents.detail", resident_id=resident.id))
    return render_template("residents/form.html", form=form, resident=None)


@bp.route("/<int:resident_id>/edit", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def edit(resident_id: int):
    resident = or_404(access.resident(db.session, current_user, resident_id))
    form = ResidentForm(obj=resident)
    del form.consent, form.consent_on, form.allow_duplicate
    _prepare(form)
    if not form.is_submitted():
        form.area.data = resident.area_id
        form.languages.data = format_language_list(resident.language_codes, custom_language_names())
    if form.validate_on_submit():
        try:
            residents.update_resident(db.session, resident, resident_input(form), today=today())
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("residents.detail", resident_id=resident.id))
    return render_template("residents/form.html", form=form, resident=resident)


@bp.route("/<int:resident_id>")
@roles_required(*Role.STAFF, Role.VOLUNTEER)
def detail(resident_id: int):
    resident = or_404(access.resident(db.session, current_user, resident_id))
    matches = db.session.scalars(
        access.matches_query(current_user)
        .where(Match.resident_id == resident.id)
        .options(joinedload(Match.volunteer))
        .order_by(Match.started_on.desc())
    ).all()
    handovers = db.session.scalars(
        access.handovers_query(current_user)
        .where(Handover.resident_id == resident.id)
        .order_by(Handover.created_at.desc())
    ).all()
    waiting = not any(m.is_active for m in matches) and resident.closed_on is None
    return render_template(
        "residents/detail.html",
        resident=resident,
        matches=matches,
        handovers=handovers,
        waiting=waiting,
    )


@bp.route("/<int:resident_id>/match", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def match(resident_id: int):
    resident = or_404(access.resident(db.session, current_user, resident_id))
    suggestions = matching.suggestions(db.session, resident)
    form = MatchForm()
    form.volunteer.choices = [(s.volunteer.id, s.volunteer.name) for s in suggestions]
    if not form.is_submitted():
        form.started_on.data = today()
        if suggestions:
            form.volunteer.data = suggestions[0].volunteer.id
    if form.validate_on_submit():
        try:
            new_match = matching.assign_resident(
                db.session,
                volunteer_id=form.volunteer.data,
                resident=resident,
                started_on=form.started_on.data,
                by=current_user,
                today=today(),
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(resident)s is matched with %(volunteer)s.",
                    resident=resident.name,
                    volunteer=new_match.volunteer.name,
                ),
                "success",
            )
            return redirect(url_for("matches.detail", match_id=new_match.id))
    active = db.session.scalar(
        select(Match).where(Match.resident_id == resident.id, Match.ended_on.is_(None))
    )
    return render_template(
        "residents/match.html",
        resident=resident,
        suggestions=suggestions,
        form=form,
        active=active,
        max_residents=matching.MAX_ACTIVE_RESIDENTS,
    )
