"""The pact's one training catalogue in the browser: the list with providers, filters and the
year's central-training target; new, edit and archive; sessions with a location, invited
organisations and the people who attended; a volunteer's own trainings; the year overview."""

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from maatjes.domain.clock import local_today
from maatjes.domain.training import record_attendance
from maatjes.extensions import db
from maatjes.models import (
    Person,
    Role,
    Training,
    TrainingAttendance,
    TrainingSession,
)
from maatjes.models.volunteer import training_invitations, training_people
from tests.builders import (
    client_as,
    make_area,
    make_org,
    make_user,
    make_volunteer,
    statements_of_get,
)

ROLES = (
    "anonymous",
    "admin",
    "lead",
    "volunteer",
    "buurtteam",
    "linking_pin",
    "organisation_contact",
)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _lead(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        db.session.commit()
    return client_as(app, lead_id)


def _training(name="Meldcode huiselijk geweld", kind="other", provider="central", **kw):
    training = Training(name=name, kind=kind, provider=provider, **kw)
    db.session.add(training)
    db.session.flush()
    return training


def _session(training, held_on, **kw):
    session = TrainingSession(training=training, held_on=held_on, **kw)
    db.session.add(session)
    db.session.flush()
    return session


def _person(name, organisation, **kw) -> Person:
    person = Person(name=name, **kw)
    db.session.add(person)
    person.organisation = organisation
    return person


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- access ------------------------------------------------------------------------------------


@pytest.fixture
def world(app):
    with app.app_context():
        area = make_area("Bijlmer-Oost")
        volunteer = make_volunteer(("tw",))
        training = _training()
        users = {
            "admin": make_user(Role.ADMIN).id,
            "lead": make_user(Role.LEAD).id,
            "volunteer": volunteer.user_id,
            "buurtteam": make_user(Role.BUURTTEAM, area=area).id,
            "linking_pin": make_user(Role.LINKING_PIN, area=area).id,
            "organisation_contact": make_user(Role.ORGANISATION_CONTACT).id,
        }
        db.session.commit()
        return users, training.id


STAFF = {"anonymous": "login", "admin": 200, "lead": 200, "volunteer": 403, "buurtteam": 403}
STAFF = {**STAFF, "linking_pin": 403, "organisation_contact": 403}


@pytest.mark.parametrize(
    "method,url,expected",
    [
        ("GET", "/trainings/{t}/edit", STAFF),
        ("GET", "/trainings/sessions/{s}/edit", STAFF),
        ("POST", "/trainings/sessions/{s}/edit", {**STAFF, "admin": 422, "lead": 422}),
        ("POST", "/trainings/{t}/archive", STAFF),  # the confirmation page
        ("GET", "/trainings/year", STAFF),
        ("GET", "/trainings/year?year=2025", STAFF),
        ("GET", "/trainings/mine", {**STAFF, "admin": 403, "lead": 403, "volunteer": 200}),
    ],
)
def test_every_new_route_per_role(app, world, method, url, expected):
    users, training_id = world
    with app.app_context():
        session_id = _session(db.session.get(Training, training_id), date(2025, 3, 1)).id
        db.session.commit()
    for role in ROLES:
        client = app.test_client() if role == "anonymous" else client_as(app, users[role])
        response = client.open(url.format(t=training_id, s=session_id), method=method)
        got = response.status_code
        if got == 302 and "/login" in response.headers["Location"]:
            got = "login"
        assert got == expected[role], (role, url)
    with app.app_context():
        assert db.session.get(Training, training_id).archived is False  # not confirmed


def test_a_missing_training_is_a_404(app):
    client = _lead(app)
    assert client.get("/trainings/99999/edit").status_code == 404
    assert client.post("/trainings/99999/archive").status_code == 404


# --- the list ----------------------------------------------------------------------------------


def test_the_list_does_not_repeat_a_name_that_is_the_kinds_label(app):
    with app.app_context():
        same = _training("Basic volunteer training", kind="basic", provider="project").id
        other = _training("Schulden herkennen", kind="basic", provider="project").id
        db.session.commit()
    page = text(_lead(app).get("/trainings/"))

    def row(training_id):
        found = re.search(rf'data-training="{training_id}">.*?</li>', page, re.S).group(0)
        return " ".join(found.split())

    assert row(same).count("Basic volunteer training") == 1
    assert "· 0 sessions" in row(same)
    assert "· Basic volunteer training · 0 sessions" in row(other)


def test_the_list_shows_providers_filters_and_the_years_target(app):
    today = local_today()
    with app.app_context():
        venzo = make_org("Venzo")
        central = _training("Burgeracademie: omgaan met geld")
        _session(central, today)
        _session(central, date(today.year - 1, 6, 1))  # last year: not counted
        _session(central, date(today.year, 12, 31) + timedelta(days=1))  # next year
        member = _training("Venzo deelt", provider="member", organisation=venzo)
        _session(member, today)  # not central
        _training("Oude training", archived=True)
        db.session.commit()
    client = _lead(app)
    page = text(client.get("/trainings/"))
    assert "Central trainings this year: 1 of 4" in page
    assert 'aria-valuenow="1" aria-valuemin="0" aria-valuemax="4"' in page
    assert 'class="progress-bar w-25"' in page
    assert "Offered by a member · Venzo" in page
    assert "Central training (with the Burgeracademie)" in page
    assert "Oude training" not in page  # archived: hidden by default
    page = text(client.get("/trainings/?status=archived"))
    assert "Oude training" in page and "Venzo deelt" not in page
    page = text(client.get("/trainings/?provider=member&status=all"))
    listed = re.findall(r'data-training="\d+"><a href="[^"]+">([^<]+)</a>', page)
    assert listed == ["Venzo deelt"]
    # An unknown filter value is ignored, not an error.
    assert client.get("/trainings/?provider=nonsense&status=?").status_code == 200


def test_the_target_follows_the_setting(app):
    with app.app_context():
        _session(_training(), local_today())
        db.session.commit()
    client = _lead(app)
    app.config["CENTRAL_TRAININGS_TARGET"] = 2
    try:
        page = text(client.get("/trainings/"))
    finally:
        app.config["CENTRAL_TRAININGS_TARGET"] = 4
    assert "Central trainings this year: 1 of 2" in page and "w-50" in page


def test_record_training_for_a_volunteer_keeps_its_parameter_and_hides_archived(app):
    with app.app_context():
        volunteer = make_volunteer(name="Ama", trained=False)
        _session(_training("Basis", kind="basic", provider="project"), local_today())
        _training("Basis oud", kind="basic", provider="project", archived=True)
        db.session.commit()
        volunteer_id = volunteer.id
    page = text(_lead(app).get(f"/trainings/?volunteer_id={volunteer_id}"))
    assert "Record a training for Ama" in page
    assert f'<input type="hidden" name="volunteer_id" value="{volunteer_id}">' in page
    assert "Basis oud" not in page and "Central trainings this year" not in page


# --- new and edit ------------------------------------------------------------------------------


def _form(**changes):
    data = {
        "name": "Schulden herkennen",
        "kind": "other",
        "provider": "central",
        "organisation": "",
        "description": "",
        "refresh_months": "",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"provider": "member"}, "Choose the member organisation that offers this training."),
        ({"organisation": "ORG"}, "Only a training offered by a member names an offering"),
        ({"provider": "superuser"}, "Not a valid choice"),
        ({"organisation": str(2**64)}, "Not a valid choice"),
        ({"organisation": "1e9"}, "Invalid Choice"),
        ({"name": " "}, "This field is required."),
        ({"refresh_months": "0"}, "Number must be between 1 and 120."),
        ({"refresh_months": "twelve"}, "Not a valid integer value."),
        ({"kind": "gate"}, "Not a valid choice"),
    ],
)
def test_bad_input_in_the_training_form_is_a_422_and_writes_nothing(app, changes, message):
    with app.app_context():
        org_id = make_org("Venzo").id
        db.session.commit()
    changes = {k: (str(org_id) if v == "ORG" else v) for k, v in changes.items()}
    client = _lead(app)
    response = client.post("/trainings/new", data=_form(**changes))
    assert response.status_code == 422
    page = text(response)
    assert message in page
    if changes.get("refresh_months") == "twelve":  # one message, not the range's as well
        assert "Number must be between" not in page
    if "name" not in changes:  # what was typed is shown again
        assert 'value="Schulden herkennen"' in page
    with app.app_context():
        assert _count(Training) == 0


