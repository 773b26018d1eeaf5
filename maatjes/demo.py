"""Demo data drawn from the seeds: the organisations that supplied the first Money Maatjes,
the three areas of Zuidoost with their buurtteams and Linking Pins, eight volunteers, residents
waiting and matched, contacts and handovers. Dates are relative to today so the weeks look alive.
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from maatjes.domain import accounts, handovers, matching, residents, weeks
from maatjes.domain.clock import AMSTERDAM, local_today, now_utc
from maatjes.domain.contacts import ContactInput, log_contact
from maatjes.domain.handovers import HandoverInput
from maatjes.domain.languages import LanguageChoice
from maatjes.domain.training import record_attendance
from maatjes.domain.volunteers import VolunteerInput, save_volunteer
from maatjes.models import (
    Area,
    Language,
    Organisation,
    Role,
    Training,
    TrainingSession,
    User,
)

DEMO_PASSWORD = "maatjes-demo"
DOMAIN = "demo.moneymaatjes.nl"

AREAS = ("Bijlmer-Centrum", "Bijlmer-Oost", "Gaasperdam/Driemond")
MEMBERS = (
    "Cirkel van Harmonie",
    "SES",
    "ProFor",
    "Recogin",
    "Buurtwerkkamers",
    "SynchronPlus",
    "P-team",
    "Stichting Kankerlotgenoten",
    "Venzo",
    "Mfantsiman Association",
)
PARTNERS = ("Burgeracademie", "Humanitas")
TRAININGS = (
    ("Basistraining vrijwilligers", "basic"),
    ("Money Maatje training", "money_maatje"),
    ("Meldcode huiselijk geweld", "other"),
)

# name, organisation, languages, areas, fully trained
VOLUNTEERS = (
    ("Akosua Boateng", "Recogin", "tw, ak, en, nl", ("Bijlmer-Oost",), True),
    ("Kwame Mensah", "Mfantsiman Association", "fat, tw, en", ("Bijlmer-Centrum",), True),
    ("Shanti Ramdin", "SynchronPlus", "hns, nl, hi", ("Gaasperdam/Driemond",), True),
    ("Marisol Pietersz", "Cirkel van Harmonie", "pap, nl, es", ("Bijlmer-Oost",), True),
    ("Ricardo Doorson", "Buurtwerkkamers", "srn, nl", ("Bijlmer-Centrum", "Bijlmer-Oost"), True),
    ("Fatima El Amrani", "P-team", "ar, fr, nl", ("Gaasperdam/Driemond",), True),
    ("Joana Tavares", "SES", "pt, es, nl", ("Bijlmer-Centrum",), True),
    ("Emre Yilmaz", "Stichting Kankerlotgenoten", "tr, nl", ("Bijlmer-Oost",), False),
)

# first, last, phone, area, neighbourhood, languages, needs, source, weeks ago matched to
RESIDENTS = (
    (
        "Ama",
        "Owusu",
        "06 1100 0001",
        "Bijlmer-Oost",
        "K-buurt",
        "tw, en",
        ["debts", "tax_office"],
        "buurtteam",
        ("Akosua Boateng", 9),
    ),
    (
        "Kofi",
        "Asante",
        "06 1100 0002",
        "Bijlmer-Centrum",
        "F-buurt",
        "fat, en",
        ["paperwork", "allowances"],
        "member_organisation",
        ("Kwame Mensah", 14),
    ),
    (
        "Efua",
        "Quaye",
        "06 1100 0003",
        "Bijlmer-Centrum",
        "H-buurt",
        "fat, tw",
        ["budgeting"],
        "ijssie",
        ("Kwame Mensah", 4),
    ),
    (
        "Sunita",
        "Jagesar",
        "06 1100 0004",
        "Gaasperdam/Driemond",
        "Reigersbos",
        "hns, nl",
        ["debts", "buurtteam"],
        "self",
        ("Shanti Ramdin", 6),
    ),
    (
        "Glenn",
        "Kromodimedjo",
        "06 1100 0005",
        "Bijlmer-Centrum",
        "Kraaiennest",
        "srn, nl",
        ["tax_office"],
        "buurtteam",
        ("Ricardo Doorson", 2),
    ),
    (
        "Yaa",
        "Agyeman",
        "06 1100 0006",
        "Bijlmer-Oost",
        "G-buurt",
        "tw",
        ["paperwork"],
        "ijssie",
        None,
    ),
    (
        "Abena",
        "Darko",
        "06 1100 0007",
        "Bijlmer-Centrum",
        "D-buurt",
        "fat",
        ["debts"],
        "buurtteam",
        None,
    ),
    (
        "Rudsel",
        "Martina",
        "06 1100 0008",
        "Bijlmer-Oost",
        "E-buurt",
        "pap, nl",
        ["allowances", "budgeting"],
        "member_organisation",
        None,
    ),
    (
        "Ayşe",
        "Demir",
        "06 1100 0009",
        "Bijlmer-Oost",
        "Kantershof",
        "tr",
        ["paperwork"],
        "self",
        None,
    ),
    (
        "Marlon",
        "Pinas",
        "06 1100 0010",
        "Bijlmer-Centrum",
        "Venserpolder",
        "srn",
        ["debts"],
        "ijssie",
        None,
    ),
)


def _get_or_create(session: Session, model, defaults: dict | None = None, **keys):
    row = session.scalar(select(model).filter_by(**keys))
    if row is None:
        row = model(**keys, **(defaults or {}))
        session.add(row)
        session.flush()
    return row


def _user(session: Session, email: str, name: str, role: str, area: Area | None = None) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        now = now_utc().replace(tzinfo=None)
        user, _token = accounts.create_user(
            session,
            email=email,
            name=name,
            role=role,
            area=area,
            by=None,
            now=now,
            link_hours=1,
        )
        accounts.set_password(user, DEMO_PASSWORD)
        user.demo = True  # password alone, but only while the app runs in demo mode
    return user


def _codes(text: str) -> list[LanguageChoice]:
    return [LanguageChoice(code.strip()) for code in text.split(",")]


def demo_loaded(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.email == f"lead@{DOMAIN}")) is not None


def load_demo(session: Session, today: date | None = None) -> list[tuple[str, str]]:
    """Load the demo; returns (role, e-mail) of the demo logins. A second run adds nothing."""
    today = today or local_today()
    areas = {name: _get_or_create(session, Area, name=name) for name in AREAS}
    orgs = {
        name: _get_or_create(session, Organisation, {"kind": "member"}, name=name)
        for name in MEMBERS
    }
    for name in PARTNERS:
        orgs[name] = _get_or_create(session, Organisation, {"kind": "partner"}, name=name)
    _get_or_create(session, Language, {"custom_name": "Sarnami Hindustani"}, code="hns")
    trainings = {
        kind: _get_or_create(session, Training, {"kind": kind}, name=name)
        for name, kind in TRAININGS
    }

    logins = [
        ("admin", f"admin@{DOMAIN}"),
        ("lead", f"lead@{DOMAIN}"),
        ("volunteer", f"akosua@{DOMAIN}"),
        ("volunteer", f"kwame@{DOMAIN}"),
        ("buurtteam", f"buurtteam.oost@{DOMAIN}"),
        ("linking_pin", f"linkingpin.oost@{DOMAIN}"),
        ("buurtteam", f"buurtteam.centrum@{DOMAIN}"),
        ("linking_pin", f"linkingpin.gaasperdam@{DOMAIN}"),
        ("organisation_contact", f"recogin@{DOMAIN}"),
    ]
    if session.scalar(select(User.id).where(User.email == f"lead@{DOMAIN}")):
        # The scenario below is loaded once; accounts loaded before the `demo` mark get it.
        session.execute(
            update(User)
            .where(User.email.like(f"%@{DOMAIN}"), User.demo.is_(False))
            .values(demo=True)
        )
        _registry(session, today)
        return logins

    _user(session, f"admin@{DOMAIN}", "Sandra Venzo (Venzo)", Role.ADMIN)
    lead = _user(session, f"lead@{DOMAIN}", "Marcel Gravenberch (ProFor)", Role.LEAD)
    short = {
        "Bijlmer-Centrum": "centrum",
        "Bijlmer-Oost": "oost",
        "Gaasperdam/Driemond": "gaasperdam",
    }
    area_users = {}
    for area_name, key in short.items():
        area = areas[area_name]
        area_users[area_name] = _user(
            session, f"buurtteam.{key}@{DOMAIN}", f"Buurtteam {area_name}", Role.BUURTTEAM, area
        )
        _user(
            session,
            f"linkingpin.{key}@{DOMAIN}",
            f"Linking Pin {area_name}",
            Role.LINKING_PIN,
            area,
        )

    basic = TrainingSession(
        training=trainings["basic"],
        held_on=today - timedelta(days=140),
        trainer_organisation=orgs["ProFor"],
    )
    money = TrainingSession(
        training=trainings["money_maatje"],
        held_on=today - timedelta(days=120),
        trainer_organisation=orgs["ProFor"],
    )
    meldcode = TrainingSession(
        training=trainings["other"],
        held_on=today - timedelta(days=60),
        trainer_organisation=orgs["Burgeracademie"],
    )
    session.add_all([basic, money, meldcode])

    volunteers = {}
    for name, org, langs, area_names, trained in VOLUNTEERS:
        first = name.split()[0].lower()
        user = _user(session, f"{first}@{DOMAIN}", name, Role.VOLUNTEER)
        volunteer = save_volunteer(
            session,
            None,
            VolunteerInput(
                name=name,
                organisation=orgs[org],
                phone=f"06 2200 00{len(volunteers) + 1:02d}",
                email=f"{first}@{DOMAIN}",
                languages=_codes(langs),
                areas=[areas[a] for a in area_names],
                availability="Doordeweeks 's avonds, zaterdagochtend",
                vog_date=today - timedelta(days=200),
                user=user,
            ),
            today=today,
        )
        record_attendance(session, volunteer, basic, completed=True)
        if trained:
            record_attendance(session, volunteer, money, completed=True)
        volunteers[name] = volunteer
    record_attendance(session, volunteers["Akosua Boateng"], meldcode, completed=True)

    for index, (first, last, phone, area, hood, langs, needs, source, matched) in enumerate(
        RESIDENTS
    ):
        # The intake: a week before the match starts; the waiting ones some days to weeks ago.
        registered = today - (
            timedelta(weeks=matched[1] + 1) if matched else timedelta(days=4 + 6 * index)
        )
        resident = residents.register_resident(
            session,
            residents.ResidentInput(
                first_name=first,
                last_name=last,
                phone=phone,
                area=areas[area],
                neighbourhood=hood,
                languages=_codes(langs),
                needs=needs,
                source=source,
                consent=True,
                consent_on=registered,
            ),
            by=lead,
            today=today,
        )
        _happened_on(resident, registered)
        if not matched:
            continue
        volunteer_name, weeks_ago = matched
        volunteer = volunteers[volunteer_name]
        start = today - timedelta(weeks=weeks_ago)
        match = matching.assign_resident(
            session,
            volunteer_id=volunteer.id,
            resident=resident,
            started_on=start,
            by=lead,
            today=start,
        )
        _happened_on(match, start - timedelta(days=3))
        current = weeks.week_number(start, today)
        for number in range(1, current + 1):
            monday = weeks.week_start(start) + timedelta(weeks=number - 1)
            day = max(start, monday + timedelta(days=1))
            # Leave this week open for most residents, and last week missed for Ama.
            if day > today or (number == current and first != "Kofi"):
                continue
            if first == "Ama" and number == current - 1:
                continue
            log_contact(
                session,
                match,
                ContactInput(
                    contact_on=day,
                    kind=("visit" if number % 3 == 0 else "phone"),
                    duration_minutes=30 + 15 * (number % 3),
                    topics=needs[:1],
                    stress_score=max(2, 9 - number // 2),
                    note=(
                        "Letter from the bailiff; she is worried about the rent."
                        if first == "Sunita" and number == current - 1
                        else ""
                    ),
                    needs_attention=(first == "Sunita" and number == current - 1),
                ),
                by=volunteer.user,
                today=today,
            )

    _past_matches(session, volunteers, areas, lead, today)

    ama = _resident(session, "Ama")
    handovers.start_handover(
        session,
        ama,
        HandoverInput(
            reason="Schulden bij meerdere schuldeisers; formele schuldhulp nodig.",
            needs="Aanmelding schuldhulpverlening, samen met maatje naar eerste gesprek.",
            urgency="urgent",
            consent=True,
            consent_on=today - timedelta(days=3),
        ),
        by=volunteers["Akosua Boateng"].user,
        today=today,
    )
    sunita = _resident(session, "Sunita")
    sent = handovers.start_handover(
        session,
        sunita,
        HandoverInput(
            reason="Huurachterstand; buurtteam kan met verhuurder bemiddelen.",
            needs="Contact met woningcorporatie.",
            urgency="normal",
            consent=True,
            consent_on=today - timedelta(days=10),
        ),
        by=volunteers["Shanti Ramdin"].user,
        today=today,
    )
    linking_pin = session.scalar(
        select(User).where(User.email == f"linkingpin.gaasperdam@{DOMAIN}")
    )
    handovers.transition(
        session,
        sent,
        "accept",
        by=linking_pin,
        today=today,
        receiver_name="Linda de Vries",
        receiver_phone="020 555 0142",
    )

    marlon = _resident(session, "Marlon")
    handovers.refer_to_maatjes(
        session,
        marlon,
        HandoverInput(
            reason="Zoekt iemand die Sranantongo spreekt voor hulp met post en schulden.",
            needs="Wekelijks samen de post doornemen.",
            urgency="normal",
            consent=True,
            consent_on=today - timedelta(days=2),
        ),
        by=area_users["Bijlmer-Centrum"],
        today=today,
    )
    session.flush()
    _registry(session, today)
    return logins


def _registry(session: Session, today: date) -> None:
    """The pact's registry around the casework (``demo_registry``, which also makes the account
    of Recogin's contact person, an organisation contact), and the social map's activities
    (``demo_social_map``)."""
    from maatjes.demo_registry import load_registry
    from maatjes.demo_social_map import load_social_map

    lead = session.scalar(select(User).where(User.email == f"lead@{DOMAIN}"))
    load_registry(session, today, lead=lead)
    session.flush()
    load_social_map(session, today)


# Support that ended this year, so the dashboard and the report show outcomes, durations, an
# evaluation and a change in stress: (first, last, phone, area, neighbourhood, languages, needs,
# source, maatje, started weeks ago, weeks of support, outcome, reason, evaluation week).
PAST = (
    ("Yvonne", "Pinas", "06 1100 0011", "Bijlmer-Centrum", "F-buurt", "srn, nl", ["debts"],
     "buurtteam", "Ricardo Doorson", 34, 17, "buurtteam",
     "Schuldhulptraject gestart bij het buurtteam; warme overdracht gedaan.", 13),
    ("Lúcia", "Fernandes", "06 1100 0012", "Bijlmer-Centrum", "H-buurt", "pt, es",
     ["paperwork", "allowances"], "member_organisation", "Joana Tavares", 28, 20,
     "goals_reached", "", 13),
    ("Rosa", "Martina", "06 1100 0013", "Bijlmer-Oost", "Kantershof", "pap, nl", ["budgeting"],
     "self", "Marisol Pietersz", 15, 5, "moved",
     "Verhuisd naar familie in Almere; daar aangemeld bij de schuldhulp.", None),
)  # fmt: skip


def _past_matches(session: Session, volunteers: dict, areas: dict, lead, today: date) -> None:
    for (first, last, phone, area, hood, langs, needs, source, maatje, weeks_ago, ran, outcome,
         reason, evaluation_week) in PAST:  # fmt: skip
        start = today - timedelta(weeks=weeks_ago)
        resident = residents.register_resident(
            session,
            residents.ResidentInput(
                first_name=first,
                last_name=last,
                phone=phone,
                area=areas[area],
                neighbourhood=hood,
                languages=_codes(langs),
                needs=needs,
                source=source,
                consent=True,
                consent_on=start - timedelta(weeks=1),
            ),
            by=lead,
            today=today,
        )
        _happened_on(resident, start - timedelta(weeks=1))
        volunteer = volunteers[maatje]
        match = matching.assign_resident(
            session, volunteer_id=volunteer.id, resident=resident, started_on=start, by=lead,
            today=start,
        )  # fmt: skip
        _happened_on(match, start - timedelta(days=3))
        for number in range(1, ran + 1):
            if number % 6 == 4:  # now and then a week without contact
                continue
            log_contact(
                session,
                match,
                ContactInput(
                    contact_on=max(
                        start, weeks.week_start(start) + timedelta(weeks=number - 1, days=2)
                    ),
                    kind="visit" if number % 2 else "phone",
                    duration_minutes=45,
                    topics=needs[:1],
                    stress_score=max(3, 8 - number // 3),
                    evaluation=number == evaluation_week,
                ),
                by=volunteer.user,
                today=today,
            )
        matching.end_match(
            session,
            match,
            ended_on=weeks.week_start(start) + timedelta(weeks=ran - 1, days=4),
            outcome=outcome,
            reason=reason,
            needs_new_maatje=False,
            today=today,
        )


def _happened_on(record, day: date) -> None:
    """Date a demo record as if it had been entered on ``day`` (at 10:00 in Amsterdam), so
    that waiting times and time to match look like a running programme, not all "today"."""
    record.created_at = (
        datetime.combine(day, time(10), tzinfo=AMSTERDAM).astimezone(UTC).replace(tzinfo=None)
    )


def _resident(session: Session, first_name: str):
    from maatjes.models import Resident

    return session.scalar(select(Resident).where(Resident.first_name == first_name))
