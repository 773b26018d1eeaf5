"""Registering volunteers."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import LanguageChoice, ensure_languages
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


def save_volunteer(
    session: Session, volunteer: Volunteer | None, data: VolunteerInput, *, today: date
) -> Volunteer:
    if not data.languages:
        raise RuleViolation(_l("Give at least one language."), field="languages")
    if data.vog_date and data.vog_date > today:
        raise RuleViolation(_l("The VOG date cannot be in the future."), field="vog_date")
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
        volunteer = Volunteer()
        session.add(volunteer)
    volunteer.name = data.name.strip()
    volunteer.organisation = data.organisation
    volunteer.phone = data.phone.strip()
    volunteer.email = data.email.strip() or None
    volunteer.languages = ensure_languages(session, data.languages)
    volunteer.areas = list(data.areas)
    volunteer.availability = data.availability.strip()
    volunteer.vog_date = data.vog_date
    volunteer.user = data.user
    volunteer.active = data.active
    session.flush()
    return volunteer
