from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from maatjes.blueprints import (
    confirmation_page,
    confirmed,
    or_404,
    roles_required,
    show_violation,
)
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.blueprints.users.forms import UserForm
from maatjes.domain import accounts, search
from maatjes.domain.clock import now_utc
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.formatting import label
from maatjes.labels import choices
from maatjes.models import Area, Organisation, Person, PersonRole, Role, User

bp = Blueprint("users", __name__, url_prefix="/users")


def _link(token: str) -> str:
    return url_for("auth.password_link", token=token, _external=True)


def _now():
    return now_utc().replace(tzinfo=None)


SORTS = [("name", _l("Name")), ("role", _l("Role")), ("newest", _l("Newest first"))]


@bp.route("/")
@roles_required(*Role.STAFF)
def index():
    every = ("", _("All"))
    filters = [
        Filter("role", _l("Role"), [every] + [(r, label("role", r)) for r in Role.ALL]),
        Filter(
            "status",
            _l("Status"),
            [
                every,
                ("active", _("Active")),
                ("blocked", _("Blocked")),
                ("no_password", _("No password yet")),
            ],
        ),  # fmt: skip
    ]
    args = ListArgs.from_request(filters, SORTS)
    query = select(User).options(joinedload(User.area))
    found = search.matches(User.search_text, args.q)
    if found is not None:
        query = query.where(found)
    if args.get("role"):
        query = query.where(User.role == args.get("role"))
    status = args.get("status")
    if status == "active":
        query = query.where(User.active.is_(True), User.password_hash.is_not(None))
    elif status == "blocked":
        query = query.where(User.active.is_(False))
    elif status == "no_password":
        query = query.where(User.active.is_(True), User.password_hash.is_(None))
    order = {
        "name": (User.name, User.id),
        "role": (User.role, User.name, User.id),
        "newest": (User.created_at.desc(), User.id.desc()),
    }[args.sort]
    page = paginate(db.session, query.order_by(*order), args.page)
    # A Linking Pin's area is the registry's (one statement for the page's Linking Pins).
    pins = [u.id for u in page if u.role == Role.LINKING_PIN]
    pin_areas: dict[int, list[str]] = {}
    for user_id, area_name in db.session.execute(
        select(Person.user_id, Area.name)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .join(Area, Area.id == PersonRole.area_id)
        .where(
            Person.user_id.in_(pins),
            PersonRole.role == PersonRole.LINKING_PIN,
            PersonRole.ended_on.is_(None),
        )
        .order_by(Area.name)
    ):
        pin_areas.setdefault(user_id, []).append(area_name)
    return render_template(
        "users/index.html",
        pin_areas=pin_areas,
        users=page,
        page=page,
        args=args,
        filters=filters,
        sorts=SORTS,
        may_manage=accounts.may_manage,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def new():
    form = UserForm()
    roles = Role.ALL if current_user.role == Role.ADMIN else Role.ALL[1:]
    form.role.choices = [("", _("Choose a role…"))] + choices("role", roles)
    areas = db.session.scalars(select(Area).order_by(Area.name)).all()
    form.area.choices = [(0, "—")] + [(a.id, a.name) for a in areas]
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.status != "left")
        .order_by(Organisation.name)
    ).all()
    form.organisation.choices = [(0, "—")] + [(o.id, o.name) for o in organisations]
    asks_confirmation = form.is_submitted() and form.role.data in Role.STAFF
    if form.validate_on_submit():
        if asks_confirmation and not form.confirm_staff.data:
            form.confirm_staff.errors = [
                _(
                    "This account (%(role)s) sees every resident. Tick the box to confirm, or"
                    " choose another role.",
                    role=label("role", form.role.data),
                )
            ]
            return render_template("users/new.html", form=form, confirm=True), 422
        try:
            user, token = accounts.create_user(
                db.session,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                area=db.session.get(Area, form.area.data) if form.area.data else None,
                organisation=(
                    db.session.get(Organisation, form.organisation.data)
                    if form.organisation.data
                    else None
                ),
                by=current_user,
                now=_now(),
                link_hours=_link_hours(),
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            return render_template("users/link.html", user=user, link=_link(token))
    status = 422 if form.is_submitted() else 200
    return render_template("users/new.html", form=form, confirm=asks_confirmation), status


def _link_hours() -> int:
    from flask import current_app

    return current_app.config["PASSWORD_LINK_HOURS"]


@bp.route("/<int:user_id>/link", methods=["POST"])
@roles_required(*Role.STAFF)
def new_link(user_id: int):
    user = or_404(db.session.get(User, user_id))
    if not accounts.may_manage(current_user, user):
        flash(_("Only pact support staff can do this for staff accounts."), "danger")
        return redirect(url_for("users.index"))
    if not confirmed():
        return confirmation_page(
            _("Make a new password link for %(name)s?", name=user.name),
            _(
                "Their current password and any earlier link stop working. Give the new link to"
                " %(name)s in person or by phone.",
                name=user.name,
            ),
            _("Yes, make a new link"),
            url_for("users.index"),
        )
    token = accounts.issue_password_link(user, now=_now(), link_hours=_link_hours())
    db.session.commit()
    return render_template("users/link.html", user=user, link=_link(token), reset=True)


@bp.route("/<int:user_id>/active", methods=["POST"])
@roles_required(*Role.STAFF)
def toggle_active(user_id: int):
    user = or_404(db.session.get(User, user_id))
    active = request.form.get("active") == "1"
    try:
        accounts.set_active(db.session, current_user, user, active)
    except RuleViolation as error:
        flash(error.message, "danger")
    else:
        if not active and not confirmed():
            return confirmation_page(
                _("Block the account of %(name)s?", name=user.name),
                _(
                    "%(name)s is logged out everywhere at once and cannot log in until the"
                    " account is unblocked.",
                    name=user.name,
                ),
                _("Yes, block the account"),
                url_for("users.index"),
            )
        db.session.commit()
        if active:
            flash(_("The account of %(name)s is unblocked.", name=user.name), "success")
        else:
            flash(_("The account of %(name)s is blocked.", name=user.name), "success")
    return redirect(url_for("users.index"))
