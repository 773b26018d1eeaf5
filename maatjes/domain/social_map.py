"""The public social map: which activities a visitor finds, and how they are described.

Public means: only activities that are not archived, of organisations that have not left, and
only what the organisations publish (names, places, times, languages, cost, public contact
details). Nothing here reads residents, volunteers or matches.

``MapFilters.parse`` reads the query string (any value that makes no sense is ignored, never an
error); ``search`` is one SELECT with every filter in SQL and the cards' relations eager-loaded,
so a page costs the same statements with 3 or 3,000 activities.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from urllib.parse import urlencode

from babel import Locale, dates
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from maatjes.domain import search as word_search
from maatjes.models import Area, Neighbourhood, Organisation, ThemeGroup
from maatjes.models.social_map import (
    Activity,
    ActivitySchedule,
    ActivityTargetGroup,
    activity_languages,
)

MAX_ID = 2**31 - 1  # ids are INTEGER on PostgreSQL
MAX_QUERY = 100
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
LEFT = "left"


# --- filters ----------------------------------------------------------------------------------


def _id(value: str | None) -> int | None:
    text = (value or "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        return int(text)
    return None


@dataclass(frozen=True)
class MapFilters:
    """What a visitor searches for; every field empty means "everything"."""

    q: str = ""
    area: int | None = None
    neighbourhood: int | None = None
    theme: int | None = None
    language: str = ""
    weekday: int | None = None  # 0 = Monday
    cost: str = ""
    target: str = ""

    # The query-string names of the fields (also those of the form's inputs).
    NAMES = ("q", "area", "neighbourhood", "theme", "language", "day", "cost", "target")

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> "MapFilters":
        """From a query string; a value of the wrong kind or out of range is left out."""
        day = (args.get("day") or "").strip()
        language = (args.get("language") or "").strip().lower()
        cost = (args.get("cost") or "").strip()
        target = (args.get("target") or "").strip()
        return cls(
            q=" ".join((args.get("q") or "")[:MAX_QUERY].split()),
            area=_id(args.get("area")),
            neighbourhood=_id(args.get("neighbourhood")),
            theme=_id(args.get("theme")),
            language=language if _LANGUAGE_CODE.match(language) else "",
            weekday=int(day) if day in {"0", "1", "2", "3", "4", "5", "6"} else None,
            cost=cost if cost in Activity.COSTS else "",
            target=target if target in Activity.TARGET_GROUPS else "",
        )

    def within(self, choices: "MapChoices") -> "MapFilters":
        """Ids that name nothing are left out, and a neighbourhood outside the chosen area (the
        visitor changed the area and kept the old neighbourhood)."""
        area = self.area if self.area in choices.area_names else None
        neighbourhood = self.neighbourhood
        if neighbourhood not in choices.neighbourhood_area or (
            area is not None and choices.neighbourhood_area[neighbourhood] != area
        ):
            neighbourhood = None
        theme = self.theme if self.theme in dict(choices.themes) else None
        return replace(self, area=area, neighbourhood=neighbourhood, theme=theme)

    def args(self) -> dict[str, str]:
        """The query string that gives these filters back (empty ones left out)."""
        values = {
            "q": self.q,
            "area": self.area,
            "neighbourhood": self.neighbourhood,
            "theme": self.theme,
            "language": self.language,
            "day": self.weekday,
            "cost": self.cost,
            "target": self.target,
        }
        return {name: str(value) for name, value in values.items() if value not in (None, "")}

    @property
    def any(self) -> bool:
        return bool(self.args())


# --- the search -------------------------------------------------------------------------------


# Organisations whose activities are public: the pact's members and partners (a candidate,
# refused or not, and an organisation that left are not on the map).
PUBLIC_STATUSES = ("member", "partner")


def public_organisation_clause() -> ColumnElement[bool]:
    """Organisations on the map and in its export: the pact's members and partners."""
    return Organisation.status.in_(PUBLIC_STATUSES)


def public_clause() -> ColumnElement[bool]:
    """Activities anyone may see: not archived, of a member or partner of the pact (the query
    joins Organisation)."""
    return and_(Activity.archived.is_(False), public_organisation_clause())


