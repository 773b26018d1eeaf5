"""The pact's organisations: registering them, the admission of a candidate (six criteria, then
a decision), the charter (handvest), leaving, and the membership counts at each year end.

``kind`` is what an organisation is or wants to become (member or partner); ``status`` where it
stands (candidate, member, partner, left). Membership at a day is computed from the dates: a
member at day D has kind member, ``joined_on <= D`` and no ``left_on`` or ``left_on > D``; a
partner likewise. A candidate (no ``joined_on``) never counts; an organisation that left keeps
its record and its history (volunteers, people and meetings keep pointing to it).
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from maatjes.domain import phones
from maatjes.domain.clock import EARLIEST_RECORD
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import LanguageChoice, ensure_languages
from maatjes.domain.sql import unique_or_violation
from maatjes.formatting import long_date
from maatjes.labels import LABELS
from maatjes.models import Area, Assessment, Organisation, Person, ThemeGroup, User

CANDIDATE = "candidate"
MEMBER = "member"
PARTNER = "partner"
LEFT = "left"
ADMITTED = "admitted"
REFUSED = "refused"
DECISIONS = (ADMITTED, REFUSED)
# How an organisation enters the registry: as a candidate (the admission follows), or, for a
# partner after the introductory talk (kennismakingsgesprek), directly as a partner.
ENTRY_CANDIDATE = "candidate"
ENTRY_PARTNER = "partner"
ENTRIES = (ENTRY_CANDIDATE, ENTRY_PARTNER)
# How far ahead an admission, charter or leaving date may lie.
AHEAD = timedelta(days=365)


@dataclass
class Details:
    """What an organisation contact keeps of its own organisation (and the admin too)."""

    description: str = ""
    address: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    areas: list[Area] = field(default_factory=list)
    themes: list[ThemeGroup] = field(default_factory=list)
    languages: list[LanguageChoice] = field(default_factory=list)
    contact_person: Person | None = None


@dataclass
class Entry:
    """How a new organisation enters: as a candidate, or directly as a partner on a day."""

    how: str = ENTRY_CANDIDATE
    joined_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class YearCount:
    year: int
    members: int  # at 31 December
    partners: int  # at 31 December
    joined: int  # during the year (members and partners)
    left: int  # during the year


# ---------------------------------------------------------------------------------------------
# Checks


def check_day(day: date | None, *, today: date, field: str) -> date:
    """A date of the admission, the charter or leaving: from 2000, at most a year ahead."""
    if day is None:
        raise RuleViolation(_l("Give a date."), field=field)
    if day < EARLIEST_RECORD:
        raise RuleViolation(_l("Give a date from 1 January 2000 onwards."), field=field)
    if day > today + AHEAD:
        raise RuleViolation(_l("Give a date at most a year from today."), field=field)
    return day


_HOST = re.compile(
    r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)+$"
)


def normalise_website(text: str | None) -> str:
    """A web address as people type it ("www.profor.nl", "https://profor.nl/over-ons"): stored
    with its scheme; only http and https (a link on the page must not run anything). Empty is
    fine."""
    value = (text or "").strip()
    if not value:
        return ""
    refused = RuleViolation(
        _l("Give a web address like www.example.nl or https://example.nl/page."), field="website"
    )
    if re.search(r"\s", value):
        raise refused
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest = "https", value
    if scheme.lower() not in ("http", "https"):
        raise refused
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host, _colon, port = host.partition(":")
    if port and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise refused
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise refused from None
    if not _HOST.match(ascii_host):
        raise refused
    website = f"{scheme.lower()}://{rest}"
    if len(website) > 300:
        raise RuleViolation(_l("The web address is too long."), field="website")
    return website


def _check_name(session: Session, name: str, organisation: Organisation | None) -> str:
    name = (name or "").strip()
    if not name:
        raise RuleViolation(_l("Give the organisation's name."), field="name")
    query = select(Organisation.name).where(func.lower(Organisation.name) == name.lower())
    if organisation is not None and organisation.id is not None:
        query = query.where(Organisation.id != organisation.id)
    existing = session.scalar(query.limit(1))
    if existing is not None:
        raise RuleViolation(_name_taken(existing), field="name")
    return name


def _name_taken(existing: str):
    return _l(
        "An organisation named %(name)s is in the registry already. Give another name, or open"
        " that organisation.",
        name=existing,
    )


def _apply_details(session: Session, organisation: Organisation, data: Details) -> None:
    organisation.description = data.description.strip()
    organisation.address = data.address.strip()
    organisation.website = normalise_website(data.website)
    organisation.email = data.email.strip()
    organisation.phone = phones.normalise_optional(data.phone)
    if data.contact_person is not None and (
        organisation.id is None or data.contact_person.organisation_id != organisation.id
    ):
        raise RuleViolation(
            _l("Choose the contact person among the organisation's own people."),
            field="contact_person",
        )
    organisation.contact_person = data.contact_person
    organisation.areas = list(dict.fromkeys(data.areas))
    organisation.themes = list(dict.fromkeys(data.themes))
    organisation.languages = ensure_languages(session, data.languages)


def _check_partner_note(note: str, field: str) -> None:
    if not note.strip():
        raise RuleViolation(
            _l("Say in the note when the introductory talk (kennismakingsgesprek) was held."),
            field=field,
        )


# ---------------------------------------------------------------------------------------------
# Registering and keeping the details


def create_organisation(
    session: Session, name: str, kind: str, details: Details, entry: Entry, *, today: date
) -> Organisation:
    """A new organisation: a candidate for admission, or (a partner after the introductory
    talk) directly a partner that joined on ``entry.joined_on``."""
    if kind not in Organisation.KINDS:
        raise RuleViolation(_l("Choose member or partner."), field="kind")
    if entry.how not in ENTRIES:
        raise RuleViolation(_l("Choose how the organisation enters."), field="entry")
    name = _check_name(session, name, None)
    organisation = Organisation(name=name, kind=kind, status=CANDIDATE)
    if entry.how == ENTRY_PARTNER:
        if kind != PARTNER:
            raise RuleViolation(
                _l("Only a partner enters directly; a member goes through the admission."),
                field="entry",
            )
        joined_on = check_day(entry.joined_on, today=today, field="joined_on")
        _check_partner_note(entry.note, "note")
        organisation.status = PARTNER
        organisation.joined_on = joined_on
        organisation.decision = ADMITTED
        organisation.decided_on = joined_on
        organisation.decision_note = entry.note.strip()
    else:
        if entry.joined_on is not None:
            raise RuleViolation(
                _l("A candidate has no joined date yet: it is the date of the admission."),
                field="joined_on",
            )
        # The note of registering stays with the candidate until the decision (which starts
        # from it: the admission's decision form shows it as the decision's note).
        organisation.decision_note = entry.note.strip()
    with unique_or_violation(session, _name_taken(name), "name"):
        session.add(organisation)
    _apply_details(session, organisation, details)
    session.flush()
    return organisation


def update_organisation(
    session: Session,
    organisation: Organisation,
    details: Details,
    *,
    name: str | None = None,
    kind: str | None = None,
) -> Organisation:
    """Change an organisation's details; ``name`` and ``kind`` only when given (pact support
    staff). The kind changes only while the organisation is a candidate: after the admission it
    is what the counts are made of."""
    if name is not None:
        organisation.name = _check_name(session, name, organisation)
    if kind is not None and kind != organisation.kind:
        if kind not in Organisation.KINDS:
            raise RuleViolation(_l("Choose member or partner."), field="kind")
        if organisation.status != CANDIDATE:
            raise RuleViolation(
                _l("The kind changes only while the organisation is a candidate."), field="kind"
            )
        organisation.kind = kind
    _apply_details(session, organisation, details)
    with unique_or_violation(session, _name_taken(organisation.name), "name"):
        session.flush()
    return organisation


# ---------------------------------------------------------------------------------------------
# Admission


def _check_candidate(organisation: Organisation) -> None:
    if organisation.status != CANDIDATE:
        raise RuleViolation(
            _l(
                "%(name)s is not a candidate (it is %(status)s): only a candidate's admission is"
                " assessed and decided on.",
                name=organisation.name,
                status=LABELS["organisation_status"].get(organisation.status, organisation.status),
            )
        )


def assess(
    session: Session,
    organisation: Organisation,
    results: dict[str, tuple[bool | None, str]],
    *,
    by: User,
    today: date,
) -> int:
    """Record the assessment of the criteria: ``criterion -> (met, note)``, ``met`` None for
    "not assessed yet". A criterion whose outcome or note changed is recorded by ``by`` on
    ``today``, replacing the older assessment; one set back to "not assessed" loses it.
    Returns the number of criteria changed."""
    _check_candidate(organisation)
    unknown = set(results) - set(Assessment.CRITERIA)
    if unknown:
        raise RuleViolation(_l("Unknown criterion: %(name)s.", name=", ".join(sorted(unknown))))
    existing = {a.criterion: a for a in organisation.assessments}
    changed = 0
    for criterion in Assessment.CRITERIA:
        if criterion not in results:
            continue
        met, note = results[criterion]
        note = (note or "").strip()
        if len(note) > 1000:
            raise RuleViolation(
                _l("A note has at most 1000 characters."), field=f"{criterion}_note"
            )
        old = existing.get(criterion)
        if met is None:
            if note:
                raise RuleViolation(
                    _l("Say whether the criterion is met before writing a note."),
                    field=f"{criterion}_note",
                )
            if old is not None:
                organisation.assessments.remove(old)
                session.delete(old)
                changed += 1
            continue
        if old is not None and old.met == met and old.note == note:
            continue
        if old is None:
            old = Assessment(criterion=criterion)
            organisation.assessments.append(old)
        old.met = met
        old.note = note
        old.assessed_on = today
        old.assessed_by = by
        changed += 1
    session.flush()
    return changed


def missing_criteria(organisation: Organisation) -> tuple[list[str], list[str]]:
    """(criteria not assessed yet, criteria not met), in the pact's order."""
    found = {a.criterion: a.met for a in organisation.assessments}
    unassessed = [c for c in Assessment.CRITERIA if c not in found]
    unmet = [c for c in Assessment.CRITERIA if found.get(c) is False]
    return unassessed, unmet


