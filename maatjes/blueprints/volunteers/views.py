from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import or_404, roles_required, show_violation, today
from maatjes.blueprints.fields import MAX_ID
from maatjes.blueprints.volunteers.forms import VolunteerForm
from maatjes.domain import matching, training
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import format_language_list
from maatjes.domain.volunteers import VolunteerInput, save_volunteer
from maatjes.extensions import db
from maatjes.formatting import custom_language_names
from maatjes.models import (
    Area,
    Match,
    Organisation,
    Role,
    TrainingAttendance,
    TrainingSession,
    User,
    Volunteer,
)

bp = Blueprint("volunteers", __name__, url_prefix="/volunteers")


@bp.route("/")
@roles_required(*Role.STAFF)
def index():
    rows = matching.caseloads(db.session)
    inactive = db.session.scalars(
        select(Volunteer).where(Volunteer.active.is_(False)).order_by(Volunteer.name)
    ).all()
    return render_template("volunteers/index.html", rows=rows, inactive=inactive)


def _prepare(form: VolunteerForm, volunteer: Volunteer | None) -> None:
    # No organisation is preselected: a silent default put volunteers under the wrong one.
    form.organisation.choices = [("", _("Choose…"))] + [
        (o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
    ]
    form.areas.choices = [
        (a.id, a.name) for a in db.session.scalars(select(Area).order_by(Area.name))
    ]
    linked = select(Volunteer.user_id).where(Volunteer.user_id.is_not(None))
    if volunteer is not None and volunteer.user_id:
        linked = linked.where(Volunteer.user_id != volunteer.user_id)
    users = db.session.scalars(
        select(User).where(User.role == Role.VOLUNTEER, User.id.not_in(linked)).order_by(User.name)
    )
    form.user.choices = [(0, _("— no login yet —"))] + [
        (u.id, f"{u.name} ({u.email})") for u in users
    ]


def _input(form: VolunteerForm) -> VolunteerInput:
    return VolunteerInput(
        name=form.name.data,
        organisation=or_404(db.session.get(Organisation, form.organisation.data)),
        phone=form.phone.data,
        email=form.email.data or "",
        languages=form.languages.parsed,
        areas=[a for a in (db.session.get(Area, i) for i in form.areas.data) if a],
        availability=form.availability.data or "",
        vog_date=form.vog_date.data,
        user=db.session.get(User, form.user.data) if form.user.data else None,
        active=form.active.data,
    )


def _from_account(form: VolunteerForm, user_id: str | None):
    """``?user_id=``: registering the volunteer of a login account fills in name and e-mail.

    Returns a redirect when that account has a volunteer already."""
    if not (user_id and user_id.isascii() and user_id.isdigit()) or int(user_id) > MAX_ID:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.role != Role.VOLUNTEER:
        return None
    existing = db.session.scalar(select(Volunteer).where(Volunteer.user_id == user.id))
    if existing is not None:
        flash(_("%(name)s is registered as a volunteer already.", name=existing.name), "info")
        return redirect(url_for("volunteers.detail", volunteer_id=existing.id))
    form.name.data = user.name
    form.email.data = user.email
    form.user.data = user.id
    return None


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def new():
    form = VolunteerForm()
    _prepare(form, None)
    linked = None if form.is_submitted() else _from_account(form, request.args.get("user_id"))
    if linked is not None:
        return linked
    if form.validate_on_submit():
        try:
            volunteer = save_volunteer(
                db.session,
                None,
                _input(form),
                today=today(),
                allow_duplicate=form.allow_duplicate.data,
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Volunteer %(name)s registered.", name=volunteer.name), "success")
            return redirect(url_for("volunteers.detail", volunteer_id=volunteer.id))
    return render_template("volunteers/form.html", form=form, volunteer=None)


@bp.route("/<int:volunteer_id>/edit", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def edit(volunteer_id: int):
    volunteer = or_404(db.session.get(Volunteer, volunteer_id))
    form = VolunteerForm(obj=volunteer)
    _prepare(form, volunteer)
    if not form.is_submitted():
        form.organisation.data = volunteer.organisation_id
        form.areas.data = [a.id for a in volunteer.areas]
        form.user.data = volunteer.user_id or 0
        form.languages.data = format_language_list(
            volunteer.language_codes, custom_language_names()
        )
    if form.validate_on_submit():
        try:
            save_volunteer(db.session, volunteer, _input(form), today=today())
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("volunteers.detail", volunteer_id=volunteer.id))
    return render_template("volunteers/form.html", form=form, volunteer=volunteer)


@bp.route("/<int:volunteer_id>")
@roles_required(*Role.STAFF)
def detail(volunteer_id: int):
    volunteer = or_404(db.session.get(Volunteer, volunteer_id))
    gate = training.gate_status(db.session, volunteer.id)
    attendances = db.session.scalars(
        select(TrainingAttendance)
        .where(TrainingAttendance.volunteer_id == volunteer.id)
        .join(TrainingSession)
        .options(joinedload(TrainingAttendance.session).joinedload(TrainingSession.training))
        .order_by(TrainingSession.held_on)
    ).all()
    matches = db.session.scalars(
        select(Match)
        .where(Match.volunteer_id == volunteer.id)
        .options(selectinload(Match.resident))
        .order_by(Match.ended_on.is_not(None), Match.started_on.desc())
    ).all()
    return render_template(
        "volunteers/detail.html",
        volunteer=volunteer,
        gate=gate,
        attendances=attendances,
        matches=matches,
        max_residents=matching.MAX_ACTIVE_RESIDENTS,
    )
