from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import or_404, roles_required, show_violation, today
from maatjes.blueprints.fields import MAX_ID
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.blueprints.volunteers.forms import VolunteerForm
from maatjes.domain import matching, search, training
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import format_language_list
from maatjes.domain.volunteers import VolunteerInput, save_volunteer
from maatjes.extensions import db
from maatjes.formatting import custom_language_names, language_name
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
from maatjes.models.volunteer import volunteer_languages

bp = Blueprint("volunteers", __name__, url_prefix="/volunteers")


SORTS = [("name", _l("Name")), ("caseload", _l("Fewest residents first"))]


@bp.route("/")
@roles_required(*Role.STAFF)
def index():
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)
    ).all()
    codes = db.session.scalars(
        select(volunteer_languages.c.language_code)
        .distinct()
        .order_by(volunteer_languages.c.language_code)
    ).all()
    every = ("", _("All"))
    filters = [
        Filter("status", _l("Status"), [("active", _("Active")), ("inactive", _("Inactive"))]),
        Filter(
            "training",
            _l("Training"),
            [every, ("matchable", _("can be matched")), ("untrained", _("not trained yet"))],
        ),
        Filter(
            "caseload",
            _l("Residents"),
            [every] + [(str(n), f"{n} / {matching.MAX_ACTIVE_RESIDENTS}") for n in (0, 1, 2)],
        ),
        Filter(
            "organisation", _l("Organisation"), [every] + [(str(i), n) for i, n in organisations]
        ),
        Filter("language", _l("Language"), [every] + [(c, language_name(c)) for c in codes]),
    ]
    args = ListArgs.from_request(filters, SORTS)
    load = matching.caseload_counts()
    active = func.coalesce(load.c.active, 0)
    matchable = training.matchable_clause()
    query = (
        select(Volunteer, active, matchable)
        .outerjoin(load, load.c.volunteer_id == Volunteer.id)
        .where(Volunteer.active.is_(args.get("status") != "inactive"))
    )
    found = search.matches(Volunteer.search_text, args.q)
    if found is not None:
        query = query.where(found)
    if args.get("training") == "matchable":
        query = query.where(matchable)
    elif args.get("training") == "untrained":
        query = query.where(~Volunteer.id.in_(training.trained_volunteer_ids()))
    if args.get("caseload"):
        query = query.where(active == int(args.get("caseload")))
    if args.get("organisation"):
        query = query.where(Volunteer.organisation_id == int(args.get("organisation")))
    if args.get("language"):
        query = query.where(
            exists().where(
                volunteer_languages.c.volunteer_id == Volunteer.id,
                volunteer_languages.c.language_code == args.get("language"),
            )
        )
    order = (
        (active, Volunteer.name, Volunteer.id)
        if args.sort == "caseload"
        else (Volunteer.name, Volunteer.id)
    )
    page = paginate(
        db.session,
        query.options(
            joinedload(Volunteer.organisation), selectinload(Volunteer.languages)
        ).order_by(*order),
        args.page,
        rows=True,
    )
    return render_template(
        "volunteers/index.html",
        rows=page,
        page=page,
        args=args,
        filters=filters,
        sorts=SORTS,
        max_residents=matching.MAX_ACTIVE_RESIDENTS,
    )


def _prepare(form: VolunteerForm, volunteer: Volunteer | None) -> None:
    # No organisation is preselected: a silent default put volunteers under the wrong one.
    # The registry's members and partners; a volunteer's own organisation stays choosable
    # after it left the pact (their history keeps it).
    current = Organisation.status.in_(("member", "partner"))
    if volunteer is not None:
        current = current | (Organisation.id == volunteer.organisation_id)
    form.organisation.choices = [("", _("Choose…"))] + [
        (o.id, o.name)
        for o in db.session.execute(
            select(Organisation.id, Organisation.name).where(current).order_by(Organisation.name)
        )
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
