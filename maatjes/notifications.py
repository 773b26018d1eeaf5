"""Notification texts, rendered in the current locale (the recipient's, via force_locale).

Only references are stored; names are looked up when a message is shown or sent. Subjects
name a resident by first name at most.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from maatjes.domain import events, map_reminders, rhythm, weeks
from maatjes.formatting import label, long_date
from maatjes.models import (
    TO_MAATJES,
    Activity,
    Contact,
    Handover,
    Match,
    Notification,
    Organisation,
    Resident,
    Training,
    Volunteer,
)


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    link: str  # a path in the app


def _period_monday(period: str) -> date:
    """The Monday of an ISO week period such as ``2022-W03``."""
    year, week = period.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def _first(name: str) -> str:
    return name.split()[0] if name else ""


def preload(session: Session, notes: list[Notification]) -> list:
    """Load what a page of notifications refers to in one query per kind of record, so that
    rendering them finds everything in the session instead of asking once per notification.
    Keep the returned list while rendering: the session holds its objects only weakly."""
    from sqlalchemy.orm import joinedload

    def ids(attribute: str) -> set[int]:
        return {getattr(n, attribute) for n in notes if getattr(n, attribute) is not None}

    wanted = [
        (Match, ids("match_id"), (joinedload(Match.resident), joinedload(Match.volunteer))),
        (
            Handover,
            ids("handover_id"),
            (
                joinedload(Handover.resident),
                joinedload(Handover.area),
                joinedload(Handover.sender),
            ),
        ),
        (Volunteer, ids("volunteer_id"), ()),
        (Training, ids("training_id"), ()),
        (Contact, ids("contact_id"), ()),
    ]
    loaded: list = []
    for model, keys, options in wanted:
        if keys:
            loaded += session.scalars(select(model).where(model.id.in_(keys)).options(*options))
    return loaded


def render(session: Session, note: Notification, *, today: date) -> Message:
    kind = note.kind
    if kind == rhythm.CONTACT_DUE:
        # The week the notification is about, which need not be the week it is read in.
        monday = _period_monday(note.period) if note.period else weeks.week_start(today)
        current = monday == weeks.week_start(today)
        names = session.scalars(
            select(Resident.first_name)
            .join(Match, Match.resident_id == Resident.id)
            .where(
                Match.volunteer_id == note.volunteer_id,
                weeks.active_without_contact_in_week(monday, today=today),
            )
            .order_by(Resident.first_name)
        ).all()
        if current:
            body = (
                _("Still to contact this week: %(names)s.", names=", ".join(names))
                if names
                else _("You have contacted everyone this week. Thank you!")
            )
            return Message(_("Money Maatjes: your contacts this week"), body, "/me")
        day = long_date(monday)
        body = (
            _("No contact in the week of %(day)s with: %(names)s.", day=day, names=", ".join(names))
            if names
            else _("You contacted everyone in the week of %(day)s. Thank you!", day=day)
        )
        return Message(
            _("Money Maatjes: your contacts in the week of %(day)s", day=day), body, "/me"
        )
    if kind in (rhythm.CONTACT_MISSED, rhythm.ESCALATION, rhythm.EVALUATION):
        match = session.get(Match, note.match_id)
        name = match.resident.first_name
        volunteer = match.volunteer.name
        link = f"/matches/{match.id}"
        if kind == rhythm.CONTACT_MISSED:
            monday = _period_monday(note.period)
            return Message(
                _("No contact with %(name)s last week", name=name),
                _(
                    "In the week of %(day)s there was no contact with %(name)s. Log the contact"
                    " if there was one, or tell the project lead if something is wrong.",
                    day=long_date(monday),
                    name=name,
                ),
                link,
            )
        if kind == rhythm.ESCALATION:
            return Message(
                _("Two weeks without contact: %(name)s", name=name),
                _(
                    "%(volunteer)s has had no contact with %(name)s for two weeks or more.",
                    volunteer=volunteer,
                    name=name,
                ),
                link,
            )
        return Message(
            _("13 weeks with %(name)s: time to evaluate", name=name),
            _(
                "The match of %(volunteer)s and %(name)s has reached the minimum of 13 weeks."
                " End it with an outcome, or continue.",
                volunteer=volunteer,
                name=name,
            ),
            link,
        )
    if kind == rhythm.HANDOVER_WAITING:
        handover = session.get(Handover, note.handover_id)
        name = handover.resident.first_name
        waiting_for_acceptance = note.key.split(":")[2] == "sent"
        if waiting_for_acceptance and handover.direction == TO_MAATJES:
            body = _(
                "The referral of %(name)s by the buurtteam of %(area)s to Money Maatjes has not"
                " been accepted for 5 working days.",
                name=name,
                area=handover.area.name,
            )
        elif waiting_for_acceptance:
            body = _(
                "The handover of %(name)s to %(area)s has not been accepted for 5 working days.",
                name=name,
                area=handover.area.name,
            )
        else:
            body = _(
                "The handover of %(name)s was accepted by %(contact)s, but no first contact has"
                " been recorded for 5 working days.",
                name=name,
                contact=handover.receiver_name or "",
            )
        return Message(
            _("Handover of %(name)s is waiting", name=name), body, f"/handovers/{handover.id}"
        )
    if kind in (events.HANDOVER_NEW, events.HANDOVER_STEP):
        return _handover_event(session, note)
    if kind == events.CONTACT_FLAGGED:
        contact = session.get(Contact, note.contact_id)
        match = contact.match
        return Message(
            _("Flagged for you: %(name)s", name=match.resident.first_name),
            _(
                "%(volunteer)s asks you to look at the contact with %(name)s on %(day)s.",
                volunteer=match.volunteer.name,
                name=match.resident.first_name,
                day=long_date(contact.contact_on),
            ),
            f"/matches/{match.id}",
        )
    if kind == map_reminders.ACTIVITY_STALE:
        return _activity_stale(session, note, today)
    if kind == rhythm.LEAD_DIGEST or note.volunteer_id is None:
        return _digest(session, note, today)
    volunteer = session.get(Volunteer, note.volunteer_id)
    link = f"/volunteers/{volunteer.id}"
    if kind == rhythm.VOG_EXPIRING:
        return Message(
            _("VOG of %(name)s expires soon", name=_first(volunteer.name)),
            _(
                "The VOG of %(name)s dates from %(day)s. Ask for a new one within 30 days.",
                name=volunteer.name,
                day=long_date(volunteer.vog_date),
            ),
            link,
        )
    if kind == rhythm.REFRESHER:
        training = session.get(Training, note.training_id)
        return Message(
            _("%(name)s needs a refresher training", name=_first(volunteer.name)),
            _(
                "%(name)s is due for a refresher of “%(training)s” within 30 days.",
                name=volunteer.name,
                training=training.name,
            ),
            link,
        )
    raise ValueError(f"unknown notification kind {kind!r}")


def _handover_event(session: Session, note: Notification) -> Message:
    handover = session.get(Handover, note.handover_id)
    name = handover.resident.first_name
    link = f"/handovers/{handover.id}"
    if note.kind == events.HANDOVER_NEW:
        if handover.direction == TO_MAATJES:
            body = _(
                "The buurtteam of %(area)s refers %(name)s to Money Maatjes. Accept or decline"
                " within 5 working days.",
                area=handover.area.name,
                name=name,
            )
        else:
            body = _(
                "%(sender)s hands %(name)s over to the buurtteam of %(area)s. Accept and name"
                " the contact person within 5 working days.",
                sender=handover.sender.name,
                name=name,
                area=handover.area.name,
            )
        return Message(_("New handover: %(name)s", name=name), body, link)
    bodies = {
        "accepted": _(
            "The handover of %(name)s was accepted; the contact person is %(contact)s.",
            name=name,
            contact=handover.receiver_name or "",
        ),
        "declined": _(
            "The handover of %(name)s was declined: %(reason)s",
            name=name,
            reason=handover.decline_reason or "",
        ),
        "returned": _("The handover of %(name)s was returned.", name=name),
        "first_contact": _("The receiving side had its first contact with %(name)s.", name=name),
        "completed": _("The handover of %(name)s is completed.", name=name),
    }
    return Message(
        _(
            "Handover of %(name)s: %(status)s",
            name=name,
            status=label("handover_status", note.period),
        ),
        bodies.get(note.period, ""),
        link,
    )


def _activity_stale(session: Session, note: Notification, today: date) -> Message:
    """The organisation's activities that are stale now (read when shown: once they are
    checked, the message says so)."""
    organisation_id, to = map_reminders.parse_key(note.key)
    organisation = session.get(Organisation, organisation_id)
    name = organisation.name if organisation is not None else ""
    link = map_reminders.check_link(organisation_id)
    subject = _("Social map: check the activities of %(organisation)s", organisation=name)
    names = map_reminders.stale_activity_names(session, organisation_id, today)
    if not names:
        return Message(
            subject,
            _(
                "All activities of %(organisation)s have been checked since. Thank you!",
                organisation=name,
            ),
            link,
        )
    lines = [
        ngettext(
            "This activity of %(organisation)s has not been checked for more than %(months)d"
            " months: %(names)s.",
            "These activities of %(organisation)s have not been checked for more than"
            " %(months)d months: %(names)s.",
            len(names),
            organisation=name,
            months=Activity.STALE_MONTHS,
            names=", ".join(f"“{n}”" for n in names),
        )
    ]
    if to == map_reminders.TO_STAFF:
        lines.append(
            _(
                "Nobody at %(organisation)s has an account to keep its activities. Ask the"
                " organisation whether they are still right, and check them on the social map.",
                organisation=name,
            )
        )
    else:
        lines.append(
            _(
                "Check whether the details are still right and save them, so that residents"
                " and buurtteams find what is really on offer."
            )
        )
    return Message(subject, "\n".join(lines), link)


def _digest(session: Session, note: Notification, today: date) -> Message:
    """Today's figures, computed when shown or sent. An older digest does not pretend that
    today's figures were its own: it points to the overview instead."""
    from maatjes.domain import overview

    day = date.fromisoformat(note.period) if note.kind == rhythm.LEAD_DIGEST else today
    if day != today:
        return Message(
            _("Money Maatjes: attention list of %(day)s", day=long_date(day)),
            _("This list is from %(day)s. The overview shows today's figures.", day=long_date(day)),
            "/lead/",
        )
    data = overview.build(session, today=today)
    lines = [
        _("Contact due this week: %(n)d", n=data.due_this_week.total),
        _("Missed last week: %(n)d", n=data.missed_last_week.total),
        _("Flagged for your attention: %(n)d", n=data.flagged.total),
        _("Open handovers: %(n)d", n=data.open_handovers.total),
        _("Residents waiting: %(n)d", n=data.waiting_total),
    ]
    from flask import current_app

    from maatjes.domain import meetings

    overdue = meetings.overdue_count(session, today)
    if overdue:
        lines.append(
            _(
                "Pact actions past their date: %(n)d (%(link)s)",
                n=overdue,
                link=current_app.config.get("PUBLIC_URL", "") + meetings.OVERDUE_LINK,
            )
        )
    return Message(_("Money Maatjes: today's attention list"), "\n".join(lines), "/lead/")


def unread_count(session: Session, user_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )
