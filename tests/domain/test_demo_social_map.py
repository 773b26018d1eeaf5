"""The social map in the demo: its activities, loaded once, true to what the browser test and
the gap table need."""

from sqlalchemy import func, select

from maatjes.demo import load_demo
from maatjes.demo_social_map import load_social_map, specs
from maatjes.domain import map_reminders, phones
from maatjes.extensions import db
from maatjes.models import (
    Activity,
    ActivitySchedule,
    ActivityTargetGroup,
    Area,
    Neighbourhood,
    Priority,
)
from maatjes.models.social_map import activity_languages
from tests.builders import TODAY


def _counts() -> dict[str, int]:
    tables = (Activity, ActivitySchedule, ActivityTargetGroup)
    counts = {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in tables
    }
    counts["activity_languages"] = db.session.scalar(
        select(func.count()).select_from(activity_languages)
    )
    return counts


def _activities() -> list[Activity]:
    return list(db.session.scalars(select(Activity).order_by(Activity.id)))


def test_the_demo_loads_the_activities_and_a_second_load_adds_nothing():
    load_demo(db.session, today=TODAY)
    db.session.commit()
    first = _counts()
    assert first["activities"] == len(specs(TODAY))
    assert 25 <= first["activities"] <= 40
    assert first["activity_schedules"] > first["activities"] // 2
    load_demo(db.session, today=TODAY)
    assert load_social_map(db.session, TODAY) == 0
    db.session.commit()
    assert _counts() == first


def test_the_activities_the_seeds_name_are_on_the_map_in_their_areas():
    load_demo(db.session, today=TODAY)
    by_name = {a.name: a for a in _activities()}
    assert {"Money Maatjes Bijlmer-Oost", "Kerstproject basisscholen"} <= set(by_name)
    assert {"Masterplan Zozoom-sessies", "Training meldcode huiselijk geweld"} <= set(by_name)
    assert by_name["Buurtwerkkamer Kraaiennest: open ochtend"].organisation.name == (
        "Buurtwerkkamers"
    )
    mijehof = by_name["Community Center Mijehof: jongerenavond"]
    assert (mijehof.area.name, mijehof.neighbourhood.name) == ("Gaasperdam/Driemond", "Holendrecht")
    twi = by_name["Twi-vrouwengroep Reigersbos"]
    assert twi.neighbourhood.name == "Reigersbos" and "tw" in [x.code for x in twi.languages]
    assert twi.target_groups == ["women"]
    # every area has activities; neighbourhoods and priorities belong to the activity's area
    activities = _activities()
    assert {a.area.name for a in activities if a.area} == {
        "Bijlmer-Oost",
        "Bijlmer-Centrum",
        "Gaasperdam/Driemond",
    }
    for activity in activities:
        if activity.neighbourhood is not None:
            assert activity.neighbourhood.area_id == activity.area_id
        if activity.priority is not None:
            assert activity.priority.area_id == activity.area_id
        if activity.phone:
            assert activity.phone.startswith("+31") and phones.parse(activity.phone)
        for schedule in activity.schedules:
            assert schedule.opens_at < schedule.closes_at
    assert {a.place for a in activities} == set(Activity.PLACES)
    assert {a.cost for a in activities} == set(Activity.COSTS)
    assert {a.access for a in activities} == set(Activity.ACCESS)
    codes = {language.code for a in activities for language in a.languages}
    assert {"nl", "en", "srn", "pap", "tw", "ar", "tr", "hns"} <= codes
    weekdays = {s.weekday for a in activities for s in a.schedules if s.weekly}
    assert len(weekdays) >= 6


def test_bijlmer_oost_has_a_tuesday_activity_in_sranantongo_with_a_phone():
    load_demo(db.session, today=TODAY)
    found = db.session.scalars(
        select(Activity)
        .join(Area, Area.id == Activity.area_id)
        .join(ActivitySchedule, ActivitySchedule.activity_id == Activity.id)
        .join(activity_languages, activity_languages.c.activity_id == Activity.id)
        .where(
            Area.name == "Bijlmer-Oost",
            ActivitySchedule.weekday == 1,
            activity_languages.c.language_code == "srn",
            Activity.phone != "",
            Activity.archived.is_(False),
        )
    ).all()
    assert found
    assert all(not map_reminders.is_stale(a, TODAY) for a in found)


def test_some_activities_are_stale_and_the_others_were_checked_recently():
    load_demo(db.session, today=TODAY)
    activities = _activities()
    stale = [a for a in activities if map_reminders.is_stale(a, TODAY)]
    assert 1 <= len(stale) < len(activities) // 4
    assert "Taalcafé Nederlands" in {a.name for a in stale}  # Recogin's contact has an account
    for activity in activities:
        assert activity.checked_on <= TODAY and activity.reminded_on is None


def test_some_areas_and_priorities_have_no_activity():
    load_demo(db.session, today=TODAY)
    cells = {
        (area, priority)
        for area, priority in db.session.execute(
            select(Area.name, Priority.name).join(Priority, Priority.area_id == Area.id)
        )
    }
    filled = {
        (area, priority)
        for area, priority in db.session.execute(
            select(Area.name, Priority.name)
            .select_from(Activity)
            .join(Area, Area.id == Activity.area_id)
            .join(Priority, Priority.id == Activity.priority_id)
            .where(Activity.archived.is_(False))
        )
    }
    empty = cells - filled
    assert ("Bijlmer-Oost", "Werkloosheid") in empty
    assert ("Gaasperdam/Driemond", "Werkloosheid") in empty
    assert len(filled) > len(empty)  # gaps, not an empty map
    # and the neighbourhoods named are the demo's own
    hoods = {
        name
        for (name,) in db.session.execute(
            select(Neighbourhood.name).join(Activity, Activity.neighbourhood_id == Neighbourhood.id)
        )
    }
    assert {"K-buurt", "Holendrecht", "Reigersbos", "G-buurt"} <= hoods