def test_a_members_training_is_added_and_changed(app):
    with app.app_context():
        venzo, left = make_org("Venzo"), make_org("MCTC")
        left.status = "left"
        db.session.commit()
        venzo_id, left_id = venzo.id, left.id
    client = _lead(app)
    page = text(client.get("/trainings/new"))
    assert f'value="{venzo_id}"' in page and f'value="{left_id}"' not in page
    response = client.post(
        "/trainings/new", data=_form(provider="member", organisation=str(venzo_id))
    )
    assert response.status_code == 302
    with app.app_context():
        training = db.session.scalars(select(Training)).one()
        assert (training.provider, training.organisation_id) == ("member", venzo_id)
        training_id = training.id
    page = text(client.get(f"/trainings/{training_id}/edit"))
    assert re.search(rf'<option (selected )?value="{venzo_id}"( selected)?>', page)
    assert "selected" in re.search(rf'<option[^>]*value="{venzo_id}"[^>]*>', page)[0]
    # Bad input on edit: 422, nothing changed.
    response = client.post(
        f"/trainings/{training_id}/edit", data=_form(name="Nieuw", provider="member")
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Training, training_id).name == "Schulden herkennen"
    response = client.post(
        f"/trainings/{training_id}/edit",
        data=_form(name="Schulden herkennen (basis)", refresh_months="24"),
    )
    assert response.status_code == 302
    with app.app_context():
        training = db.session.get(Training, training_id)
        assert (training.name, training.provider, training.organisation_id) == (
            "Schulden herkennen (basis)",
            "central",
            None,
        )
        assert training.refresh_months == 24


