"""The social map's search and descriptions: each filter narrows, bad values are ignored,
archived activities and organisations that left are never found."""

from datetime import date, time
from decimal import Decimal

from sqlalchemy import select

from maatjes.domain import social_map as rules
from maatjes.extensions import db
from maatjes.models import Language, Neighbourhood, ThemeGroup
from maatjes.models.social_map import Activity, ActivitySchedule, ActivityTargetGroup
from tests.builders import make_area, make_org

TODAY = date(2026, 12, 4)


def neighbourhood(area_name: str, name: str) -> Neighbourhood:
    area = make_area(area_name)
    found = db.session.scalar(
        select(Neighbourhood).where(Neighbourhood.area_id == area.id, Neighbourhood.name == name)
    )
    if found is None:
        found = Neighbourhood(area=area, name=name)
        db.session.add(found)
        db.session.flush()
    return found


def language(code: str) -> Language:
    found = db.session.get(Language, code)
    if found is None:
        found = Language(code=code)
        db.session.add(found)
        db.session.flush()
    return found


def theme(name: str) -> ThemeGroup:
    found = db.session.scalar(select(ThemeGroup).where(ThemeGroup.name == name))
    if found is None:
        found = ThemeGroup(name=name)
        db.session.add(found)
        db.session.flush()
    return found


def make_activity(
    name: str,
    *,
    organisation: str = "Buurtwerkkamer Zuidoost",
    area: str | None = "Bijlmer-Oost",
    place: str | None = "Ganzenhoef",
    weekday: int | None = 1,
    languages=("srn",),
    cost: str = Activity.FREE,
    targets=(),
    theme_name: str | None = "Armoede",
    checked_on: date = date(2026, 6, 1),
    **fields,
) -> Activity:
    where = neighbourhood(area, place) if area and place else None
    activity = Activity(
        organisation=make_org(organisation),
        name=name,
        area=where.area if where else (make_area(area) if area else None),
        neighbourhood=where,
        cost=cost,
        checked_on=checked_on,
        theme_group=theme(theme_name) if theme_name else None,
        languages=[language(code) for code in languages],
        target_group_rows=[ActivityTargetGroup(code=code) for code in targets],
        **fields,
    )
    if weekday is not None:
        activity.schedules.append(
            ActivitySchedule(weekday=weekday, opens_at=time(10), closes_at=time(12))
        )
    db.session.add(activity)
    db.session.flush()
    return activity


def names(**args) -> list[str]:
    filters = rules.MapFilters.parse({k: str(v) for k, v in args.items()})
    return [a.name for a in db.session.scalars(rules.search(db.session, filters))]


def test_each_filter_narrows_to_the_one_that_fits():
    make_activity("Koffie-ochtend", description="Koffie en een praatje")
    make_activity("Other area", area="Holendrecht/Reigersbos", place="Reigersbos")
    make_activity("Other neighbourhood", place="Kraaiennest")
    make_activity("Thursday", weekday=3)
    make_activity("In Twi", languages=("tw",))
    make_activity("Paid", cost=Activity.PAID, cost_amount=Decimal("5"))
    make_activity("For men", targets=("men",))
    make_activity("Other theme", theme_name="Jongeren")
    bijlmer = make_area("Bijlmer-Oost")
    ganzenhoef = neighbourhood("Bijlmer-Oost", "Ganzenhoef")
    armoede = theme("Armoede")
    everything = names()
    assert len(everything) == 8
    assert "Other area" not in names(area=bijlmer.id)
    assert names(neighbourhood=ganzenhoef.id, area=bijlmer.id).count("Other neighbourhood") == 0
    assert "Thursday" not in names(day=1) and names(day=3) == ["Thursday"]
    assert names(language="tw") == ["In Twi"] and "In Twi" not in names(language="srn")
    assert names(cost="paid") == ["Paid"]
    assert "Paid" not in names(cost="free")
    assert "Other theme" not in names(theme=armoede.id)
    # No target group: for everyone, so found under "women"; "For men" is not.
    women = names(target="women")
    assert "For men" not in women and "Koffie-ochtend" in women
    assert "For men" in names(target="men")
    # All together: only the one that fits every filter.
    assert names(
        area=bijlmer.id,
        neighbourhood=ganzenhoef.id,
        day=1,
        language="srn",
        cost="free",
        target="women",
        theme=armoede.id,
        q="koffie",
    ) == ["Koffie-ochtend"]


def test_words_search_name_description_organisation_and_place():
    make_activity("Naaiatelier", description="Samen kleding maken", address="Bijlmerdreef 101")
    make_activity("Taalcafé", organisation="Stichting Ïsmaël")
    assert names(q="KLEDING") == ["Naaiatelier"]
    assert names(q="bijlmerdreef naai") == ["Naaiatelier"]
    assert names(q="taalcafé") == ["Taalcafé"]
    assert names(q="stichting") == ["Taalcafé"]
    assert names(q="ganzenhoef") == ["Naaiatelier", "Taalcafé"]
    assert names(q="100%_") == []


