"""The training gate: a volunteer can be matched only when active and trained.

Trained means the Money Maatje training completed, with the basic volunteer training completed
on or before it. The rule is one SQL expression so that lists and single checks agree.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, distinct, func, select
from sqlalchemy.orm import Session, aliased

from maatjes.domain.errors import RuleViolation
from maatjes.labels import LABELS
from maatjes.models import (
    Organisation,
    Person,
    Training,
    TrainingAttendance,
    TrainingSession,
    Volunteer,
)
from maatjes.models.volunteer import training_invitations, training_people

BASIC = "basic"
MONEY_MAATJE = "money_maatje"


def completions():
    """Per volunteer, in one grouped pass over the completed attendances: the first day of a
    completed basic training and the latest day of a completed Money Maatje training."""
    return (
        select(
            TrainingAttendance.volunteer_id.label("volunteer_id"),
            func.min(case((Training.kind == BASIC, TrainingSession.held_on))).label("basic_on"),
            func.max(case((Training.kind == MONEY_MAATJE, TrainingSession.held_on))).label(
                "money_maatje_on"
            ),
        )
        .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
        .join(Training, Training.id == TrainingSession.training_id)
        .where(
            TrainingAttendance.completed.is_(True),
            Training.kind.in_((BASIC, MONEY_MAATJE)),
        )
        .group_by(TrainingAttendance.volunteer_id)
        .subquery("completions")
    )


def _trained(done) -> ColumnElement[bool]:
    """The rule on a row of ``completions()``: both trainings completed, the Money Maatje
    training on or after the first basic one."""
    return and_(
        done.c.basic_on.is_not(None),
        done.c.money_maatje_on.is_not(None),
        done.c.basic_on <= done.c.money_maatje_on,
    )


def trained_volunteer_ids():
    """The ids of every trained volunteer: the Money Maatje training completed on or after the
    first basic one (the latest is compared, so a volunteer who redid the Money Maatje training
    after the basic training passes). Uncorrelated: the database computes the set once per
    query (a hashed subplan on PostgreSQL), not once per volunteer."""
    done = completions()
    return select(done.c.volunteer_id).where(_trained(done))


def matchable_clause() -> ColumnElement[bool]:
    """The gate, the one definition every list and single check uses: active and trained."""
    return and_(Volunteer.active.is_(True), Volunteer.id.in_(trained_volunteer_ids()))


@dataclass(frozen=True)
class GateStatus:
    active: bool
    basic_on: date | None
    money_maatje_on: date | None
    matchable: bool

    @property
    def reasons(self) -> list[str]:
        """Why the volunteer cannot be matched (empty when they can)."""
        reasons = []
        if not self.active:
            reasons.append(str(_l("not active")))
        if self.basic_on is None:
            reasons.append(str(_l("basic training not completed")))
        if self.money_maatje_on is None:
            reasons.append(str(_l("Money Maatje training not completed")))
        elif self.basic_on and self.basic_on > self.money_maatje_on:
            reasons.append(str(_l("basic training completed after the Money Maatje training")))
        return reasons


def gate_status(session: Session, volunteer_id: int) -> GateStatus:
    done = completions()
    row = session.execute(
        select(
            Volunteer.active,
            done.c.basic_on,
            done.c.money_maatje_on,
            and_(Volunteer.active.is_(True), _trained(done)),
        )
        .outerjoin(done, done.c.volunteer_id == Volunteer.id)
        .where(Volunteer.id == volunteer_id)
    ).one()
    return GateStatus(bool(row[0]), row[1], row[2], bool(row[3]))


def require_matchable(session: Session, volunteer: Volunteer) -> None:
    status = gate_status(session, volunteer.id)
    if not status.matchable:
        raise RuleViolation(
            _l(
                "%(name)s cannot be matched yet: %(reasons)s.",
                name=volunteer.name,
                reasons="; ".join(status.reasons),
            )
        )


def record_attendance(
    session: Session, volunteer: Volunteer, training_session: TrainingSession, *, completed: bool
) -> TrainingAttendance:
    attendance = session.scalar(
        select(TrainingAttendance).where(
            TrainingAttendance.volunteer_id == volunteer.id,
            TrainingAttendance.session_id == training_session.id,
        )
    )
    if attendance is None:
        attendance = TrainingAttendance(volunteer=volunteer, session=training_session)
        session.add(attendance)
    attendance.completed = completed
    session.flush()
    return attendance


@dataclass(frozen=True)
class SessionResult:
    attended: int
    completed: int
    removed: int


def record_session(
    session: Session,
    training_session: TrainingSession,
    rows: dict[int, tuple[bool, bool]],
    *,
    today: date,
) -> SessionResult:
    """Save the attendance of one session from a form with a row per volunteer.

    ``rows`` maps a volunteer id to (attended, completed) for every row the form showed; rows
    not shown are left alone. "Completed" counts only for someone who attended; a row no longer
    ticked as attended loses its record. A session in the future cannot be completed yet.
    """
    if training_session.held_on > today and any(a and c for a, c in rows.values()):
        raise RuleViolation(_l("A session in the future cannot be completed yet."))
    volunteers = {
        volunteer.id: volunteer
        for volunteer in session.scalars(select(Volunteer).where(Volunteer.id.in_(list(rows))))
    }
    existing = {
        attendance.volunteer_id: attendance
        for attendance in session.scalars(
            select(TrainingAttendance).where(
                TrainingAttendance.session_id == training_session.id,
                TrainingAttendance.volunteer_id.in_(list(rows)),
            )
        )
    }
    attended = completed = removed = 0
    for volunteer_id, (was_there, done) in rows.items():
        volunteer = volunteers.get(volunteer_id)
        if volunteer is None:
            continue  # deleted since the form was shown
        if was_there:
            record_attendance(session, volunteer, training_session, completed=done)
            attended += 1
            completed += done
        elif volunteer_id in existing:
            session.delete(existing[volunteer_id])
            removed += 1
    session.flush()
    return SessionResult(attended, completed, removed)


# --- The pact's one training catalogue -------------------------------------------------------
#
# Every training of the pact lives in ``Training``: central ones (with the Burgeracademie), the
# ones a member offers to the others, and Money Maatjes' own. ``kind`` still drives the gate.

CENTRAL = "central"
MEMBER = "member"
PROJECT = "project"
GATE_KINDS = (BASIC, MONEY_MAATJE)
# A refresher is due ``refresh_months`` months after the last completion, a month counted as
# 30.44 days (as the cockpit and the scheduler's reminder count it); "soon" is within 30 days.
DAYS_PER_MONTH = 30.44
REFRESHER_NOTICE_DAYS = 30
NAME_EXISTS = _l("A training with this name exists already.")
ARCHIVED_NO_SESSIONS = _l("This training is archived: it gets no new sessions. Restore it first.")


@dataclass(frozen=True)
class TrainingInput:
    name: str
    kind: str
    provider: str
    organisation: Organisation | None
    description: str
    refresh_months: int | None


def _other_current_of_kind(session: Session, training: Training, kind: str) -> bool:
    return (
        session.scalar(
            select(Training.id)
            .where(Training.kind == kind, Training.archived.is_(False), Training.id != training.id)
            .limit(1)
        )
        is not None
    )


def save_training(session: Session, training: Training | None, data: TrainingInput) -> Training:
    """Add a training to the catalogue (``training`` None) or change one.

    A member's training names the member that offers it; a central or project training names
    none. The kind of a training with attendance recorded stays: it decides who can be matched.
    """
    name = " ".join(data.name.split())
    if not name:
        raise RuleViolation(_l("Give the training a name."), "name")
    if data.kind not in Training.KINDS:
        raise RuleViolation(_l("Choose the kind of training."), "kind")
    if data.provider not in Training.PROVIDERS:
        raise RuleViolation(_l("Choose who offers the training."), "provider")
    if data.provider == MEMBER and data.organisation is None:
        raise RuleViolation(
            _l("Choose the member organisation that offers this training."), "organisation"
        )
    if data.provider != MEMBER and data.organisation is not None:
        raise RuleViolation(
            _l("Only a training offered by a member names an offering organisation."),
            "organisation",
        )
    if (
        data.organisation is not None
        and data.organisation.has_left
        and (training is None or training.organisation_id != data.organisation.id)
    ):
        raise RuleViolation(
            _l("%(name)s has left the pact.", name=data.organisation.name), "organisation"
        )
    same_name = select(Training.id).where(func.lower(Training.name) == name.lower())
    if training is not None:
        same_name = same_name.where(Training.id != training.id)
    if session.scalar(same_name.limit(1)) is not None:
        raise RuleViolation(NAME_EXISTS, "name")
    if training is not None and data.kind != training.kind:
        recorded = session.scalar(
            select(TrainingAttendance.id)
            .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
            .where(TrainingSession.training_id == training.id)
            .limit(1)
        )
        if recorded is not None:
            raise RuleViolation(
                _l(
                    "The kind of a training with attendance recorded cannot change: it decides "
                    "who can be matched. Add a new training instead."
                ),
                "kind",
            )
    if training is None:
        training = Training()
        session.add(training)
    training.name = name
    training.kind = data.kind
    training.provider = data.provider
    training.organisation = data.organisation
    training.description = data.description.strip()
    training.refresh_months = data.refresh_months
    return training


def archive_training(session: Session, training: Training) -> None:
    """Archive a training: it keeps its sessions and attendance, but leaves the default list
    and gets no new sessions. A training the gate uses needs another current one of its kind,
    or nobody could become matchable any more."""
    if training.archived:
        return
    if training.kind in GATE_KINDS and not _other_current_of_kind(session, training, training.kind):
        raise RuleViolation(
            _l(
                "“%(name)s” is the only current %(kind)s, which volunteers need before they can "
                "be matched. Add another training of this kind first, then archive this one.",
                name=training.name,
                kind=LABELS["training_kind"][training.kind],
            )
        )
    training.archived = True
    session.flush()


def restore_training(session: Session, training: Training) -> None:
    training.archived = False
    session.flush()


@dataclass(frozen=True)
class SessionInput:
    held_on: date
    trainer_organisation: Organisation | None
    location: str
    invited: list


def _check_session(data: SessionInput, *, today: date, invited_before: tuple = ()) -> None:
    """A session's date and invitations: from 2015 to two years ahead; no organisation that
    left the pact is invited (one invited before it left may stay)."""
    if not 2015 <= data.held_on.year <= today.year + 2:
        raise RuleViolation(_l("Give a date between 2015 and two years ahead."), "held_on")
    left = [o.name for o in data.invited if o.has_left and o not in invited_before]
    if left:
        raise RuleViolation(
            _l("%(names)s left the pact and cannot be invited.", names=", ".join(left)), "invited"
        )


def _recorded(session: Session, training_session: TrainingSession, *, completed: bool = False):
    """Whether any attendance of the session is recorded (only completions: ``completed``)."""
    query = select(TrainingAttendance.id).where(
        TrainingAttendance.session_id == training_session.id
    )
    if completed:
        query = query.where(TrainingAttendance.completed.is_(True))
    return session.scalar(query.limit(1)) is not None


def update_session(
    session: Session, training_session: TrainingSession, data: SessionInput, *, today: date
) -> None:
    """Correct a session's date, trainer organisation, location and invitations, with the rules
    of a new session; a session with completions recorded cannot move into the future."""
    _check_session(data, today=today, invited_before=tuple(training_session.invited))
    if data.held_on > today and _recorded(session, training_session, completed=True):
        raise RuleViolation(
            _l("Volunteers completed this session: its date cannot lie in the future."),
            "held_on",
        )
    training_session.held_on = data.held_on
    training_session.trainer_organisation = data.trainer_organisation
    training_session.location = " ".join(data.location.split())
    training_session.invited = list(data.invited)
    session.flush()


def remove_session(session: Session, training_session: TrainingSession) -> None:
    """Remove a session entered by mistake: only while no attendance is recorded."""
    if _recorded(session, training_session) or training_session.people:
        raise RuleViolation(
            _l(
                "Attendance is recorded for this session, so it cannot be removed. Untick "
                "everyone who attended first, or correct its date instead."
            )
        )
    training_session.invited = []
    session.delete(training_session)
    session.flush()


def add_session(
    session: Session, training: Training, data: SessionInput, *, today: date
) -> TrainingSession:
    """A new session of a current training, with the organisations invited to it."""
    if training.archived:
        raise RuleViolation(ARCHIVED_NO_SESSIONS)
    _check_session(data, today=today)
    training_session = TrainingSession(
        training=training,
        held_on=data.held_on,
        trainer_organisation=data.trainer_organisation,
        location=" ".join(data.location.split()),
        invited=list(data.invited),
    )
    session.add(training_session)
    session.flush()
    return training_session


def record_people(
    session: Session, training_session: TrainingSession, shown: set[int], attended: set[int]
) -> int:
    """The people of organisations who attended a session, from a form with a checkbox per
    person ``shown``: a ticked one is recorded, an unticked one loses their record; people not
    shown are left alone. Returns how many of the shown people attended."""
    keep = [p for p in training_session.people if p.id not in shown]
    wanted = attended & shown
    found = (
        list(session.scalars(select(Person).where(Person.id.in_(list(wanted))))) if wanted else []
    )
    training_session.people = keep + found
    session.flush()
    return len(found)


def central_progress(session: Session, year: int, *, today: date, target: int) -> "Progress":
    """The pact's aim of ``target`` central trainings a year (with the Burgeracademie): the
    sessions of central trainings held in ``year`` (up to today), and those still planned."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    held, planned = session.execute(
        select(
            func.count(TrainingSession.id).filter(TrainingSession.held_on <= today),
            func.count(TrainingSession.id).filter(TrainingSession.held_on > today),
        )
        .join(Training, Training.id == TrainingSession.training_id)
        .where(
            Training.provider == CENTRAL,
            TrainingSession.held_on >= start,
            TrainingSession.held_on <= end,
        )
    ).one()
    return Progress(year=year, held=int(held or 0), planned=int(planned or 0), target=target)


