from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from maatjes.blueprints import (
    confirmation_page,
    confirmed,
    or_404,
    roles_required,
    show_violation,
    today,
)
from maatjes.blueprints.fields import MAX_ID
from maatjes.blueprints.listing import Filter, ListArgs, paginate
from maatjes.blueprints.trainings.forms import (
    ArchiveForm,
    AttendanceForm,
    SessionForm,
    TrainingForm,
)
from maatjes.domain import search
from maatjes.domain import training as training_rules
from maatjes.domain.errors import RuleViolation
from maatjes.domain.registry_access import MODULES
from maatjes.domain.sql import unique_or_violation
from maatjes.extensions import db
from maatjes.labels import choices
from maatjes.models import (
    Organisation,
    Person,
    Role,
    Training,
    TrainingAttendance,
    TrainingSession,
    Volunteer,
)

bp = Blueprint("trainings", __name__, url_prefix="/trainings")

# Who reads and who edits the catalogue: the registry's rule for the module (admin and lead).
READ, EDIT = MODULES["trainings"]
# The year's target of central trainings with the Burgeracademie when the setting is absent.
DEFAULT_CENTRAL_TARGET = 4


def _target() -> int:
    target = current_app.config.get("CENTRAL_TRAININGS_TARGET", DEFAULT_CENTRAL_TARGET)
    return target if isinstance(target, int) and target > 0 else DEFAULT_CENTRAL_TARGET


def _progress(year: int) -> training_rules.Progress:
    return training_rules.central_progress(db.session, year, today=today(), target=_target())


@bp.route("/")
@roles_required(*READ)
def index():
    """Every current training of the pact's catalogue, with the year's central-training target
    on top; with ``?volunteer_id=`` (the "record training" link of a volunteer who cannot be
    matched yet) the sessions to choose from, the trainings they miss first."""
    volunteer = _for_volunteer()
    gate = None
    first = []
    if volunteer is not None:
        gate = training_rules.gate_status(db.session, volunteer.id)
        if gate.basic_on is None:
            first.append(training_rules.BASIC)
        if gate.money_maatje_on is None:
            first.append(training_rules.MONEY_MAATJE)
    every = ("", _("All"))
    filters = [
        Filter("provider", _l("Offered by"), [every, *choices("training_provider")]),
        Filter(
            "status",
            _l("Status"),
            [("", _("Current")), ("archived", _("Archived")), ("all", _("All"))],
        ),
    ]
    args = ListArgs.from_request(filters)
    sessions = (
        select(TrainingSession.training_id, func.count(TrainingSession.id).label("n"))
        .group_by(TrainingSession.training_id)
        .subquery()
    )
    query = (
        select(Training, func.coalesce(sessions.c.n, 0))
        .outerjoin(sessions, sessions.c.training_id == Training.id)
        .options(joinedload(Training.organisation))
    )
    found = search.matches(func.lower(Training.name), args.q)
    if found is not None:
        query = query.where(found)
    if args.get("provider"):
        query = query.where(Training.provider == args.get("provider"))
    if args.get("status") == "archived":
        query = query.where(Training.archived.is_(True))
    elif args.get("status") != "all":
        query = query.where(Training.archived.is_(False))
    if volunteer is not None:
        query = query.options(selectinload(Training.sessions))
    missing_first = case((Training.kind.in_(first), 0), else_=1) if first else literal(1)
    page = paginate(
        db.session, query.order_by(missing_first, Training.name, Training.id), args.page, rows=True
    )
    return render_template(
        "trainings/index.html",
        trainings=page,
        page=page,
        args=args,
        filters=filters,
        volunteer=volunteer,
        gate=gate,
        progress=_progress(today().year),
    )


def _prepare(form: TrainingForm, training: Training | None) -> None:
    form.kind.choices = choices("training_kind")
    form.provider.choices = choices("training_provider")
    current = training.organisation_id if training is not None else None
    offering = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(or_(Organisation.status != "left", Organisation.id == current))
        .order_by(Organisation.name)
    ).all()
    form.organisation.choices = [(0, _("— none —"))] + [(i, n) for i, n in offering]


