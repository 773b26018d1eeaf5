"""The organisations' rules: admission, charter, leaving, and the year-end counts."""

from datetime import date

import pytest
from sqlalchemy import event

from maatjes.domain import organisations as rules
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import LanguageChoice
from maatjes.extensions import db
from maatjes.models import Assessment, Organisation, Person, Role
from tests.builders import make_area, make_user

TODAY = date(2026, 3, 9)
ALL_MET = {c: (True, "") for c in Assessment.CRITERIA}


def _org(name, kind, joined_on=None, left_on=None):
    status = "candidate" if joined_on is None else ("left" if left_on else kind)
    org = Organisation(name=name, kind=kind, status=status, joined_on=joined_on, left_on=left_on)
    db.session.add(org)
    return org


def _seed_like():
    """The seeds: 27 members and 19 partners at the end of 2020; 34 and 30 at the end of 2021.
    With organisations that left, candidates and a refused one, which must not count."""
    for n in range(26):  # and M-left-2022 makes 27
        _org(f"M{n}", "member", date(2015 + n % 6, 1 + n % 12, 1))
    for n in range(8):  # 8 joined in 2021, one of them left again in 2021
        _org(f"M21-{n}", "member", date(2021, 1 + n, 15), date(2021, 11, 30) if n == 0 else None)
    _org("M-left-2020", "member", date(2018, 5, 1), date(2020, 12, 31))  # not at 31/12/2020
    _org("M-left-2022", "member", date(2019, 5, 1), date(2022, 1, 1))  # counts both ends
    for n in range(19):
        _org(f"P{n}", "partner", date(2016 + n % 5, 6, 1))
    for n in range(11):
        _org(f"P21-{n}", "partner", date(2021, 2 + n % 10, 1))
    _org("Candidate", "member")
    refused = _org("Refused", "member")
    refused.decision, refused.decided_on = "refused", date(2021, 5, 1)
    db.session.commit()


def test_the_seeds_year_end_counts():
    _seed_like()
    counts = {c.year: c for c in rules.counts_at_year_ends(db.session, [2020, 2021, 2022])}
    assert (counts[2020].members, counts[2020].partners) == (27, 19)
    assert (counts[2021].members, counts[2021].partners) == (34, 30)
    # 2021: 8 + 11 joined; one 2021 member left in 2021
    assert (counts[2021].joined, counts[2021].left) == (19, 1)
    assert (counts[2020].left, counts[2022].left) == (1, 1)
    assert counts[2022].members == 33  # M-left-2022 left on 1 January 2022


def test_years_to_count_run_from_the_first_joined_year_to_this_year():
    assert rules.years_to_count(db.session, TODAY) == [2026]
    _org("Old", "member", date(2019, 4, 1))
    db.session.commit()
    assert rules.years_to_count(db.session, TODAY) == list(range(2019, 2027))
    assert [c.year for c in rules.counts_at_year_ends(db.session, [])] == []


