"""The social map's activities in the domain: saving (every rule), who keeps which, staleness,
and the gaps table."""

from datetime import date, time
from decimal import Decimal

import pytest
from sqlalchemy import select

from maatjes.domain import activities as rules
from maatjes.domain.errors import RuleViolation
from maatjes.domain.languages import LanguageChoice
from maatjes.extensions import db
from maatjes.models import Activity, Neighbourhood, Organisation, Priority, Role, ThemeGroup
from tests.builders import make_area, make_org, make_organisation_contact, make_user

TODAY = date(2026, 3, 10)


@pytest.fixture
def place():
    oost, centrum = make_area("Bijlmer-Oost"), make_area("Bijlmer-Centrum")
    holendrecht = Neighbourhood(area=oost, name="Holendrecht")
    kbuurt = Neighbourhood(area=centrum, name="K-buurt")
    priority = Priority(area=oost, name="Money")
    db.session.add_all([holendrecht, kbuurt, priority])
    db.session.flush()
    return {
        "oost": oost,
        "centrum": centrum,
        "holendrecht": holendrecht,
        "kbuurt": kbuurt,
        "priority": priority,
    }


def data(org, **kw) -> rules.ActivityInput:
    values = {"organisation": org, "name": "Koffie-ochtend", "address": "Kantershof 1"}
    values.update(kw)
    return rules.ActivityInput(**values)


def test_saving_sets_the_area_from_the_neighbourhood_and_the_priority(place):
    admin, org = make_user(Role.ADMIN), make_org()
    activity = rules.save_activity(
        db.session, None, data(org, neighbourhood=place["kbuurt"]), by=admin, today=TODAY
    )
    assert activity.area == place["centrum"] and activity.checked_on == TODAY
    other = rules.save_activity(
        db.session, None, data(org, priority=place["priority"]), by=admin, today=TODAY
    )
    assert other.area == place["oost"]
    with pytest.raises(RuleViolation, match="is a priority of another area"):
        rules.save_activity(
            db.session,
            None,
            data(org, area=place["centrum"], priority=place["priority"]),
            by=admin,
            today=TODAY,
        )
    with pytest.raises(RuleViolation, match="is not in Bijlmer-Oost"):
        rules.save_activity(
            db.session,
            None,
            data(org, area=place["oost"], neighbourhood=place["kbuurt"]),
            by=admin,
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 161}, "name"),
        ({"target_groups": ["aliens"]}, "target_groups"),
        ({"minimum_age": -1}, "minimum_age"),
        ({"maximum_age": 121}, "maximum_age"),
        ({"minimum_age": 30, "maximum_age": 20}, "maximum_age"),
        ({"place": "moon"}, "place"),
        ({"address": ""}, "address"),
        ({"cost": "paid"}, "cost_amount"),
        ({"cost": "paid", "cost_amount": Decimal("100000")}, "cost_amount"),
        ({"cost": "paid", "cost_amount": Decimal("-1")}, "cost_amount"),
        ({"cost": "expensive"}, "cost"),
        ({"access": "x"}, "access"),
        ({"phone": "123"}, "phone"),
        ({"email": "a@b"}, "email"),
        ({"website": "ftp://x.nl"}, "website"),
        ({"postal_code": "11O4 AB"}, "postal_code"),
        ({"schedules": [rules.ScheduleInput(weekday=7)]}, "schedules"),
        ({"schedules": [rules.ScheduleInput(weekday=1, on_date=TODAY)]}, "schedules"),
        (
            {"schedules": [rules.ScheduleInput(weekday=1, opens_at=time(12), closes_at=time(12))]},
            "schedules",
        ),
        ({"schedules": [rules.ScheduleInput(on_date=date(2025, 3, 1))]}, "schedules"),
        ({"schedules": [rules.ScheduleInput(on_date=date(2028, 3, 12))]}, "schedules"),
        (
            {
                "schedules": [
                    rules.ScheduleInput(weekday=i % 7, opens_at=time(i)) for i in range(15)
                ]
            },
            "schedules",
        ),
        ({"organisation": None}, "organisation"),
    ],
)
def test_every_field_is_checked(place, changes, field):
    admin = make_user(Role.ADMIN)
    with pytest.raises(RuleViolation) as refused:
        rules.save_activity(db.session, None, data(make_org(), **changes), by=admin, today=TODAY)
    assert refused.value.field == field


