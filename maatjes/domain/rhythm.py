"""The weekly rhythm: which notifications are due, created set-based and at most once.

Each function handles everything due up to ``today`` with a fixed number of INSERT … SELECT
statements (independent of the number of matches). Every notification has a unique key derived
from what it is about, and inserts skip keys that exist, so running a function twice, or in two
processes at once, creates nothing twice.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import Integer, Select, String, and_, cast, func, literal, select, true
from sqlalchemy.orm import Session

from maatjes.domain import people, weeks
from maatjes.domain.clock import local_midnight_utc
from maatjes.domain.handovers import TO_MAATJES, WAITING, WAITING_WORKING_DAYS
from maatjes.domain.sql import upsert_insert
from maatjes.domain.volunteers import reachable_volunteer
from maatjes.domain.workdays import is_working_day, latest_overdue_day
from maatjes.models import (
    Contact,
    Handover,
    Match,
    Notification,
    Role,
    Training,
    TrainingAttendance,
    TrainingSession,
    User,
    Volunteer,
)
from maatjes.models.notification import EMAIL_PENDING

CONTACT_DUE = "contact_due"
CONTACT_MISSED = "contact_missed"
ESCALATION = "escalation"
EVALUATION = "evaluation"
HANDOVER_WAITING = "handover_waiting"
VOG_EXPIRING = "vog_expiring"
REFRESHER = "training_refresher"
LEAD_DIGEST = "lead_digest"

PAPERS_NOTICE = timedelta(days=30)
# How many finished weeks a run looks back at, so a scheduler that was down catches up.
LOOKBACK_WEEKS = 2

COLUMNS = (
    "key",
    "user_id",
    "kind",
    "match_id",
    "handover_id",
    "volunteer_id",
    "training_id",
    "period",
    "created_at",
    "email_status",
    "email_attempts",
)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _text(value) -> object:
    return cast(value, String)


def _key(*parts) -> object:
    """SQL string concatenation of literals and columns: 'kind:' || id || ':' || …"""
    expression = None
    for index, part in enumerate(parts):
        piece = literal(part, String) if isinstance(part, str) else _text(part)
        if index:
            piece = literal(":", String) + piece
        expression = piece if expression is None else expression + piece
    return expression


def _row(
    key,
    user_id,
    kind: str,
    *,
    now: datetime,
    period: str = "",
    match_id=None,
    handover_id=None,
    volunteer_id=None,
    training_id=None,
) -> list:
    def ref(value):
        return value if value is not None else cast(literal(None), Integer)

    return [
        key.label("key"),
        user_id,
        literal(kind, String),
        ref(match_id),
        ref(handover_id),
        ref(volunteer_id),
        ref(training_id),
        literal(period, String),
        literal(now),
        literal(EMAIL_PENDING, String),
        literal(0),
    ]


def insert_new(session: Session, query: Select, extra_columns: tuple[str, ...] = ()) -> int:
    """INSERT the rows of ``query`` as notifications, skipping keys that exist already.
    ``extra_columns`` name further columns the query selects after the usual ones."""
    # SQLite reads ``ON CONFLICT`` after a SELECT without WHERE as part of its join: the
    # (otherwise elided) ``WHERE true`` keeps the statement unambiguous.
    statement = (
        upsert_insert(session, Notification)
        .from_select([*COLUMNS, *extra_columns], query.where(true()))
        .on_conflict_do_nothing(index_elements=["key"])
    )
    # The rows inserted, skipped keys not counted. On PostgreSQL the count is made in the
    # database (WITH new AS (INSERT … RETURNING 1) SELECT count(*)): sending every new id back
    # cost a round trip of 130,000 rows in a pass at 50,000 matches, and psycopg reports no
    # rowcount for a parameterised INSERT … SELECT. SQLite's rowcount (changes()) is exact.
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        inserted = statement.returning(literal(1)).cte("inserted")
        return connection.execute(select(func.count()).select_from(inserted)).scalar_one()
    return connection.execute(statement).rowcount


def _leads():
    return and_(User.role == Role.LEAD, User.active.is_(True))


def contact_due(session: Session, *, today: date, now: datetime) -> int:
    """One notification per volunteer with residents still to contact this week."""
    monday = weeks.week_start(today)
    period = iso_week(monday)
    query = (
        select(
            *_row(
                _key(CONTACT_DUE, period, Volunteer.user_id),
                Volunteer.user_id,
                CONTACT_DUE,
                now=now,
                period=period,
                volunteer_id=Volunteer.id,
            )
        )
        .select_from(Match)
        .join(Volunteer, Volunteer.id == Match.volunteer_id)
        .where(
            weeks.active_without_contact_in_week(monday, today=today),
            reachable_volunteer(),
        )
        .group_by(Volunteer.id, Volunteer.user_id)
    )
    return insert_new(session, query)


def _finished_weeks(today: date) -> list[date]:
    this_monday = weeks.week_start(today)
    return [this_monday - timedelta(weeks=n) for n in range(1, LOOKBACK_WEEKS + 1)]


def contact_missed(session: Session, *, today: date, now: datetime) -> int:
    """The volunteer hears of every finished week without contact (one per match and week)."""
    created = 0
    for monday in _finished_weeks(today):
        period = iso_week(monday)
        query = (
            select(
                *_row(
                    _key(CONTACT_MISSED, Match.id, period),
                    Volunteer.user_id,
                    CONTACT_MISSED,
                    now=now,
                    period=period,
                    match_id=Match.id,
                    volunteer_id=Volunteer.id,
                )
            )
            .select_from(Match)
            .join(Volunteer, Volunteer.id == Match.volunteer_id)
            .where(
                weeks.active_without_contact_in_week(monday, today=today),
                reachable_volunteer(),
            )
        )
        created += insert_new(session, query)
    return created


def escalations(session: Session, *, today: date, now: datetime) -> int:
    """After two consecutive missed weeks the leads are told, once per lapse.

    A lapse is identified by the last contact before it (0 when there never was one), so the
    third and fourth missed week of the same lapse add nothing.
    """
    created = 0
    for monday in _finished_weeks(today):
        previous = monday - timedelta(weeks=1)
        last_contact = (
            select(Contact.id)
            .where(Contact.match_id == Match.id, Contact.contact_on < monday + timedelta(days=7))
            .order_by(Contact.contact_on.desc(), Contact.id.desc())
            .limit(1)
            .correlate(Match)
            .scalar_subquery()
        )
        lapse = func.coalesce(last_contact, 0)
        query = (
            select(
                *_row(
                    _key(ESCALATION, Match.id, lapse, User.id),
                    User.id,
                    ESCALATION,
                    now=now,
                    period=iso_week(monday),
                    match_id=Match.id,
                    volunteer_id=Match.volunteer_id,
                )
            )
            .select_from(Match)
            .join(User, _leads())
            .where(
                weeks.active_without_contact_in_week(monday, today=today),
                # also requires that the previous week already belonged to the match
                weeks.active_without_contact_in_week(previous, today=today),
            )
        )
        created += insert_new(session, query)
    return created


def evaluations(session: Session, *, today: date, now: datetime) -> int:
    """A match in its 13th week (or later): volunteer and leads are asked to evaluate, once."""
    condition = and_(Match.ended_on.is_(None), weeks.minimum_reached_clause(today))
    match_columns = (Match.id.label("match_id"), Match.volunteer_id.label("volunteer_id"))
    recipients = (
        select(*match_columns, Volunteer.user_id.label("user_id"))
        .join(Volunteer, Volunteer.id == Match.volunteer_id)
        .where(condition, reachable_volunteer()),
        select(*match_columns, User.id.label("user_id")).join(User, _leads()).where(condition),
    )
    created = 0
    for query in recipients:
        due = query.subquery()
        rows = _row(
            _key(EVALUATION, due.c.match_id, due.c.user_id),
            due.c.user_id,
            EVALUATION,
            now=now,
            match_id=due.c.match_id,
            volunteer_id=due.c.volunteer_id,
        )
        created += insert_new(session, select(*rows))
    return created


def handovers_waiting(session: Session, *, today: date, now: datetime) -> int:
    """Sent but not accepted, or accepted without first contact, for 5 working days: the
    sender and the area's Linking Pins are told, and for a referral to Money Maatjes the leads,
    who are to act on it (once per handover, step and person; active accounts only)."""
    last_day = latest_overdue_day(today, WAITING_WORKING_DAYS)
    cutoff = local_midnight_utc(last_day + timedelta(days=1))
    overdue = and_(Handover.status.in_(WAITING), Handover.status_changed_at < cutoff)
    created = 0
    recipients = (
        and_(User.id == Handover.sender_id, User.active.is_(True)),
        and_(
            User.role == Role.LINKING_PIN,
            people.linking_pin_of(Handover.area_id),
            User.active.is_(True),
        ),
        and_(_leads(), Handover.direction == TO_MAATJES),
    )
    for recipient in recipients:
        query = (
            select(
                *_row(
                    _key(HANDOVER_WAITING, Handover.id, Handover.status, User.id),
                    User.id,
                    HANDOVER_WAITING,
                    now=now,
                    handover_id=Handover.id,
                )
            )
            .select_from(Handover)
            .join(User, recipient)
        )
        created += insert_new(session, query.where(overdue))
    return created


def papers_expiring(session: Session, *, today: date, now: datetime, vog_valid_days: int) -> int:
    """Leads hear 30 days ahead of a VOG growing too old or a training needing a refresher."""
    vog_limit = today + PAPERS_NOTICE - timedelta(days=vog_valid_days)
    created = insert_new(
        session,
        select(
            *_row(
                _key(VOG_EXPIRING, Volunteer.id, Volunteer.vog_date, User.id),
                User.id,
                VOG_EXPIRING,
                now=now,
                volunteer_id=Volunteer.id,
            )
        )
        .select_from(Volunteer)
        .join(User, _leads())
        .where(Volunteer.active.is_(True), Volunteer.vog_date <= vog_limit),
    )
    refreshable = session.execute(
        select(Training.id, Training.refresh_months).where(Training.refresh_months.is_not(None))
    ).all()
    for training_id, months in refreshable:
        limit = today + PAPERS_NOTICE - timedelta(days=round(months * 30.44))
        latest = (
            select(
                TrainingAttendance.volunteer_id.label("volunteer_id"),
                func.max(TrainingSession.held_on).label("held_on"),
            )
            .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
            .where(
                TrainingSession.training_id == training_id,
                TrainingAttendance.completed.is_(True),
            )
            .group_by(TrainingAttendance.volunteer_id)
            .subquery()
        )
        created += insert_new(
            session,
            select(
                *_row(
                    _key(REFRESHER, latest.c.volunteer_id, training_id, latest.c.held_on, User.id),
                    User.id,
                    REFRESHER,
                    now=now,
                    volunteer_id=latest.c.volunteer_id,
                    training_id=literal(training_id),
                )
            )
            .select_from(latest)
            .join(Volunteer, Volunteer.id == latest.c.volunteer_id)
            .join(User, _leads())
            .where(Volunteer.active.is_(True), latest.c.held_on <= limit),
        )
    return created


def lead_digest(session: Session, *, today: date, now: datetime) -> int:
    """On working days each lead gets one digest of what needs attention today."""
    if not is_working_day(today):
        return 0
    period = today.isoformat()
    return insert_new(
        session,
        select(
            *_row(_key(LEAD_DIGEST, period, User.id), User.id, LEAD_DIGEST, now=now, period=period)
        )
        .select_from(User)
        .where(_leads()),
    )
