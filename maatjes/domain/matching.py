"""Matching residents with volunteers: language match, training gate and at most two residents.

"At most two" holds under concurrency: the volunteer's row is locked (``FOR UPDATE`` on
PostgreSQL; on SQLite every transaction is ``BEGIN IMMEDIATE``), and a partial unique index on
(volunteer, slot) over active matches is the backstop if anything slips past.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from maatjes.domain import contacts, weeks
from maatjes.domain.errors import RuleViolation
from maatjes.domain.training import matchable_clause, require_matchable
from maatjes.formatting import long_date
from maatjes.models import OUTCOMES, Match, Resident, ResidentLanguage, User, Volunteer
from maatjes.models.match import ENDING_OUTCOMES, TRANSFERRED
from maatjes.models.volunteer import volunteer_areas, volunteer_languages

MAX_ACTIVE_RESIDENTS = 2
SLOTS = tuple(range(1, MAX_ACTIVE_RESIDENTS + 1))
# How far the intake meeting (the match's start) may lie from today.
START_WINDOW_PAST = timedelta(days=90)
START_WINDOW_FUTURE = timedelta(days=30)


def active_count():
    """Correlated subquery: how many active residents the volunteer has (for one volunteer)."""
    return (
        select(func.count(Match.id))
        .where(Match.volunteer_id == Volunteer.id, Match.ended_on.is_(None))
        .correlate(Volunteer)
        .scalar_subquery()
    )


def caseload_counts():
    """Active residents per volunteer, grouped in one pass (volunteers without any are absent:
    outer-join and coalesce to 0)."""
    return (
        select(Match.volunteer_id.label("volunteer_id"), func.count(Match.id).label("active"))
        .where(Match.ended_on.is_(None))
        .group_by(Match.volunteer_id)
        .subquery("caseload")
    )


def full_volunteer_ids():
    """Volunteers who have the maximum of active residents (uncorrelated, computed once)."""
    return (
        select(Match.volunteer_id)
        .where(Match.ended_on.is_(None))
        .group_by(Match.volunteer_id)
        .having(func.count(Match.id) >= MAX_ACTIVE_RESIDENTS)
    )


def has_room_clause() -> ColumnElement[bool]:
    return and_(matchable_clause(), Volunteer.id.not_in(full_volunteer_ids()))


def waiting_clause() -> ColumnElement[bool]:
    """A resident is waiting when not closed, not anonymised and without an active match."""
    return and_(
        Resident.closed_on.is_(None),
        Resident.anonymised_at.is_(None),
        ~exists().where(Match.resident_id == Resident.id, Match.ended_on.is_(None)),
    )


@dataclass
class Suggestion:
    volunteer: Volunteer
    active: int
    shared_languages: list[str]
    works_in_area: bool


@dataclass
class Suggestions:
    best: list[Suggestion]
    total: int  # every eligible volunteer, of whom ``best`` are the first

    def __iter__(self):
        return iter(self.best)

    def __len__(self) -> int:
        return len(self.best)

    def __getitem__(self, index: int) -> Suggestion:
        return self.best[index]

    @property
    def more(self) -> int:
        return self.total - len(self.best)


SUGGESTIONS_SHOWN = 10


def suggestions(
    session: Session,
    resident: Resident,
    *,
    exclude_volunteer_id: int | None = None,
    limit: int = SUGGESTIONS_SHOWN,
) -> Suggestions:
    """Eligible volunteers for a resident, best first, ranked in SQL: the best ``limit`` and how
    many are eligible in all.

    Eligible: passes the training gate, has room, and speaks one of the resident's languages.
    Ranked by the resident's language preference, then working in the resident's area, then the
    lightest caseload, then the name. Two statements whatever the number of volunteers.
    """
    codes = resident.language_codes
    if not codes:
        return Suggestions([], 0)
    preference = {code: rank for rank, code in enumerate(codes)}
    spoken = (
        select(
            volunteer_languages.c.volunteer_id.label("volunteer_id"),
            func.min(case(preference, value=volunteer_languages.c.language_code)).label("pref"),
        )
        .where(volunteer_languages.c.language_code.in_(codes))
        .group_by(volunteer_languages.c.volunteer_id)
        .subquery("spoken")
    )
    load = caseload_counts()
    active = func.coalesce(load.c.active, 0)
    in_area = volunteer_areas.c.area_id.is_not(None)
    query = (
        select(Volunteer, active, in_area, func.count().over())
        .join(spoken, spoken.c.volunteer_id == Volunteer.id)
        .outerjoin(load, load.c.volunteer_id == Volunteer.id)
        .outerjoin(
            volunteer_areas,
            and_(
                volunteer_areas.c.volunteer_id == Volunteer.id,
                volunteer_areas.c.area_id == resident.area_id,
            ),
        )
        .where(has_room_clause())
        .order_by(
            spoken.c.pref,
            case((in_area, 0), else_=1),
            active,
            func.lower(Volunteer.name),
            Volunteer.id,
        )
        .limit(limit)
        .options(joinedload(Volunteer.organisation))
    )
    if exclude_volunteer_id is not None:
        query = query.where(Volunteer.id != exclude_volunteer_id)
    rows = session.execute(query).all()
    ids = [row[0].id for row in rows]
    languages: dict[int, list[str]] = {}
    for volunteer_id, code in session.execute(
        select(volunteer_languages.c.volunteer_id, volunteer_languages.c.language_code).where(
            volunteer_languages.c.volunteer_id.in_(ids),
            volunteer_languages.c.language_code.in_(codes),
        )
    ):
        languages.setdefault(volunteer_id, []).append(code)
    best = [
        Suggestion(
            volunteer,
            count,
            sorted(languages.get(volunteer.id, []), key=preference.__getitem__),
            bool(works_in_area),
        )
        for volunteer, count, works_in_area, _total in rows
    ]
    return Suggestions(best, rows[0][3] if rows else 0)


def _check_start(start: date, today: date) -> None:
    if start > today + START_WINDOW_FUTURE:
        raise RuleViolation(
            _l("The intake meeting can be at most 30 days ahead."), field="started_on"
        )
    if start < today - START_WINDOW_PAST:
        raise RuleViolation(
            _l("The intake meeting can be at most 90 days ago."), field="started_on"
        )


def _active_match_of(session: Session, resident_id: int) -> Match | None:
    return session.scalar(
        select(Match).where(Match.resident_id == resident_id, Match.ended_on.is_(None))
    )


def _full_message(volunteer: Volunteer):
    return _l("%(name)s already has two residents. Choose another volunteer.", name=volunteer.name)


def assign_resident(
    session: Session,
    *,
    volunteer_id: int,
    resident: Resident,
    started_on: date,
    by: User,
    today: date,
) -> Match:
    """Match a waiting resident with a volunteer, starting on the intake meeting's date."""
    if resident.anonymised:
        raise RuleViolation(_l("This resident's data was erased; they cannot be matched."))
    _check_start(started_on, today)
    # The lock serialises concurrent confirmations for one volunteer (PostgreSQL row lock).
    volunteer = session.scalar(
        select(Volunteer).where(Volunteer.id == volunteer_id).with_for_update()
    )
    if volunteer is None:
        raise RuleViolation(_l("This volunteer does not exist."))
    require_matchable(session, volunteer)
    if not set(volunteer.language_codes) & set(resident.language_codes):
        raise RuleViolation(
            _l(
                "%(name)s does not speak a language %(resident)s wants help in.",
                name=volunteer.name,
                resident=resident.first_name,
            )
        )
    if _active_match_of(session, resident.id):
        raise RuleViolation(_l("This resident already has a maatje."))
    taken = set(
        session.scalars(
            select(Match.slot).where(Match.volunteer_id == volunteer.id, Match.ended_on.is_(None))
        )
    )
    free = [slot for slot in SLOTS if slot not in taken]
    if not free:
        raise RuleViolation(_full_message(volunteer))
    match = Match(
        volunteer=volunteer,
        resident=resident,
        slot=free[0],
        started_on=started_on,
        created_by_id=by.id,
    )
    try:
        with session.begin_nested():
            session.add(match)
            session.flush()
    except IntegrityError:
        # Someone else took the slot or the resident in the meantime (the backstop held).
        if _active_match_of(session, resident.id):
            raise RuleViolation(_l("This resident already has a maatje.")) from None
        raise RuleViolation(_full_message(volunteer)) from None
    resident.closed_on = None
    return match


