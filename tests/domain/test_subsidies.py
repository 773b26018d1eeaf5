"""Joint subsidy applications: amounts as typed, the decision rules, the totals per year (the
seeds: 2021 13 participants and 10 granted; 2022 16 and 14, SurAnt and MCTC rejected)."""

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import event, func, select

from maatjes.domain import subsidies
from maatjes.domain.errors import RuleViolation
from maatjes.domain.subsidies import ApplicationInput, ParticipantInput
from maatjes.extensions import db
from maatjes.formatting import money
from maatjes.models import SubsidyParticipant
from tests.builders import make_org

D = Decimal


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12500", D("12500.00")),
        ("12500.50", D("12500.50")),
        ("12500,50", D("12500.50")),
        ("12500,5", D("12500.50")),
        ("12.500,50", D("12500.50")),
        ("12,500.50", D("12500.50")),
        ("1.250.000", D("1250000.00")),
        ("€ 12 500,50", D("12500.50")),
        ("0", D("0.00")),
        ("9999999.99", D("9999999.99")),
    ],
)
def test_amounts_read_the_same_in_both_languages(text, amount):
    assert subsidies.parse_amount(text) == amount
    assert isinstance(subsidies.parse_amount(text), Decimal)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12,345", "could mean thousands or decimals"),
        ("12.500", "could mean thousands or decimals"),
        ("12.5001", "at most two decimals"),
        ("0,005", "at most two decimals"),
        ("0.125", "at most two decimals"),
        ("12345,678", "at most two decimals"),
        ("12,500,50", "thousands separators"),
        ("1.25,50", "thousands separators"),
        ("-5", "cannot be negative"),
        ("10000000", "below ten million"),
        ("1e5", "Give an amount in euros"),
        ("NaN", "Give an amount in euros"),
        ("12.", "Give an amount in euros"),
        ("9" * 40, "Give an amount in euros"),
    ],
)
def test_ambiguous_or_impossible_amounts_are_refused_with_a_reason(text, message):
    with pytest.raises(RuleViolation, match=message):
        subsidies.parse_amount(text)


def test_money_is_babels_currency_format_in_each_language(app):
    with app.test_request_context():
        with force_locale("nl"):
            assert money(D("12500")) == "€\xa012.500,00"
        with force_locale("en"):
            assert money(D("12500")) == "€12,500.00"
            assert money(None) == "—"


def _application(year: int = 2022):
    return subsidies.save_application(
        db.session,
        None,
        ApplicationInput(
            funder="Gemeente Amsterdam",
            scheme="Sociale Basis",
            year=year,
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
            submitted_on=date(year - 1, 10, 1),
            lead_organisation=make_org("Venzo"),
        ),
    )


def _add(application, name, decision, requested="10000", granted=None, reason=""):
    return subsidies.save_participant(
        db.session,
        application,
        None,
        ParticipantInput(
            organisation=make_org(name),
            requested=D(requested) if requested is not None else None,
            granted=D(granted) if granted is not None else None,
            decision=decision,
            reason=reason,
        ),
    )


def test_a_full_grant_is_the_requested_amount_filled_in_when_left_empty():
    application = _application()
    participant = _add(application, "ProFor", "granted")
    assert participant.granted == D("10000")
    with pytest.raises(RuleViolation, match="partly granted") as refused:
        _add(application, "Kwakoe", "granted", granted="9000")
    assert refused.value.field == "granted"


@pytest.mark.parametrize(
    ("decision", "requested", "granted", "reason", "field"),
    [
        ("partly", "10000", "10000", "", "granted"),
        ("partly", "10000", "0", "", "granted"),
        ("partly", "10000", None, "", "granted"),
        ("partly", None, "5000", "", "requested"),
        ("rejected", "10000", "5000", "Not in the scheme", "granted"),
        ("rejected", "10000", None, "  ", "reason"),
        ("pending", "10000", "0", "", "granted"),
        ("granted", None, None, "", "requested"),
        ("approved", "10000", None, "", "decision"),
    ],
)
def test_the_decision_rules(decision, requested, granted, reason, field):
    application = _application()
    with pytest.raises(RuleViolation) as refused:
        _add(application, "SurAnt", decision, requested, granted, reason)
    assert refused.value.field == field