def _input(form: TrainingForm) -> training_rules.TrainingInput:
    organisation = None
    if form.organisation.data:
        organisation = or_404(db.session.get(Organisation, form.organisation.data))
    return training_rules.TrainingInput(
        name=form.name.data or "",
        kind=form.kind.data,
        provider=form.provider.data,
        organisation=organisation,
        description=form.description.data or "",
        refresh_months=form.refresh_months.data,
    )


_EXISTS = training_rules.NAME_EXISTS


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDIT)
def new():
    form = TrainingForm()
    _prepare(form, None)
    status = 200
    if form.validate_on_submit():
        try:
            with unique_or_violation(db.session, _EXISTS, "name"):
                training = training_rules.save_training(db.session, None, _input(form))
        except RuleViolation as error:
            show_violation(form, error)
            # A name saved by a colleague a moment earlier keeps the answer it always had
            # (tests/views/test_concurrency.py); every other refusal is a 422.
            status = 200 if error.message is _EXISTS else 422
        else:
            db.session.commit()
            flash(_("Training added."), "success")
            return redirect(url_for("trainings.detail", training_id=training.id))
    elif form.is_submitted():
        status = 422
    return render_template("trainings/new.html", form=form, training=None), status


@bp.route("/<int:training_id>/edit", methods=["GET", "POST"])
@roles_required(*EDIT)
def edit(training_id: int):
    training = or_404(db.session.get(Training, training_id))
    # Not ``obj=``: its ``organisation`` is the related record, the field wants the id.
    form = TrainingForm(
        name=training.name,
        kind=training.kind,
        provider=training.provider,
        organisation=training.organisation_id or 0,
        description=training.description,
        refresh_months=training.refresh_months,
    )
    _prepare(form, training)
    status = 200
    if form.validate_on_submit():
        try:
            with unique_or_violation(db.session, _EXISTS, "name"):
                training_rules.save_training(db.session, training, _input(form))
        except RuleViolation as error:
            show_violation(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("Training saved."), "success")
            return redirect(url_for("trainings.detail", training_id=training.id))
    elif form.is_submitted():
        status = 422
    return render_template("trainings/new.html", form=form, training=training), status


def _session_form(current: TrainingSession | None = None, **data) -> SessionForm:
    """The form of a new session, or of a session to correct: the organisations in the pact,
    and those the session already names (even if they left since)."""
    form = SessionForm(**data)
    named = []
    if current is not None:
        named = [o.id for o in current.invited]
        if current.trainer_organisation_id:
            named.append(current.trainer_organisation_id)
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(or_(Organisation.status != "left", Organisation.id.in_(named)))
        .order_by(Organisation.name)
    ).all()
    form.trainer_organisation.choices = [(0, "—")] + [(i, n) for i, n in organisations]
    form.invited.choices = [(i, n) for i, n in organisations]
    return form


def _session_input(form: SessionForm) -> training_rules.SessionInput:
    invited = []
    if form.invited.data:
        invited = list(
            db.session.scalars(select(Organisation).where(Organisation.id.in_(form.invited.data)))
        )
    return training_rules.SessionInput(
        held_on=form.held_on.data,
        trainer_organisation=(
            db.session.get(Organisation, form.trainer_organisation.data)
            if form.trainer_organisation.data
            else None
        ),
        location=form.location.data or "",
        invited=invited,
    )


def _training_page(training_id: int) -> Training:
    return or_404(
        db.session.scalar(
            select(Training)
            .where(Training.id == training_id)
            .options(
                joinedload(Training.organisation),
                selectinload(Training.sessions).joinedload(TrainingSession.trainer_organisation),
            )
        )
    )


def _render_detail(training: Training, form: SessionForm, status: int = 200, error=None):
    return render_template(
        "trainings/detail.html",
        training=training,
        form=form,
        archive_form=ArchiveForm(formdata=None),
        archive_error=error,
    ), status


@bp.route("/<int:training_id>", methods=["GET", "POST"])
@roles_required(*READ)
def detail(training_id: int):
    """A training with its sessions; a new session (date, trainer organisation, location and
    the organisations invited) is added here."""
    training = _training_page(training_id)
    form = _session_form()
    if not form.is_submitted():
        return _render_detail(training, form)
    if request.method == "POST" and current_user.role not in EDIT:
        abort(403)
    if training.archived:
        show_violation(form, RuleViolation(training_rules.ARCHIVED_NO_SESSIONS))
        return _render_detail(_training_page(training_id), form, 422)
    if form.validate_on_submit():
        data = _session_input(form)
        try:
            session = training_rules.add_session(db.session, training, data, today=today())
        except RuleViolation as error:
            show_violation(form, error)
            training = _training_page(training_id)
        else:
            db.session.commit()
            flash(_("Session added."), "success")
            return redirect(url_for("trainings.session", session_id=session.id))
    return _render_detail(training, form, 422)