def test_the_counts_are_one_statement_whatever_the_size():
    def statements(n_orgs, years):
        for n in range(n_orgs):
            _org(f"S{n_orgs}-{n}", "member", date(2010 + n % 15, 1, 1))
        db.session.commit()
        seen = []

        def collect(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
                seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", collect)
        try:
            result = rules.counts_at_year_ends(db.session, years)
        finally:
            event.remove(db.engine, "before_cursor_execute", collect)
        assert len(result) == len(years)
        return len(seen)

    assert statements(2, [2020]) == statements(40, list(range(2000, 2027))) == 1


def _candidate(kind="member"):
    org = rules.create_organisation(
        db.session, "Kandidaat", kind, rules.Details(), rules.Entry(), today=TODAY
    )
    db.session.commit()
    return org


def test_a_member_is_admitted_only_when_all_six_criteria_are_met():
    admin = make_user(Role.ADMIN)
    org = _candidate()
    assert org.status == "candidate" and org.joined_on is None
    rules.assess(
        db.session, org, {"three_years_active": (True, "since 2012")}, by=admin, today=TODAY
    )
    with pytest.raises(RuleViolation) as refused:
        rules.decide(db.session, org, "admitted", TODAY, "", today=TODAY)
    message = str(refused.value.message)
    assert "not assessed yet" in message and "Has no profit motive" in message
    assert "Active for at least three years" not in message
    rules.assess(
        db.session, org, {**ALL_MET, "no_profit_motive": (False, "a B.V.")}, by=admin, today=TODAY
    )
    with pytest.raises(RuleViolation, match="not met: Has no profit motive"):
        rules.decide(db.session, org, "admitted", TODAY, "", today=TODAY)
    db.session.rollback()
    rules.assess(db.session, org, ALL_MET, by=admin, today=TODAY)
    rules.decide(db.session, org, "admitted", date(2026, 3, 1), "ALV", today=TODAY)
    db.session.commit()
    assert (org.status, org.joined_on, org.decision) == ("member", date(2026, 3, 1), "admitted")
    assert len(org.assessments) == 6
    with pytest.raises(RuleViolation, match="not a candidate"):
        rules.decide(db.session, org, "refused", TODAY, "", today=TODAY)


def test_an_unchanged_criterion_keeps_who_assessed_it_and_when():
    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    org = _candidate()
    rules.assess(db.session, org, ALL_MET, by=first, today=date(2026, 1, 5))
    changed = rules.assess(
        db.session,
        org,
        {**ALL_MET, "reliable_partner": (False, "complaints"), "wants_to_cooperate": (None, "")},
        by=second,
        today=TODAY,
    )
    db.session.commit()
    assert changed == 2
    found = {a.criterion: a for a in org.assessments}
    assert "wants_to_cooperate" not in found
    assert (found["reliable_partner"].met, found["reliable_partner"].assessed_by_id) == (
        False,
        second.id,
    )
    assert found["three_years_active"].assessed_on == date(2026, 1, 5)
    assert found["three_years_active"].assessed_by_id == first.id


def test_refusing_keeps_the_candidate_with_its_refusal():
    org = _candidate()
    rules.decide(db.session, org, "refused", date(2026, 2, 1), "Profit motive", today=TODAY)
    db.session.commit()
    assert (org.status, org.decision, org.decided_on, org.joined_on) == (
        "candidate",
        "refused",
        date(2026, 2, 1),
        None,
    )


def test_a_partner_is_admitted_after_the_introductory_talk_without_criteria():
    org = _candidate("partner")
    with pytest.raises(RuleViolation, match="introductory talk") as refused:
        rules.decide(db.session, org, "admitted", TODAY, " ", today=TODAY)
    assert refused.value.field == "decision_note"
    rules.decide(db.session, org, "admitted", TODAY, "Talk on 1 March", today=TODAY)
    assert (org.status, org.joined_on) == ("partner", TODAY)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(1999, 12, 31), "from 1 January 2000"),
        (date(2027, 3, 10), "at most a year"),
        (None, "Give a date"),
    ],
)
def test_decision_dates_are_checked(day, message):
    org = _candidate("partner")
    with pytest.raises(RuleViolation, match=message):
        rules.decide(db.session, org, "admitted", day, "talk", today=TODAY)


def test_a_partner_can_enter_directly_but_a_member_cannot():
    details = rules.Details(
        website="www.example.nl",
        phone="06 1234 5678",
        areas=[make_area("Bijlmer-Oost")],
        languages=[LanguageChoice("srn"), LanguageChoice("hns", "Sarnami Hindustani")],
    )
    partner = rules.create_organisation(
        db.session,
        "Buurtpartner",
        "partner",
        details,
        rules.Entry("partner", date(2025, 6, 1), "Talk with Ama"),
        today=TODAY,
    )
    assert (partner.status, partner.joined_on, partner.decision) == (
        "partner",
        date(2025, 6, 1),
        "admitted",
    )
    assert (partner.website, partner.phone) == ("https://www.example.nl", "+31612345678")
    assert sorted(lang.code for lang in partner.languages) == ["hns", "srn"]
    with pytest.raises(RuleViolation, match="Only a partner enters directly"):
        rules.create_organisation(
            db.session,
            "Lid",
            "member",
            rules.Details(),
            rules.Entry("partner", TODAY, "talk"),
            today=TODAY,
        )