def test_partly_rejected_and_pending_are_kept_as_given():
    application = _application()
    assert _add(application, "A", "partly", "10000", "2500.50").granted == D("2500.50")
    rejected = _add(application, "SurAnt", "rejected", "8000", "0", reason="Outside the scheme")
    assert rejected.granted is None and rejected.reason == "Outside the scheme"
    assert _add(application, "B", "pending", "4000").granted is None


def test_an_organisation_takes_part_once_per_application():
    application = _application()
    _add(application, "MCTC", "pending")
    with pytest.raises(RuleViolation, match="takes part in this application already") as refused:
        _add(application, "MCTC", "pending")
    assert refused.value.field == "organisation"


def test_the_period_ends_after_it_starts():
    with pytest.raises(RuleViolation) as refused:
        subsidies.save_application(
            db.session,
            None,
            ApplicationInput(
                "Fonds",
                "Regeling",
                2022,
                date(2022, 6, 1),
                date(2022, 1, 1),
                None,
                make_org("Venzo"),
            ),
        )
    assert refused.value.field == "ends_on"


def seed_the_annual_review():
    """The seeds: 2021 13 participants of which 10 granted; 2022 16 of which 14 granted, SurAnt
    and MCTC rejected. Venzo is the lead applicant."""
    first = _application(2021)
    for n in range(13):
        decision = "granted" if n < 10 else "rejected"
        reason = "Budget ran out" if decision == "rejected" else ""
        _add(first, f"Org {n}", decision, "10000", reason=reason)
    second = _application(2022)
    for n in range(14):
        decision = "partly" if n == 0 else "granted"
        _add(second, f"Org {n}", decision, "12500.50", "6000" if n == 0 else None)
    _add(second, "SurAnt", "rejected", "5000", reason="Not eligible")
    _add(second, "MCTC", "rejected", "5000", reason="Not eligible")
    db.session.commit()


def test_totals_per_year_from_the_seeds_in_one_statement():
    seed_the_annual_review()
    statements = []
    engine = db.engine

    def collect(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", collect)
    try:
        totals = subsidies.totals_per_year(db.session)
    finally:
        event.remove(engine, "before_cursor_execute", collect)
    assert len(statements) == 1 and "GROUP BY" in statements[0]
    by_year = {t.year: t for t in totals}
    assert [t.year for t in totals] == [2022, 2021]
    assert (by_year[2021].participants, by_year[2021].awarded, by_year[2021].rejected) == (
        13,
        10,
        3,
    )
    assert (by_year[2022].participants, by_year[2022].awarded, by_year[2022].rejected) == (
        16,
        14,
        2,
    )
    assert by_year[2021].requested == D("130000.00")
    assert by_year[2021].granted == D("100000.00")
    assert by_year[2022].requested == D("12500.50") * 14 + D("10000")
    assert by_year[2022].granted == D("12500.50") * 13 + D("6000")
    assert isinstance(by_year[2022].granted, Decimal)
    rejected = db.session.scalars(
        select(func.count(SubsidyParticipant.id)).where(SubsidyParticipant.reason != "")
    ).one()
    assert rejected == 5


def test_totals_of_one_application():
    application = _application()
    _add(application, "A", "granted", "1000.10")
    _add(application, "B", "partly", "1000", "0.01")
    _add(application, "C", "rejected", "300", reason="No")
    totals = subsidies.application_totals(db.session, application.id)
    assert (totals.participants, totals.awarded, totals.rejected) == (3, 2, 1)
    assert totals.requested == D("2300.10") and totals.granted == D("1000.11")
