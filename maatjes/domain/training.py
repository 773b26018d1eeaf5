"""The training gate: a volunteer can be matched only when active and trained.

Trained means the Money Maatje training completed, with the basic volunteer training completed
on or before it. The rule is one SQL expression so that lists and single checks agree.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.models import Training, TrainingAttendance, TrainingSession, Volunteer

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
