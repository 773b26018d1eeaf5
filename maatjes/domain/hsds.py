"""The social map in Open Referral HSDS 3.0: an activity is a *service*, its organisation an
*organization*, with schedules, languages, phones, contacts, locations and cost options.

Identifiers are UUIDs, as HSDS requires, derived (uuid5) from a fixed namespace and the record's
kind and id ("activity:12"), so that they never change: not between requests, not when a name
changes, not after a restore from backup. Sub-objects get theirs the same way ("schedule:7").

Public data only: an organisation's and an activity's own name, description and functional
contact details. Never a person, a resident, a volunteer or a match.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from maatjes.domain import languages as language_names
from maatjes.domain import search
from maatjes.domain.clock import AMSTERDAM, local_today
from maatjes.domain.social_map import public_clause, public_organisation_clause, weekday_name
from maatjes.formatting import label, long_date, money
from maatjes.models import Organisation
from maatjes.models.social_map import Activity, ActivitySchedule

VERSION = "3.0"
# Fixed for ever: every identifier of the export is derived from it.
NAMESPACE = uuid.UUID("36cc9390-099d-4584-a769-b2d12bd00bfe")
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
COUNTRY = "NL"
STATE_PROVINCE = "Noord-Holland"
CURRENCY = "EUR"
PER_PAGE = 50
MAX_PER_PAGE = 100
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_INT_ID = re.compile(r"^[0-9]{1,10}$")
MAX_ID = 2**31 - 1  # PostgreSQL's integer: a larger number is no record, not an error


def stable_id(kind: str, key: object) -> str:
    """The UUID of ``kind`` ``key`` ("activity", 12): the same in every export."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def service_id(activity_id: int) -> str:
    return stable_id("activity", activity_id)


def organization_id(organisation_id: int) -> str:
    return stable_id("organisation", organisation_id)


# --- what is public -------------------------------------------------------------------------

# Everything a full service needs, loaded with a constant number of statements per page.
SERVICE_LOADING = (
    joinedload(Activity.organisation),
    joinedload(Activity.area),
    joinedload(Activity.neighbourhood),
    selectinload(Activity.languages),
    selectinload(Activity.schedules),
    selectinload(Activity.target_group_rows),
)


def public_organisations() -> Select:
    """Organisations on the map: the pact's members and partners (never a candidate or one
    that left), in a stable order (paging)."""
    return select(Organisation).where(public_organisation_clause()).order_by(Organisation.id)


def public_activities(*, full: bool = True) -> Select:
    """Activities on the map: not archived, of a member or partner of the pact."""
    query = (
        select(Activity).join(Activity.organisation).where(public_clause()).order_by(Activity.id)
    )
    if full:
        return query.options(*SERVICE_LOADING)
    return query.options(
        joinedload(Activity.organisation), selectinload(Activity.target_group_rows)
    )


def filter_activities(
    query: Select,
    *,
    words: str = "",
    organisation_id: int | None = None,
    modified_after: datetime | None = None,
) -> Select:
    """The spec's ``search`` (every word in the name, description or organisation's name, case
    ignored), ``organization_id`` and ``modified_after`` (naive UTC)."""
    for word in search.words(words):
        pattern = f"%{search._escape(word)}%"
        query = query.where(
            or_(
                func.lower(Activity.name).like(pattern, escape="\\"),
                func.lower(Activity.description).like(pattern, escape="\\"),
                func.lower(Organisation.name).like(pattern, escape="\\"),
            )
        )
    if organisation_id is not None:
        query = query.where(Activity.organisation_id == organisation_id)
    if modified_after is not None:
        query = query.where(Activity.updated_at >= modified_after)
    return query


def filter_organisations(query: Select, *, words: str = "") -> Select:
    for word in search.words(words):
        pattern = f"%{search._escape(word)}%"
        query = query.where(
            or_(
                func.lower(Organisation.name).like(pattern, escape="\\"),
                func.lower(Organisation.description).like(pattern, escape="\\"),
            )
        )
    return query