def test_names_are_unique_whatever_the_case():
    _candidate()
    with pytest.raises(RuleViolation, match="in the registry already") as refused:
        rules.create_organisation(
            db.session, " kandidaat ", "member", rules.Details(), rules.Entry(), today=TODAY
        )
    assert refused.value.field == "name"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("", ""),
        ("profor.nl", "https://profor.nl"),
        ("HTTP://ProFor.nl/over-ons?x=1", "http://ProFor.nl/over-ons?x=1"),
        ("https://zuidoost.amsterdam:8443/a", "https://zuidoost.amsterdam:8443/a"),
    ],
)
def test_websites_are_stored_with_their_scheme(typed, stored):
    assert rules.normalise_website(typed) == stored


@pytest.mark.parametrize(
    "typed", ["javascript:alert(1)", "profor", "https://", "a b.nl", "ftp://x.nl", "http://x.nl:0"]
)
def test_websites_that_are_not_web_addresses_are_refused(typed):
    with pytest.raises(RuleViolation, match="web address"):
        rules.normalise_website(typed)


def test_the_charter_is_signed_once_by_an_admitted_member():
    admin = make_user(Role.ADMIN)
    org = _candidate()
    with pytest.raises(RuleViolation, match="Only an admitted member"):
        rules.sign_charter(db.session, org, TODAY, today=TODAY)
    rules.assess(db.session, org, ALL_MET, by=admin, today=TODAY)
    rules.decide(db.session, org, "admitted", date(2026, 3, 1), "", today=TODAY)
    with pytest.raises(RuleViolation, match="on or after the day of joining"):
        rules.sign_charter(db.session, org, date(2026, 2, 1), today=TODAY)
    rules.sign_charter(db.session, org, date(2026, 3, 2), today=TODAY)
    with pytest.raises(RuleViolation, match="signed already"):
        rules.sign_charter(db.session, org, date(2026, 3, 3), today=TODAY)


def test_leaving_keeps_the_record_and_ends_the_count():
    org = _org("Weg", "partner", date(2020, 1, 1))
    db.session.commit()
    with pytest.raises(RuleViolation, match="before it joined"):
        rules.leave(db.session, org, date(2019, 12, 31), today=TODAY)
    rules.leave(db.session, org, date(2024, 6, 30), today=TODAY)
    db.session.commit()
    assert (org.status, org.left_on) == ("left", date(2024, 6, 30))
    counts = {c.year: c.partners for c in rules.counts_at_year_ends(db.session, [2023, 2024])}
    assert counts == {2023: 1, 2024: 0}
    with pytest.raises(RuleViolation, match="Only a member or a partner"):
        rules.leave(db.session, org, date(2025, 1, 1), today=TODAY)
    with pytest.raises(RuleViolation, match="Only a member or a partner"):
        rules.leave(db.session, _candidate(), TODAY, today=TODAY)


def test_the_contact_person_is_one_of_its_own_people():
    org, other = _candidate(), _org("Ander", "member", date(2020, 1, 1))
    db.session.flush()
    stranger = Person(name="Kofi", organisation=other)
    own = Person(name="Ama", organisation=org)
    db.session.add_all([stranger, own])
    db.session.commit()
    with pytest.raises(RuleViolation, match="own people"):
        rules.update_organisation(db.session, org, rules.Details(contact_person=stranger))
    db.session.rollback()
    rules.update_organisation(db.session, org, rules.Details(contact_person=own))
    assert org.contact_person_id == own.id


def test_the_kind_changes_only_while_a_candidate():
    org = _org("Vast", "member", date(2020, 1, 1))
    db.session.commit()
    with pytest.raises(RuleViolation, match="only while the organisation is a candidate"):
        rules.update_organisation(db.session, org, rules.Details(), kind="partner")
