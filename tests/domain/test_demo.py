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


def test_the_demo_registry_names_people_as_people_and_dates_the_linking_pins_roles():
    from maatjes.models import Organisation, Person, PersonRole, Role, User

    load_demo(db.session, today=TODAY)
    db.session.commit()
    names = db.session.scalars(select(Person.name)).all()
    assert not [n for n in names if n.startswith("Contactpersoon") or n.endswith(")")]
    assert "Marcel Gravenberch" in names
    pins = db.session.scalars(
        select(PersonRole).where(PersonRole.role == PersonRole.LINKING_PIN)
    ).all()
    assert len(pins) == 3 and {p.started_on.year for p in pins} == {2021}
    # The demo's organisation contact login is Recogin's (renamed) contact person.
    contact = db.session.scalar(select(User).where(User.role == Role.ORGANISATION_CONTACT))
    recogin = db.session.scalar(select(Organisation).where(Organisation.name == "Recogin"))
    person = db.session.scalar(select(Person).where(Person.user_id == contact.id))
    assert person.organisation_id == recogin.id
    assert recogin.contact_person.name == contact.name == "Yvonne L."