@dataclass(frozen=True)
class Progress:
    year: int
    held: int
    planned: int
    target: int

    @property
    def reached(self) -> bool:
        return self.held >= self.target

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.held / self.target)) if self.target > 0 else 100

    @property
    def quarter(self) -> int:
        """The bar's width in Bootstrap's width classes (0, 25, 50, 75, 100): no inline style
        under the strict CSP. Exact for the default target of 4."""
        return min(100, 25 * round(self.percent / 25))


# --- A volunteer's own trainings ---------------------------------------------------------------


@dataclass(frozen=True)
class Refresher:
    training_id: int
    name: str
    completed_on: date
    due_on: date
    state: str  # "due" (today or past), "soon" (within 30 days) or "later"


def refreshers(session: Session, volunteer_id: int, *, today: date) -> list[Refresher]:
    """For each training that needs a refresher and that the volunteer completed: the last
    completion and the day the refresher is due. One grouped statement."""
    rows = session.execute(
        select(
            Training.id, Training.name, Training.refresh_months, func.max(TrainingSession.held_on)
        )
        .join(TrainingSession, TrainingSession.training_id == Training.id)
        .join(TrainingAttendance, TrainingAttendance.session_id == TrainingSession.id)
        .where(
            TrainingAttendance.volunteer_id == volunteer_id,
            TrainingAttendance.completed.is_(True),
            Training.refresh_months.is_not(None),
        )
        .group_by(Training.id, Training.name, Training.refresh_months)
        .order_by(Training.name)
    ).all()
    result = []
    for training_id, name, months, completed_on in rows:
        due_on = completed_on + timedelta(days=round(months * DAYS_PER_MONTH))
        if due_on <= today:
            state = "due"
        elif due_on <= today + timedelta(days=REFRESHER_NOTICE_DAYS):
            state = "soon"
        else:
            state = "later"
        result.append(Refresher(training_id, name, completed_on, due_on, state))
    return result


