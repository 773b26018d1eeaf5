"""Joint subsidy applications: a funder and scheme, a lead applicant (penvoerder), and the
participating organisations with what each requested and was granted.

Amounts are ``Decimal`` from the form to the database and back; sums are made in SQL. The
decision rules (``check_decision``) hold for every way in:

- pending: no granted amount yet;
- granted: the granted amount is the requested amount;
- partly: more than nothing and less than requested;
- rejected: nothing granted, and a reason.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, distinct, func, or_, select
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.domain.sql import unique_or_violation
from maatjes.models import Organisation, SubsidyApplication, SubsidyParticipant

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("10000000")  # amounts are below ten million euros
MAX_AMOUNT_TEXT = 30
EARLIEST_YEAR = 2000
YEARS_AHEAD = 5

AWARDED = (SubsidyParticipant.GRANTED, SubsidyParticipant.PARTLY)

# --- amounts --------------------------------------------------------------------------------

AMOUNT_HINT = _l(
    "In euros: 12500, 12500,50 or 12500.50; with thousands separators 12.500,50 or 12,500.50."
    " Not 12.500 or 12,500 alone: that could be twelve and a half."
)
_INVALID = _l("Give an amount in euros, for example 12500 or 12500,50.")
_TOO_MANY_DECIMALS = _l("An amount has at most two decimals (cents).")


def _grouped(text: str, separator: str) -> str | None:
    """``1.250.000`` → ``1250000`` when the separators group the digits by three, else None."""
    parts = text.split(separator)
    if not (1 <= len(parts[0]) <= 3) or any(len(p) != 3 for p in parts[1:]):
        return None
    return "".join(parts)


def parse_amount(text: str) -> Decimal:
    """An amount as people type it, read the same in Dutch and in English, or refused.

    Accepted: digits alone ("12500"); one point or comma with one or two decimals ("12500,5",
    "12500.50"); thousands separators grouping by three with the other mark for the decimals
    ("12.500,50", "12,500.50") or without decimals when repeated ("1.250.000"). Refused: a single
    separator followed by three digits ("12.500", "12,345"), which reads as thousands in one
    language and as decimals in the other; more than two decimals; negative amounts."""
    value = re.sub(r"[\s\u00a0\u202f]", "", text or "")
    if value.startswith("€"):
        value = value[1:]
    if value.startswith("-"):
        raise RuleViolation(_l("An amount cannot be negative."))
    if not value or len(value) > MAX_AMOUNT_TEXT or not re.fullmatch(r"\d[\d.,]*", value):
        raise RuleViolation(_INVALID)
    last = max(value.rfind("."), value.rfind(","))
    if last < 0:
        whole, cents = value, ""
    else:
        mark, head, tail = value[last], value[:last], value[last + 1 :]
        other = "," if mark == "." else "."
        if not tail:
            raise RuleViolation(_INVALID)
        if other in head:  # "12.500,50": thousands with one mark, decimals with the other
            whole, cents = _grouped(head, other), tail
            if whole is None or mark in head:
                raise RuleViolation(_l("The thousands separators are not in the right place."))
        elif mark in head:  # "1.250.000": the same mark twice can only group thousands
            whole, cents = _grouped(value, mark), ""
            if whole is None:
                raise RuleViolation(_l("The thousands separators are not in the right place."))
        elif len(tail) == 3 and (len(head) > 3 or head.startswith("0")):
            # "0,005" or "12345,678": no thousands separator can stand there, so these are
            # decimals, one too many.
            raise RuleViolation(_TOO_MANY_DECIMALS)
        elif len(tail) == 3:
            raise RuleViolation(
                _l(
                    "“%(text)s” could mean thousands or decimals. Write it without a thousands"
                    " separator (12500) or with two decimals (12,50).",
                    text=text.strip(),
                )
            )
        else:
            whole, cents = head, tail
    if len(cents) > 2:
        raise RuleViolation(_TOO_MANY_DECIMALS)
    amount = Decimal(f"{whole}.{cents or '0'}")
    check_amount(amount)
    return amount.quantize(CENT)


def check_amount(amount: Decimal | None, field: str | None = None) -> None:
    """The bounds of every amount: from nothing up to (not including) ten million euros, in
    whole cents."""
    if amount is None:
        return
    if not amount.is_finite() or amount < 0:
        raise RuleViolation(_l("An amount cannot be negative."), field)
    if amount >= MAX_AMOUNT:
        raise RuleViolation(_l("Give an amount below ten million euros."), field)
    if amount != amount.quantize(CENT):
        raise RuleViolation(_l("An amount has at most two decimals (cents)."), field)


def plain_amount(amount: Decimal | None, locale: str) -> str:
    """An amount as the form shows it to edit: "12500,50" in Dutch, "12500.50" in English
    (no thousands separator, so it reads back the same)."""
    if amount is None:
        return ""
    text = f"{amount.quantize(CENT):f}"
    return text.replace(".", ",") if locale == "nl" else text


# --- applications ---------------------------------------------------------------------------


@dataclass
class ApplicationInput:
    funder: str
    scheme: str
    year: int
    starts_on: date | None
    ends_on: date | None
    submitted_on: date | None
    lead_organisation: Organisation
    note: str = ""


class DuplicateApplication(RuleViolation):
    """An application with the same funder, scheme and year exists: ``existing_id``."""

    def __init__(self, message, field: str | None, existing_id: int) -> None:
        super().__init__(message, field)
        self.existing_id = existing_id


def _check_period(data: ApplicationInput) -> None:
    """The period, where given, lies around the year of the work: it ends no earlier than it
    starts and overlaps that year."""
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise RuleViolation(_l("The period cannot end before it starts."), "ends_on")
    if data.starts_on and data.starts_on > date(data.year, 12, 31):
        raise RuleViolation(
            _l("The period must include part of %(year)d: it starts after it.", year=data.year),
            "starts_on",
        )
    if data.ends_on and data.ends_on < date(data.year, 1, 1):
        raise RuleViolation(
            _l("The period must include part of %(year)d: it ends before it.", year=data.year),
            "ends_on",
        )


def _check_unique(
    session: Session, application: SubsidyApplication | None, funder: str, scheme: str, year: int
) -> None:
    """One application per funder, scheme and year (whatever the capitals)."""
    query = select(SubsidyApplication.id).where(
        func.lower(SubsidyApplication.funder) == funder.lower(),
        func.lower(SubsidyApplication.scheme) == scheme.lower(),
        SubsidyApplication.year == year,
    )
    if application is not None and application.id is not None:
        query = query.where(SubsidyApplication.id != application.id)
    existing = session.scalar(query.limit(1))
    if existing is not None:
        raise DuplicateApplication(
            _l(
                "An application to %(funder)s for %(scheme)s in %(year)d exists already.",
                funder=funder,
                scheme=scheme,
                year=year,
            ),
            "scheme",
            existing,
        )


def save_application(
    session: Session, application: SubsidyApplication | None, data: ApplicationInput
) -> SubsidyApplication:
    funder, scheme = data.funder.strip(), data.scheme.strip()
    if not funder:
        raise RuleViolation(_l("Name the funder."), "funder")
    if not scheme:
        raise RuleViolation(_l("Name the scheme."), "scheme")
    if not EARLIEST_YEAR <= data.year <= 9999:
        raise RuleViolation(_l("Give a year from 2000."), "year")
    _check_period(data)
    _check_unique(session, application, funder, scheme, data.year)
    if application is None:
        application = SubsidyApplication()
        session.add(application)
    application.funder = funder
    application.scheme = scheme
    application.year = data.year
    application.starts_on = data.starts_on
    application.ends_on = data.ends_on
    application.submitted_on = data.submitted_on
    application.lead_organisation = data.lead_organisation
    application.note = data.note.strip()
    session.flush()
    return application


def matching(query: str | None):
    """SQL: every word typed occurs in the application's funder, scheme or lead applicant's
    name, or in the name of one of its participating organisations (None: nothing typed)."""
    from maatjes.domain import search

    found = search.words(query)
    if not found:
        return None
    lead_name = (
        select(Organisation.name)
        .where(Organisation.id == SubsidyApplication.lead_organisation_id)
        .scalar_subquery()
    )
    text = func.lower(
        SubsidyApplication.funder
        + " "
        + SubsidyApplication.scheme
        + " "
        + func.coalesce(lead_name, "")
    )
    p = SubsidyParticipant
    conditions = []
    for word in found:
        participant = (
            select(p.id)
            .join(Organisation, Organisation.id == p.organisation_id)
            .where(
                p.application_id == SubsidyApplication.id,
                search.matches(func.lower(Organisation.name), word),
            )
            .exists()
        )
        conditions.append(or_(search.matches(text, word), participant))
    return and_(*conditions)


# --- participants ---------------------------------------------------------------------------


@dataclass
class ParticipantInput:
    organisation: Organisation
    requested: Decimal | None
    granted: Decimal | None
    decision: str = SubsidyParticipant.PENDING
    reason: str = ""


def check_decision(data: ParticipantInput) -> Decimal | None:
    """The decision rules; returns the granted amount to store."""
    check_amount(data.requested, "requested")
    check_amount(data.granted, "granted")
    decision, requested, granted = data.decision, data.requested, data.granted
    if decision not in SubsidyParticipant.DECISIONS:
        raise RuleViolation(_l("Choose a decision from the list."), "decision")
    if decision == SubsidyParticipant.PENDING:
        if granted is not None:
            raise RuleViolation(
                _l("While the decision is awaited nothing is granted: leave it empty."), "granted"
            )
        return None
    if decision == SubsidyParticipant.REJECTED:
        if granted:
            raise RuleViolation(
                _l("A rejected request has no granted amount: leave it empty or 0."), "granted"
            )
        if not data.reason.strip():
            raise RuleViolation(_l("Give the funder's reason for the rejection."), "reason")
        return None
    if requested is None:
        raise RuleViolation(_l("Give the requested amount first."), "requested")
    if decision == SubsidyParticipant.GRANTED:
        if granted is not None and granted != requested:
            raise RuleViolation(
                _l(
                    "Granted in full means the granted amount is the requested amount;"
                    " choose “partly granted” for less."
                ),
                "granted",
            )
        return requested
    # partly
    if granted is None or not 0 < granted < requested:
        raise RuleViolation(
            _l("Partly granted: give a granted amount above 0 and below the requested amount."),
            "granted",
        )
    return granted


def save_participant(
    session: Session,
    application: SubsidyApplication,
    participant: SubsidyParticipant | None,
    data: ParticipantInput,
) -> SubsidyParticipant:
    granted = check_decision(data)
    taken = _l("%(name)s takes part in this application already.", name=data.organisation.name)
    duplicate = select(SubsidyParticipant.id).where(
        SubsidyParticipant.application_id == application.id,
        SubsidyParticipant.organisation_id == data.organisation.id,
    )
    if participant is not None:
        duplicate = duplicate.where(SubsidyParticipant.id != participant.id)
    if session.scalar(duplicate) is not None:
        raise RuleViolation(taken, "organisation")
    with unique_or_violation(session, taken, "organisation"):
        if participant is None:
            participant = SubsidyParticipant(application_id=application.id)
            session.add(participant)
        participant.organisation_id = data.organisation.id
        participant.requested = data.requested
        participant.granted = granted
        participant.decision = data.decision
        participant.reason = data.reason.strip()
    return participant


def remove_participant(session: Session, participant: SubsidyParticipant) -> None:
    session.delete(participant)
    session.flush()


# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearTotals:
    year: int
    applications: int
    participants: int
    awarded: int  # granted in full or partly
    rejected: int
    requested: Decimal | None  # the sum of the known amounts; None when none is known
    granted: Decimal | None
    requested_unknown: int = 0  # participants whose amount is not known
    granted_unknown: int = 0


def as_amount(value) -> Decimal:
    """A SQL sum as Decimal in cents (SQLite sums NUMERIC as floating point)."""
    return Decimal(str(value or 0)).quantize(CENT)


def known_amount(value) -> Decimal | None:
    """A SQL sum of the known amounts as Decimal in cents; None when no amount was known (SQL's
    SUM of nothing but NULL), not € 0,00."""
    return None if value is None else as_amount(value)


def _granted_sum(p=SubsidyParticipant):
    """SQL: the sum of the granted amounts known; a rejection counts as nothing granted."""
    return func.sum(case((p.decision == p.REJECTED, 0), else_=p.granted))


def _unknown(p=SubsidyParticipant):
    """SQL counts of the participants whose requested, and whose granted, amount is unknown:
    no requested amount given; no decision yet (a rejection grants nothing, which is known)."""
    return (
        func.count(case((p.requested.is_(None), p.id))),
        func.count(case((and_(p.granted.is_(None), p.decision != p.REJECTED), p.id))),
    )


def totals_per_year(session: Session, years: list[int] | None = None) -> list[YearTotals]:
    """Per year, in one GROUP BY statement: applications, participating organisations (each
    counted once a year), those granted in full or partly, those rejected, and the sums
    requested and granted. Newest year first."""
    p = SubsidyParticipant
    awarded = case((p.decision.in_(AWARDED), p.organisation_id))
    rejected = case((p.decision == p.REJECTED, p.organisation_id))
    query = (
        select(
            SubsidyApplication.year,
            func.count(distinct(SubsidyApplication.id)),
            func.count(distinct(p.organisation_id)),
            func.count(distinct(awarded)),
            func.count(distinct(rejected)),
            func.sum(p.requested),
            _granted_sum(),
            *_unknown(),
        )
        .outerjoin(p, p.application_id == SubsidyApplication.id)
        .group_by(SubsidyApplication.year)
        .order_by(SubsidyApplication.year.desc())
    )
    if years is not None:
        query = query.where(SubsidyApplication.year.in_(years))
    return [
        YearTotals(year, apps, n, won, lost, known_amount(asked), known_amount(got), *unknown)
        for year, apps, n, won, lost, asked, got, *unknown in session.execute(query)
    ]


def participant_counts():
    """Per application: participants, granted (in full or partly), rejected, sums requested
    and granted; a subquery to join to a list of applications."""
    p = SubsidyParticipant
    return (
        select(
            p.application_id.label("application_id"),
            func.count(p.id).label("participants"),
            func.count(case((p.decision.in_(AWARDED), p.id))).label("awarded"),
            func.count(case((p.decision == p.REJECTED, p.id))).label("rejected"),
            func.sum(p.requested).label("requested"),
            _granted_sum().label("granted"),
            _unknown()[0].label("requested_unknown"),
            _unknown()[1].label("granted_unknown"),
        )
        .group_by(p.application_id)
        .subquery("participant_counts")
    )


@dataclass(frozen=True)
class ApplicationTotals:
    participants: int
    awarded: int
    rejected: int
    requested: Decimal | None
    granted: Decimal | None
    requested_unknown: int = 0
    granted_unknown: int = 0


def application_totals(session: Session, application_id: int) -> ApplicationTotals:
    p = SubsidyParticipant
    row = session.execute(
        select(
            func.count(p.id),
            func.count(case((p.decision.in_(AWARDED), p.id))),
            func.count(case((p.decision == p.REJECTED, p.id))),
            func.sum(p.requested),
            _granted_sum(),
            *_unknown(),
        ).where(p.application_id == application_id)
    ).one()
    return ApplicationTotals(
        row[0], row[1], row[2], known_amount(row[3]), known_amount(row[4]), row[5], row[6]
    )