def test_a_form_without_provider_keeps_the_projects_default(app):
    """An older page or a script that does not send the provider still adds a training."""
    client = _lead(app)
    response = client.post("/trainings/new", data={"name": "Basis", "kind": "basic"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Training.provider)).one() == "project"


# --- archive -----------------------------------------------------------------------------------


def test_archiving_asks_first_keeps_history_and_can_be_undone(app):
    with app.app_context():
        training = _training()
        volunteer = make_volunteer(trained=False)
        session = _session(training, local_today() - timedelta(days=3))
        record_attendance(db.session, volunteer, session, completed=True)
        db.session.commit()
        training_id = training.id
    client = _lead(app)
    response = client.post(f"/trainings/{training_id}/archive")
    assert response.status_code == 200 and "Archive “Meldcode huiselijk geweld”?" in text(response)
    with app.app_context():
        assert db.session.get(Training, training_id).archived is False
    response = client.post(f"/trainings/{training_id}/archive", data={"confirmed": "1"})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "“Meldcode huiselijk geweld” is archived." in page and 'id="archived"' in page
    assert "Add session" not in page  # no new sessions for an archived training
    with app.app_context():
        assert db.session.get(Training, training_id).archived is True
        assert _count(TrainingAttendance) == 1 and _count(TrainingSession) == 1
    # A session posted anyway is refused.
    response = client.post(f"/trainings/{training_id}", data={"held_on": "2026-01-05"})
    assert response.status_code == 422
    assert "This training is archived: it gets no new sessions." in text(response)
    response = client.post(f"/trainings/{training_id}/archive", data={"restore": "1"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Training, training_id).archived is False


def test_the_only_current_gate_training_is_not_archived(app):
    with app.app_context():
        training_id = _training("Basis", kind="basic", provider="project").id
        db.session.commit()
    client = _lead(app)
    response = client.post(f"/trainings/{training_id}/archive", data={"confirmed": "1"})
    assert response.status_code == 422
    assert "is the only current Basic volunteer training" in text(response)
    with app.app_context():
        assert db.session.get(Training, training_id).archived is False


# --- sessions ----------------------------------------------------------------------------------


def test_a_session_gets_a_location_and_invited_organisations(app):
    with app.app_context():
        venzo, recogin, left = make_org("Venzo"), make_org("Recogin"), make_org("MCTC")
        left.status = "left"
        training_id = _training().id
        db.session.commit()
        ids = venzo.id, recogin.id, left.id
    client = _lead(app)
    page = text(client.get(f"/trainings/{training_id}"))
    assert f'name="invited" type="checkbox" value="{ids[0]}"' in page or (
        f'value="{ids[0]}"' in page
    )
    assert f'value="{ids[2]}"' not in page  # left the pact: not offered
    for bad, message in (
        ({"invited": [str(ids[2])]}, "is not a valid choice for this field"),
        ({"invited": ["abc"]}, "could not be coerced"),
        ({"location": "x" * 200}, "Field cannot be longer than 160 characters."),
        ({"held_on": "1999-05-01"}, "Give a date between 2015 and two years ahead."),
    ):
        data = {"held_on": "2026-01-05", "trainer_organisation": "0", **bad}
        response = client.post(f"/trainings/{training_id}", data=data)
        assert response.status_code == 422, bad
        assert message in text(response), bad
    with app.app_context():
        assert _count(TrainingSession) == 0 and _count(training_invitations) == 0
    response = client.post(
        f"/trainings/{training_id}",
        data={
            "held_on": "2026-01-05",
            "trainer_organisation": str(ids[0]),
            "location": "Bijlmerplein 888",
            "invited": [str(ids[0]), str(ids[1])],
        },
    )
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Bijlmerplein 888" in page and "Invited: Recogin, Venzo" in page


def _people_world(app):
    """A session invited Venzo, trained by ProFor; people of both, one inactive, one of an
    organisation not invited; a volunteer."""
    with app.app_context():
        venzo, profor, other = make_org("Venzo"), make_org("ProFor"), make_org("Recogin")
        efua = _person("Efua", venzo)
        gone = _person("Gone", venzo, active=False)
        trainer = _person("Trainer", profor)
        stranger = _person("Stranger", other)
        volunteer = make_volunteer(name="Ama", trained=False)
        session = _session(
            _training(), local_today() - timedelta(days=2), trainer_organisation=profor
        )
        session.invited = [venzo]
        db.session.commit()
        return session.id, volunteer.id, efua.id, gone.id, trainer.id, stranger.id


def _people(app, session_id) -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(
                select(training_people.c.person_id).where(
                    training_people.c.session_id == session_id
                )
            )
        )


