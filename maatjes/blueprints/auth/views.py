"""Login (password, then a code for two-factor accounts), logout, passwords and two-factor set-up.

Between the password and the code the user is not logged in: the session only holds who passed
the password step, for a few minutes. Every failure, of a password or of a code, counts toward
the account's lock (in the database) and toward the per-IP limit (Flask-Limiter).
"""

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from maatjes import mail
from maatjes.blueprints import or_404, roles_required
from maatjes.blueprints.auth.forms import (
    ChangePasswordForm,
    CodeForm,
    ForgotPasswordForm,
    LocaleForm,
    LoginForm,
    SetPasswordForm,
)
from maatjes.domain import accounts, sessions, two_factor
from maatjes.domain.clock import now_utc
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db, limiter
from maatjes.models import Role, User

bp = Blueprint("auth", __name__)

PENDING = "pending_login"
PENDING_SECONDS = 300


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


def _login_limit() -> str:
    return current_app.config["LOGIN_LIMIT"]


def _failed(response) -> bool:
    """Only failed attempts count toward the per-IP limit: a success redirects; a failure
    shows the form again, or (for a form on another page) is marked by the view."""
    return response.status_code != 302 or g.get("attempt_failed", False)


# One count per address for every guessable post together (password, code, set or change a
# password, switch two-factor on or off): spreading guesses over the forms gains nothing.
guarded = limiter.shared_limit(_login_limit, "guessing", methods=["POST"], deduct_when=_failed)


def _wrong_login() -> str:
    return _(
        "E-mail address or password is not right. After several wrong attempts the account "
        "waits a few minutes before it accepts a password again."
    )


def _complete_login(user: User, next_url: str | None):
    accounts.clear_failures(user)
    db.session.commit()
    _fresh_session()
    login_user(user)
    session["seen"] = time.time()
    return redirect(safe_next(next_url) or url_for("main.index"))


def _start_second_step(user: User, next_url: str | None, *, notice: str | None = None):
    db.session.commit()
    _fresh_session()
    session[PENDING] = {
        "id": user.id,
        "version": user.session_version,
        "at": time.time(),
        "next": safe_next(next_url) or "",
    }
    if notice:
        flash(notice, "success")
    if user.two_factor_enabled:
        return redirect(url_for("auth.code"))
    return redirect(url_for("auth.enrol"))


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("id"))
    if user is None or not user.active or user.session_version != pending.get("version"):
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@guarded
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        now = _naive_now()
        user = accounts.authenticate(db.session, form.email.data, form.password.data, now=now)
        if user is None:
            db.session.commit()  # the failure counts
            form.form_errors.append(_wrong_login())
        elif two_factor.needs_second_step(user, current_app.config):
            return _start_second_step(user, form.next.data)
        else:
            return _complete_login(user, form.next.data)
    return render_template(
        "auth/login.html",
        form=form,
        mail_enabled=mail.settings_from(current_app.config) is not None,
    )


def _paused() -> str:
    return _("Too many wrong attempts on this account. Wait a few minutes and try again.")


def _wrong_code() -> str:
    return _("This code is not right, or was used already. Try the next code from your app.")


def _session_over():
    session.pop(PENDING, None)
    flash(_("The login took too long. Log in again."), "warning")
    return redirect(url_for("auth.login"))


@bp.route("/login/code", methods=["GET", "POST"])
@guarded
def code():
    user = _pending_user()
    if user is None or not user.two_factor_enabled:
        return _session_over()
    form = CodeForm()
    if form.validate_on_submit():
        now = _naive_now()
        if accounts.is_locked(user, now=now):
            # Refused unchecked during the pause, like a password (and not counted again).
            form.code.errors = [_wrong_code()]
        elif two_factor.verify(db.session, user, form.code.data, now=now_utc()):
            return _complete_login(user, session.get(PENDING, {}).get("next"))
        else:
            accounts.register_failure(db.session, user, now=now)
            db.session.commit()
            form.code.errors = [_wrong_code()]
    return render_template("auth/code.html", form=form)


