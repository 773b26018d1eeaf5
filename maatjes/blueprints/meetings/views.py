"""The pact's meetings: the list, a meeting's page with the small forms that record it
(agenda, attendance, minutes, decisions, actions), the year's attendance, and the actions."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import module_access, or_404, show_violation, today
from maatjes.blueprints.auth.views import safe_next
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.blueprints.meetings.forms import (
    FIRST_YEAR,
    YEARS_AHEAD,
    ActionForm,
    AttendanceForm,
    DecisionForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    StatusForm,
)
from maatjes.domain import meetings as rules
from maatjes.domain import registry_access, search
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.formatting import label
from maatjes.labels import choices
from maatjes.models import Action, Meeting, Person, ThemeGroup

bp = Blueprint("meetings", __name__, url_prefix="/registry/meetings")

MODULE = "meetings"


reads = module_access(MODULE)
edits = module_access(MODULE, edit=True)


# --- The list -------------------------------------------------------------------------------


@bp.route("/")
@reads
def index():
    every = ("", _("All"))
    first, last = db.session.execute(
        select(func.min(Meeting.held_on), func.max(Meeting.held_on))
    ).one()
    years = list(range(last.year, first.year - 1, -1)) if first and last else []
    groups = db.session.execute(
        select(ThemeGroup.id, ThemeGroup.name).order_by(ThemeGroup.name)
    ).all()
    filters = [
        Filter("kind", _l("Kind"), [every, *choices("meeting_kind")]),
        Filter("year", _l("Year"), [every] + [(str(y), str(y)) for y in years]),
        Filter("theme_group", _l("Theme group"), [every] + [(str(i), n) for i, n in groups]),
    ]
    args = ListArgs.from_request(filters)
    present = rules.present_counts()
    open_actions = (
        select(Action.meeting_id, func.count(Action.id).label("n"))
        .where(Action.status == Action.OPEN)
        .group_by(Action.meeting_id)
        .subquery()
    )
    query = (
        select(Meeting, func.coalesce(present.c.n, 0), func.coalesce(open_actions.c.n, 0))
        .outerjoin(present, present.c.meeting_id == Meeting.id)
        .outerjoin(open_actions, open_actions.c.meeting_id == Meeting.id)
        .options(joinedload(Meeting.theme_group))
    )
    text = func.lower(Meeting.title + " " + Meeting.location + " " + Meeting.minutes)
    found = search.matches(text, args.q)
    if found is not None:
        query = query.where(found)
    if args.get("kind"):
        query = query.where(Meeting.kind == args.get("kind"))
    if args.get("year"):
        start, end = rules.year_bounds(int(args.get("year")))
        query = query.where(Meeting.held_on >= start, Meeting.held_on <= end)
    if args.get("theme_group"):
        query = query.where(Meeting.theme_group_id == int(args.get("theme_group")))
    page = paginate(
        db.session, query.order_by(Meeting.held_on.desc(), Meeting.id.desc()), args.page, rows=True
    )
    return render_template(
        "meetings/index.html",
        rows=page,
        page=page,
        args=args,
        filters=filters,
        may_edit=registry_access.may_edit(current_user, MODULE),
    )


# --- A new meeting --------------------------------------------------------------------------


def _meeting_form(meeting: Meeting | None = None) -> MeetingForm:
    """The form of a new meeting, or of a meeting to correct (filled in with what it has; its
    theme group stays a choice even when archived)."""
    form = MeetingForm(obj=meeting)
    if meeting is not None and not form.is_submitted():
        form.theme_group.data = meeting.theme_group_id
    form.kind.choices = choices("meeting_kind")
    current = meeting.theme_group_id if meeting is not None else None
    form.theme_group.choices = [("", "—")] + [
        (g.id, g.name)
        for g in db.session.scalars(
            select(ThemeGroup)
            .where(or_(ThemeGroup.active.is_(True), ThemeGroup.id == current))
            .order_by(ThemeGroup.name)
        )
    ]
    return form


def _meeting_input(form: MeetingForm) -> rules.MeetingInput:
    return rules.MeetingInput(
        kind=form.kind.data,
        held_on=form.held_on.data,
        title=form.title.data or "",
        location=form.location.data or "",
        theme_group_id=form.theme_group.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@edits
def new():
    form = _meeting_form()
    status = 200
    if form.validate_on_submit():
        data = _meeting_input(form)
        try:
            meeting = rules.create_meeting(db.session, data)
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Meeting added."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    if form.is_submitted():
        status = 400 if "csrf_token" in form and form.csrf_token.errors else 422
    return render_template("meetings/new.html", form=form), status


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@edits
def edit(meeting_id: int):
    """Correct a meeting's kind, theme group, date, title and location."""
    meeting = or_404(db.session.get(Meeting, meeting_id))
    form = _meeting_form(meeting)
    status = 200
    if form.validate_on_submit():
        try:
            rules.update_meeting(db.session, meeting, _meeting_input(form))
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Meeting saved."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    if form.is_submitted():
        status = 400 if "csrf_token" in form and form.csrf_token.errors else 422
    return render_template("meetings/edit.html", form=form, meeting=meeting), status


