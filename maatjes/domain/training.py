"""The training gate: a volunteer can be matched only when active and trained.

Trained means the Money Maatje training completed, with the basic volunteer training completed
on or before it. The rule is one SQL expression so that lists and single checks agree.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.models import Training, TrainingAttendance, TrainingSession, Volunteer

BASIC = "basic"
MONEY_MAATJE = "money_maatje"


def completed_on(kind: str, *, latest: bool = False):
    """Correlated subquery: the first (or latest) day the volunteer completed a training of
    ``kind``."""
    return (
        select((func.max if latest else func.min)(TrainingSession.held_on))
        .join(TrainingAttendance, TrainingAttendance.session_id == TrainingSession.id)
        .join(Training, Training.id == TrainingSession.training_id)
        .where(
            TrainingAttendance.volunteer_id == Volunteer.id,
            TrainingAttendance.completed.is_(True),
            Training.kind == kind,
        )
        .correlate(Volunteer)
        .scalar_subquery()
    )


def matchable_clause() -> ColumnElement[bool]:
    # Some Money Maatje completion on or after the first basic one: the latest is compared, so
    # a volunteer who redid the Money Maatje training after the basic training passes.
    basic = completed_on(BASIC)
    money_maatje = completed_on(MONEY_MAATJE, latest=True)
    return and_(
        Volunteer.active.is_(True),
        basic.is_not(None),
        money_maatje.is_not(None),
        basic <= money_maatje,
    )


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
    row = session.execute(
        select(
            Volunteer.active,
            completed_on(BASIC),
            completed_on(MONEY_MAATJE, latest=True),
            matchable_clause(),
        ).where(Volunteer.id == volunteer_id)
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