def _words_clause(q: str) -> ColumnElement[bool] | None:
    """Every word occurs in the name, description, organisation, place or address (lower
    case); a word is looked for as typed and without its accents, and in the activity's folded
    text: "Curaçao" finds "Curaçao", and "curacao" finds "Curacao" and "Curaçao"."""
    text = func.lower(
        Activity.name
        + " "
        + Activity.description
        + " "
        + Organisation.name
        + " "
        + Activity.location_name
        + " "
        + Activity.address
        + " "
        + Activity.postal_code
        + " "
        + Activity.city
        + " "
        + func.coalesce(Neighbourhood.name, "")
        + " "
        + func.coalesce(Area.name, "")
    )
    clauses = []
    for raw in q.split()[: word_search.MAX_WORDS]:
        forms = {word_search.fold(raw), raw.casefold()} - {""}
        if forms:
            options = [text.like(f"%{word_search._escape(f)}%", escape="\\") for f in forms]
            plain = word_search.fold(raw)
            if plain:  # "cafe" typed on a phone finds "Taalcafé" (the activity's folded text)
                options.append(
                    Activity.search_text.like(f"%{word_search._escape(plain)}%", escape="\\")
                )
            clauses.append(or_(*options))
    return and_(*clauses) if clauses else None


def search(session: Session, filters: MapFilters) -> Select:
    """The public activities that match ``filters``, by name, with what a card shows loaded
    (``session`` is not used: the SELECT is run by the caller, e.g. paginated)."""
    del session
    query = select(Activity).join(Organisation, Organisation.id == Activity.organisation_id)
    query = query.where(public_clause())
    if filters.q:
        found = _words_clause(filters.q)
        if found is not None:
            query = (
                query.outerjoin(Neighbourhood, Neighbourhood.id == Activity.neighbourhood_id)
                .outerjoin(Area, Area.id == Activity.area_id)
                .where(found)
            )
    if filters.area is not None:
        # Online and at home without an area of their own: open to every area.
        query = query.where(
            or_(
                Activity.area_id == filters.area,
                and_(Activity.area_id.is_(None), Activity.place != Activity.AT_ADDRESS),
            )
        )
    if filters.neighbourhood is not None:
        query = query.where(Activity.neighbourhood_id == filters.neighbourhood)
    if filters.theme is not None:
        query = query.where(Activity.theme_group_id == filters.theme)
    if filters.language:
        query = query.where(
            exists().where(
                activity_languages.c.activity_id == Activity.id,
                activity_languages.c.language_code == filters.language,
            )
        )
    if filters.weekday is not None:
        query = query.where(
            exists().where(
                ActivitySchedule.activity_id == Activity.id,
                ActivitySchedule.weekday == filters.weekday,
            )
        )
    if filters.cost:
        query = query.where(Activity.cost == filters.cost)
    if filters.target:
        # No target group chosen means everyone.
        query = query.where(
            or_(
                ~exists().where(ActivityTargetGroup.activity_id == Activity.id),
                exists().where(
                    ActivityTargetGroup.activity_id == Activity.id,
                    ActivityTargetGroup.code == filters.target,
                ),
            )
        )
    return query.options(*card_options()).order_by(func.lower(Activity.name), Activity.id)


def card_options() -> list:
    """What a card (and the CSV, and the activity's page) shows, loaded with the activities."""
    return [
        joinedload(Activity.organisation),
        joinedload(Activity.area),
        joinedload(Activity.neighbourhood),
        joinedload(Activity.theme_group),
        selectinload(Activity.languages),
        selectinload(Activity.schedules),
        selectinload(Activity.target_group_rows),
    ]


def public_activity(session: Session, activity_id: int) -> Activity | None:
    """One public activity with everything its page shows, or None (archived, its organisation
    left, or no such activity)."""
    return session.scalar(
        select(Activity)
        .join(Organisation, Organisation.id == Activity.organisation_id)
        .where(Activity.id == activity_id, public_clause())
        .options(*card_options(), joinedload(Activity.priority))
    )


# --- the choices of the filters ---------------------------------------------------------------


