"""Meetings of the pact: general meetings, core-group meetings and theme groups' meetings, with
their agenda (and invited guests), attendance, minutes, decisions and actions.

Actions have an owner (a person of the pact), a due date and a status; the open ones past their
date show on the owner's home (``due_actions``) and, counted, in the lead digest
(``overdue_count``). ``year_figures`` computes a year's attendance in a fixed number of
statements.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session, joinedload

from maatjes.domain.clock import local_today
from maatjes.domain.errors import RuleViolation
from maatjes.domain.organisations import check_day
from maatjes.models import (
    Action,
    AgendaItem,
    Decision,
    Meeting,
    Organisation,
    Person,
    PersonRole,
    ThemeGroup,
    User,
)
from maatjes.models.pact import meeting_attendance, meeting_people

DUE_LIMIT = 20
# The actions list filtered to the open actions past their date (the lead digest links here).
OVERDUE_LINK = "/registry/actions?status=open&overdue=1"


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# --- Meetings -------------------------------------------------------------------------------


@dataclass
class MeetingInput:
    kind: str
    held_on: date
    title: str = ""
    location: str = ""
    theme_group_id: int | None = None


def check_held_on(day: date, *, today: date | None = None) -> date:
    """A meeting's date lies within the registry's bounds: from 2000, at most a year ahead (as
    the admission, charter and leaving dates)."""
    return check_day(day, today=today or local_today(), field="held_on")


def _theme_group(session: Session, data: MeetingInput) -> ThemeGroup | None:
    """The kind and the theme group fit: a theme group's meeting names its group; the others
    name none."""
    if data.kind not in Meeting.KINDS:
        raise RuleViolation(_l("Choose the kind of meeting."), "kind")
    if data.kind == Meeting.THEME_GROUP:
        if not data.theme_group_id:
            raise RuleViolation(_l("Choose the theme group whose meeting this is."), "theme_group")
        group = session.get(ThemeGroup, data.theme_group_id)
        if group is None:
            raise RuleViolation(_l("Choose a theme group from the list."), "theme_group")
        return group
    if data.theme_group_id:
        raise RuleViolation(
            _l("Only a theme group's meeting belongs to a theme group; leave it empty."),
            "theme_group",
        )
    return None


def create_meeting(session: Session, data: MeetingInput, *, today: date | None = None) -> Meeting:
    """A new meeting. A theme group's meeting names its group; the others name none."""
    group = _theme_group(session, data)
    check_held_on(data.held_on, today=today)
    meeting = Meeting(
        kind=data.kind,
        held_on=data.held_on,
        title=data.title.strip(),
        location=data.location.strip(),
        theme_group=group,
    )
    session.add(meeting)
    session.flush()
    return meeting


def update_meeting(
    session: Session, meeting: Meeting, data: MeetingInput, *, today: date | None = None
) -> None:
    """Correct a meeting's kind, theme group, date, title and location, with the same rules as
    a new one; actions due before the new date are refused (their date would not fit)."""
    group = _theme_group(session, data)
    check_held_on(data.held_on, today=today)
    earliest_due = session.scalar(
        select(func.min(Action.due_on)).where(Action.meeting_id == meeting.id)
    )
    if earliest_due is not None and earliest_due < data.held_on:
        raise RuleViolation(
            _l("An action of this meeting is due before this date; change the action first."),
            "held_on",
        )
    meeting.kind = data.kind
    meeting.theme_group = group
    meeting.held_on = data.held_on
    meeting.title = data.title.strip()
    meeting.location = data.location.strip()
    session.flush()


def add_item(session: Session, meeting: Meeting, title: str, guest: str = "") -> AgendaItem:
    title = title.strip()
    if not title:
        raise RuleViolation(_l("Give the agenda item a title."), "title")
    position = (
        session.scalar(
            select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
        )
        or 0
    )
    item = AgendaItem(meeting=meeting, title=title, guest=guest.strip(), position=position + 1)
    session.add(item)
    session.flush()
    return item


def remove_item(session: Session, meeting: Meeting, item_id: int) -> None:
    item = session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise RuleViolation(_l("This agenda item is not part of this meeting."))
    session.delete(item)
    session.flush()


def set_minutes(session: Session, meeting: Meeting, minutes: str) -> None:
    meeting.minutes = minutes.strip()
    session.flush()