# --- A meeting's page and its forms ---------------------------------------------------------


def _meeting(meeting_id: int) -> Meeting:
    return or_404(
        db.session.scalar(
            select(Meeting)
            .where(Meeting.id == meeting_id)
            .options(
                joinedload(Meeting.theme_group),
                selectinload(Meeting.items),
                selectinload(Meeting.organisations),
                selectinload(Meeting.people),
                selectinload(Meeting.decisions),
                selectinload(Meeting.actions).joinedload(Action.owner),
            )
        )
    )


def _render(meeting: Meeting, status: int = 200, **bound):
    """The meeting's page; ``bound`` holds the form that was posted (with its errors), the
    other forms show what is recorded."""
    forms = {}
    if registry_access.may_edit(current_user, MODULE):
        forms = {
            "item_form": bound.get("item_form") or ItemForm(prefix="item", formdata=None),
            "attendance_form": bound.get("attendance_form") or _attendance_form(meeting, None),
            "minutes_form": bound.get("minutes_form")
            or MinutesForm(prefix="minutes", formdata=None, data={"minutes": meeting.minutes}),
            "decision_form": bound.get("decision_form")
            or DecisionForm(prefix="decision", formdata=None),
            "action_form": bound.get("action_form") or _action_form(None),
        }
    return render_template(
        "meetings/detail.html",
        meeting=meeting,
        status_form=StatusForm(formdata=None),
        may_edit=bool(forms),
        **forms,
    ), status


def _attendance_form(meeting: Meeting, formdata=...) -> AttendanceForm:
    kwargs = {} if formdata is ... else {"formdata": None}
    form = AttendanceForm(prefix="attendance", **kwargs)
    organisations, people = rules.attendance_choices(db.session, meeting)
    form.organisations.choices = [
        (i, f"{name} ({label('organisation_kind', kind)})") for i, name, kind in organisations
    ]
    form.people.choices = [(i, f"{name} ({org})" if org else name) for i, name, org in people]
    if formdata is not ...:
        form.organisations.data = [o.id for o in meeting.organisations]
        form.people.data = [p.id for p in meeting.people]
    return form


def _action_form(formdata=...) -> ActionForm:
    kwargs = {} if formdata is ... else {"formdata": None}
    form = ActionForm(prefix="action", **kwargs)
    form.owner.choices = [("", _("Choose…"))] + rules.owner_choices(db.session)
    return form


@bp.route("/<int:meeting_id>")
@reads
def detail(meeting_id: int):
    return _render(_meeting(meeting_id))


def _refused(meeting: Meeting, name: str, form, error: RuleViolation | None = None):
    if error is not None:
        show_violation(form, error)
    db.session.rollback()
    if "csrf_token" in form and form.csrf_token.errors:
        abort(400)
    return _render(_meeting(meeting.id), 422, **{name: form})


def _done(meeting: Meeting, message: str, anchor: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor=anchor))