@dataclass
class MapChoices:
    areas: list[tuple[int, str]] = field(default_factory=list)
    # Per area (in order): the area's id and name and its neighbourhoods (id, name).
    neighbourhoods: list[tuple[int, str, list[tuple[int, str]]]] = field(default_factory=list)
    themes: list[tuple[int, str]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # codes on offer

    @property
    def area_names(self) -> dict[int, str]:
        return dict(self.areas)

    @property
    def neighbourhood_area(self) -> dict[int, int]:
        return {n_id: a_id for a_id, _a, rows in self.neighbourhoods for n_id, _n in rows}

    @property
    def neighbourhood_names(self) -> dict[int, str]:
        return {n_id: name for _a_id, _a, rows in self.neighbourhoods for n_id, name in rows}


def filter_choices(session: Session) -> MapChoices:
    """Areas with their neighbourhoods, theme groups, and the languages of the public
    activities: three statements."""
    choices = MapChoices()
    rows = session.execute(
        select(Area.id, Area.name, Neighbourhood.id, Neighbourhood.name)
        .outerjoin(Neighbourhood, Neighbourhood.area_id == Area.id)
        .order_by(Area.name, Neighbourhood.name)
    ).all()
    for area_id, area_name, n_id, n_name in rows:
        if not choices.areas or choices.areas[-1][0] != area_id:
            choices.areas.append((area_id, area_name))
            choices.neighbourhoods.append((area_id, area_name, []))
        if n_id is not None:
            choices.neighbourhoods[-1][2].append((n_id, n_name))
    choices.neighbourhoods = [entry for entry in choices.neighbourhoods if entry[2]]
    choices.themes = [
        (i, n)
        for i, n in session.execute(
            select(ThemeGroup.id, ThemeGroup.name)
            .where(
                or_(
                    ThemeGroup.active.is_(True),
                    ThemeGroup.id.in_(select(Activity.theme_group_id)),
                )
            )
            .order_by(ThemeGroup.name)
        )
    ]
    choices.languages = list(
        session.scalars(
            select(activity_languages.c.language_code)
            .distinct()
            .join(Activity, Activity.id == activity_languages.c.activity_id)
            .join(Organisation, Organisation.id == Activity.organisation_id)
            .where(public_clause())
            .order_by(activity_languages.c.language_code)
        )
    )
    return choices


# --- describing an activity -------------------------------------------------------------------


def is_stale(activity: Activity, today: date) -> bool:
    """Not checked for more than ``Activity.STALE_MONTHS`` months (``activities.stale_before``)."""
    from maatjes.domain.activities import is_stale as stale

    return stale(activity, today)


def _locale() -> Locale:
    return get_locale() or Locale.parse("nl")


def _time(value: time) -> str:
    return dates.format_time(value, "HH:mm", locale=_locale())


def weekday_name(weekday: int) -> str:
    """The day's name as running text uses it: "Tuesday" in English, "dinsdag" in Dutch."""
    return _locale().days["format"]["wide"][weekday]


def describe_schedule(schedule: ActivitySchedule) -> str:
    """ "every Tuesday 10:00–12:00", "on 12 December 2026 19:00–21:00" in the user's language."""
    locale = _locale()
    if schedule.weekday is not None:
        day = weekday_name(schedule.weekday)
        start, end = schedule.opens_at, schedule.closes_at
        if start and end:
            return _("every %(day)s %(start)s–%(end)s", day=day, start=_time(start), end=_time(end))
        if start:
            return _("every %(day)s from %(start)s", day=day, start=_time(start))
        return _("every %(day)s", day=day)
    when = dates.format_date(schedule.on_date, "d MMMM y", locale=locale)
    start, end = schedule.opens_at, schedule.closes_at
    if start and end:
        return _("on %(date)s %(start)s–%(end)s", date=when, start=_time(start), end=_time(end))
    if start:
        return _("on %(date)s from %(start)s", date=when, start=_time(start))
    return _("on %(date)s", date=when)


def upcoming_schedules(activity: Activity, today: date) -> list[ActivitySchedule]:
    """The weekly times and the one-off dates from today on (weekly first, then by date)."""
    return [s for s in activity.schedules if s.weekday is not None or s.on_date >= today]


def when(activity: Activity, today: date) -> list[str]:
    return [describe_schedule(s) for s in upcoming_schedules(activity, today)]


def address_line(activity: Activity) -> str:
    """ "Bijlmerdreef 101, 1102 BS Amsterdam" (empty when not at an address)."""
    if activity.place != Activity.AT_ADDRESS:
        return ""
    town = " ".join(part for part in (activity.postal_code, activity.city) if part)
    return ", ".join(part for part in (activity.address, town) if part)


def map_url(activity: Activity) -> str:
    """A search for the address on OpenStreetMap (empty without a street address)."""
    if activity.place != Activity.AT_ADDRESS or not activity.address.strip():
        return ""
    parts = (activity.address, activity.postal_code, activity.city)
    query = ", ".join(part.strip() for part in parts if part and part.strip())
    return "https://www.openstreetmap.org/search?" + urlencode({"query": query})


def web_url(value: str | None) -> str:
    """A website as a link that is safe to put in an href: http(s) only, "https://" added to a
    bare host name; anything else (``javascript:``…) gives nothing."""
    text = (value or "").strip()
    if not text or any(ch.isspace() for ch in text):
        return ""
    lowered = text.lower()
    if lowered.startswith(("http://", "https://")):
        return text
    if ":" in text.split("/", 1)[0] or text.startswith("/"):
        return ""
    return "https://" + text


@dataclass(frozen=True)
class Contact:
    phone: str = ""
    email: str = ""
    website: str = ""


def contact(activity: Activity) -> Contact:
    """The activity's public phone, e-mail and website; each missing one the organisation's."""
    organisation = activity.organisation
    return Contact(
        phone=activity.phone or organisation.phone or "",
        email=activity.email or organisation.email or "",
        website=web_url(activity.website) or web_url(organisation.website),
    )