# --- Attendance -----------------------------------------------------------------------------


def in_pact_on(day: date):
    """SQL: the organisation was a member or partner of the pact on ``day`` (from its dates;
    an organisation without a joining date that is not a candidate counts as in the pact)."""
    return and_(
        Organisation.status != "candidate",
        or_(Organisation.joined_on.is_(None), Organisation.joined_on <= day),
        or_(Organisation.left_on.is_(None), Organisation.left_on > day),
    )


def attendance_choices(session: Session, meeting: Meeting) -> tuple[list, list]:
    """The organisations that may be ticked present (in the pact on the day, or recorded
    already) and the people (active, or recorded already): two statements."""
    recorded_orgs = select(meeting_attendance.c.organisation_id).where(
        meeting_attendance.c.meeting_id == meeting.id
    )
    organisations = session.execute(
        select(Organisation.id, Organisation.name, Organisation.kind)
        .where(or_(in_pact_on(meeting.held_on), Organisation.id.in_(recorded_orgs)))
        .order_by(Organisation.kind, Organisation.name)
    ).all()
    recorded_people = select(meeting_people.c.person_id).where(
        meeting_people.c.meeting_id == meeting.id
    )
    people = session.execute(
        select(Person.id, Person.name, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(or_(Person.active.is_(True), Person.id.in_(recorded_people)))
        .order_by(Person.name, Person.id)
    ).all()
    return list(organisations), list(people)


def set_attendance(
    session: Session, meeting: Meeting, organisation_ids: set[int], person_ids: set[int]
) -> None:
    """Record who was present: exactly these organisations and people (from the choices)."""
    organisations, people = attendance_choices(session, meeting)
    allowed_orgs = {row[0] for row in organisations}
    allowed_people = {row[0] for row in people}
    if not organisation_ids <= allowed_orgs:
        raise RuleViolation(
            _l("Only organisations that were in the pact on the day can be present."),
            "organisations",
        )
    if not person_ids <= allowed_people:
        raise RuleViolation(_l("Choose people from the list."), "people")
    session.execute(delete(meeting_attendance).where(meeting_attendance.c.meeting_id == meeting.id))
    session.execute(delete(meeting_people).where(meeting_people.c.meeting_id == meeting.id))
    if organisation_ids:
        session.execute(
            insert(meeting_attendance),
            [{"meeting_id": meeting.id, "organisation_id": i} for i in sorted(organisation_ids)],
        )
    if person_ids:
        session.execute(
            insert(meeting_people),
            [{"meeting_id": meeting.id, "person_id": i} for i in sorted(person_ids)],
        )
    session.expire(meeting, ["organisations", "people"])


# --- Decisions and actions ------------------------------------------------------------------


def add_decision(session: Session, meeting: Meeting, text: str) -> Decision:
    text = text.strip()
    if not text:
        raise RuleViolation(_l("Write down the decision."), "text")
    decision = Decision(meeting=meeting, text=text)
    session.add(decision)
    session.flush()
    return decision


def remove_decision(session: Session, meeting: Meeting, decision_id: int) -> None:
    decision = session.get(Decision, decision_id)
    if decision is None or decision.meeting_id != meeting.id:
        raise RuleViolation(_l("This decision is not part of this meeting."))
    session.delete(decision)
    session.flush()


def owner_choices(session: Session) -> list[tuple[int, str]]:
    """The people an action can be given to: the pact's active people."""
    rows = session.execute(
        select(Person.id, Person.name, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.active.is_(True))
        .order_by(Person.name, Person.id)
    ).all()
    return [(i, f"{name} ({org})" if org else name) for i, name, org in rows]


def add_action(
    session: Session, meeting: Meeting, text: str, owner_id: int | None, due_on: date
) -> Action:
    text = text.strip()
    if not text:
        raise RuleViolation(_l("Describe the action."), "text")
    owner = session.get(Person, owner_id) if owner_id else None
    if owner is None or not owner.active:
        raise RuleViolation(_l("Choose the owner from the pact's active people."), "owner")
    if due_on < meeting.held_on:
        raise RuleViolation(_l("The due date cannot be before the meeting."), "due_on")
    action = Action(meeting=meeting, text=text, owner=owner, due_on=due_on, status=Action.OPEN)
    session.add(action)
    session.flush()
    return action


def set_action_status(session: Session, action: Action, status: str, *, today: date) -> None:
    """Open → done or dropped (and back to open, to undo a mistake)."""
    if status not in Action.STATUSES:
        raise RuleViolation(_l("Choose done, dropped or open."), "status")
    action.status = status
    action.closed_on = None if status == Action.OPEN else today
    session.flush()


def owned_by(user: User):
    """SQL: the action's owner is the user's person."""
    return Action.owner_id.in_(select(Person.id).where(Person.user_id == user.id))


def may_change_action(user: User, action: Action) -> bool:
    from maatjes.models import Role

    return user.role == Role.ADMIN or (action.owner is not None and action.owner.user_id == user.id)


def due_actions(session: Session, user: User, today: date) -> list[Action]:
    """The open actions of the user's person that are due today or earlier, oldest first."""
    return list(
        session.scalars(
            select(Action)
            .where(owned_by(user), Action.status == Action.OPEN, Action.due_on <= today)
            .options(joinedload(Action.meeting).joinedload(Meeting.theme_group))
            .order_by(Action.due_on, Action.id)
            .limit(DUE_LIMIT)
        )
    )


def overdue_count(session: Session, today: date) -> int:
    """Open actions past their date, whoever owns them (for the lead digest)."""
    return (
        session.scalar(
            select(func.count(Action.id)).where(Action.status == Action.OPEN, Action.due_on < today)
        )
        or 0
    )


# --- The year's figures ---------------------------------------------------------------------


@dataclass
class KindFigures:
    kind: str
    meetings: int = 0
    fewest: int | None = None
    most: int | None = None
    average: float | None = None


@dataclass
class YearFigures:
    year: int
    kinds: dict[str, KindFigures] = field(default_factory=dict)
    core_group_size: int = 0
    # (theme group id, name, active, number of meetings in the year)
    theme_groups: list[tuple[int, str, bool, int]] = field(default_factory=list)

    @property
    def core_group_meetings(self) -> int:
        return self.kinds[Meeting.CORE_GROUP].meetings


def present_counts():
    """Subquery: per meeting, the number of organisations present."""
    return (
        select(
            meeting_attendance.c.meeting_id,
            func.count(meeting_attendance.c.organisation_id).label("n"),
        )
        .group_by(meeting_attendance.c.meeting_id)
        .subquery()
    )


def year_figures(session: Session, year: int) -> YearFigures:
    """Per kind of meeting: how many, organisations present fewest–most and on average; the
    core group's size at the year's end; per theme group its meetings. Three statements."""
    first, last = year_bounds(year)
    present = present_counts()
    n = func.coalesce(present.c.n, 0)
    rows = session.execute(
        select(Meeting.kind, func.count(Meeting.id), func.min(n), func.max(n), func.avg(n))
        .outerjoin(present, present.c.meeting_id == Meeting.id)
        .where(Meeting.held_on >= first, Meeting.held_on <= last)
        .group_by(Meeting.kind)
    ).all()
    figures = YearFigures(year, {kind: KindFigures(kind) for kind in Meeting.KINDS})
    for kind, count, fewest, most, average in rows:
        if kind in figures.kinds:
            figures.kinds[kind] = KindFigures(
                kind, count, fewest, most, float(average) if average is not None else None
            )
    figures.core_group_size = (
        session.scalar(
            select(func.count(func.distinct(PersonRole.person_id))).where(
                PersonRole.role == PersonRole.CORE_GROUP,
                PersonRole.started_on <= last,
                or_(PersonRole.ended_on.is_(None), PersonRole.ended_on > last),
            )
        )
        or 0
    )
    meetings = func.count(Meeting.id)
    figures.theme_groups = [
        tuple(row)
        for row in session.execute(
            select(ThemeGroup.id, ThemeGroup.name, ThemeGroup.active, meetings)
            .outerjoin(
                Meeting,
                and_(
                    Meeting.theme_group_id == ThemeGroup.id,
                    Meeting.kind == Meeting.THEME_GROUP,
                    Meeting.held_on >= first,
                    Meeting.held_on <= last,
                ),
            )
            .group_by(ThemeGroup.id, ThemeGroup.name, ThemeGroup.active)
            .having(or_(ThemeGroup.active.is_(True), meetings > 0))
            .order_by(meetings.desc(), ThemeGroup.name)
        )
    ]
    return figures
