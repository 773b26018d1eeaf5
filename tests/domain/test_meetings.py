"""Meetings: the seeds' 2021 (7 general meetings with 15 to 30 members present, a core group of
7 that met 14 times, the theme groups' meetings) computed from records; the rules of recording a
meeting; due actions."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from maatjes.domain import meetings
from maatjes.domain.errors import RuleViolation
from maatjes.extensions import db
from maatjes.models import Action, Meeting, Organisation, Person, PersonRole, Role, ThemeGroup
from maatjes.models.pact import meeting_attendance
from tests.builders import make_user

GENERAL_PRESENT = (15, 18, 20, 22, 25, 28, 30)
THEME_MEETINGS = {
    "Armoede": 5,
    "Eenzaamheid": 4,
    "Jongeren": 3,
    "Werk & Participatie": 3,
    "Huiselijk geweld": 3,
}


def build_year(year: int = 2021, *, scale: int = 1) -> dict:
    """The seeds' year: 30 member organisations (plus one that left before the year and a
    candidate), seven general meetings with 15 … 30 present, a core group of seven (one more
    left in the year, one ended on 31 December, one starts the year after) meeting 14 times,
    and the five theme groups' meetings; ``scale`` repeats the general meetings' rows of
    the year before (other years' records must not change the figures or the statements)."""
    s = db.session
    orgs = [
        Organisation(name=f"Org {year} {n:02d}", status="member", joined_on=date(2018, 1, 1))
        for n in range(30)
    ]
    s.add_all(orgs)
    s.add(
        Organisation(
            name=f"Left {year}", status="left", joined_on=date(2015, 1, 1), left_on=date(2019, 6, 1)
        )
    )
    s.add(Organisation(name=f"Candidate {year}", status="candidate"))
    groups = {}
    for name in THEME_MEETINGS:
        group = s.scalar(select(ThemeGroup).where(ThemeGroup.name == name))
        if group is None:
            group = ThemeGroup(name=name)
            s.add(group)
        groups[name] = group
    s.flush()
    for n, present in enumerate(GENERAL_PRESENT):
        meeting = Meeting(kind=Meeting.GENERAL, held_on=date(year, n + 2, 10))
        meeting.organisations = orgs[:present]
        s.add(meeting)
    for n in range(14):
        s.add(Meeting(kind=Meeting.CORE_GROUP, held_on=date(year, 1, 5) + timedelta(days=25 * n)))
    for name, count in THEME_MEETINGS.items():
        for n in range(count):
            s.add(
                Meeting(
                    kind=Meeting.THEME_GROUP,
                    theme_group=groups[name],
                    held_on=date(year, 2 + 2 * n, 15),
                )
            )
    for n in range(scale):  # the year before: not counted
        old = Meeting(kind=Meeting.GENERAL, held_on=date(year - 1, 3, 1) + timedelta(days=n))
        old.organisations = orgs[: 3 + n % 20]
        s.add(old)
        s.add(
            Meeting(
                kind=Meeting.THEME_GROUP,
                theme_group=groups["Armoede"],
                held_on=date(year - 1, 5, 1),
            )
        )
    roles = [(date(2019, 1, 1), None)] * 6 + [(date(year, 3, 1), date(year + 1, 2, 1))]
    roles += [(date(2019, 1, 1), date(year, 6, 30)), (date(2019, 1, 1), date(year, 12, 31))]
    roles += [(date(year + 1, 1, 10), None)]
    for n, (started, ended) in enumerate(roles):
        person = Person(name=f"Core {year} {n}", organisation=orgs[n])
        person.roles.append(
            PersonRole(role=PersonRole.CORE_GROUP, started_on=started, ended_on=ended)
        )
        s.add(person)
    s.flush()
    return {"orgs": [o.id for o in orgs], "groups": {k: g.id for k, g in groups.items()}}


def test_the_seeds_2021_figures_are_computed_from_the_records():
    build_year(2021)
    db.session.commit()
    figures = meetings.year_figures(db.session, 2021)
    general = figures.kinds[Meeting.GENERAL]
    assert (general.meetings, general.fewest, general.most) == (7, 15, 30)
    assert general.average == pytest.approx(sum(GENERAL_PRESENT) / 7)
    assert figures.core_group_size == 7
    assert figures.core_group_meetings == 14
    assert {name: n for _id, name, _active, n in figures.theme_groups} == THEME_MEETINGS
    assert figures.kinds[Meeting.THEME_GROUP].meetings == 18
    # The year before holds only what ``build_year`` put there as history.
    assert meetings.year_figures(db.session, 2020).kinds[Meeting.CORE_GROUP].meetings == 0


def _statements(call) -> int:
    seen = []

    def collect(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", collect)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", collect)
    return len(seen)


def test_the_year_figures_take_three_statements_whatever_the_size():
    build_year(2021, scale=1)
    db.session.commit()
    small = _statements(lambda: meetings.year_figures(db.session, 2021))
    build_year(2023, scale=40)
    build_year(2022, scale=5)
    db.session.commit()
    large = _statements(lambda: meetings.year_figures(db.session, 2021))
    assert small == large == 3


def test_a_theme_groups_meeting_names_its_group_and_only_it():
    group = ThemeGroup(name="Armoede")
    db.session.add(group)
    db.session.flush()
    with pytest.raises(RuleViolation) as refused:
        meetings.create_meeting(
            db.session, meetings.MeetingInput(Meeting.THEME_GROUP, date(2021, 3, 1))
        )
    assert refused.value.field == "theme_group"
    with pytest.raises(RuleViolation) as refused:
        meetings.create_meeting(
            db.session,
            meetings.MeetingInput(Meeting.GENERAL, date(2021, 3, 1), theme_group_id=group.id),
        )
    assert "Only a theme group's meeting" in str(refused.value.message)
    meeting = meetings.create_meeting(
        db.session,
        meetings.MeetingInput(Meeting.THEME_GROUP, date(2021, 3, 1), theme_group_id=group.id),
    )
    assert meeting.theme_group is group


def test_attendance_offers_the_organisations_in_the_pact_on_the_day():
    member = Organisation(name="Member", status="member", joined_on=date(2019, 1, 1))
    later = Organisation(name="Joined later", status="member", joined_on=date(2021, 6, 1))
    left = Organisation(
        name="Left", status="left", joined_on=date(2015, 1, 1), left_on=date(2020, 12, 31)
    )
    partner = Organisation(name="Partner", status="partner", kind="partner")
    candidate = Organisation(name="Candidate", status="candidate")
    meeting = Meeting(kind=Meeting.GENERAL, held_on=date(2021, 3, 1))
    db.session.add_all([member, later, left, partner, candidate, meeting])
    db.session.flush()
    offered, _people = meetings.attendance_choices(db.session, meeting)
    assert {name for _i, name, _k in offered} == {"Member", "Partner"}
    with pytest.raises(RuleViolation):
        meetings.set_attendance(db.session, meeting, {member.id, left.id}, set())
    # Recorded earlier (before the dates were corrected): still offered, so it can be unticked.
    db.session.execute(
        meeting_attendance.insert().values(meeting_id=meeting.id, organisation_id=later.id)
    )
    offered, _people = meetings.attendance_choices(db.session, meeting)
    assert "Joined later" in {name for _i, name, _k in offered}
    meetings.set_attendance(db.session, meeting, {member.id, partner.id}, set())
    db.session.flush()
    assert [o.name for o in meeting.organisations] == ["Member", "Partner"]


def test_due_actions_are_the_owners_open_ones_due_today_or_earlier():
    user = make_user(Role.VOLUNTEER)
    other = make_user(Role.VOLUNTEER)
    mine = Person(name="Mine", user=user)
    theirs = Person(name="Theirs", user=other)
    meeting = Meeting(kind=Meeting.CORE_GROUP, held_on=date(2022, 1, 10))
    db.session.add_all([mine, theirs, meeting])
    db.session.flush()
    today = date(2022, 3, 9)

    def action(text, owner, due, status=Action.OPEN):
        db.session.add(Action(meeting=meeting, text=text, owner=owner, due_on=due, status=status))

    action("late", mine, today - timedelta(days=10))
    action("today", mine, today)
    action("tomorrow", mine, today + timedelta(days=1))
    action("done", mine, today - timedelta(days=3), Action.DONE)
    action("not mine", theirs, today - timedelta(days=3))
    db.session.flush()
    assert [a.text for a in meetings.due_actions(db.session, user, today)] == ["late", "today"]
    assert meetings.overdue_count(db.session, today) == 2  # late, not mine (today is not past)
    with pytest.raises(RuleViolation):
        meetings.add_action(db.session, meeting, "x", mine.id, date(2022, 1, 1))  # before
    mine.active = False
    with pytest.raises(RuleViolation):
        meetings.add_action(db.session, meeting, "x", mine.id, today)