@bp.route("/login/two-factor", methods=["GET", "POST"])
@guarded
def enrol():
    """Set up two-factor during login: required before a staff account reaches anything."""
    user = _pending_user()
    if user is None or user.two_factor_enabled:
        return _session_over()
    return _enrol_page(user, on_done=lambda u: _complete_login(u, None))


def _enrol_page(user: User, on_done):
    secret = session.get("totp_setup")
    if not secret or request.method == "GET":
        secret = two_factor.new_secret()
        session["totp_setup"] = secret
    form = CodeForm()
    if request.method == "POST" and form.validate():
        try:
            codes = two_factor.enable(db.session, user, secret, form.code.data, now=now_utc())
        except ValueError:
            form.code.errors = [_("This code is not right. Type the code your app shows now.")]
        else:
            session.pop("totp_setup", None)
            on_done(user)
            session["recovery_codes"] = codes
            return redirect(url_for("auth.recovery_codes"))
    uri = two_factor.provisioning_uri(user, secret)
    return render_template(
        "auth/enrol.html",
        form=form,
        secret=secret,
        qr=two_factor.qr_data_uri(uri),
        required=two_factor.required_for(user, current_app.config),
    )


@bp.route("/login/recovery-codes")
@login_required
def recovery_codes():
    """Shown once, right after two-factor is switched on."""
    codes = session.pop("recovery_codes", None)
    if not codes:
        return redirect(url_for("main.index"))
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Raising the version ends this session for good, copies of the cookie included.
    sessions.end_all_sessions(db.session, current_user)
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("You are logged out."), "info")
    return _wipe_phone(redirect(url_for("auth.login")))


@bp.route("/logout/everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    sessions.end_all_sessions(db.session, current_user)
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("You are logged out on every device."), "info")
    return _wipe_phone(redirect(url_for("auth.login")))


