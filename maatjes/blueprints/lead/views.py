from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import or_404, roles_required, show_violation, today
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.blueprints.residents.forms import PostponeForm
from maatjes.domain import access, matching, retention, search
from maatjes.domain import meetings as meeting_rules
from maatjes.domain import overview as overview_rules
from maatjes.domain.errors import RuleViolation
from maatjes.domain.overview import flagged_open
from maatjes.extensions import db
from maatjes.formatting import language_name
from maatjes.models import Area, Contact, Match, Resident, ResidentLanguage, Role

PER_PAGE = 50

bp = Blueprint("lead", __name__, url_prefix="/lead")


@bp.route("/")
@roles_required(*Role.STAFF)
def overview():
    data = overview_rules.build(db.session, today=today())
    return render_template(
        "lead/overview.html",
        o=data,
        due_actions=meeting_rules.due_actions(db.session, current_user, data.today),
        max_residents=matching.MAX_ACTIVE_RESIDENTS,
        csrf_form=FlaskForm(),
    )


WAITING_SORTS = [("longest", _l("Longest waiting first")), ("newest", _l("Newest first"))]


@bp.route("/flagged")
@roles_required(*Role.STAFF)
def flagged():
    """Every contact a volunteer flagged for the lead and nobody handled yet, newest first."""
    args = ListArgs.from_request([])
    page = paginate(
        db.session,
        select(Contact)
        .where(flagged_open())
        .options(
            joinedload(Contact.match).joinedload(Match.resident),
            joinedload(Contact.match).joinedload(Match.volunteer),
        )
        .order_by(Contact.contact_on.desc(), Contact.id.desc()),
        args.page,
    )
    return render_template("lead/flagged.html", page=page, csrf_form=FlaskForm())


@bp.route("/waiting")
@roles_required(*Role.STAFF)
def waiting():
    """Who waits for a maatje: per language how many wait and how many trained volunteers with
    room speak it, then the residents themselves, a page at a time, longest waiting first."""
    demand = matching.waiting_by_language(db.session)
    areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name)).all()
    every = ("", _("All"))
    filters = [
        Filter(
            "language", _l("Language"), [every] + [(d.code, language_name(d.code)) for d in demand]
        ),
        Filter("area", _l("Area"), [every] + [(str(i), n) for i, n in areas]),
    ]
    args = ListArgs.from_request(filters, WAITING_SORTS)
    query = (
        select(Resident)
        .where(matching.waiting_clause())
        .options(selectinload(Resident.language_links), joinedload(Resident.area))
    )
    found = search.matches(Resident.search_text, args.q)
    if found is not None:
        query = query.where(found)
    if args.get("language"):
        query = query.where(
            exists().where(
                ResidentLanguage.resident_id == Resident.id,
                ResidentLanguage.language_code == args.get("language"),
            )
        )
    if args.get("area"):
        query = query.where(Resident.area_id == int(args.get("area")))
    order = (
        (Resident.created_at.desc(), Resident.id.desc())
        if args.sort == "newest"
        else (Resident.created_at, Resident.id)
    )
    page = paginate(db.session, query.order_by(*order), args.page)
    total = db.session.scalar(select(func.count(Resident.id)).where(matching.waiting_clause()))
    return render_template(
        "lead/waiting.html",
        demand=demand,
        page=page,
        args=args,
        filters=filters,
        sorts=WAITING_SORTS,
        total=total or 0,
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
