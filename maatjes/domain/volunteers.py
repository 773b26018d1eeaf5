"""Registering volunteers."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from maatjes.domain import phones
from maatjes.domain.clock import check_past_date
from maatjes.domain.errors import DuplicateVolunteer, RuleViolation
from maatjes.domain.languages import LanguageChoice, ensure_languages
from maatjes.domain.residents import phone_digits
from maatjes.domain.sql import serialize
from maatjes.models import Area, Organisation, Role, User, Volunteer


@dataclass
class VolunteerInput:
    name: str
    organisation: Organisation
    phone: str
    email: str
    languages: list[LanguageChoice]
    areas: list[Area] = field(default_factory=list)
    availability: str = ""
    vog_date: date | None = None
    user: User | None = None
    active: bool = True


def reachable_volunteer() -> ColumnElement[bool]:
    """SQL condition: the volunteer's record and their login are both active. Only then do they
    get reminders and does their calendar feed answer; the leads still hear of their matches."""
    login = aliased(User)
    return and_(
        Volunteer.active.is_(True),
        exists().where(login.id == Volunteer.user_id, login.active.is_(True)),
    )


def find_duplicate(session: Session, data: VolunteerInput) -> Volunteer | None:
    """A volunteer with the same name and phone number, or with the same e-mail address (a form
    sent twice, or someone registered before by another lead). Callers ``serialize`` first."""
    email = data.email.strip().lower()
    same_name = session.scalars(
        select(Volunteer).where(func.lower(Volunteer.name) == data.name.strip().lower())
    )
    digits = phone_digits(data.phone)
    for candidate in same_name:
        if phone_digits(candidate.phone) == digits:
            return candidate
    if email:
        return session.scalar(
            select(Volunteer).where(func.lower(Volunteer.email) == email).limit(1)
        )
    return None


def _check_may_stop(session: Session, volunteer: Volunteer) -> None:
    """A volunteer who stops first hands on their residents: each active match is ended or
    transferred to another maatje by the lead."""
    from maatjes.models import Match, Resident

    names = session.scalars(
        select(Resident.first_name)
        .join(Match, Match.resident_id == Resident.id)
        .where(Match.volunteer_id == volunteer.id, Match.ended_on.is_(None))
        .order_by(Resident.first_name)
    ).all()
    if names:
        raise RuleViolation(
            _l(
                "%(name)s still supports %(residents)s. End or transfer each match first (on"
                " the volunteer's page), then mark them inactive.",
                name=volunteer.name,
                residents=", ".join(names),
            ),
            field="active",
        )


def save_volunteer(
    session: Session,
    volunteer: Volunteer | None,
    data: VolunteerInput,
    *,
    today: date,
    allow_duplicate: bool = False,
) -> Volunteer:
    """Register (``volunteer`` is None) or update a volunteer. A new registration that looks like
    an existing volunteer is refused with a warning unless ``allow_duplicate``."""
    data.phone = phones.normalise(data.phone)
    changed_organisation = volunteer is None or volunteer.organisation_id != data.organisation.id
    if changed_organisation and data.organisation.status not in ("member", "partner"):
        raise RuleViolation(
            _l(
                "Volunteers come from the pact's members and partners: %(name)s is not one now.",
                name=data.organisation.name,
            ),
            field="organisation",
        )
    if not data.languages:
        raise RuleViolation(_l("Give at least one language."), field="languages")
    if data.vog_date is not None:
        check_past_date(
            data.vog_date,
            today=today,
            field="vog_date",
            future_message=_l("The VOG date cannot be in the future."),
        )
    if data.user is not None:
        if data.user.role != Role.VOLUNTEER:
            raise RuleViolation(_l("Link an account with the volunteer role."), field="user")
        other = session.scalar(
            select(Volunteer).where(
                Volunteer.user_id == data.user.id,
                Volunteer.id != (volunteer.id if volunteer else -1),
            )
        )
        if other is not None:
            raise RuleViolation(
                _l("This account already belongs to %(name)s.", name=other.name), field="user"
            )
    if volunteer is None:
        serialize(session, "register volunteer")  # two registrations at once: one at a time
        existing = None if allow_duplicate else find_duplicate(session, data)
        if existing is not None:
            raise DuplicateVolunteer(
                _l(
                    "%(name)s is already registered with this phone number or e-mail address."
                    " Tick “register anyway” if this is someone else.",
                    name=existing.name,
                ),
                field="allow_duplicate",
            )
        volunteer = Volunteer()
        session.add(volunteer)
    if volunteer.id is not None and volunteer.active and not data.active:
        _check_may_stop(session, volunteer)
    volunteer.name = data.name.strip()
    volunteer.organisation = data.organisation
    volunteer.phone = data.phone
    volunteer.email = data.email.strip() or None
    volunteer.languages = ensure_languages(session, data.languages)
    volunteer.areas = list(data.areas)
    volunteer.availability = data.availability.strip()
    volunteer.vog_date = data.vog_date
    volunteer.user = data.user
    volunteer.active = data.active
    session.flush()
    return volunteer