def test_an_edit_replaces_target_groups_schedules_and_languages(place):
    admin, org = make_user(Role.ADMIN), make_org()
    activity = rules.save_activity(
        db.session,
        None,
        data(
            org,
            target_groups=["women", "children"],
            languages=[LanguageChoice("nl"), LanguageChoice("srn")],
            schedules=[
                rules.ScheduleInput(weekday=1, opens_at=time(10), closes_at=time(12)),
                rules.ScheduleInput(weekday=1, opens_at=time(10), closes_at=time(12)),  # twice
                rules.ScheduleInput(),  # an empty row
                rules.ScheduleInput(on_date=date(2026, 5, 1)),
            ],
            cost="paid",
            cost_amount=Decimal("2.5"),
        ),
        by=admin,
        today=TODAY,
    )
    assert activity.target_groups == ["children", "women"]
    assert len(activity.schedules) == 2 and activity.cost_amount == Decimal("2.50")
    activity.reminded_on = TODAY
    db.session.flush()
    rules.save_activity(
        db.session,
        activity,
        data(
            org,
            target_groups=["women", "men"],
            languages=[LanguageChoice("tw")],
            schedules=[rules.ScheduleInput(weekday=3)],
            cost="free",
            cost_amount=Decimal("2.5"),
        ),
        by=admin,
        today=date(2026, 4, 1),
    )
    db.session.expire_all()
    activity = db.session.get(Activity, activity.id)
    assert activity.target_groups == ["women", "men"]
    assert [s.weekday for s in activity.schedules] == [3]
    assert [lang.code for lang in activity.languages] == ["tw"]
    assert activity.cost_amount is None and activity.reminded_on is None
    assert activity.checked_on == date(2026, 4, 1)


def test_who_keeps_which_activities(place):
    own, other = make_org("Venzo"), make_org("ProFor")
    gone = Organisation(name="Gone", status="left")
    db.session.add(gone)
    db.session.flush()
    admin = make_user(Role.ADMIN)
    mine = rules.save_activity(db.session, None, data(own), by=admin, today=TODAY)
    theirs = rules.save_activity(db.session, None, data(other), by=admin, today=TODAY)
    old = Activity(organisation=gone, name="Old", checked_on=TODAY)
    db.session.add(old)
    db.session.flush()
    contact = make_organisation_contact(own)
    left_contact = make_organisation_contact(gone)

    def visible(user):
        return set(db.session.scalars(rules.activities_query(db.session, user)))

    for role in Role.STAFF:
        user = make_user(role)
        assert visible(user) == {mine, theirs, old}
        assert rules.may_edit_activity(db.session, user, theirs)
    assert visible(contact) == {mine}
    assert rules.may_edit_activity(db.session, contact, mine)
    assert not rules.may_edit_activity(db.session, contact, theirs)
    assert visible(left_contact) == set()
    assert not rules.may_keep_activities(db.session, left_contact)
    for role in (Role.VOLUNTEER, Role.BUURTTEAM, Role.LINKING_PIN):
        user = make_user(role, area=place["oost"])
        assert visible(user) == set() and not rules.may_keep_activities(db.session, user)
    # A contact cannot add an activity for another organisation.
    with pytest.raises(RuleViolation) as refused:
        rules.save_activity(db.session, None, data(other), by=contact, today=TODAY)
    assert refused.value.field == "organisation"
    # Staff add none for an organisation that left.
    with pytest.raises(RuleViolation):
        rules.save_activity(db.session, None, data(gone), by=admin, today=TODAY)


def test_stale_means_not_checked_for_twelve_months():
    assert rules.stale_before(date(2026, 3, 10)) == date(2025, 3, 10)
    assert rules.stale_before(date(2024, 2, 29)) == date(2023, 2, 28)
    assert rules.stale_before(date(2026, 1, 5)) == date(2025, 1, 5)
    activity = Activity(checked_on=date(2025, 3, 9))
    assert rules.is_stale(activity, date(2026, 3, 10))
    rules.mark_checked(activity, date(2026, 3, 10))
    assert not rules.is_stale(activity, date(2026, 3, 10)) and activity.reminded_on is None


def test_archive_and_restore():
    activity = Activity(archived=False)
    rules.archive(activity)
    assert activity.archived
    rules.restore(activity)
    assert not activity.archived


def test_gaps_counts_cells_without_a_loop_per_cell(place):
    org = make_org()
    theme = ThemeGroup(name="Armoede")
    db.session.add(theme)
    db.session.flush()
    for kw in (
        {"area": place["oost"], "priority": place["priority"], "theme_group": theme},
        {"area": place["oost"], "theme_group": theme},
        {"place": "online"},
        {"area": place["oost"], "priority": place["priority"], "archived": True},
    ):
        db.session.add(Activity(organisation=org, name="x", checked_on=TODAY, **kw))
    db.session.flush()
    found = rules.gaps(db.session)
    assert found.total == 3 and found.no_area == 1
    oost = next(block for block in found.by_priority if block.area == "Bijlmer-Oost")
    assert oost.priorities == [(place["priority"].id, "Money", 1)]
    assert oost.without_priority == 1
    centrum = next(block for block in found.by_priority if block.area == "Bijlmer-Centrum")
    assert centrum.priorities == [] and centrum.without_priority == 0
    assert found.by_theme == {(theme.id, place["oost"].id): 2}
    assert found.theme_groups == [(theme.id, "Armoede")]
    assert db.session.scalar(select(Activity.id).where(Activity.archived.is_(True)))