@bp.route("/<int:training_id>/archive", methods=["POST"])
@roles_required(*EDIT)
def archive(training_id: int):
    """Archive a training (after a confirmation), or restore it with ``restore=1``."""
    training = or_404(db.session.get(Training, training_id))
    if not ArchiveForm().validate_on_submit():
        abort(400)
    back = url_for("trainings.detail", training_id=training.id)
    if request.form.get("restore") == "1":
        training_rules.restore_training(db.session, training)
        db.session.commit()
        flash(_("“%(name)s” is current again.", name=training.name), "success")
        return redirect(back)
    try:
        training_rules.archive_training(db.session, training)
    except RuleViolation as error:
        db.session.rollback()
        return _render_detail(_training_page(training_id), _session_form(), 422, error.message)
    if not confirmed():
        return confirmation_page(
            _("Archive “%(name)s”?", name=training.name),
            _(
                "Its sessions and everyone's attendance stay recorded, but it leaves the list of "
                "current trainings and gets no new sessions. You can restore it later."
            ),
            _("Yes, archive the training"),
            back,
        )
    db.session.commit()
    flash(_("“%(name)s” is archived.", name=training.name), "success")
    return redirect(back)


@bp.route("/mine")
@roles_required(Role.VOLUNTEER)
def mine():
    """A volunteer's own trainings: the sessions they attended and their training gate in plain
    words. Only their own record, looked up from their account."""
    volunteer = db.session.scalar(select(Volunteer).where(Volunteer.user_id == current_user.id))
    if volunteer is None:
        return render_template("trainings/mine.html", volunteer=None)
    args = ListArgs.from_request([])
    page = paginate(
        db.session, training_rules.attended_sessions(volunteer.id), args.page, rows=True
    )
    return render_template(
        "trainings/mine.html",
        volunteer=volunteer,
        gate=training_rules.gate_status(db.session, volunteer.id),
        page=page,
        refreshers=training_rules.refreshers(db.session, volunteer.id, today=today()),
    )


def _year() -> int:
    """``?year=``: a year from 2000 to five years ahead; anything else is this year."""
    value, current = request.args.get("year", ""), today().year
    if value.isascii() and value.isdigit() and 2000 <= int(value) <= current + 5:
        return int(value)
    return current


@bp.route("/year")
@roles_required(*READ)
def year():
    """The year's trainings per provider: sessions, volunteers, people of organisations and
    organisations invited, and the central-training target. A fixed number of statements."""
    chosen = _year()
    overview = training_rules.year_overview(db.session, chosen, today=today(), target=_target())
    return render_template(
        "trainings/year.html",
        overview=overview,
        previous=chosen - 1 if chosen > 2000 else None,
        following=chosen + 1 if chosen < today().year + 5 else None,
    )


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


