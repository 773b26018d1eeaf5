from sqlalchemy import func, select

from maatjes.demo import load_demo
from maatjes.domain import matching, training
from maatjes.extensions import db
from maatjes.models import Base, Match, Volunteer
from tests.builders import TODAY


def _counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def test_demo_loads_the_whole_loop_and_a_second_load_adds_nothing():
    load_demo(db.session, today=TODAY)
    db.session.commit()
    first = _counts()
    assert first["volunteers"] == 8 and first["areas"] == 3
    assert first["matches"] >= 4 and first["contacts"] > 10 and first["handovers"] == 3
    load_demo(db.session, today=TODAY)
    db.session.commit()
    assert _counts() == first
    # the demo respects its own rules
    for volunteer in db.session.scalars(select(Volunteer)):
        active = db.session.scalar(
            select(func.count(Match.id)).where(
                Match.volunteer_id == volunteer.id, Match.ended_on.is_(None)
            )
        )
        assert active <= matching.MAX_ACTIVE_RESIDENTS
        if active:
            assert training.gate_status(db.session, volunteer.id).matchable


def test_the_demo_command_says_whether_it_added_anything(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["maatjes", "demo"])
    assert first.exit_code == 0 and "Demo data loaded." in first.output
    second = runner.invoke(args=["maatjes", "demo"])
    assert second.exit_code == 0
    assert "nothing was added" in second.output and "Demo data loaded." not in second.output
