from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from maatjes.blueprints.auth.forms import LocaleForm, LoginForm, SetPasswordForm
from maatjes.domain import accounts
from maatjes.domain.clock import now_utc
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site; anything with a scheme, host or backslash is refused."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _fresh_session() -> None:
    """A new session (against session fixation) that keeps the chosen UI language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def _naive_now():
    return now_utc().replace(tzinfo=None)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("E-mail address or password is not right."))
        else:
            db.session.commit()  # a rehashed password is kept
            _fresh_session()
            login_user(user)
            return redirect(safe_next(form.next.data) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    _fresh_session()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    user = accounts.user_for_token(db.session, token, now=_naive_now())
    if user is None:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(user, form.password.data)
        except RuleViolation as error:
            from maatjes.blueprints import show_violation

            show_violation(form, error)
        else:
            db.session.commit()
            logout_user()
            _fresh_session()
            flash(_("Your password is set. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/locale", methods=["POST"])
def set_locale():
    form = LocaleForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    return redirect(safe_next(form.next.data) or url_for("main.index"))