def attended_sessions(volunteer_id: int):
    """The query of one volunteer's attendance: (attendance, session, training, trainer
    organisation or None), newest session first. Nothing of other volunteers."""
    trainer = aliased(Organisation)
    return (
        select(TrainingAttendance, TrainingSession, Training, trainer)
        .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
        .join(Training, Training.id == TrainingSession.training_id)
        .outerjoin(trainer, trainer.id == TrainingSession.trainer_organisation_id)
        .where(TrainingAttendance.volunteer_id == volunteer_id)
        .order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc())
    )


# --- The year overview ---------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    training_id: int | None  # None on a provider's total row
    name: str
    provider: str
    organisation: str | None
    archived: bool
    sessions: int
    volunteers: int  # distinct volunteers who attended
    completed: int  # distinct volunteers who completed
    people: int  # distinct people of organisations who attended
    invited: int  # distinct organisations invited


@dataclass(frozen=True)
class YearOverview:
    year: int
    providers: list[tuple[str, YearRow, list[YearRow]]]  # (provider, total, per training)
    progress: Progress

    @property
    def empty(self) -> bool:
        return not self.providers


def _year_figures(session: Session, year: int, key):
    """Per ``key`` (the training's id, or its provider) of the sessions held in ``year``: the
    sessions, distinct volunteers attended and completed, distinct people, distinct invited
    organisations. Each count is a grouped subquery of its own (no fan-out between them); the
    result is one statement."""
    held = (
        select(TrainingSession.id.label("session_id"), key.label("key"))
        .join(Training, Training.id == TrainingSession.training_id)
        .where(
            TrainingSession.held_on >= date(year, 1, 1),
            TrainingSession.held_on <= date(year, 12, 31),
        )
        .subquery("held")
    )
    sessions = select(held.c.key, func.count().label("n")).group_by(held.c.key).subquery("sessions")
    volunteers = (
        select(
            held.c.key,
            func.count(distinct(TrainingAttendance.volunteer_id)).label("attended"),
            func.count(
                distinct(
                    case((TrainingAttendance.completed.is_(True), TrainingAttendance.volunteer_id))
                )
            ).label("completed"),
        )
        .join(TrainingAttendance, TrainingAttendance.session_id == held.c.session_id)
        .group_by(held.c.key)
        .subquery("volunteers")
    )
    people = (
        select(held.c.key, func.count(distinct(training_people.c.person_id)).label("n"))
        .join(training_people, training_people.c.session_id == held.c.session_id)
        .group_by(held.c.key)
        .subquery("people")
    )
    invited = (
        select(held.c.key, func.count(distinct(training_invitations.c.organisation_id)).label("n"))
        .join(training_invitations, training_invitations.c.session_id == held.c.session_id)
        .group_by(held.c.key)
        .subquery("invited")
    )
    figures = (
        sessions.c.n,
        func.coalesce(volunteers.c.attended, 0),
        func.coalesce(volunteers.c.completed, 0),
        func.coalesce(people.c.n, 0),
        func.coalesce(invited.c.n, 0),
    )

    def joined(query):
        return (
            query.outerjoin(volunteers, volunteers.c.key == sessions.c.key)
            .outerjoin(people, people.c.key == sessions.c.key)
            .outerjoin(invited, invited.c.key == sessions.c.key)
        )

    return sessions, figures, joined