def end_match(
    session: Session,
    match: Match,
    *,
    ended_on: date | None,
    outcome: str,
    reason: str,
    needs_new_maatje: bool,
    today: date,
    transferring: bool = False,
) -> None:
    """End a match with an outcome; before the 13-week minimum a reason is required.

    A match whose intake meeting is still ahead is cancelled: it ends on its start date, and a
    reason is required.
    """
    if not match.is_active:
        raise RuleViolation(_l("This match has already ended."))
    reason = reason.strip()
    cancelling = match.started_on > today
    if cancelling:
        if not reason:
            raise RuleViolation(
                _l("This match has not started yet. Say why it is cancelled."), field="reason"
            )
        ended_on = match.started_on
    if ended_on is None:
        raise RuleViolation(_l("Give the end date."), field="ended_on")
    if ended_on > today and not cancelling:
        raise RuleViolation(_l("The end date cannot be in the future."), field="ended_on")
    if ended_on < match.started_on:
        raise RuleViolation(_l("The end date is before the match started."), field="ended_on")
    last_contact = contacts.last_contact_on(session, match)
    if last_contact is not None and ended_on < last_contact:
        raise RuleViolation(
            _l("A contact was logged after this date. The end date cannot be before it."),
            field="ended_on",
        )
    if outcome not in (ENDING_OUTCOMES if not transferring else OUTCOMES):
        raise RuleViolation(_l("Choose an outcome."), field="outcome")
    if not weeks.minimum_reached(match.started_on, ended_on) and not reason:
        raise RuleViolation(
            _l(
                "This match has run %(n)d of the %(min)d weeks (the minimum is reached on"
                " %(day)s). Say why it ends early.",
                n=weeks.full_weeks(match.started_on, ended_on),
                min=weeks.MINIMUM_WEEKS,
                day=long_date(weeks.minimum_date(match.started_on)),
            ),
            field="reason",
        )
    match.ended_on = ended_on
    match.outcome = outcome
    match.end_reason = reason or None
    match.resident.closed_on = None if needs_new_maatje else min(ended_on, today)
    session.flush()