def _resolve(session: Session, key: str, ids: Select, kind: str) -> int | None:
    """The integer id behind ``key``: the id itself, or the UUID of the export (uuid5 cannot
    be inverted: the public ids are few, so they are hashed and compared)."""
    key = key.strip()
    if _INT_ID.match(key):
        return int(key) if int(key) <= MAX_ID else None
    try:
        wanted = str(uuid.UUID(key))
    except ValueError:
        return None
    for row_id in session.scalars(ids):
        if stable_id(kind, row_id) == wanted:
            return row_id
    return None


def find_activity(session: Session, key: str, *, full: bool = True) -> Activity | None:
    """A public activity by its id or its service UUID (None: unknown, archived or of an
    organisation that left)."""
    ids = public_activities(full=False).with_only_columns(Activity.id)
    activity_id = _resolve(session, key, ids, "activity")
    if activity_id is None:
        return None
    return session.scalar(public_activities(full=full).where(Activity.id == activity_id))


def find_organisation(session: Session, key: str) -> Organisation | None:
    ids = public_organisations().with_only_columns(Organisation.id)
    organisation_id = _resolve(session, key, ids, "organisation")
    if organisation_id is None:
        return None
    return session.scalar(public_organisations().where(Organisation.id == organisation_id))


def organisation_activities(session: Session, organisation: Organisation, *, full: bool):
    query = public_activities(full=full).where(Activity.organisation_id == organisation.id)
    return list(session.scalars(query).unique())


# --- paging ---------------------------------------------------------------------------------