def test_online_activities_without_an_area_are_found_in_every_area():
    activity = make_activity("Online spreekuur", area=None, place=None)
    activity.place = Activity.ONLINE
    make_activity("Elders", area="Holendrecht/Reigersbos", place="Reigersbos")
    db.session.flush()
    assert names(area=make_area("Bijlmer-Oost").id) == ["Online spreekuur"]


def test_bad_values_are_ignored():
    filters = rules.MapFilters.parse(
        {
            "q": "x" * 5000,
            "area": "2147483648",
            "neighbourhood": "-1",
            "theme": "١",
            "language": "<script>",
            "day": "7",
            "cost": "cheap",
            "target": "aliens",
        }
    )
    assert filters.area is None and filters.neighbourhood is None and filters.theme is None
    assert filters.language == "" and filters.weekday is None
    assert filters.cost == "" and filters.target == ""
    assert len(filters.q) == rules.MAX_QUERY
    # Ids that name nothing are dropped, and a neighbourhood outside the chosen area.
    make_activity("A")
    other = neighbourhood("Holendrecht/Reigersbos", "Reigersbos")
    choices = rules.filter_choices(db.session)
    parsed = rules.MapFilters.parse(
        {"area": str(make_area("Bijlmer-Oost").id), "neighbourhood": str(other.id), "theme": "999"}
    ).within(choices)
    assert parsed.area is not None and parsed.neighbourhood is None and parsed.theme is None


def test_archived_activities_and_organisations_that_left_are_not_found():
    make_activity("Visible")
    make_activity("Archived", archived=True)
    gone = make_activity("Of a leaver", organisation="Gone")
    gone.organisation.status = "left"
    db.session.flush()
    assert names() == ["Visible"]
    assert rules.public_activity(db.session, gone.id) is None
    assert rules.filter_choices(db.session).languages == ["srn"]


def test_the_choices_hold_areas_neighbourhoods_themes_and_languages_on_offer():
    make_activity("A", languages=("srn", "nl"))
    make_activity("B", area="Holendrecht/Reigersbos", place="Reigersbos", languages=("tw",))
    choices = rules.filter_choices(db.session)
    assert [name for _i, name in choices.areas] == ["Bijlmer-Oost", "Holendrecht/Reigersbos"]
    assert [(a, [n for _i, n in rows]) for _id, a, rows in choices.neighbourhoods] == [
        ("Bijlmer-Oost", ["Ganzenhoef"]),
        ("Holendrecht/Reigersbos", ["Reigersbos"]),
    ]
    assert [name for _i, name in choices.themes] == ["Armoede"]
    assert choices.languages == ["nl", "srn", "tw"]


def test_stale_after_twelve_months():
    fresh = make_activity("Fresh", checked_on=date(2025, 12, 4))
    old = make_activity("Old", checked_on=date(2025, 12, 3))
    assert not rules.is_stale(fresh, TODAY)
    assert rules.is_stale(old, TODAY)


def test_schedules_are_described_in_words():
    weekly = ActivitySchedule(weekday=1, opens_at=time(10), closes_at=time(12))
    once = ActivitySchedule(on_date=date(2026, 12, 12), opens_at=time(19), closes_at=time(21))
    assert rules.describe_schedule(weekly) == "every Tuesday 10:00–12:00"
    assert rules.describe_schedule(once) == "on 12 December 2026 19:00–21:00"
    assert rules.describe_schedule(ActivitySchedule(weekday=6)) == "every Sunday"
    assert (
        rules.describe_schedule(ActivitySchedule(on_date=date(2027, 1, 2), opens_at=time(9)))
        == "on 2 January 2027 from 09:00"
    )
    from flask_babel import force_locale

    with force_locale("nl"):
        assert rules.describe_schedule(weekly).endswith("dinsdag 10:00–12:00")


def test_past_one_off_dates_are_left_out():
    activity = make_activity("Kerstproject", weekday=None)
    activity.schedules.append(ActivitySchedule(on_date=date(2025, 12, 20)))
    activity.schedules.append(ActivitySchedule(on_date=date(2026, 12, 19)))
    db.session.flush()
    assert rules.when(activity, TODAY) == ["on 19 December 2026"]


def test_map_link_and_safe_website():
    activity = make_activity(
        "A", address="Bijlmerdreef 101", postal_code="1102 BS", website="javascript:alert(1)"
    )
    assert rules.map_url(activity) == (
        "https://www.openstreetmap.org/search?query=Bijlmerdreef+101%2C+1102+BS%2C+Amsterdam"
    )
    assert rules.web_url("javascript:alert(1)") == ""
    assert rules.web_url("www.example.org") == "https://www.example.org"
    assert rules.web_url("http://example.org/x") == "http://example.org/x"
    activity.organisation.website = "https://buurtwerkkamer.nl"
    assert rules.contact(activity).website == "https://buurtwerkkamer.nl"
    activity.place = Activity.ONLINE
    assert rules.map_url(activity) == ""