@dataclass(frozen=True)
class LanguageDemand:
    code: str
    waiting: int
    volunteers_with_room: int


def waiting_by_language(session: Session) -> list[LanguageDemand]:
    """Per language: residents waiting who want it, and eligible volunteers with room speaking it.

    A resident who gives two languages counts under both. Most waiting first.
    """
    waiting_rows = session.execute(
        select(ResidentLanguage.language_code, func.count(ResidentLanguage.resident_id))
        .join(Resident, Resident.id == ResidentLanguage.resident_id)
        .where(waiting_clause())
        .group_by(ResidentLanguage.language_code)
    ).all()
    waiting = dict(waiting_rows)
    if not waiting:
        return []
    room = dict(
        session.execute(
            select(volunteer_languages.c.language_code, func.count(Volunteer.id))
            .join(Volunteer, Volunteer.id == volunteer_languages.c.volunteer_id)
            .where(has_room_clause(), volunteer_languages.c.language_code.in_(list(waiting)))
            .group_by(volunteer_languages.c.language_code)
        ).all()
    )
    demand = [LanguageDemand(code, n, room.get(code, 0)) for code, n in waiting.items()]
    demand.sort(key=lambda d: (-(d.waiting - d.volunteers_with_room), -d.waiting, d.code))
    return demand


def waiting_residents(session: Session) -> list[Resident]:
    return list(
        session.scalars(
            select(Resident)
            .where(waiting_clause())
            .options(selectinload(Resident.language_links), joinedload(Resident.area))
            .order_by(Resident.created_at, Resident.id)
        )
    )


def caseloads(session: Session) -> list[tuple[Volunteer, int, bool]]:
    """Every active volunteer with their number of active residents and whether matchable."""
    load = caseload_counts()
    return [
        (volunteer, count, bool(matchable))
        for volunteer, count, matchable in session.execute(
            select(Volunteer, func.coalesce(load.c.active, 0), matchable_clause())
            .outerjoin(load, load.c.volunteer_id == Volunteer.id)
            .where(Volunteer.active.is_(True))
            .options(joinedload(Volunteer.organisation), selectinload(Volunteer.languages))
            .order_by(Volunteer.name)
        )
    ]


def transfer_match(
    session: Session,
    match: Match,
    *,
    volunteer_id: int,
    started_on: date,
    reason: str,
    by: User,
    today: date,
) -> Match:
    """The resident goes on with another maatje: the old match ends today with the outcome
    "transferred" and the reason, and a new match starts with the chosen volunteer (same rules
    as any match: training, language, room). Callers lock the old match row."""
    if not match.is_active:
        raise RuleViolation(_l("This match has already ended."))
    reason = reason.strip()
    if not reason:
        raise RuleViolation(_l("Say why the resident goes to another maatje."), field="reason")
    if volunteer_id == match.volunteer_id:
        raise RuleViolation(_l("Choose another volunteer."), field="volunteer")
    if started_on < today:
        raise RuleViolation(
            _l("The new match starts today or later (the old one ends today)."),
            field="started_on",
        )
    end_match(
        session,
        match,
        ended_on=max(today, match.started_on),
        outcome=TRANSFERRED,
        reason=reason,
        needs_new_maatje=True,
        today=max(today, match.started_on),
        transferring=True,
    )
    return assign_resident(
        session,
        volunteer_id=volunteer_id,
        resident=match.resident,
        started_on=started_on,
        by=by,
        today=today,
    )