def test_people_of_organisations_are_recorded_in_the_same_form(app):
    session_id, ama, efua, gone, trainer, stranger = _people_world(app)
    client = _lead(app)
    page = text(client.get(f"/trainings/sessions/{session_id}"))
    for person in (efua, trainer):
        assert f'<input type="hidden" name="person_row" value="{person}">' in page
    for person in (gone, stranger):
        assert f'name="person_row" value="{person}"' not in page
    response = client.post(
        f"/trainings/sessions/{session_id}",
        data={
            "row": [ama],
            "attended": [ama],
            "completed": [ama],
            "person_row": [efua, trainer, stranger],  # not listed: ignored
            "person": [efua, stranger],
        },
    )
    assert response.status_code == 302
    assert _people(app, session_id) == {efua}
    page = text(client.get(response.headers["Location"]))
    assert "Attendance saved: 1 attended, 1 completed." in page
    assert "People of organisations: 1 attended." in page
    assert re.search(rf'name="person" value="{efua}"[^>]*checked', page)
    with app.app_context():
        assert _count(TrainingAttendance) == 1
    # The volunteers' form alone (no person rows) leaves the people as they are.
    response = client.post(f"/trainings/sessions/{session_id}", data={"row": [ama]})
    assert response.status_code == 302 and _people(app, session_id) == {efua}
    # Someone recorded who has since gone inactive stays listed, to be corrected.
    with app.app_context():
        db.session.get(Person, efua).active = False
        db.session.commit()
    page = text(client.get(f"/trainings/sessions/{session_id}"))
    assert f'name="person_row" value="{efua}"' in page
    response = client.post(
        f"/trainings/sessions/{session_id}", data={"person_row": [efua, trainer]}
    )
    assert response.status_code == 302 and _people(app, session_id) == set()