def decide(
    session: Session,
    organisation: Organisation,
    decision: str,
    decided_on: date | None,
    note: str,
    *,
    today: date,
) -> Organisation:
    """The decision on a candidate. Admitted: it becomes what its kind says, joined on the
    decision date. A member is admitted only when all six criteria are assessed and met; a
    partner after the introductory talk (said in the note). Refused: the record stays a
    candidate with the refusal, so its history shows it."""
    _check_candidate(organisation)
    if decision not in DECISIONS:
        raise RuleViolation(_l("Choose admitted or not admitted."), field="decision")
    decided_on = check_day(decided_on, today=today, field="decided_on")
    note = (note or "").strip()
    if decision == ADMITTED:
        if organisation.kind == MEMBER:
            unassessed, unmet = missing_criteria(organisation)
            if unassessed or unmet:
                names = LABELS["criterion"]
                parts = []
                if unassessed:
                    parts.append(
                        str(
                            _l(
                                "not assessed yet: %(criteria)s",
                                criteria="; ".join(str(names[c]) for c in unassessed),
                            )
                        )
                    )
                if unmet:
                    parts.append(
                        str(
                            _l(
                                "not met: %(criteria)s",
                                criteria="; ".join(str(names[c]) for c in unmet),
                            )
                        )
                    )
                raise RuleViolation(
                    _l(
                        "A member is admitted only when all six criteria are assessed and met."
                        " Still %(missing)s.",
                        missing=". ".join(parts),
                    ),
                    field="decision",
                )
        else:
            _check_partner_note(note, "decision_note")
        organisation.status = organisation.kind
        organisation.joined_on = decided_on
    elif not note:
        raise RuleViolation(
            _l("Say in the note why it is not admitted: the candidate's record keeps the reason."),
            field="decision_note",
        )
    organisation.decision = decision
    organisation.decided_on = decided_on
    organisation.decision_note = note
    session.flush()
    return organisation


