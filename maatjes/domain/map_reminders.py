"""Reminders for the social map: an activity not checked for ``Activity.STALE_MONTHS`` months is
marked on the map, and its organisation is asked, once per stale spell, to check it.

Who is asked:
- the organisation's contact person, when they have an active account that may keep the
  organisation's activities;
- otherwise the organisation's people with such an account;
- otherwise (nobody at the organisation has an account) the pact's support staff (admins), who
  are told which organisation it is about.

One notification per organisation and recipient and run names all its stale activities: the
notification stores only references (the organisation's id, in its key) and the list is read
when it is shown, like the other notifications. An activity is reminded of once per stale spell:
``reminded_on`` is set on the run's day, and it counts again only once the activity has been
checked (``checked_on`` later than ``reminded_on``) and has gone stale once more.
"""

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from maatjes.domain import activities as activity_rules
from maatjes.domain.sql import upsert_insert
from maatjes.models import Activity, Notification, Organisation, Person, Role, User
from maatjes.models.notification import EMAIL_PENDING

ACTIVITY_STALE = "activity_stale"
# Who a reminder went to, kept in its key: the organisation's own people, or the pact's staff
# because nobody at the organisation has an account.
TO_ORGANISATION, TO_STAFF = "organisation", "staff"
# Accounts that may keep an organisation's activities (staff keep all of them).
KEEPERS = (Role.ORGANISATION_CONTACT, *Role.STAFF)
# The list of an organisation's activities that need checking (the ``activities`` blueprint's
# filters: an organisation contact sees its own only); used when the endpoint cannot be built.
CHECK_PATH = "/registry/activities/?organisation={id}&checked=stale"


stale_before = activity_rules.stale_before
is_stale = activity_rules.is_stale


def stale_clause(today: date):
    """Activities on the map (not archived) that were not checked for too long."""
    return and_(Activity.archived.is_(False), Activity.checked_on < stale_before(today))


def _due(session: Session, today: date) -> list[Activity]:
    """Stale activities of organisations that have not left, not yet reminded of in this
    stale spell."""
    return list(
        session.scalars(
            select(Activity)
            .join(Organisation, Organisation.id == Activity.organisation_id)
            .where(
                stale_clause(today),
                Organisation.status != "left",
                or_(Activity.reminded_on.is_(None), Activity.reminded_on < Activity.checked_on),
            )
            .order_by(Activity.organisation_id, Activity.id)
        )
    )


def _keeper(*conditions):
    return (
        select(User.id)
        .join(Person, Person.user_id == User.id)
        .where(
            User.active.is_(True),
            User.role.in_(KEEPERS),
            Person.active.is_(True),
            *conditions,
        )
        .order_by(User.id)
    )


def recipients(session: Session, organisation_id: int) -> tuple[str, list[int]]:
    """Who is reminded of an organisation's stale activities, and in what capacity."""
    contact = session.scalars(
        _keeper(
            Person.id
            == select(Organisation.contact_person_id)
            .where(Organisation.id == organisation_id)
            .scalar_subquery()
        )
    ).all()
    if contact:
        return TO_ORGANISATION, list(contact)
    people = session.scalars(_keeper(Person.organisation_id == organisation_id)).all()
    if people:
        return TO_ORGANISATION, list(dict.fromkeys(people))
    admins = session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
    ).all()
    return TO_STAFF, list(admins)


def notification_key(organisation_id: int, day: date, to: str, user_id: int) -> str:
    return f"{ACTIVITY_STALE}:{organisation_id}:{day.isoformat()}:{to}:{user_id}"


def parse_key(key: str) -> tuple[int, str]:
    """The organisation's id and to whom (TO_ORGANISATION or TO_STAFF) from a key."""
    _kind, organisation_id, _day, to, _user = key.split(":")
    return int(organisation_id), to


def remind_stale_activities(session: Session, *, today: date, now: datetime) -> int:
    """Remind the organisations of their activities that went stale; returns the number of
    notifications created. A second run (the same day or later) creates nothing until an
    activity has been checked and gone stale again."""
    by_organisation: dict[int, list[Activity]] = defaultdict(list)
    for activity in _due(session, today):
        by_organisation[activity.organisation_id].append(activity)
    rows = []
    for organisation_id, activities in by_organisation.items():
        to, user_ids = recipients(session, organisation_id)
        if not user_ids:
            continue  # nobody to tell (no admin either): asked again on the next run
        rows += [
            {
                "key": notification_key(organisation_id, today, to, user_id),
                "user_id": user_id,
                "kind": ACTIVITY_STALE,
                "period": today.isoformat(),
                "created_at": now,
                "email_status": EMAIL_PENDING,
                "email_attempts": 0,
            }
            for user_id in user_ids
        ]
        for activity in activities:
            activity.reminded_on = today
    created = 0
    if rows:
        statement = (
            upsert_insert(session, Notification)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(Notification.id)
        )
        created = len(session.connection().execute(statement).all())
    session.flush()
    return created


def stale_activity_names(session: Session, organisation_id: int, today: date) -> list[str]:
    """The names of an organisation's activities that are stale on ``today``."""
    return list(
        session.scalars(
            select(Activity.name)
            .where(Activity.organisation_id == organisation_id, stale_clause(today))
            .order_by(Activity.name, Activity.id)
        )
    )


def check_link(organisation_id: int) -> str:
    """The path of the list of the organisation's activities to check (built when a message
    is rendered, so that the endpoint need not exist at import time)."""
    from flask import url_for
    from werkzeug.routing import BuildError

    try:
        return url_for(
            "activities.index", organisation=organisation_id, checked="stale", _external=False
        )
    except (BuildError, RuntimeError):
        return CHECK_PATH.format(id=organisation_id)