def _wipe_phone(response):
    """The browser drops what this site keeps on the device: the service worker's caches and
    the queue of contacts (IndexedDB), so that the next user of a shared phone sees nothing."""
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/password/<token>")
def password_link(token: str):
    """The one-time link: the token moves into the session and out of the address bar (and of
    proxy logs and browser history), then the form is shown at a clean URL."""
    user = accounts.user_for_token(db.session, token, now=_naive_now())
    if user is None:
        return render_template("auth/link_invalid.html"), 404
    _fresh_session()
    session["password_token"] = token
    return redirect(url_for("auth.set_password"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_MAIL_LIMIT"], methods=["POST"])
def forgot_password():
    """ "Forgot password": the same one-time link, by e-mail, when SMTP is configured. The answer
    is the same whether or not the address has an account."""
    settings = mail.settings_from(current_app.config)
    form = ForgotPasswordForm()
    if settings is None:
        return render_template("auth/forgot_password.html", form=None)
    if form.validate_on_submit():
        link_hours = current_app.config["PASSWORD_LINK_HOURS"]
        found = accounts.request_password_reset(
            db.session, form.email.data, now=_naive_now(), link_hours=link_hours
        )
        db.session.commit()
        if found is not None:
            user, token = found
            language = user.locale or str(get_locale() or "nl")
            with force_locale(language):
                subject = _("Money Maatjes: set a new password")
                body = _(
                    "Someone (you, we hope) asked for a new password for Money Maatjes.\n\n"
                    "Open this link to set one; it works once, for %(hours)d hours:\n%(link)s\n\n"
                    "Did you not ask for this? Then do nothing: your password stays as it is.",
                    hours=link_hours,
                    # From the configured address, never from the request's Host header
                    # (which an attacker could set to send the victim's link to themselves).
                    link=current_app.config["PUBLIC_URL"].rstrip("/")
                    + url_for("auth.password_link", token=token),
                )
            mail.send_in_background(settings, user.email, subject, body, language)
        flash(
            _(
                "If an account uses this address, a link to set a new password is on its way."
                " Check your inbox (and the spam folder) in a few minutes."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@guarded
def set_password():
    token = session.get("password_token", "")
    user = accounts.user_for_token(db.session, token, now=_naive_now()) if token else None
    if user is None:
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(user, form.password.data)
        except RuleViolation as error:
            from maatjes.blueprints import show_violation

            show_violation(form, error)
        else:
            db.session.flush()
            db.session.refresh(user)
            logout_user()
            notice = _("Your password is set.")
            if two_factor.needs_second_step(user, current_app.config):
                return _start_second_step(user, None, notice=notice)
            flash(notice, "success")
            return _complete_login(user, None)
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
@guarded
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        now = _naive_now()
        if accounts.is_locked(user, now=now):
            # Someone on an unattended session guessing the password: the account's pause holds
            # here too, unchecked.
            form.current.errors = [_paused()]
        elif not accounts.verify_password(user, form.current.data):
            accounts.register_failure(db.session, user, now=now)
            db.session.commit()
            form.current.errors = [_("This is not your current password.")]
        else:
            try:
                accounts.set_password(user, form.password.data)
            except RuleViolation as error:
                from maatjes.blueprints import show_violation

                show_violation(form, error)
            else:
                # Every other session ends; this one goes on under the new version.
                db.session.commit()
                db.session.refresh(user)
                login_user(user)
                flash(
                    _("Your password is changed. You are logged out on other devices."), "success"
                )
                return redirect(url_for("notifications.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/profile/two-factor", methods=["GET", "POST"])
@login_required
@guarded
def setup_two_factor():
    user = current_user._get_current_object()
    if user.two_factor_enabled:
        return redirect(url_for("notifications.profile"))

    return _enrol_page(user, on_done=lambda _user: db.session.commit())


@bp.route("/profile/two-factor/off", methods=["POST"])
@login_required
@guarded
def disable_two_factor():
    user = current_user._get_current_object()
    form = CodeForm()
    now = _naive_now()
    if two_factor.required_for(user, current_app.config):
        flash(_("Two-factor login is required for your role."), "danger")
    elif not user.two_factor_enabled:
        pass  # already off (e.g. a second click)
    elif accounts.is_locked(user, now=now):
        g.attempt_failed = True
        flash(_paused(), "danger")
    elif form.validate_on_submit() and two_factor.verify(
        db.session, user, form.code.data, now=now_utc()
    ):
        two_factor.disable(db.session, user)
        db.session.commit()
        flash(_("Two-factor login is off."), "success")
    else:
        g.attempt_failed = True  # counts toward the per-IP limit, though the answer redirects
        accounts.register_failure(db.session, user, now=now)
        db.session.commit()
        flash(_("This code is not right. Two-factor login stays on."), "danger")
    return redirect(url_for("notifications.profile"))


@bp.route("/users/<int:user_id>/two-factor/reset", methods=["POST"])
@roles_required(*Role.STAFF)
def reset_two_factor(user_id: int):
    """Someone lost their phone and their recovery codes: they get a new password link, and set
    a password and an authenticator app again (the old password stops working)."""
    user = or_404(db.session.get(User, user_id))
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        token = accounts.reset_two_factor(
            db.session,
            current_user,
            user,
            now=_naive_now(),
            link_hours=current_app.config["PASSWORD_LINK_HOURS"],
        )
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return redirect(url_for("users.index"))
    db.session.commit()
    flash(
        _(
            "Two-factor login of %(name)s is reset and the old password no longer works. "
            "With this link they set a new password and then their authenticator app.",
            name=user.name,
        ),
        "success",
    )
    link = url_for("auth.password_link", token=token, _external=True)
    return render_template("users/link.html", user=user, link=link, reset=True)


@bp.route("/locale", methods=["POST"])
def set_locale():
    form = LocaleForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    return redirect(safe_next(form.next.data) or url_for("main.index"))
