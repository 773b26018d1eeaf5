"""Keeping the social map's activities: saving one (every field checked), marking it checked,
archiving it, who may keep which, and the gaps and overlaps table.

Who keeps what: pact support staff (admin) and project leads keep every activity; an
organisation contact keeps the activities of its own organisation while the organisation has not
left the pact; nobody else keeps any. An activity the user may not keep is absent (404).

The gaps table counts non-archived activities per cell in a few GROUP BY statements, whatever
the number of areas, priorities, theme groups and activities. An activity without an area
(online, or at home, with no area chosen) is counted in a separate "no area" row or column.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session

from maatjes.domain import phones, registry_access
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import LanguageChoice, ensure_languages
from maatjes.domain.organisations import normalise_website
from maatjes.models import (
    Activity,
    ActivitySchedule,
    Area,
    Neighbourhood,
    Organisation,
    Priority,
    Role,
    ThemeGroup,
    User,
)
from maatjes.models.social_map import ActivityTargetGroup, activity_languages

MAX_AGE = 120
MAX_AMOUNT = Decimal("100000")
MAX_SCHEDULES = 14
MAX_DESCRIPTION = 5000
# A one-off date lies at most this far back or ahead.
DATES_BACK = timedelta(days=366)
DATES_AHEAD = timedelta(days=2 * 365 + 1)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_POSTAL_CODE = re.compile(r"^(\d{4})\s?([A-Za-z]{2})$")


@dataclass(frozen=True)
class ScheduleInput:
    """One time: every week on ``weekday`` (0 = Monday), or once on ``on_date``."""

    weekday: int | None = None
    on_date: date | None = None
    opens_at: time | None = None
    closes_at: time | None = None


@dataclass
class ActivityInput:
    organisation: Organisation | None
    name: str
    description: str = ""
    target_groups: list[str] = field(default_factory=list)
    minimum_age: int | None = None
    maximum_age: int | None = None
    place: str = Activity.AT_ADDRESS
    area: Area | None = None
    neighbourhood: Neighbourhood | None = None
    location_name: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = "Amsterdam"
    cost: str = Activity.FREE
    cost_amount: Decimal | None = None
    access: str = Activity.WALK_IN
    phone: str = ""
    email: str = ""
    website: str = ""
    theme_group: ThemeGroup | None = None
    priority: Priority | None = None
    languages: list[LanguageChoice] = field(default_factory=list)
    schedules: list[ScheduleInput] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Who keeps what


def keeps_all(user: User) -> bool:
    return user.role in Role.STAFF


def own_organisation(session: Session, user: User) -> Organisation | None:
    """The organisation whose activities an organisation contact keeps (None when it has none
    or it left the pact)."""
    if user.role != Role.ORGANISATION_CONTACT:
        return None
    own = registry_access.own_organisation_id(session, user)
    if own is None:
        return None
    organisation = session.get(Organisation, own)
    return organisation if organisation is not None and not organisation.has_left else None


def may_keep_activities(session: Session, user: User) -> bool:
    """Whether the user keeps any activities at all (else the pages answer 403)."""
    return keeps_all(user) or own_organisation(session, user) is not None


def activities_query(session: Session, user: User) -> Select[tuple[Activity]]:
    query = select(Activity)
    if keeps_all(user):
        return query
    own = own_organisation(session, user)
    if own is None:
        return query.where(false())
    return query.where(Activity.organisation_id == own.id)


def may_edit_activity(session: Session, user: User, activity: Activity) -> bool:
    if keeps_all(user):
        return True
    own = own_organisation(session, user)
    return own is not None and activity.organisation_id == own.id


def may_add_for(session: Session, user: User, organisation: Organisation) -> bool:
    """Whether the user may add an activity for ``organisation`` (not one that left)."""
    if organisation.has_left:
        return False
    if keeps_all(user):
        return True
    own = own_organisation(session, user)
    return own is not None and own.id == organisation.id


# ---------------------------------------------------------------------------------------------
# Saving


def _text(value: str | None, limit: int, field_name: str, message) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise RuleViolation(message, field=field_name)
    return text


def _check_place(data: ActivityInput) -> tuple[Area | None, Neighbourhood | None]:
    if data.place not in Activity.PLACES:
        raise RuleViolation(_l("Choose where the activity takes place."), field="place")
    area, neighbourhood = data.area, data.neighbourhood
    if neighbourhood is not None:
        if area is None:
            area = neighbourhood.area
        elif neighbourhood.area_id != area.id:
            raise RuleViolation(
                _l(
                    "%(neighbourhood)s is not in %(area)s. Choose a neighbourhood of the area,"
                    " or leave the area empty.",
                    neighbourhood=neighbourhood.name,
                    area=area.name,
                ),
                field="neighbourhood",
            )
    if data.priority is not None:
        if area is None:
            area = data.priority.area
        elif data.priority.area_id != area.id:
            raise RuleViolation(
                _l(
                    "“%(priority)s” is a priority of another area. Choose one of the"
                    " priorities of %(area)s.",
                    priority=data.priority.name,
                    area=area.name,
                ),
                field="priority",
            )
    if data.place == Activity.AT_ADDRESS and not data.address.strip() and area is None:
        raise RuleViolation(
            _l("Give the address, or at least the neighbourhood or area where it takes place."),
            field="address",
        )
    return area, neighbourhood


def _check_ages(data: ActivityInput) -> None:
    for value, name in ((data.minimum_age, "minimum_age"), (data.maximum_age, "maximum_age")):
        if value is not None and not 0 <= value <= MAX_AGE:
            raise RuleViolation(_l("Give an age from 0 to 120."), field=name)
    if (
        data.minimum_age is not None
        and data.maximum_age is not None
        and data.minimum_age > data.maximum_age
    ):
        raise RuleViolation(
            _l("The minimum age cannot be above the maximum age."), field="maximum_age"
        )


def _check_cost(data: ActivityInput) -> Decimal | None:
    if data.cost not in Activity.COSTS:
        raise RuleViolation(_l("Choose what the activity costs."), field="cost")
    if data.cost != Activity.PAID:
        return None
    if data.cost_amount is None:
        raise RuleViolation(_l("Give the amount it costs, in euros."), field="cost_amount")
    if not Decimal(0) <= data.cost_amount < MAX_AMOUNT:
        raise RuleViolation(_l("Give an amount from 0 up to 100,000 euros."), field="cost_amount")
    return data.cost_amount.quantize(Decimal("0.01"))


def _check_email(value: str) -> str:
    email = (value or "").strip()
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        raise RuleViolation(_l("Give a valid e-mail address."), field="email")
    return email


def _check_postal_code(value: str) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    found = _POSTAL_CODE.match(text)
    if found is None:
        raise RuleViolation(
            _l("Give a Dutch postal code like 1102 AB, or leave it empty."), field="postal_code"
        )
    return f"{found[1]} {found[2].upper()}"


def describe_schedule(row: ScheduleInput | ActivitySchedule) -> str:
    """ "every Tuesday" or the date, for messages."""
    if row.weekday is not None:
        from maatjes.domain.social_map import weekday_name

        return str(_l("every %(day)s", day=weekday_name(row.weekday)))
    return row.on_date.isoformat() if row.on_date else ""


def _check_schedules(rows: list[ScheduleInput], today: date) -> list[ScheduleInput]:
    kept: list[ScheduleInput] = []
    for row in rows:
        if row.weekday is None and row.on_date is None:
            if row.opens_at or row.closes_at:
                raise RuleViolation(_l("A time needs its weekday or its date."), field="schedules")
            continue
        if row.weekday is not None and row.on_date is not None:
            raise RuleViolation(
                _l("A time is every week on a weekday or once on a date, not both."),
                field="schedules",
            )
        if row.weekday is not None and not 0 <= row.weekday <= 6:
            raise RuleViolation(_l("Choose a day of the week."), field="schedules")
        if row.on_date is not None and not today - DATES_BACK <= row.on_date <= today + DATES_AHEAD:
            raise RuleViolation(
                _l(
                    "%(day)s: give a date at most a year back and two years ahead.",
                    day=row.on_date.isoformat(),
                ),
                field="schedules",
            )
        if row.closes_at is not None and row.opens_at is None:
            raise RuleViolation(
                _l("%(when)s: give the opening time too.", when=describe_schedule(row)),
                field="schedules",
            )
        if row.opens_at is not None and row.closes_at is not None and row.opens_at >= row.closes_at:
            raise RuleViolation(
                _l(
                    "%(when)s: the closing time must be after the opening time.",
                    when=describe_schedule(row),
                ),
                field="schedules",
            )
        if row not in kept:
            kept.append(row)
    if len(kept) > MAX_SCHEDULES:
        raise RuleViolation(_l("Give at most %(n)d times.", n=MAX_SCHEDULES), field="schedules")
    return kept


def _check_target_groups(codes: list[str]) -> list[str]:
    unknown = [code for code in codes if code not in Activity.TARGET_GROUPS]
    if unknown:
        raise RuleViolation(_l("Choose the target groups from the list."), field="target_groups")
    return [code for code in Activity.TARGET_GROUPS if code in set(codes)]


def save_activity(
    session: Session,
    activity: Activity | None,
    data: ActivityInput,
    *,
    by: User,
    today: date,
) -> Activity:
    """Create or change an activity; every field is checked, and the activity counts as
    checked today (a reminder sent before is forgotten)."""
    organisation = data.organisation
    if organisation is None:
        raise RuleViolation(_l("Choose the organisation."), field="organisation")
    changing_organisation = activity is None or activity.organisation_id != organisation.id
    if changing_organisation and not may_add_for(session, by, organisation):
        raise RuleViolation(
            _l("Choose an organisation whose activities you keep (not one that left)."),
            field="organisation",
        )
    name = (data.name or "").strip()
    if not name:
        raise RuleViolation(_l("Give the activity a name."), field="name")
    if len(name) > 160:
        raise RuleViolation(_l("A name has at most 160 characters."), field="name")
    description = _text(
        data.description,
        MAX_DESCRIPTION,
        "description",
        _l("A description has at most 5000 characters."),
    )
    target_groups = _check_target_groups(data.target_groups)
    _check_ages(data)
    area, neighbourhood = _check_place(data)
    at_address = data.place == Activity.AT_ADDRESS
    location_name = _text(data.location_name, 160, "location_name", _l("At most 160 characters."))
    address = _text(data.address, 200, "address", _l("An address has at most 200 characters."))
    postal_code = _check_postal_code(data.postal_code)
    city = _text(data.city, 80, "city", _l("At most 80 characters.")) or "Amsterdam"
    cost_amount = _check_cost(data)
    if data.access not in Activity.ACCESS:
        raise RuleViolation(_l("Choose how to take part."), field="access")
    phone = phones.normalise_optional(data.phone, field="phone")
    email = _check_email(data.email)
    website = normalise_website(data.website)
    schedules = _check_schedules(data.schedules, today)
    languages = ensure_languages(session, data.languages)  # flushes: before a new activity

    if activity is None:
        activity = Activity(organisation=organisation)
        session.add(activity)
    activity.organisation = organisation
    activity.name = name
    activity.description = description
    activity.minimum_age = data.minimum_age
    activity.maximum_age = data.maximum_age
    activity.place = data.place
    activity.area = area
    activity.neighbourhood = neighbourhood
    activity.location_name = location_name if at_address else ""
    activity.address = address if at_address else ""
    activity.postal_code = postal_code if at_address else ""
    activity.city = city
    activity.cost = data.cost
    activity.cost_amount = cost_amount
    activity.access = data.access
    activity.phone = phone
    activity.email = email
    activity.website = website
    activity.theme_group = data.theme_group
    activity.priority = data.priority
    activity.languages = languages
    existing = {row.code: row for row in activity.target_group_rows}
    activity.target_group_rows = [
        existing.get(code) or ActivityTargetGroup(code=code) for code in target_groups
    ]
    activity.schedules = [
        ActivitySchedule(
            weekday=row.weekday, on_date=row.on_date, opens_at=row.opens_at, closes_at=row.closes_at
        )
        for row in schedules
    ]
    activity.checked_on = today
    activity.reminded_on = None
    session.flush()
    return activity


def mark_checked(activity: Activity, today: date) -> None:
    """Someone looked: the activity is still right as it stands."""
    activity.checked_on = today
    activity.reminded_on = None


def archive(activity: Activity) -> None:
    """It leaves the map and the gaps table; it stays, and can be brought back."""
    activity.archived = True


def restore(activity: Activity) -> None:
    activity.archived = False


# ---------------------------------------------------------------------------------------------
# Staleness


def stale_before(today: date) -> date:
    """An activity last checked before this day has not been checked for
    ``Activity.STALE_MONTHS`` months (29 February goes back to 28 February). The one home of
    the rule: the map's mark, the list's filter and the scheduler's reminder all ask here."""
    return today - relativedelta(months=Activity.STALE_MONTHS)


