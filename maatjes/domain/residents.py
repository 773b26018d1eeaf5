"""Intake of residents. No consent, no record."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from maatjes.domain import consent, phones
from maatjes.domain.consent import check_consent
from maatjes.domain.errors import DuplicateResident, RuleViolation
from maatjes.domain.languages import LanguageChoice, ensure_languages
from maatjes.domain.sql import serialize
from maatjes.models import NEEDS, PROCESSING, SOURCES, Area, Resident, ResidentLanguage, Role, User


def phone_digits(phone: str) -> str:
    """ "+31 6-1234 5678" and "06 12345678" compare equal: the E.164 digits."""
    return phones.same_number_key(phone)


@dataclass
class ResidentInput:
    first_name: str
    last_name: str
    phone: str
    area: Area
    neighbourhood: str
    languages: list[LanguageChoice]
    needs: list[str] = field(default_factory=list)
    needs_other: str = ""
    source: str = "self"
    consent: bool = False
    consent_on: date | None = None


def _validate(data: ResidentInput, today: date) -> None:
    check_consent(
        data.consent,
        data.consent_on,
        today=today,
        refused=_l("Without the resident's consent nothing can be stored. Ask for consent first."),
    )
    data.phone = phones.normalise(data.phone)
    if not data.languages:
        raise RuleViolation(_l("Give at least one language."), field="languages")
    if set(data.needs) - set(NEEDS):
        raise RuleViolation(_l("Choose needs from the list."), field="needs")
    if "other" in data.needs and not data.needs_other.strip():
        raise RuleViolation(_l("Say what “other” is."), field="needs_other")
    if data.source not in SOURCES:
        raise RuleViolation(_l("Choose how the resident came in."), field="source")


def find_duplicate(
    session: Session,
    data: ResidentInput,
    exclude_id: int | None = None,
    *,
    by: User | None = None,
):
    """A resident with the same name and phone. Buurtteam staff and Linking Pins only hear of
    residents in their own area: the warning must not tell them who takes part elsewhere."""
    query = select(Resident).where(
        func.lower(Resident.first_name) == data.first_name.strip().lower(),
        func.lower(Resident.last_name) == data.last_name.strip().lower(),
        Resident.phone_digits == phone_digits(data.phone),
    )
    if exclude_id is not None:
        query = query.where(Resident.id != exclude_id)
    if by is not None and by.role in Role.AREA_BOUND:
        query = query.where(Resident.area_id == by.area_id)
    return session.scalar(query.limit(1))


def _apply(session: Session, resident: Resident, data: ResidentInput) -> None:
    resident.first_name = data.first_name.strip()
    resident.last_name = data.last_name.strip()
    resident.phone = data.phone.strip()
    resident.phone_digits = phone_digits(data.phone)
    resident.area = data.area
    resident.neighbourhood = data.neighbourhood.strip()
    resident.needs = list(dict.fromkeys(data.needs))
    resident.needs_other = data.needs_other.strip() if "other" in data.needs else ""
    resident.source = data.source
    languages = ensure_languages(session, data.languages)
    resident.language_links.clear()
    session.flush()
    for rank, language in enumerate(languages, start=1):
        resident.language_links.append(ResidentLanguage(language_code=language.code, rank=rank))


def register_resident(
    session: Session,
    data: ResidentInput,
    *,
    by: User,
    today: date,
    allow_duplicate: bool = False,
) -> Resident:
    _validate(data, today)
    serialize(session, "register resident")  # the duplicate check and the insert, one at a time
    if not allow_duplicate and find_duplicate(session, data, by=by):
        raise DuplicateResident(
            _l(
                "A resident with this name and phone number is already registered. Check the"
                " waiting list; tick “register anyway” if this is someone else."
            ),
            field="allow_duplicate",
        )
    resident = Resident(consent_on=data.consent_on, consent_recorded_by_id=by.id)
    session.add(resident)
    _apply(session, resident, data)
    session.flush()
    consent.record_consent(session, resident, PROCESSING, given_on=data.consent_on, by=by)
    return resident


def update_resident(
    session: Session, resident: Resident, data: ResidentInput, *, today: date
) -> None:
    data.consent, data.consent_on = True, resident.consent_on
    _validate(data, today)
    _apply(session, resident, data)
    session.flush()