def year_overview(session: Session, year: int, *, today: date, target: int) -> YearOverview:
    """Per provider, per training: the sessions held in ``year`` with their volunteers, people
    of organisations and invited organisations; and the central trainings' progress. Three
    statements whatever the number of sessions."""
    sessions, figures, joined = _year_figures(session, year, Training.id)
    per_training = session.execute(
        joined(
            select(
                Training.id,
                Training.name,
                Training.provider,
                Organisation.name,
                Training.archived,
                *figures,
            )
            .select_from(sessions)
            .join(Training, Training.id == sessions.c.key)
            .outerjoin(Organisation, Organisation.id == Training.organisation_id)
        ).order_by(Training.name, Training.id)
    ).all()
    sessions, figures, joined = _year_figures(session, year, Training.provider)
    per_provider = {
        row[0]: YearRow(None, "", row[0], None, False, *map(int, row[1:]))
        for row in session.execute(joined(select(sessions.c.key, *figures).select_from(sessions)))
    }
    trainings: dict[str, list[YearRow]] = {}
    for row in per_training:
        trainings.setdefault(row[2], []).append(
            YearRow(row[0], row[1], row[2], row[3], bool(row[4]), *map(int, row[5:]))
        )
    providers = [
        (provider, per_provider[provider], trainings.get(provider, []))
        for provider in Training.PROVIDERS
        if provider in per_provider
    ]
    progress = central_progress(session, year, today=today, target=target)
    return YearOverview(year, providers, progress)