def test_a_refused_attendance_writes_no_people_either(app):
    with app.app_context():
        venzo = make_org("Venzo")
        efua = _person("Efua", venzo)
        volunteer = make_volunteer(name="Ama", trained=False)
        session = _session(_training(), local_today() + timedelta(days=7))
        session.invited = [venzo]
        db.session.commit()
        ids = session.id, volunteer.id, efua.id
    session_id, ama, efua = ids
    response = _lead(app).post(
        f"/trainings/sessions/{session_id}",
        data={"row": [ama], "attended": [ama], "completed": [ama], "person_row": [efua]},
    )
    assert response.status_code == 422
    assert "A session in the future cannot be completed yet." in text(response)
    assert _people(app, session_id) == set()


# --- a volunteer's own trainings ---------------------------------------------------------------


def test_a_volunteer_sees_their_own_trainings_and_gate_in_plain_words(app):
    today = local_today()
    with app.app_context():
        profor = make_org("ProFor")
        ama = make_volunteer(name="Ama", trained=False)
        kofi = make_volunteer(name="Kofi", trained=False)
        basic = _training("Basistraining", kind="basic", provider="project")
        meldcode = _training("Meldcode", refresh_months=12)
        s1 = _session(basic, today - timedelta(days=40), trainer_organisation=profor)
        s2 = _session(meldcode, today - timedelta(days=400))
        s3 = _session(_training("Geheim voor Kofi"), today - timedelta(days=5))
        record_attendance(db.session, ama, s1, completed=True)
        record_attendance(db.session, ama, s2, completed=True)
        record_attendance(db.session, kofi, s3, completed=True)
        db.session.commit()
        ama_user, kofi_session = ama.user_id, s3.id
    page = text(client_as(app, ama_user).get("/trainings/mine"))
    assert "Basistraining" in page and "ProFor" in page and "Meldcode" in page
    assert "Geheim voor Kofi" not in page and "Kofi" not in page
    assert "Not yet: before you can be matched with a resident" in page
    assert "Basic volunteer training: done on" in page
    assert "Money Maatje training: not done yet." in page
    assert "Meldcode: a refresher is due since" in page
    assert page.count('data-session="') == 2
    assert str(kofi_session) not in re.findall(r'data-session="(\d+)"', page)


def test_a_trained_volunteer_reads_that_they_can_be_matched(app):
    with app.app_context():
        user_id = make_volunteer(name="Ama").user_id  # trained by the builder
        db.session.commit()
    page = text(client_as(app, user_id).get("/trainings/mine"))
    assert "Yes: your trainings are complete, you can be matched with a resident." in page
    assert "None of your trainings needs a refresher." in page


def test_a_volunteer_account_without_a_registration_gets_a_plain_answer(app):
    with app.app_context():
        user_id = make_user(Role.VOLUNTEER).id
        db.session.commit()
    response = client_as(app, user_id).get("/trainings/mine")
    assert response.status_code == 200
    assert "not linked to a volunteer registration yet" in text(response)


