from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from maatjes.blueprints import or_404, roles_required, show_violation, today
from maatjes.blueprints.fields import MAX_ID
from maatjes.blueprints.listing import ListArgs, paginate
from maatjes.blueprints.trainings.forms import AttendanceForm, SessionForm, TrainingForm
from maatjes.domain import search
from maatjes.domain import training as training_rules
from maatjes.domain.errors import RuleViolation
from maatjes.domain.sql import unique_or_violation
from maatjes.extensions import db
from maatjes.labels import choices
from maatjes.models import (
    Organisation,
    Role,
    Training,
    TrainingAttendance,
    TrainingSession,
    Volunteer,
)

bp = Blueprint("trainings", __name__, url_prefix="/trainings")


@bp.route("/")
@roles_required(*Role.STAFF)
def index():
    """Every training; with ``?volunteer_id=`` (the "record training" link of a volunteer who
    cannot be matched yet) the sessions to choose from, the trainings they miss first."""
    volunteer = _for_volunteer()
    gate = None
    first = []
    if volunteer is not None:
        gate = training_rules.gate_status(db.session, volunteer.id)
        if gate.basic_on is None:
            first.append(training_rules.BASIC)
        if gate.money_maatje_on is None:
            first.append(training_rules.MONEY_MAATJE)
    args = ListArgs.from_request([])
    sessions = (
        select(TrainingSession.training_id, func.count(TrainingSession.id).label("n"))
        .group_by(TrainingSession.training_id)
        .subquery()
    )
    query = select(Training, func.coalesce(sessions.c.n, 0)).outerjoin(
        sessions, sessions.c.training_id == Training.id
    )
    found = search.matches(func.lower(Training.name), args.q)
    if found is not None:
        query = query.where(found)
    if volunteer is not None:
        query = query.options(selectinload(Training.sessions))
    missing_first = case((Training.kind.in_(first), 0), else_=1) if first else literal(1)
    page = paginate(
        db.session, query.order_by(missing_first, Training.name, Training.id), args.page, rows=True
    )
    return render_template(
        "trainings/index.html", trainings=page, page=page, args=args, volunteer=volunteer, gate=gate
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def new():
    form = TrainingForm()
    form.kind.choices = choices("training_kind")
    if form.validate_on_submit():
        name = form.name.data.strip()
        exists = _l("A training with this name exists already.")
        training = Training(
            name=name,
            kind=form.kind.data,
            description=form.description.data,
            refresh_months=form.refresh_months.data,
        )
        try:
            if db.session.scalar(select(Training.id).where(Training.name == name)):
                raise RuleViolation(exists, "name")
            with unique_or_violation(db.session, exists, "name"):
                db.session.add(training)
        except RuleViolation as error:
            show_violation(form, error)
        else:
            db.session.commit()
            flash(_("Training added."), "success")
            return redirect(url_for("trainings.detail", training_id=training.id))
    return render_template("trainings/new.html", form=form)


@bp.route("/<int:training_id>", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def detail(training_id: int):
    training = or_404(db.session.get(Training, training_id))
    form = SessionForm()
    form.trainer_organisation.choices = [(0, "—")] + [
        (o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
    ]
    if form.validate_on_submit():
        if form.held_on.data.year < 2015 or form.held_on.data.year > today().year + 2:
            form.held_on.errors.append(_("Give a date between 2015 and two years ahead."))
        else:
            session = TrainingSession(
                training=training,
                held_on=form.held_on.data,
                trainer_organisation_id=form.trainer_organisation.data or None,
            )
            db.session.add(session)
            db.session.commit()
            flash(_("Session added."), "success")
            return redirect(url_for("trainings.session", session_id=session.id))
    return render_template("trainings/detail.html", training=training, form=form)


def _ids(name: str) -> set[int]:
    """Volunteer ids from a list of checkboxes; anything that is not an id is ignored."""
    return {
        int(value)
        for value in request.form.getlist(name)
        if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID
    }


def _for_volunteer() -> Volunteer | None:
    """``?volunteer_id=``: the volunteer a lead is recording a training for."""
    value = request.args.get("volunteer_id", "")
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        return None
    return db.session.get(Volunteer, int(value))


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def session(session_id: int):
    """The attendance of one session in one form: a row per active volunteer (and per volunteer
    recorded already), with "attended" and "completed"."""
    training_session = or_404(db.session.get(TrainingSession, session_id))
    focus = _for_volunteer()
    recorded = {
        a.volunteer_id: a
        for a in db.session.scalars(
            select(TrainingAttendance).where(TrainingAttendance.session_id == session_id)
        )
    }
    shown = or_(Volunteer.active.is_(True), Volunteer.id.in_(list(recorded)))
    if focus is not None:
        shown = or_(shown, Volunteer.id == focus.id)
    rows = db.session.execute(
        select(Volunteer, training_rules.matchable_clause()).where(shown).order_by(Volunteer.name)
    ).all()
    if focus is not None:  # the volunteer the lead came for comes first
        rows.sort(key=lambda row: row[0].id != focus.id)
    future = training_session.held_on > today()
    form = AttendanceForm()
    status = 200
    if form.is_submitted():
        attended, completed = _ids("attended"), _ids("completed")
    else:
        attended = set(recorded) | ({focus.id} if focus is not None else set())
        # Without JavaScript "completed" is simply ticked for every row that is not recorded
        # yet; the server ignores it for a row not attended. Not for a session to come.
        completed = {v for v, a in recorded.items() if a.completed}
        if not future:
            completed |= {row[0].id for row in rows if row[0].id not in recorded}
    if form.validate_on_submit():
        listed = {row[0].id for row in rows}
        posted = _ids("row") & listed
        changes = {v: (v in attended, v in attended and v in completed) for v in posted}
        try:
            result = training_rules.record_session(
                db.session, training_session, changes, today=today()
            )
            db.session.commit()
        except RuleViolation as error:
            show_violation(form, error)
            status = 422
        except IntegrityError:  # a colleague saved the same session at the same moment
            db.session.rollback()
            form.form_errors.append(
                _("Someone saved this session at the same moment. Check the list and save again.")
            )
            status = 409
        else:
            flash(
                _(
                    "Attendance saved: %(attended)d attended, %(completed)d completed.",
                    attended=result.attended,
                    completed=result.completed,
                ),
                "success",
            )
            return redirect(url_for("trainings.session", session_id=session_id))
    elif form.is_submitted():
        status = 400 if form.csrf_token.errors else 422
    return render_template(
        "trainings/session.html",
        training_session=training_session,
        form=form,
        rows=rows,
        recorded=recorded,
        attended=attended,
        completed=completed,
        future=future,
        focus=focus,
    ), status