def _people_rows(training_session: TrainingSession) -> list[Person]:
    """The people of organisations the session page lists: the active people of the invited
    organisations and of the trainer organisation, and anyone recorded already."""
    organisation_ids = [o.id for o in training_session.invited]
    if training_session.trainer_organisation_id:
        organisation_ids.append(training_session.trainer_organisation_id)
    recorded = [p.id for p in training_session.people]
    shown = or_(
        and_(Person.active.is_(True), Person.organisation_id.in_(organisation_ids)),
        Person.id.in_(recorded),
    )
    return list(
        db.session.scalars(
            select(Person)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(shown)
            .options(joinedload(Person.organisation))
            .order_by(Organisation.name, Person.name, Person.id)
        )
    )


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@roles_required(*READ)
def session(session_id: int):
    """The attendance of one session in one form: a row per active volunteer (and per volunteer
    recorded already), with "attended" and "completed"; and a row per person of the invited and
    trainer organisations (and per person recorded already), with "attended"."""
    training_session = or_404(
        db.session.scalar(
            select(TrainingSession)
            .where(TrainingSession.id == session_id)
            .options(
                joinedload(TrainingSession.training),
                joinedload(TrainingSession.trainer_organisation),
                selectinload(TrainingSession.invited),
                selectinload(TrainingSession.people),
            )
        )
    )
    if request.method == "POST" and current_user.role not in EDIT:
        abort(403)
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
    people_rows = _people_rows(training_session)
    people_recorded = {p.id for p in training_session.people}
    future = training_session.held_on > today()
    form = AttendanceForm()
    status = 200
    if form.is_submitted():
        attended, completed = _ids("attended"), _ids("completed")
        people_attended = _ids("person")
    else:
        attended = set(recorded) | ({focus.id} if focus is not None else set())
        # Without JavaScript "completed" is simply ticked for every row that is not recorded
        # yet; the server ignores it for a row not attended. Not for a session to come.
        completed = {v for v, a in recorded.items() if a.completed}
        if not future:
            completed |= {row[0].id for row in rows if row[0].id not in recorded}
        people_attended = set(people_recorded)
    if form.validate_on_submit():
        listed = {row[0].id for row in rows}
        posted = _ids("row") & listed
        changes = {v: (v in attended, v in attended and v in completed) for v in posted}
        people_posted = _ids("person_row") & {p.id for p in people_rows}
        try:
            result = training_rules.record_session(
                db.session, training_session, changes, today=today()
            )
            people_count = None
            if people_posted:
                people_count = training_rules.record_people(
                    db.session, training_session, people_posted, people_attended
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
            if people_count is not None:
                flash(
                    _(
                        "People of organisations: %(num)d attended.",
                        num=people_count,
                    ),
                    "success",
                )
            return redirect(url_for("trainings.session", session_id=session_id))
        if status != 200:  # the rollback expired what the page shows
            training_session = db.session.get(TrainingSession, session_id)
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
        people_rows=people_rows,
        people_recorded=people_recorded,
        people_attended=people_attended,
        edit_roles=EDIT,
    ), status


def _session_to_change(session_id: int) -> TrainingSession:
    return or_404(
        db.session.scalar(
            select(TrainingSession)
            .where(TrainingSession.id == session_id)
            .options(
                joinedload(TrainingSession.training),
                joinedload(TrainingSession.trainer_organisation),
                selectinload(TrainingSession.invited),
            )
        )
    )


def _render_session_edit(training_session: TrainingSession, form: SessionForm, status: int):
    return render_template(
        "trainings/session_edit.html",
        training_session=training_session,
        form=form,
        remove_form=ArchiveForm(formdata=None),
    ), status


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(*EDIT)
def edit_session(session_id: int):
    """Correct a session's date, trainer organisation, location and invited organisations."""
    training_session = _session_to_change(session_id)
    form = _session_form(
        training_session,
        held_on=training_session.held_on,
        trainer_organisation=training_session.trainer_organisation_id or 0,
        location=training_session.location,
        invited=[o.id for o in training_session.invited],
    )
    status = 200
    if form.validate_on_submit():
        try:
            training_rules.update_session(
                db.session, training_session, _session_input(form), today=today()
            )
        except RuleViolation as error:
            show_violation(form, error)
            training_session = _session_to_change(session_id)
        else:
            db.session.commit()
            flash(_("Session saved."), "success")
            return redirect(url_for("trainings.session", session_id=session_id))
    if form.is_submitted():
        status = 400 if "csrf_token" in form and form.csrf_token.errors else 422
    return _render_session_edit(training_session, form, status)


@bp.route("/sessions/<int:session_id>/delete", methods=["POST"])
@roles_required(*EDIT)
def remove_session(session_id: int):
    """Remove a session entered by mistake, while no attendance is recorded."""
    training_session = _session_to_change(session_id)
    if not ArchiveForm().validate_on_submit():
        abort(400)
    training_id = training_session.training_id
    try:
        training_rules.remove_session(db.session, training_session)
    except RuleViolation as error:
        form = _session_form(
            training_session,
            formdata=None,
            held_on=training_session.held_on,
            trainer_organisation=training_session.trainer_organisation_id or 0,
            location=training_session.location,
            invited=[o.id for o in training_session.invited],
        )
        show_violation(form, error)
        return _render_session_edit(_session_to_change(session_id), form, 422)
    db.session.commit()
    flash(_("Session removed."), "success")
    return redirect(url_for("trainings.detail", training_id=training_id))