def is_stale(activity: Activity, today: date) -> bool:
    return activity.checked_on is not None and activity.checked_on < stale_before(today)


# ---------------------------------------------------------------------------------------------
# Gaps and overlaps

NO_AREA = "none"  # the value of the list's filters for "no area" / "no priority" / "no theme"


@dataclass
class AreaPriorities:
    area_id: int
    area: str
    priorities: list[tuple[int, str, int]]  # (priority id, name, activities)
    without_priority: int  # activities in the area serving none of its priorities


@dataclass
class Gaps:
    areas: list[tuple[int, str]]
    by_priority: list[AreaPriorities]
    no_area: int  # activities without an area (online or at home): no priority of an area
    theme_groups: list[tuple[int, str]]
    by_theme: dict[tuple[int, int | None], int]  # (theme group id, area id or None) -> count
    languages: dict[int | None, list[tuple[str, int]]]  # area id or None -> (code, count)
    total: int


def gaps(session: Session) -> Gaps:
    """The gaps and overlaps table, over the activities that are not archived, in six
    statements whatever the size: the areas, their priorities, the theme groups, the counts per
    (area, priority), per (theme group, area) and per (area, language)."""
    live = Activity.archived.is_(False)
    areas = [tuple(row) for row in session.execute(select(Area.id, Area.name).order_by(Area.name))]
    priorities = session.execute(
        select(Priority.id, Priority.area_id, Priority.name).order_by(
            Priority.area_id, Priority.position, Priority.id
        )
    ).all()
    per_priority: dict[tuple[int | None, int | None], int] = {
        (area_id, priority_id): int(n)
        for area_id, priority_id, n in session.execute(
            select(Activity.area_id, Activity.priority_id, func.count(Activity.id))
            .where(live)
            .group_by(Activity.area_id, Activity.priority_id)
        )
    }
    # An activity's priority is one of its area's (``save_activity``); counting by priority
    # alone keeps a cell right even for data entered otherwise.
    priority_totals: dict[int, int] = defaultdict(int)
    area_totals: dict[int | None, int] = defaultdict(int)
    for (area_id, priority_id), n in per_priority.items():
        if priority_id is not None:
            priority_totals[priority_id] += n
        else:
            area_totals[area_id] += n
    by_priority = []
    for area_id, area_name in areas:
        own = [
            (pid, name, priority_totals.get(pid, 0))
            for pid, p_area, name in priorities
            if p_area == area_id
        ]
        by_priority.append(AreaPriorities(area_id, area_name, own, area_totals.get(area_id, 0)))
    theme_counts = {
        (theme_id, area_id): int(n)
        for theme_id, area_id, n in session.execute(
            select(Activity.theme_group_id, Activity.area_id, func.count(Activity.id))
            .where(live, Activity.theme_group_id.is_not(None))
            .group_by(Activity.theme_group_id, Activity.area_id)
        )
    }
    used_themes = {theme_id for theme_id, _area in theme_counts}
    theme_groups = [
        (theme_id, name)
        for theme_id, name, active in session.execute(
            select(ThemeGroup.id, ThemeGroup.name, ThemeGroup.active).order_by(ThemeGroup.name)
        )
        if active or theme_id in used_themes
    ]
    languages: dict[int | None, list[tuple[str, int]]] = defaultdict(list)
    for area_id, code, n in session.execute(
        select(
            Activity.area_id,
            activity_languages.c.language_code,
            func.count(Activity.id),
        )
        .join(activity_languages, activity_languages.c.activity_id == Activity.id)
        .where(live)
        .group_by(Activity.area_id, activity_languages.c.language_code)
        .order_by(
            Activity.area_id, func.count(Activity.id).desc(), activity_languages.c.language_code
        )
    ):
        languages[area_id].append((code, int(n)))
    return Gaps(
        areas=areas,
        by_priority=by_priority,
        no_area=sum(n for (area_id, _p), n in per_priority.items() if area_id is None),
        theme_groups=theme_groups,
        by_theme=theme_counts,
        languages=dict(languages),
        total=sum(per_priority.values()),
    )