def sign_charter(
    session: Session, organisation: Organisation, signed_on: date | None, *, today: date
) -> Organisation:
    """The charter (handvest) is signed by an admitted member, once."""
    if organisation.charter_signed_on is not None:
        raise RuleViolation(
            _l(
                "The charter was signed already, on %(day)s.",
                day=long_date(organisation.charter_signed_on),
            ),
            field="signed_on",
        )
    if organisation.status != MEMBER or organisation.kind != MEMBER:
        raise RuleViolation(_l("Only an admitted member signs the charter."), field="signed_on")
    signed_on = check_day(signed_on, today=today, field="signed_on")
    if organisation.joined_on is not None and signed_on < organisation.joined_on:
        raise RuleViolation(
            _l("The charter is signed on or after the day of joining."), field="signed_on"
        )
    organisation.charter_signed_on = signed_on
    session.flush()
    return organisation


def leave(
    session: Session, organisation: Organisation, left_on: date | None, *, today: date
) -> Organisation:
    """The organisation leaves the pact on ``left_on``: it keeps its record and history and no
    longer counts after that day."""
    if organisation.status not in (MEMBER, PARTNER) or organisation.joined_on is None:
        raise RuleViolation(_l("Only a member or a partner can leave the pact."), field="left_on")
    left_on = check_day(left_on, today=today, field="left_on")
    if left_on < organisation.joined_on:
        raise RuleViolation(
            _l(
                "It cannot leave before it joined (%(day)s).", day=long_date(organisation.joined_on)
            ),
            field="left_on",
        )
    organisation.left_on = left_on
    organisation.status = LEFT
    session.flush()
    return organisation


