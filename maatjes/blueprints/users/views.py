from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from maatjes.blueprints import or_404, roles_required, show_violation
from maatjes.blueprints.users.forms import UserForm
from maatjes.domain import accounts
from maatjes.domain.clock import now_utc
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.labels import choices
from maatjes.models import Area, Role, User

bp = Blueprint("users", __name__, url_prefix="/users")


def _link(token: str) -> str:
    return url_for("auth.password_link", token=token, _external=True)


def _now():
    return now_utc().replace(tzinfo=None)


@bp.route("/")
@roles_required(*Role.STAFF)
def index():
    users = db.session.scalars(select(User).order_by(User.role, User.name)).all()
    return render_template("users/index.html", users=users, may_manage=accounts.may_manage)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def new():
    form = UserForm()
    roles = Role.ALL if current_user.role == Role.ADMIN else Role.ALL[1:]
    form.role.choices = choices("role", roles)
    areas = db.session.scalars(select(Area).order_by(Area.name)).all()
    form.area.choices = [(0, "—")] + [(a.id, a.name) for a in areas]
    if form.validate_on_submit():
        try:
            user, token = accounts.create_user(
                db.session,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                area=db.session.get(Area, form.area.data) if form.area.data else None,
                by=current_user,
                now=_now(),
                link_hours=_link_hours(),
            )
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            return render_template("users/link.html", user=user, link=_link(token))
    return render_template("users/new.html", form=form)


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
    token = accounts.issue_password_link(user, now=_now(), link_hours=_link_hours())
    db.session.commit()
    return render_template("users/link.html", user=user, link=_link(token), reset=True)


@bp.route("/<int:user_id>/active", methods=["POST"])
@roles_required(*Role.STAFF)
def toggle_active(user_id: int):
    user = or_404(db.session.get(User, user_id))
    try:
        accounts.set_active(db.session, current_user, user, request.form.get("active") == "1")
    except RuleViolation as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Account updated."), "success")
    return redirect(url_for("users.index"))