# --- the year overview -------------------------------------------------------------------------


def test_the_year_overview_shows_figures_per_provider(app):
    with app.app_context():
        venzo = make_org("Venzo")
        central = _training("Burgeracademie: armoede")
        member = _training("Venzo deelt", provider="member", organisation=venzo)
        ama = make_volunteer(name="Ama", trained=False)
        s1 = _session(central, date(2025, 3, 1))
        s1.invited = [venzo]
        s1.people = [_person("Efua", venzo)]
        _session(central, date(2025, 9, 1))
        record_attendance(db.session, ama, s1, completed=True)
        _session(member, date(2025, 4, 1))
        db.session.commit()
    client = _lead(app)
    page = text(client.get("/trainings/year?year=2025"))
    assert "Trainings in 2025" in page and "Central trainings in 2025: 2 of 4" in page
    central_part = page.split('data-provider="central"')[1].split("</section>")[0]
    cells = re.findall(r'<td class="text-end">(\d+)</td>', central_part)
    assert cells[:5] == ["2", "1", "1", "1", "1"]
    assert "Offered by a member" in page and "Venzo deelt" in page
    assert 'href="/trainings/year?year=2024"' in page
    # A year out of range or garbage shows this year.
    this_year = local_today().year
    for value in ("1999", "99999", "abc", "²", str(2**64)):
        page = text(client.get(f"/trainings/year?year={value}"))
        assert f"Trainings in {this_year}" in page, value


def _catalogue(size: int) -> dict:
    year = local_today().year
    organisations = [make_org(f"Org {n}") for n in range(size)]
    volunteers = [make_volunteer(trained=False) for _ in range(size)]
    for n in range(size):
        for provider in ("central", "member", "project"):
            training = _training(
                f"{provider} {n}",
                provider=provider,
                organisation=organisations[n] if provider == "member" else None,
                archived=n % 5 == 4,
            )
            for month in (2, 5):
                session = _session(training, date(year, month, 1 + n % 20))
                session.invited = organisations[: 1 + n % 3]
                session.people = [_person(f"P{n}{month}{provider}", organisations[n])]
                record_attendance(db.session, volunteers[n], session, completed=month == 5)
    lead = make_user(Role.LEAD)
    db.session.commit()
    return {"lead": lead.id, "volunteer": volunteers[-1].user_id}


def test_the_catalogue_pages_issue_the_same_statements_at_two_sizes(app):
    from tests.conftest import _empty_all_tables

    year = local_today().year
    pages = [
        ("lead", f"/trainings/year?year={year}"),
        ("lead", "/trainings/"),
        ("lead", "/trainings/?provider=member&status=all&q=member"),
        ("volunteer", "/trainings/mine"),
    ]
    counts = []
    for size in (3, 30):
        with app.app_context():
            ids = _catalogue(size)
        clients = {role: client_as(app, ids[role]) for role in ("lead", "volunteer")}
        counts.append({url: statements_of_get(app, clients[role], url) for role, url in pages})
        if size == 30:
            page = text(clients["lead"].get(f"/trainings/year?year={year}"))
            assert page.count('<tr data-training="') == 90
        with app.app_context():
            _empty_all_tables()
    assert counts[0] == counts[1]


# --- correcting a session ----------------------------------------------------------------------


