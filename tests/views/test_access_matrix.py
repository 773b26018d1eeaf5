"""Every route, every role: who gets in, who gets 403, who gets 404 (existence must not leak).

A new route without a row here fails ``test_every_route_has_a_rule``.
"""

from dataclasses import dataclass

import pytest

from maatjes.domain import handovers
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import Contact, Notification, Role
from tests.builders import (
    TODAY,
    login,
    make_area,
    make_match,
    make_org,
    make_organisation_contact,
    make_resident,
    make_user,
    make_volunteer,
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
OK = "ok"  # any answer that is not a refusal: 200, 302 elsewhere than login, 422 form error
LOGIN = "login"  # redirected to the login page


@dataclass
class World:
    users: dict
    ids: dict


def build_world() -> World:
    oost, centrum = make_area("Bijlmer-Oost"), make_area("Bijlmer-Centrum")
    lead = make_user(Role.LEAD)
    mine = make_volunteer(("tw",))
    other = make_volunteer(("tw",))
    r_own = make_resident(("tw",), area="Bijlmer-Oost")
    r_other = make_resident(("tw",), area="Bijlmer-Centrum")
    m_own = make_match(mine, r_own)
    m_other = make_match(other, r_other)
    contact = Contact(
        match=m_own, contact_on=TODAY, kind="phone", needs_attention=True, logged_by_id=mine.user_id
    )
    db.session.add(contact)
    data = HandoverInput(reason="Debts", needs="", urgency="normal", consent=True, consent_on=TODAY)
    h_own = handovers.start_handover(db.session, r_own, data, by=lead, today=TODAY)
    h_other = handovers.start_handover(db.session, r_other, data, by=lead, today=TODAY)
    users = {
        "admin": make_user(Role.ADMIN),
        "lead": lead,
        "volunteer": mine.user,
        "buurtteam": make_user(Role.BUURTTEAM, area=oost),
        "linking_pin": make_user(Role.LINKING_PIN, area=oost),
        "organisation_contact": make_organisation_contact(make_org("Recogin")),
        "target": make_user(Role.VOLUNTEER),
    }
    make_user(Role.BUURTTEAM, area=centrum)
    note = Notification(
        key="test:1", user_id=mine.user_id, kind="contact_due", volunteer_id=mine.id
    )
    db.session.add(note)
    db.session.commit()
    ids = dict(
        r_own=r_own.id,
        r_other=r_other.id,
        m_own=m_own.id,
        m_other=m_other.id,
        h_own=h_own.id,
        h_other=h_other.id,
        contact=contact.id,
        volunteer=mine.id,
        user=users["target"].id,
        training=_training_id(),
        session=_session_id(),
        note=note.id,
        consent=_consent_id(r_own.id),
        **_registry_world(oost, centrum, users, mine),
    )
    return World({role: user.id for role, user in users.items()}, ids)


def _registry_world(oost, centrum, users, volunteer) -> dict:
    """One record of each registry kind: an organisation active in Bijlmer-Oost (seen by that
    area's staff), one in Centrum, the organisation contact's own, people, a meeting with an
    item, a decision and an action owned by the organisation contact, and the rest."""
    from datetime import date
    from decimal import Decimal

    from maatjes.models import (
        Action,
        Activity,
        AgendaItem,
        BudgetLine,
        Decision,
        Meeting,
        Neighbourhood,
        Person,
        PersonRole,
        Priority,
        Project,
        Signal,
        SubsidyApplication,
        SubsidyParticipant,
        ThemeGroup,
    )

    org_oost = make_org("Oost Lid")
    org_oost.areas.append(oost)
    org_centrum = make_org("Centrum Lid")
    org_centrum.areas.append(centrum)
    p_oost = Person(name="Pien Oost", organisation=org_oost)
    p_centrum = Person(name="Piet Centrum", organisation=org_centrum)
    db.session.add_all([p_oost, p_centrum])
    db.session.flush()
    role = PersonRole(person=p_oost, role=PersonRole.CORE_GROUP, started_on=date(2021, 1, 1))
    db.session.add(role)
    own_person = db.session.scalar(
        db.select(Person).where(Person.user_id == users["organisation_contact"].id)
    )
    theme = ThemeGroup(name="Armoede")
    meeting = Meeting(kind=Meeting.GENERAL, held_on=date(2026, 11, 1), title="AV")
    item = AgendaItem(meeting=meeting, title="Welkom")
    decision = Decision(meeting=meeting, text="Besloten")
    action = Action(meeting=meeting, text="Doen", owner=own_person, due_on=date(2026, 11, 2))
    project = Project(name="Buurtproject", lead_organisation=org_oost)
    line = BudgetLine(project=project, description="Koffie", amount=Decimal("12.50"))
    neighbourhood = Neighbourhood(area=oost, name="K-buurt")
    priority = Priority(area=oost, name="Armoede", position=1)
    signal = Signal(
        title="Woningnood", neighbourhood=neighbourhood, theme_group=theme, heard_on=TODAY
    )
    application = SubsidyApplication(
        funder="Gemeente", scheme="Sociale Basis", year=2026, lead_organisation=org_oost
    )
    participant = SubsidyParticipant(application=application, organisation=org_centrum)
    db.session.add_all(
        [role, theme, meeting, item, decision, action, project, line, neighbourhood]
        + [priority, signal, application, participant]
    )
    db.session.flush()
    act_own = Activity(
        organisation=own_person.organisation, name="Taalcafé", checked_on=TODAY, area=oost
    )
    act_oost = Activity(organisation=org_oost, name="Inloop", checked_on=TODAY, area=oost)
    db.session.add_all([act_own, act_oost])
    db.session.commit()
    return dict(
        org_oost=org_oost.id,
        org_centrum=org_centrum.id,
        org_own=own_person.organisation_id,
        org_volunteer=volunteer.organisation_id,
        p_oost=p_oost.id,
        p_centrum=p_centrum.id,
        p_own=own_person.id,
        role=role.id,
        meeting=meeting.id,
        item=item.id,
        decision=decision.id,
        action=action.id,
        theme=theme.id,
        project=project.id,
        line=line.id,
        signal=signal.id,
        application=application.id,
        participant=participant.id,
        area=oost.id,
        neighbourhood=neighbourhood.id,
        priority=priority.id,
        act_own=act_own.id,
        act_oost=act_oost.id,
    )


def _consent_id(resident_id):
    from maatjes.models import ConsentRecord

    return db.session.scalar(
        db.select(ConsentRecord.id).where(ConsentRecord.resident_id == resident_id).limit(1)
    )


def _training_id():
    from maatjes.models import Training

    return db.session.scalar(db.select(Training.id).limit(1))


def _session_id():
    from maatjes.models import TrainingSession

    return db.session.scalar(db.select(TrainingSession.id).limit(1))


def staff_only():
    return {
        "anonymous": LOGIN,
        "admin": OK,
        "lead": OK,
        "volunteer": 403,
        "buurtteam": 403,
        "linking_pin": 403,
        "organisation_contact": 403,
    }


EVERYONE = {role: OK for role in ROLES}
LOGGED_IN = {**EVERYONE, "anonymous": LOGIN}
STAFF = staff_only()
VOLUNTEER_ONLY = {**STAFF, "admin": 403, "lead": 403, "volunteer": OK}
AREA_ONLY = {**STAFF, "admin": 403, "lead": 403, "buurtteam": OK, "linking_pin": OK}
OWN_CASE = {**STAFF, "volunteer": OK}  # staff and the resident's own volunteer
OTHER_CASE = {**STAFF, "volunteer": 404}  # another volunteer's resident: absent
# The casework: an organisation contact sees nothing of residents.
CASEWORK = {**LOGGED_IN, "organisation_contact": 403}
HANDOVER_OWN_AREA = {**CASEWORK}
HANDOVER_OTHER_AREA = {**CASEWORK, "volunteer": 404, "buurtteam": 404, "linking_pin": 404}
ADMIN_ONLY = {**STAFF, "lead": 403}
# The registry's organisations and people, by who sees them.
AREA_404 = {"buurtteam": 404, "linking_pin": 404}
OOST_ORGANISATION = {**LOGGED_IN, "volunteer": 404, "organisation_contact": 404}
OWN_ORGANISATION = {**OOST_ORGANISATION, **AREA_404, "organisation_contact": OK}
VOLUNTEERS_ORGANISATION = {**OOST_ORGANISATION, **AREA_404, "volunteer": OK}
EDIT_OOST_ORGANISATION = {
    **ADMIN_ONLY,
    "volunteer": 404,
    "organisation_contact": 404,
}
OWN_ORGANISATION_EDIT = {**ADMIN_ONLY, **AREA_404, "volunteer": 404, "organisation_contact": OK}
PEOPLE_READERS = {**LOGGED_IN, "volunteer": 403}
KEEPS_ACTIVITIES = {**STAFF, "organisation_contact": OK}
OTHERS_ACTIVITY = {**STAFF, "organisation_contact": 404}

# endpoint -> list of (method, url template, expectations)
MATRIX = {
    "static": [("GET", "/static/app.css", EVERYONE)],
    "bootstrap.static": [("GET", "/bootstrap/static/css/bootstrap.min.css", EVERYONE)],
    "favicon": [("GET", "/favicon.ico", EVERYONE)],
    "service_worker": [("GET", "/sw.js", EVERYONE)],
    "auth.login": [("GET", "/login", EVERYONE)],
    "auth.logout": [("POST", "/logout", {r: LOGIN for r in ROLES})],  # always ends at login
    "auth.password_link": [("GET", "/password/not-a-token", {r: 404 for r in ROLES})],
    "auth.set_password": [("GET", "/password", {r: 404 for r in ROLES})],  # no link in session
    "auth.forgot_password": [("GET", "/password/forgot", EVERYONE)],
    "auth.code": [("GET", "/login/code", {r: LOGIN for r in ROLES})],  # no password step yet
    "auth.enrol": [("GET", "/login/two-factor", {r: LOGIN for r in ROLES})],
    "auth.recovery_codes": [("GET", "/login/recovery-codes", LOGGED_IN)],
    "auth.logout_everywhere": [("POST", "/logout/everywhere", {r: LOGIN for r in ROLES})],
    "auth.change_password": [("GET", "/profile/password", LOGGED_IN)],
    "auth.setup_two_factor": [("GET", "/profile/two-factor", LOGGED_IN)],
    "auth.disable_two_factor": [("POST", "/profile/two-factor/off", LOGGED_IN)],
    "auth.set_locale": [("POST", "/locale", EVERYONE)],
    "main.index": [("GET", "/", LOGGED_IN)],
    "main.healthz": [("GET", "/healthz", EVERYONE)],
    "main.home": [("GET", "/me", VOLUNTEER_ONLY)],
    "main.csrf_token": [("GET", "/me/csrf-token", VOLUNTEER_ONLY)],
    "users.index": [("GET", "/users/", STAFF)],
    "users.new": [("GET", "/users/new", STAFF)],
    "users.new_link": [("POST", "/users/{user}/link", STAFF)],
    "users.toggle_active": [("POST", "/users/{user}/active", STAFF)],
    "auth.reset_two_factor": [("POST", "/users/{user}/two-factor/reset", STAFF)],
    "volunteers.index": [("GET", "/volunteers/", STAFF)],
    "volunteers.new": [("GET", "/volunteers/new", STAFF)],
    "volunteers.detail": [("GET", "/volunteers/{volunteer}", STAFF)],
    "volunteers.edit": [("GET", "/volunteers/{volunteer}/edit", STAFF)],
    "trainings.index": [("GET", "/trainings/", STAFF)],
    "trainings.new": [("GET", "/trainings/new", STAFF)],
    "trainings.detail": [("GET", "/trainings/{training}", STAFF)],
    "trainings.session": [("GET", "/trainings/sessions/{session}", STAFF)],
    "trainings.edit_session": [("GET", "/trainings/sessions/{session}/edit", STAFF)],
    # A session with attendance recorded is not removed (422); the others get 403 or the login.
    "trainings.remove_session": [("POST", "/trainings/sessions/{session}/delete", STAFF)],
    "residents.index": [("GET", "/residents/", STAFF)],
    "residents.new": [("GET", "/residents/new", STAFF)],
    "residents.detail": [
        ("GET", "/residents/{r_own}", OWN_CASE),
        ("GET", "/residents/{r_other}", OTHER_CASE),
    ],
    "residents.edit": [("GET", "/residents/{r_own}/edit", STAFF)],
    "residents.match": [("GET", "/residents/{r_own}/match", STAFF)],
    "matches.detail": [
        ("GET", "/matches/{m_own}", OWN_CASE),
        ("GET", "/matches/{m_other}", OTHER_CASE),
    ],
    "matches.log_contact": [
        ("GET", "/matches/{m_own}/contacts/new", OWN_CASE),
        ("GET", "/matches/{m_other}/contacts/new", OTHER_CASE),
        ("POST", "/matches/{m_other}/contacts/new", OTHER_CASE),
    ],
    "matches.end": [("POST", "/matches/{m_own}/end", STAFF)],
    "matches.transfer": [("GET", "/matches/{m_own}/transfer", STAFF)],
    "matches.edit_contact": [("GET", "/matches/contacts/{contact}/edit", OWN_CASE)],
    "matches.delete_contact": [("POST", "/matches/contacts/{contact}/delete", OWN_CASE)],
    "matches.attention_handled": [("POST", "/matches/contacts/{contact}/handled", STAFF)],
    "handovers.index": [("GET", "/handovers", CASEWORK)],
    "handovers.new": [
        ("GET", "/residents/{r_own}/handover", OWN_CASE),
        ("GET", "/residents/{r_other}/handover", OTHER_CASE),
    ],
    "handovers.refer": [("GET", "/handovers/refer", AREA_ONLY)],
    "handovers.detail": [
        ("GET", "/handovers/{h_own}", HANDOVER_OWN_AREA),
        ("GET", "/handovers/{h_other}", HANDOVER_OTHER_AREA),
    ],
    "handovers.act": [
        # an empty accept is refused by the rules (422), never applied
        ("POST", "/handovers/{h_own}/accept", HANDOVER_OWN_AREA),
        ("POST", "/handovers/{h_other}/accept", HANDOVER_OTHER_AREA),
    ],
    "notifications.index": [("GET", "/notifications", LOGGED_IN)],
    "notifications.open_": [
        (
            "POST",
            "/notifications/{note}/open",
            {**LOGGED_IN, **{r: 404 for r in ROLES[1:]}, "volunteer": OK},
        ),
    ],
    "notifications.read_all": [("POST", "/notifications/read", LOGGED_IN)],
    "notifications.profile": [("GET", "/profile", LOGGED_IN)],
    "notifications.calendar_token": [("POST", "/profile/calendar", VOLUNTEER_ONLY)],
    "notifications.calendar_revoke": [("POST", "/profile/calendar/revoke", VOLUNTEER_ONLY)],
    "notifications.calendar_feed": [("GET", "/calendar/not-a-token.ics", {r: 404 for r in ROLES})],
    "lead.overview": [("GET", "/lead/", STAFF)],
    "lead.retention_page": [("GET", "/lead/retention", STAFF)],
    "lead.postpone": [("POST", "/lead/retention/{r_own}/postpone", STAFF)],
    "residents.record_sharing_consent": [("POST", "/residents/{r_own}/consent", STAFF)],
    "residents.withdraw_consent": [
        ("POST", "/residents/{r_own}/consent/{consent}/withdraw", STAFF)
    ],
    "residents.export": [
        ("GET", "/residents/{r_own}/export", STAFF),
        ("POST", "/residents/{r_own}/export", STAFF),  # no password: the form again
    ],
    "audit.index": [("GET", "/audit", {**STAFF, "lead": 403})],
    "lead.waiting": [("GET", "/lead/waiting", STAFF)],
    "lead.flagged": [("GET", "/lead/flagged", STAFF)],
    # The cockpit: counts for the lead and admin only (a bad period is a 422, not a 500).
    "cockpit.dashboard": [
        ("GET", "/lead/dashboard", STAFF),
        ("GET", "/lead/dashboard?period=year&area=1&organisation=1", STAFF),
        ("GET", "/lead/dashboard?period=custom&start=2026-13-01", STAFF),
    ],
    "cockpit.report": [
        ("GET", "/lead/report", STAFF),
        ("GET", "/lead/report?period=custom&start=2026-01-01&end=2025-01-01", STAFF),
    ],
    # The pact's registry: admins edit, leads read (and keep projects, signals, trainings),
    # area staff see the organisations and people of their area, a volunteer its own
    # organisation, an organisation contact its own organisation and people.
    "registry.index": [("GET", "/registry/", STAFF)],
    "organisations.index": [("GET", "/registry/organisations/", LOGGED_IN)],
    "organisations.counts": [("GET", "/registry/organisations/counts?year=2022", STAFF)],
    "organisations.new": [("GET", "/registry/organisations/new", ADMIN_ONLY)],
    "organisations.detail": [
        ("GET", "/registry/organisations/{org_oost}", OOST_ORGANISATION),
        ("GET", "/registry/organisations/{org_centrum}", {**OOST_ORGANISATION, **AREA_404}),
        ("GET", "/registry/organisations/{org_own}", OWN_ORGANISATION),
        ("GET", "/registry/organisations/{org_volunteer}", VOLUNTEERS_ORGANISATION),
    ],
    "organisations.edit": [
        ("GET", "/registry/organisations/{org_oost}/edit", EDIT_OOST_ORGANISATION),
        ("GET", "/registry/organisations/{org_own}/edit", OWN_ORGANISATION_EDIT),
    ],
    "organisations.admission": [
        ("GET", "/registry/organisations/{org_oost}/admission", ADMIN_ONLY)
    ],
    "organisations.charter": [("POST", "/registry/organisations/{org_oost}/charter", ADMIN_ONLY)],
    "organisations.leave": [("POST", "/registry/organisations/{org_oost}/leave", ADMIN_ONLY)],
    "people.index": [("GET", "/registry/people/", PEOPLE_READERS)],
    "people.linking_pins": [("GET", "/registry/people/linking-pins", STAFF)],
    "people.detail": [
        ("GET", "/registry/people/{p_oost}", {**PEOPLE_READERS, "organisation_contact": 404}),
        (
            "GET",
            "/registry/people/{p_centrum}",
            {**PEOPLE_READERS, **AREA_404, "organisation_contact": 404},
        ),
        (
            "GET",
            "/registry/people/{p_own}",
            PEOPLE_READERS | {"buurtteam": 404, "linking_pin": 404},
        ),
    ],
    "people.new": [("GET", "/registry/people/new", {**ADMIN_ONLY, "organisation_contact": OK})],
    "people.edit": [
        ("GET", "/registry/people/{p_oost}/edit", {**ADMIN_ONLY, "organisation_contact": 404}),
        ("GET", "/registry/people/{p_own}/edit", {**ADMIN_ONLY, "organisation_contact": OK}),
    ],
    "people.archive": [
        ("POST", "/registry/people/{p_oost}/archive", {**ADMIN_ONLY, "organisation_contact": 404}),
        # The contact's own person: asked, then refused with a message (it would block its own
        # account): an answer, not a refusal of access.
        ("POST", "/registry/people/{p_own}/archive", {**ADMIN_ONLY, "organisation_contact": OK}),
    ],
    "people.add_role": [("POST", "/registry/people/{p_oost}/roles", ADMIN_ONLY)],
    "people.end_role": [("POST", "/registry/people/roles/{role}/end", ADMIN_ONLY)],
    "people.account": [("GET", "/registry/people/{p_oost}/account", STAFF)],
    "areas.index": [("GET", "/registry/areas/", STAFF), ("POST", "/registry/areas/", ADMIN_ONLY)],
    "areas.detail": [("GET", "/registry/areas/{area}", STAFF)],
    "areas.rename": [("POST", "/registry/areas/{area}/rename", ADMIN_ONLY)],
    "areas.add_neighbourhood": [("POST", "/registry/areas/{area}/neighbourhoods", ADMIN_ONLY)],
    "areas.rename_neighbourhood": [
        ("POST", "/registry/areas/neighbourhoods/{neighbourhood}/rename", ADMIN_ONLY)
    ],
    "areas.remove_neighbourhood": [
        ("POST", "/registry/areas/neighbourhoods/{neighbourhood}/remove", ADMIN_ONLY)
    ],
    "areas.add_priority": [("POST", "/registry/areas/{area}/priorities", ADMIN_ONLY)],
    "areas.edit_priority": [("GET", "/registry/areas/priorities/{priority}/edit", ADMIN_ONLY)],
    "areas.move_priority": [("POST", "/registry/areas/priorities/{priority}/move", ADMIN_ONLY)],
    "areas.remove_priority": [("POST", "/registry/areas/priorities/{priority}/remove", ADMIN_ONLY)],
    "meetings.index": [("GET", "/registry/meetings/", STAFF)],
    "meetings.attendance": [("GET", "/registry/meetings/attendance?year=2021", STAFF)],
    "meetings.new": [("GET", "/registry/meetings/new", ADMIN_ONLY)],
    "meetings.detail": [("GET", "/registry/meetings/{meeting}", STAFF)],
    "meetings.edit": [
        ("GET", "/registry/meetings/{meeting}/edit", ADMIN_ONLY),
        ("POST", "/registry/meetings/{meeting}/edit", ADMIN_ONLY),
    ],
    "meetings.add_item": [("POST", "/registry/meetings/{meeting}/items", ADMIN_ONLY)],
    "meetings.remove_item": [
        ("POST", "/registry/meetings/{meeting}/items/{item}/delete", ADMIN_ONLY)
    ],
    "meetings.attendance_form": [("POST", "/registry/meetings/{meeting}/attendance", ADMIN_ONLY)],
    "meetings.minutes": [("POST", "/registry/meetings/{meeting}/minutes", ADMIN_ONLY)],
    "meetings.add_decision": [("POST", "/registry/meetings/{meeting}/decisions", ADMIN_ONLY)],
    "meetings.remove_decision": [
        ("POST", "/registry/meetings/{meeting}/decisions/{decision}/delete", ADMIN_ONLY)
    ],
    "meetings.add_action": [("POST", "/registry/meetings/{meeting}/actions", ADMIN_ONLY)],
    # Everyone sees the actions they own; only the owner (and an admin) change one.
    "meetings.actions": [("GET", "/registry/actions", LOGGED_IN)],
    "meetings.action_status": [
        (
            "POST",
            "/registry/actions/{action}/status",
            {
                **{r: 404 for r in ROLES},
                "anonymous": LOGIN,
                "admin": OK,
                "organisation_contact": OK,
            },
        )
    ],
    "theme_groups.index": [("GET", "/registry/theme-groups/", STAFF)],
    "theme_groups.new": [("GET", "/registry/theme-groups/new", ADMIN_ONLY)],
    "theme_groups.detail": [("GET", "/registry/theme-groups/{theme}", STAFF)],
    "theme_groups.edit": [("GET", "/registry/theme-groups/{theme}/edit", ADMIN_ONLY)],
    "theme_groups.members": [("POST", "/registry/theme-groups/{theme}/members", ADMIN_ONLY)],
    "projects.index": [("GET", "/registry/projects", STAFF)],
    "projects.new": [("GET", "/registry/projects/new", STAFF)],
    "projects.detail": [("GET", "/registry/projects/{project}", STAFF)],
    "projects.edit": [("GET", "/registry/projects/{project}/edit", STAFF)],
    "projects.add_budget_line": [("POST", "/registry/projects/{project}/budget", STAFF)],
    "projects.remove_budget_line": [
        ("POST", "/registry/projects/{project}/budget/{line}/remove", STAFF)
    ],
    "projects.archive": [("POST", "/registry/projects/{project}/archive", STAFF)],
    "projects.signals": [("GET", "/registry/signals?group=area", STAFF)],
    "projects.new_signal": [("GET", "/registry/signals/new", STAFF)],
    "projects.edit_signal": [("GET", "/registry/signals/{signal}/edit", STAFF)],
    "subsidies.index": [("GET", "/registry/subsidies/", STAFF)],
    "subsidies.new": [("GET", "/registry/subsidies/new", ADMIN_ONLY)],
    "subsidies.detail": [("GET", "/registry/subsidies/{application}", STAFF)],
    "subsidies.edit": [("GET", "/registry/subsidies/{application}/edit", ADMIN_ONLY)],
    "subsidies.new_participant": [
        ("GET", "/registry/subsidies/{application}/participants/new", ADMIN_ONLY)
    ],
    "subsidies.edit_participant": [
        ("GET", "/registry/subsidies/{application}/participants/{participant}/edit", ADMIN_ONLY)
    ],
    "subsidies.remove_participant": [
        ("POST", "/registry/subsidies/{application}/participants/{participant}/remove", ADMIN_ONLY)
    ],
    # The social map: public pages and the HSDS export for everyone; activities kept by staff
    # and by an organisation contact for its own organisation (another's: absent).
    "social_map.index": [("GET", "/sociale-kaart/?area=1&language=srn&day=1", EVERYONE)],
    "social_map.detail": [("GET", "/sociale-kaart/{act_own}", EVERYONE)],
    "social_map.download": [("GET", "/sociale-kaart/activiteiten.csv", EVERYONE)],
    "hsds.index": [("GET", "/hsds/", EVERYONE)],
    "hsds.services": [("GET", "/hsds/services?page=1&per_page=2", EVERYONE)],
    "hsds.service": [("GET", "/hsds/services/{act_own}", EVERYONE)],
    "hsds.organizations": [("GET", "/hsds/organizations", EVERYONE)],
    "hsds.organization": [("GET", "/hsds/organizations/{org_own}", EVERYONE)],
    "activities.index": [("GET", "/registry/activities/", KEEPS_ACTIVITIES)],
    "activities.new": [("GET", "/registry/activities/new", KEEPS_ACTIVITIES)],
    "activities.gaps": [("GET", "/registry/activities/gaps", STAFF)],
    "activities.detail": [
        ("GET", "/registry/activities/{act_own}", KEEPS_ACTIVITIES),
        ("GET", "/registry/activities/{act_oost}", OTHERS_ACTIVITY),
    ],
    "activities.edit": [
        ("GET", "/registry/activities/{act_own}/edit", KEEPS_ACTIVITIES),
        ("GET", "/registry/activities/{act_oost}/edit", OTHERS_ACTIVITY),
    ],
    "activities.checked": [
        ("POST", "/registry/activities/{act_own}/checked", KEEPS_ACTIVITIES),
        ("POST", "/registry/activities/{act_oost}/checked", OTHERS_ACTIVITY),
    ],
    "activities.archive": [
        ("POST", "/registry/activities/{act_oost}/archive", OTHERS_ACTIVITY),
        ("POST", "/registry/activities/{act_own}/archive", KEEPS_ACTIVITIES),
    ],
    "trainings.edit": [("GET", "/trainings/{training}/edit", STAFF)],
    "trainings.archive": [("POST", "/trainings/{training}/archive", STAFF)],
    "trainings.year": [("GET", "/trainings/year?year=2021", STAFF)],
    "trainings.mine": [("GET", "/trainings/mine", VOLUNTEER_ONLY)],
    "cockpit.report_xlsx": [("GET", "/lead/report.xlsx?period=year", STAFF)],
    "cockpit.report_csv": [("GET", "/lead/report.csv?period=month", STAFF)],
}


def test_every_route_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(MATRIX), "add the new route to MATRIX with its rule per role"


def outcome(response) -> object:
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return LOGIN
    if response.status_code in (403, 404):
        return response.status_code
    assert response.status_code in (200, 302, 422), response.status_code
    return OK


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_access_per_role(app, endpoint):
    with app.app_context():
        world = build_world()
    for method, template, expected in MATRIX[endpoint]:
        url = template.format(**world.ids)
        for role in ROLES:
            client = app.test_client()
            if role != "anonymous":
                login(client, world.users[role])
            response = client.open(url, method=method, data={})
            response.close()
            assert outcome(response) == expected[role], f"{method} {url} as {role}"
