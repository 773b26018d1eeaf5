from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import or_404, roles_required, show_violation, today
from maatjes.blueprints.trainings.forms import AttendanceForm, SessionForm, TrainingForm
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
    trainings = db.session.scalars(
        select(Training).options(selectinload(Training.sessions)).order_by(Training.name)
    ).all()
    return render_template("trainings/index.html", trainings=trainings)


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


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@roles_required(*Role.STAFF)
def session(session_id: int):
    training_session = or_404(db.session.get(TrainingSession, session_id))
    form = AttendanceForm()
    form.volunteer.choices = [
        (v.id, v.name)
        for v in db.session.scalars(
            select(Volunteer).where(Volunteer.active.is_(True)).order_by(Volunteer.name)
        )
    ]
    if form.validate_on_submit():
        volunteer = or_404(db.session.get(Volunteer, form.volunteer.data))
        if training_session.held_on > today() and form.completed.data:
            form.completed.errors.append(_("A session in the future cannot be completed yet."))
        else:
            try:
                training_rules.record_attendance(
                    db.session, volunteer, training_session, completed=form.completed.data
                )
                db.session.commit()
            except IntegrityError:  # the same record saved twice at once
                db.session.rollback()
            flash(_("Recorded for %(name)s.", name=volunteer.name), "success")
            return redirect(url_for("trainings.session", session_id=session_id))
    attendances = db.session.scalars(
        select(TrainingAttendance)
        .where(TrainingAttendance.session_id == session_id)
        .options(joinedload(TrainingAttendance.volunteer))
    ).all()
    return render_template(
        "trainings/session.html",
        training_session=training_session,
        form=form,
        attendances=attendances,
    )