def test_a_session_is_corrected_with_the_rules_of_a_new_one(app):
    with app.app_context():
        venzo, recogin, left = make_org("Venzo"), make_org("Recogin"), make_org("MCTC")
        left.status = "left"
        training = _training()
        session = _session(training, date(2025, 3, 1), location="Oud")
        session.invited = [venzo]
        db.session.commit()
        ids = {"venzo": venzo.id, "recogin": recogin.id, "left": left.id, "s": session.id}
    client = _lead(app)
    url = f"/trainings/sessions/{ids['s']}/edit"
    assert url in text(client.get(f"/trainings/sessions/{ids['s']}"))
    page = text(client.get(url))
    assert 'value="Oud"' in page and 'value="2025-03-01"' in page
    good = {"held_on": "2025-03-08", "trainer_organisation": "0", "location": "Nieuw"}
    for bad, message in (
        ({"invited": [str(ids["left"])]}, "is not a valid choice for this field"),
        ({"held_on": "1999-05-01"}, "Give a date between 2015 and two years ahead."),
        ({"location": "x" * 200}, "Field cannot be longer than 160 characters."),
    ):
        response = client.post(url, data={**good, **bad})
        assert response.status_code == 422, bad
        page = text(response)
        assert message in page, bad
    assert 'value="2025-03-08"' in page  # what was typed stays
    with app.app_context():
        assert db.session.get(TrainingSession, ids["s"]).location == "Oud"
    data = {
        **good,
        "trainer_organisation": str(ids["recogin"]),
        "invited": [str(ids["venzo"]), str(ids["recogin"])],
    }
    response = client.post(url, data=data)
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Nieuw" in page and "Invited: Recogin, Venzo" in page
    with app.app_context():
        session = db.session.get(TrainingSession, ids["s"])
        assert session.held_on == date(2025, 3, 8)
        assert session.trainer_organisation_id == ids["recogin"]


def test_a_session_invited_before_its_organisation_left_can_still_be_corrected(app):
    with app.app_context():
        gone = make_org("MCTC")
        session = _session(_training(), date(2025, 3, 1))
        session.invited = [gone]
        db.session.flush()
        gone.status = "left"
        db.session.commit()
        ids = gone.id, session.id
    response = _lead(app).post(
        f"/trainings/sessions/{ids[1]}/edit",
        data={"held_on": "2025-03-02", "trainer_organisation": "0", "invited": [str(ids[0])]},
    )
    assert response.status_code == 302


def test_a_session_with_completions_does_not_move_into_the_future(app):
    with app.app_context():
        volunteer = make_volunteer(name="Ama", trained=False)
        session = _session(_training(), local_today() - timedelta(days=3))
        record_attendance(db.session, volunteer, session, completed=True)
        db.session.commit()
        session_id = session.id
    ahead = (local_today() + timedelta(days=7)).isoformat()
    response = _lead(app).post(
        f"/trainings/sessions/{session_id}/edit",
        data={"held_on": ahead, "trainer_organisation": "0"},
    )
    assert response.status_code == 422
    assert "its date cannot lie in the future" in text(response)


def test_a_session_is_removed_only_without_attendance(app):
    with app.app_context():
        training = _training()
        empty = _session(training, date(2025, 3, 1))
        empty.invited = [make_org("Venzo")]
        attended = _session(training, date(2025, 4, 1))
        record_attendance(db.session, make_volunteer(name="Ama"), attended, completed=False)
        with_people = _session(training, date(2025, 5, 1))
        with_people.people = [_person("Efua", make_org("Recogin"))]
        db.session.commit()
        ids = training.id, empty.id, attended.id, with_people.id
    with app.app_context():
        volunteer_id = make_volunteer(name="Kofi").user_id
        sessions_before = _count(TrainingSession)
        db.session.commit()
    refused = client_as(app, volunteer_id).post(f"/trainings/sessions/{ids[1]}/delete")
    assert refused.status_code == 403
    client = _lead(app)
    for session_id in ids[2:]:
        response = client.post(f"/trainings/sessions/{session_id}/delete")
        assert response.status_code == 422
        assert "Attendance is recorded for this session" in text(response)
    response = client.post(f"/trainings/sessions/{ids[1]}/delete")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/trainings/{ids[0]}")
    with app.app_context():
        assert _count(TrainingSession) == sessions_before - 1
        assert db.session.get(TrainingSession, ids[1]) is None
        assert _count(training_invitations) == 0