@dataclass
class Paging:
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return -(-self.total // self.per_page)

    @property
    def beyond(self) -> bool:
        """Past the last page: nothing to fetch."""
        return self.page > max(self.pages, 1)

    def fields(self, contents: list[dict]) -> dict:
        """The paging fields of the HSDS API (``Page`` in its openapi.json) and the contents."""
        return {
            "total_items": self.total,
            "total_pages": self.pages,
            "page_number": self.page,
            "size": len(contents),
            "first_page": self.page == 1,
            "last_page": self.page >= self.pages,
            "empty": self.total == 0,
            "contents": contents,
        }


def page_of(session: Session, query: Select, page: int, per_page: int) -> tuple[Paging, list]:
    """The count and one page of ``query`` (two statements, plus the eager loads; a page past
    the end is empty and costs only the count, however large its number)."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    paging = Paging(total, page, per_page)
    if paging.beyond or total == 0:
        return paging, []
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return paging, list(rows)


# --- mapping --------------------------------------------------------------------------------


def _uri(value: str) -> str | None:
    """A web address as an absolute URI (stored ones have their scheme; an odd one is left out
    rather than exported invalid)."""
    value = (value or "").strip()
    if not value:
        return None
    if "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        return None
    return value


def _timestamp(moment: datetime | None) -> str | None:
    """RFC 3339 with milliseconds in UTC (stored timestamps are naive UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def _offset(day: date, at: time | None) -> timedelta:
    moment = datetime.combine(day, at or time(12), tzinfo=AMSTERDAM)
    return moment.utcoffset() or timedelta(0)


def _clock(at: time, offset: timedelta) -> str:
    """ "10:00+01:00": HH:MM with the UTC offset, as the schema's opens_at asks."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{at:%H:%M}{sign}{hours:02d}:{rest:02d}"


def _hours(schedule: ActivitySchedule) -> str:
    if schedule.opens_at and schedule.closes_at:
        return f"{schedule.opens_at:%H:%M}–{schedule.closes_at:%H:%M}"
    if schedule.opens_at:
        return f"{schedule.opens_at:%H:%M}"
    return ""


def _next(weekday: int, today: date) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def schedule(row: ActivitySchedule, sid: str, today: date) -> dict:
    """Weekly: FREQ=WEEKLY with BYDAY; once: a DTSTART with valid_from = valid_to = that day and
    no frequency. Times carry the Amsterdam offset of the (next) day they fall on; ``timezone``
    is that offset in hours, as the schema's number."""
    result: dict = {"id": stable_id("schedule", row.id), "service_id": sid}
    hours = _hours(row)
    if row.weekday is not None:
        day = _next(row.weekday, today)
        result |= {"freq": "WEEKLY", "interval": 1, "wkst": "MO", "byday": DAYS[row.weekday]}
        text = weekday_name(row.weekday)
        result["description"] = _("Every %(day)s", day=text) + (f", {hours}" if hours else "")
    else:
        day = row.on_date
        stamp = day.isoformat()
        result |= {"dtstart": stamp, "valid_from": stamp, "valid_to": stamp}
        result["description"] = _("Once, on %(date)s", date=long_date(day)) + (
            f", {hours}" if hours else ""
        )
    offset = _offset(day, row.opens_at)
    if row.opens_at:
        result["opens_at"] = _clock(row.opens_at, offset)
    if row.closes_at:
        result["closes_at"] = _clock(row.closes_at, offset)
    hours_offset = offset.total_seconds() / 3600
    result["timezone"] = int(hours_offset) if hours_offset.is_integer() else hours_offset
    result["notes"] = _("Local time in Amsterdam (Europe/Amsterdam).")
    return result


def organization_summary(organisation: Organisation) -> dict:
    """The one-to-one fields of an organization (``description`` is required: "" when none)."""
    result = {
        "id": organization_id(organisation.id),
        "name": organisation.name,
        "description": organisation.description or "",
    }
    if organisation.email:
        result["email"] = organisation.email
    website = _uri(organisation.website)
    if website:
        result["website"] = website
    return result


def service_summary(activity: Activity) -> dict:
    """The one-to-one fields of a service, as ``/services`` lists them (service_list.json)."""
    result: dict = {
        "id": service_id(activity.id),
        "organization_id": organization_id(activity.organisation_id),
        "name": activity.name,
        "description": activity.description or "",
    }
    website = _uri(activity.website)
    if website:
        result["url"] = website
    if activity.email:
        result["email"] = activity.email
    result["status"] = "inactive" if activity.archived else "active"
    result["application_process"] = label("activity_access", activity.access)
    result["fees_description"] = fees_description(activity)
    groups = [label("target_group", code) for code in activity.target_groups]
    if groups:
        result["eligibility_description"] = ", ".join(groups)
    if activity.minimum_age is not None:
        result["minimum_age"] = activity.minimum_age
    if activity.maximum_age is not None:
        result["maximum_age"] = activity.maximum_age
    if activity.checked_on:
        result["assured_date"] = activity.checked_on.isoformat()
    modified = _timestamp(activity.updated_at or activity.created_at)
    if modified:
        result["last_modified"] = modified
    result["organization"] = organization_summary(activity.organisation)
    return result


def fees_description(activity: Activity) -> str:
    text = label("activity_cost", activity.cost)
    if activity.cost == Activity.PAID and activity.cost_amount is not None:
        return f"{text}: {money(activity.cost_amount)}"
    return text


def cost_options(activity: Activity, sid: str) -> list[dict]:
    option: dict = {"id": stable_id("cost_option", activity.id), "service_id": sid}
    if activity.cost == Activity.FREE:
        option |= {
            "amount": 0,
            "currency": CURRENCY,
            "amount_description": label("activity_cost", activity.cost),
        }
    elif activity.cost == Activity.PAID and activity.cost_amount is not None:
        amount = activity.cost_amount
        option |= {
            "amount": int(amount) if amount == amount.to_integral_value() else float(amount),
            "currency": CURRENCY,
        }
    else:
        option["amount_description"] = label("activity_cost", activity.cost)
    return [option]


def _phone(number: str, kind: str, key: object, **links: str) -> dict:
    return {"id": stable_id(f"phone:{kind}", key), **links, "number": number, "type": "voice"}


def location(activity: Activity) -> dict | None:
    """Where: a physical location with its address, a virtual one for online activities; none
    for activities at home (the service areas tell where they are offered)."""
    lid = stable_id("location", activity.id)
    if activity.place == Activity.ONLINE:
        result = {"id": lid, "location_type": "virtual", "name": activity.location_name or "Online"}
        website = _uri(activity.website)
        if website:
            result["url"] = website
        return result
    if activity.place != Activity.AT_ADDRESS:
        return None
    result: dict = {"id": lid, "location_type": "physical"}
    name = activity.location_name or activity.address
    if name:
        result["name"] = name
    where = [str(place) for place in (activity.neighbourhood, activity.area) if place]
    if where:
        result["description"] = ", ".join(where)
    if activity.address:
        result["addresses"] = [
            {
                "id": stable_id("address", activity.id),
                "location_id": lid,
                "address_1": activity.address,
                "city": activity.city or "Amsterdam",
                "state_province": STATE_PROVINCE,
                "postal_code": activity.postal_code or "",
                "country": COUNTRY,
                "address_type": "physical",
            }
        ]
    return result


def service(activity: Activity, *, locale: str, today: date) -> dict:
    """A fully nested HSDS service (compiled service.json). ``locale`` names the languages and
    ``today`` picks the summer or winter offset of weekly times."""
    sid = service_id(activity.id)
    result = service_summary(activity)
    result["phones"] = (
        [_phone(activity.phone, "activity", activity.id, service_id=sid)] if activity.phone else []
    )
    result["schedules"] = [schedule(row, sid, today) for row in activity.schedules]
    areas = []
    if activity.area is not None:
        area_entry = {"id": stable_id("service_area", activity.id), "service_id": sid}
        if activity.neighbourhood is not None:
            area_entry |= {
                "name": activity.neighbourhood.name,
                "description": activity.area.name,
            }
        else:
            area_entry["name"] = activity.area.name
        areas.append(area_entry)
    result["service_areas"] = areas
    place = location(activity)
    result["service_at_locations"] = (
        [
            {
                "id": stable_id("service_at_location", activity.id),
                "service_id": sid,
                "location_id": place["id"],
                "location": place,
            }
        ]
        if place
        else []
    )
    custom = {row.code: row.custom_name for row in activity.languages if row.custom_name}
    result["languages"] = [
        {
            "id": stable_id(f"language:{activity.id}", row.code),
            "service_id": sid,
            "name": language_names.display_name(row.code, locale, custom),
            "code": row.code,
        }
        for row in activity.languages
    ]
    result["cost_options"] = cost_options(activity, sid)
    contacts = []
    if activity.phone or activity.email:
        cid = stable_id("contact", activity.id)
        contact: dict = {"id": cid, "service_id": sid, "name": activity.organisation.name}
        if activity.email:
            contact["email"] = activity.email
        contact["phones"] = (
            [_phone(activity.phone, "contact", activity.id, contact_id=cid)]
            if activity.phone
            else []
        )
        contacts.append(contact)
    result["contacts"] = contacts
    return result


def organization(
    organisation: Organisation,
    activities: list[Activity],
    *,
    full_services: bool = False,
    locale: str = "nl",
    today: date | None = None,
) -> dict:
    """A nested HSDS organization (compiled organization.json) with its public services: their
    one-to-one fields, or fully nested with ``full_services``."""
    oid = organization_id(organisation.id)
    result = organization_summary(organisation)
    result["phones"] = (
        [_phone(organisation.phone, "organisation", organisation.id, organization_id=oid)]
        if organisation.phone
        else []
    )
    if full_services:
        result["services"] = [
            service(activity, locale=locale, today=today or local_today())
            for activity in activities
        ]
    else:
        result["services"] = [service_summary(activity) for activity in activities]
    return result
