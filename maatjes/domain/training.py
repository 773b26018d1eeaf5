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