# ---------------------------------------------------------------------------------------------
# Counts


def years_to_count(session: Session, today: date) -> list[int]:
    """From the year the earliest organisation joined up to this year."""
    first = session.scalar(select(func.min(Organisation.joined_on)))
    start = max(first.year, EARLIEST_RECORD.year) if first else today.year
    return list(range(min(start, today.year), today.year + 1))


def counts_at_year_ends(session: Session, years: list[int]) -> list[YearCount]:
    """Members and partners at 31 December of each year, and how many joined and left during
    it: one statement whatever the number of years and organisations (the year ends as a
    UNION ALL of literals, joined to the organisations that had joined by then)."""
    years = sorted(set(years))
    if not years:
        return []
    ends = union_all(
        *(
            select(
                literal(year).label("year"),
                literal(date(year, 1, 1), Date()).label("starts"),
                literal(date(year, 12, 31), Date()).label("ends"),
            )
            for year in years
        )
    ).subquery("year_ends")
    o = Organisation
    still_in = or_(o.left_on.is_(None), o.left_on > ends.c.ends)

    def total(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (
        select(
            ends.c.year,
            total(and_(o.kind == MEMBER, still_in)),
            total(and_(o.kind == PARTNER, still_in)),
            total(o.joined_on >= ends.c.starts),
            total(and_(o.left_on >= ends.c.starts, o.left_on <= ends.c.ends)),
        )
        .select_from(ends)
        .outerjoin(o, and_(o.joined_on.is_not(None), o.joined_on <= ends.c.ends))
        .group_by(ends.c.year)
        .order_by(ends.c.year)
    )
    return [
        YearCount(int(year), int(members), int(partners), int(joined), int(left))
        for year, members, partners, joined, left in session.execute(query)
    ]


def changes_by_year(session: Session, years: list[int]) -> dict[int, dict[str, list]]:
    """Who joined and who left in each of ``years`` (one statement): year -> {"joined": [...],
    "left": [...]} of (id, name, kind)."""
    if not years:
        return {}
    first, last = date(min(years), 1, 1), date(max(years), 12, 31)
    rows = session.execute(
        select(
            Organisation.id,
            Organisation.name,
            Organisation.kind,
            Organisation.joined_on,
            Organisation.left_on,
        )
        .where(
            or_(
                Organisation.joined_on.between(first, last),
                Organisation.left_on.between(first, last),
            )
        )
        .order_by(Organisation.name)
    ).all()
    result: dict[int, dict[str, list]] = {y: {"joined": [], "left": []} for y in years}
    for row in rows:
        for key, day in (("joined", row.joined_on), ("left", row.left_on)):
            if day is not None and day.year in result:
                result[day.year][key].append((row.id, row.name, row.kind))
    return result