@bp.route("/<int:meeting_id>/items", methods=["POST"])
@edits
def add_item(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = ItemForm(prefix="item")
    if not form.validate():
        return _refused(meeting, "item_form", form)
    try:
        rules.add_item(db.session, meeting, form.title.data, form.guest.data or "")
    except RuleViolation as error:
        return _refused(meeting, "item_form", form, error)
    return _done(meeting, _("Agenda item added."), "agenda")


@bp.route("/<int:meeting_id>/items/<int:item_id>/delete", methods=["POST"])
@edits
def remove_item(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    try:
        rules.remove_item(db.session, meeting, item_id)
    except RuleViolation:
        db.session.rollback()
        abort(404)
    return _done(meeting, _("Agenda item removed."), "agenda")


@bp.route("/<int:meeting_id>/attendance", methods=["POST"])
@edits
def attendance_form(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = _attendance_form(meeting)
    if not form.validate():
        return _refused(meeting, "attendance_form", form)
    try:
        rules.set_attendance(
            db.session, meeting, set(form.organisations.data or ()), set(form.people.data or ())
        )
    except RuleViolation as error:
        return _refused(meeting, "attendance_form", form, error)
    return _done(meeting, _("Attendance saved."), "attendance")


@bp.route("/<int:meeting_id>/minutes", methods=["POST"])
@edits
def minutes(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = MinutesForm(prefix="minutes")
    if not form.validate():
        return _refused(meeting, "minutes_form", form)
    rules.set_minutes(db.session, meeting, form.minutes.data or "")
    return _done(meeting, _("Minutes saved."), "minutes")


@bp.route("/<int:meeting_id>/decisions", methods=["POST"])
@edits
def add_decision(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = DecisionForm(prefix="decision")
    if not form.validate():
        return _refused(meeting, "decision_form", form)
    try:
        rules.add_decision(db.session, meeting, form.text.data)
    except RuleViolation as error:
        return _refused(meeting, "decision_form", form, error)
    return _done(meeting, _("Decision added."), "decisions")


@bp.route("/<int:meeting_id>/decisions/<int:decision_id>/delete", methods=["POST"])
@edits
def remove_decision(meeting_id: int, decision_id: int):
    meeting = _meeting(meeting_id)
    try:
        rules.remove_decision(db.session, meeting, decision_id)
    except RuleViolation:
        db.session.rollback()
        abort(404)
    return _done(meeting, _("Decision removed."), "decisions")


@bp.route("/<int:meeting_id>/actions", methods=["POST"])
@edits
def add_action(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = _action_form()
    if not form.validate():
        return _refused(meeting, "action_form", form)
    try:
        rules.add_action(db.session, meeting, form.text.data, form.owner.data, form.due_on.data)
    except RuleViolation as error:
        return _refused(meeting, "action_form", form, error)
    return _done(meeting, _("Action added."), "actions")


# --- The year's attendance ------------------------------------------------------------------


@bp.route("/attendance")
@reads
def attendance():
    this_year = today().year
    text = request.args.get("year", "")
    year = int(text) if text.isascii() and text.isdigit() and len(text) == 4 else this_year
    if not FIRST_YEAR <= year <= this_year + YEARS_AHEAD:
        year = this_year
    figures = rules.year_figures(db.session, year)
    # The years with meetings: from the first meeting's year (this year if none) to this year.
    first = db.session.scalar(select(func.min(Meeting.held_on)))
    first_year = min(first.year, this_year) if first else this_year
    return render_template(
        "meetings/attendance.html",
        figures=figures,
        year=year,
        years=list(range(this_year, first_year - 1, -1)),
        kinds=Meeting.KINDS,
    )


# --- Actions --------------------------------------------------------------------------------


def _actions_page(status: int = 200):
    staff = registry_access.may_read(current_user, MODULE)
    every = ("", _("All"))
    filters = [
        Filter("status", _l("Status"), [every, *choices("action_status")]),
        Filter("overdue", _l("Due"), [every, ("1", _("past their date"))]),
    ]
    if staff:
        owners = db.session.execute(
            select(Person.id, Person.name)
            .where(Person.id.in_(select(Action.owner_id)))
            .order_by(Person.name)
        ).all()
        filters.append(Filter("owner", _l("Owner"), [every] + [(str(i), n) for i, n in owners]))
    args = ListArgs.from_request(filters)
    query = select(Action).options(
        joinedload(Action.owner), joinedload(Action.meeting).joinedload(Meeting.theme_group)
    )
    if not staff:
        query = query.where(rules.owned_by(current_user))
    found = search.matches(func.lower(Action.text), args.q)
    if found is not None:
        query = query.where(found)
    if args.get("status"):
        query = query.where(Action.status == args.get("status"))
    if args.get("overdue"):
        query = query.where(and_(Action.status == Action.OPEN, Action.due_on < today()))
    if args.get("owner"):
        query = query.where(Action.owner_id == int(args.get("owner")))
    page = paginate(db.session, query.order_by(Action.due_on, Action.id), args.page)
    return render_template(
        "meetings/actions.html",
        page=page,
        args=args,
        filters=filters,
        staff=staff,
        today=today(),
        status_form=StatusForm(formdata=None),
    ), status


@login_required
def actions():
    """For admins and leads every action; for anyone else the actions they own."""
    return _actions_page()


@login_required
def action_status(action_id: int):
    """The owner (or an admin) marks an action done or dropped (or open again)."""
    action = db.session.scalar(
        select(Action).where(Action.id == action_id).options(joinedload(Action.owner))
    )
    if action is None or not rules.may_change_action(current_user, action):
        abort(404)
    form = StatusForm()
    if not form.validate():
        if "csrf_token" in form and form.csrf_token.errors:
            abort(400)
        flash(_("Choose done, dropped or open."), "danger")
        return _actions_page(422)
    try:
        rules.set_action_status(db.session, action, form.status.data, today=today())
    except RuleViolation as error:
        show_violation(None, error)
        return _actions_page(422)
    db.session.commit()
    flash(_("Action marked “%(status)s”.", status=label("action_status", action.status)), "success")
    return redirect(safe_next(form.next.data) or url_for("meetings.actions"))


@bp.record_once
def _outside_the_prefix(state) -> None:
    """The actions list lives at /registry/actions, outside the meetings' prefix."""
    state.app.add_url_rule("/registry/actions", "meetings.actions", actions)
    state.app.add_url_rule(
        "/registry/actions/<int:action_id>/status",
        "meetings.action_status",
        action_status,
        methods=["POST"],
    )
