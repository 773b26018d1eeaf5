"""Notifications in the app, the user's channel preferences, and the volunteer's calendar feed."""

import hashlib
import secrets
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from icalendar import Calendar, Event
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from wtforms import BooleanField, SubmitField

from maatjes.blueprints import audit_view, or_404, roles_required, today
from maatjes.blueprints.forms import Form
from maatjes.blueprints.listing import ListArgs, paginate
from maatjes.domain import access, contacts, two_factor, weeks
from maatjes.domain.volunteers import reachable_volunteer
from maatjes.extensions import db
from maatjes.models import Match, Notification, Role, Volunteer, utcnow
from maatjes.notifications import preload, render, unread_count

bp = Blueprint("notifications", __name__)

PAGE = 25
PAUSED = _l("You are not active as a volunteer now, so the calendar feed is off.")

# Weeks the calendar feed looks ahead, beyond the 13-week minimum.
FEED_AHEAD_WEEKS = 4


@bp.app_context_processor
def inject_unread():
    if current_user and current_user.is_authenticated:
        return {"unread_notifications": unread_count(db.session, current_user.id)}
    return {"unread_notifications": 0}


@bp.route("/notifications")
@login_required
def index():
    args = ListArgs.from_request([])
    page = paginate(
        db.session,
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(
            Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id
        ),
        args.page,
        per_page=PAGE,
    )
    day = today()
    referred = preload(db.session, page.items)
    items = [(note, render(db.session, note, today=day)) for note in page]
    del referred
    return render_template("notifications/index.html", items=items, page=page, form=FlaskForm())


def _own(notification_id: int) -> Notification:
    return or_404(
        db.session.scalar(
            select(Notification).where(
                Notification.id == notification_id, Notification.user_id == current_user.id
            )
        )
    )


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@login_required
def open_(notification_id: int):
    note = _own(notification_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    note.read_at = note.read_at or utcnow()
    message = render(db.session, note, today=today())
    db.session.commit()
    return redirect(message.link)


@bp.route("/notifications/read", methods=["POST"])
@login_required
def read_all():
    if not FlaskForm().validate_on_submit():
        abort(400)
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


class PreferencesForm(Form):
    email_notifications = BooleanField(_l("Also send my notifications by e-mail"))
    email_digest = BooleanField(
        _l("One e-mail a day with everything, instead of an e-mail per message")
    )
    submit = SubmitField(_l("Save"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = PreferencesForm(obj=current_user)
    if form.validate_on_submit():
        current_user.email_notifications = form.email_notifications.data
        current_user.email_digest = form.email_digest.data
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("notifications.profile"))
    volunteer = access.volunteer_for(db.session, current_user)
    return render_template(
        "notifications/profile.html",
        form=form,
        volunteer=volunteer,
        csrf_form=FlaskForm(),
        paused=PAUSED,
        two_factor_required=two_factor.required_for(current_user, current_app.config),
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@bp.route("/profile/calendar", methods=["POST"])
@roles_required(Role.VOLUNTEER)
def calendar_token():
    """Make a new calendar link (the old one stops working); shown once."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    volunteer = or_404(access.volunteer_for(db.session, current_user))
    if not volunteer.active:  # the feed answers only for active volunteers
        flash(str(PAUSED), "warning")
        return redirect(url_for("notifications.profile"))
    token = secrets.token_urlsafe(32)
    volunteer.calendar_token_hash = _digest(token)
    db.session.commit()
    link = url_for("notifications.calendar_feed", token=token, _external=True)
    return render_template("notifications/calendar_link.html", link=link, webcal=webcal_url(link))


def webcal_url(link: str) -> str:
    """The same feed as a ``webcal:`` address: a phone opens it in its calendar to subscribe."""
    _scheme, _sep, rest = link.partition("://")
    return f"webcal://{rest}"


@bp.route("/profile/calendar/revoke", methods=["POST"])
@roles_required(Role.VOLUNTEER)
def calendar_revoke():
    if not FlaskForm().validate_on_submit():
        abort(400)
    volunteer = or_404(access.volunteer_for(db.session, current_user))
    volunteer.calendar_token_hash = None
    db.session.commit()
    flash(_("The calendar link no longer works."), "success")
    return redirect(url_for("notifications.profile"))


@bp.route("/calendar/<token>.ics")
def calendar_feed(token: str):
    """One all-week item per week a contact is still due, per active match. First names only."""
    if len(token) > 100:
        abort(404)
    volunteer = or_404(
        db.session.scalar(
            select(Volunteer).where(
                Volunteer.calendar_token_hash == _digest(token), reachable_volunteer()
            )
        )
    )
    day = today()
    matches = db.session.scalars(
        select(Match)
        .where(Match.volunteer_id == volunteer.id, Match.ended_on.is_(None))
        .options(joinedload(Match.resident))
    ).all()
    days = contacts.days_by_match(db.session, [m.id for m in matches])
    # The feed names residents (first names): recorded as a view by the volunteer.
    audit_view("calendar_feed", volunteer.id, None, actor=volunteer.user)
    calendar = Calendar()
    calendar.add("prodid", "-//Money Maatjes//maatjes//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Money Maatjes")
    stamp = utcnow()
    locale = volunteer.user.locale if volunteer.user and volunteer.user.locale else "nl"
    for match in matches:
        strip = weeks.match_weeks(
            match.started_on, None, day, days.get(match.id, []), upcoming_to_minimum=True
        )
        last = max(len(strip), weeks.week_number(match.started_on, day) + FEED_AHEAD_WEEKS)
        monday = weeks.week_start(match.started_on)
        done = {w.monday for w in strip if w.status == weeks.DONE}
        for number in range(1, last + 1):
            week_monday = monday + timedelta(weeks=number - 1)
            if week_monday < weeks.week_start(day) or week_monday in done:
                continue
            event = Event()
            event.add("uid", f"match-{match.id}-week-{number}@maatjes")
            event.add("dtstamp", stamp)
            event.add("dtstart", week_monday)
            event.add("dtend", week_monday + timedelta(days=7))
            with force_locale(locale):
                summary = _("Money Maatjes: contact with %(name)s", name=match.resident.first_name)
            event.add("summary", summary)
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    response = Response(calendar.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="money-maatjes.ics"'
    return response
