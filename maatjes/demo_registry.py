"""The pact's registry in the demo, drawn from the annual review 2021 (seed 004) and the pact's
own description (seed 002). The registry pages compute the review's figures from these records:
27 → 34 members and 19 → 30 partners at the ends of 2020 and 2021, 7 general meetings with 15 to
30 members present, a core group of 7 that met 14 times, the theme groups' meetings, the
projects' reach, and the joint subsidy's 13 → 16 participants and 10 → 14 grants.

Where the seeds give a figure but not the names or dates behind it, the demo fills in what it
must and says so in the record itself:
- the review names 23 of the 27 members of 2020 and 1 of the 19 partners: the others are
  "Lid/Partner zonder naam in de bronnen NN"; organisations the review does not date joined
  "before the end of 2020" and are dated 1 January 2020;
- the 2021 subsidy's 13 participants are not named: they are the 16 of 2022 but three members
  that joined in 2021; which three of them were refused is not said either: the three last
  alphabetically carry that note; no amounts are in the seeds, so none are filled in;
- the core group's seven people and the organisations' contact persons are not named: they get
  an invented first name and initial (``CONTACTS``, function "Contactpersoon"); the Linking Pins
  are the review's own, Linking Pin since ``PIN_SINCE`` (the review's year; the day is not said);
- the municipal priorities per area (the GGU's) are not in the seeds: each area gets the five
  problems the pact's mission names (poverty, unemployment, loneliness, low literacy, early
  school leaving), marked as such.

Every record is found by its natural key before it is made, so loading twice adds nothing.
"""

import re
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from maatjes.models import (
    Action,
    AgendaItem,
    Area,
    Decision,
    Meeting,
    Neighbourhood,
    Organisation,
    Person,
    PersonRole,
    Priority,
    Project,
    Role,
    Signal,
    SubsidyApplication,
    SubsidyParticipant,
    ThemeGroup,
    Training,
    TrainingSession,
    User,
)

BEFORE_2021 = date(2020, 1, 1)
UNNAMED = "zonder naam in de bronnen"

NEIGHBOURHOODS = {
    "Bijlmer-Centrum": ("Amstel III/Bullewijk", "D-buurt", "F-buurt", "H-buurt", "Venserpolder"),
    "Bijlmer-Oost": ("E-buurt", "G-buurt", "K-buurt", "Kantershof", "Nellestein"),
    "Gaasperdam/Driemond": ("Holendrecht", "Reigersbos", "Gein", "Driemond"),
}
PRIORITIES = ("Armoede", "Werkloosheid", "Eenzaamheid", "Laaggeletterdheid", "Schooluitval")

# Members the review names that were members before 2021 (projects, subsidy, Money Maatjes).
MEMBERS_BEFORE_2021 = (
    "Akwaaba Zorg",
    "Buurtwerkkamers",
    "Carabic",
    "Cirkel van Harmonie",
    "Creating Edges",
    "Geef je Kind een voorsprong",
    "Jongeren die het kunnen",
    "Kazerne Reigersbos (UFNM)",
    "Kracht en Pracht",
    "P-team",
    "ProFor",
    "Recogin",
    "SES",
    "Stichting Kankerlotgenoten",
    "SurAnt",
    "Venzo",
)
# "In 2021 zijn de volgende stichtingen lid geworden" (with a month to spread the year).
MEMBERS_2021 = (
    ("Life Skills", 2),
    ("SynchronPlus", 3),
    ("Mfantsiman Association", 4),
    ("Women Motivating Integration", 6),
    ("Treasures Foundation", 9),
    ("Aan de knoppen", 10),
    ("MCTC", 11),
)
PARTNERS_BEFORE_2021 = ("Burgeracademie",)
PARTNERS_2021 = (
    ("Woon!", 1),
    ("Humanitas", 2),
    ("Stichting Hartvrouwen", 3),
    ("Burennetwerk", 3),
    ("Buurtcampus Zuidoost", 4),
    ("GAZO", 5),
    ("Zuidoost City", 6),
    ("Human Empowerment", 9),
    ("Los Latinos", 10),
    ("Toekomstmuziek", 11),
    ("Single SuperMom", 11),
)
MEMBERS_END_2020, PARTNERS_END_2020 = 27, 19

THEME_GROUPS = (
    ("Armoede", 5, "Project Money Maatjes, inclusief trainingen samen met de buurtteams."),
    (
        "Eenzaamheid",
        4,
        "Serie activiteiten in de Week van de Eenzaamheid in 3 wijken van Zuidoost.",
    ),
    ("Jongeren", 3, "Betrokkenheid bij het doorbraakteam jongeren van het Masterplan."),
    (
        "Werk & Participatie",
        3,
        "Intensieve samenwerking met Zuidoost Werkt; plan in ontwikkeling voor een Wijk"
        " Uitzendbureau (betere aansluiting computer- en taalles, vrijwilligerswerk en werk).",
    ),
    (
        "Huiselijk geweld",
        3,
        "Leden in de groep 'Geweldig in Huis'; gezamenlijke activiteiten rond huiselijk geweld;"
        " de training meldcode gevolgd; 2 theatervoorstellingen en een dialoogsessie.",
    ),
)
WONEN = "Wonen"

# The seven general meetings of 2021: day and members present (15 to 30).
GENERAL_MEETINGS_2021 = (
    (date(2021, 1, 26), 15),
    (date(2021, 3, 16), 22),
    (date(2021, 5, 11), 18),
    (date(2021, 6, 29), 25),
    (date(2021, 9, 14), 30),
    (date(2021, 10, 26), 21),
    (date(2021, 12, 7), 27),
)
GUESTS = (
    "Masterplan Zuidoost",
    "Taal Informatie Punt (TIP)",
    "Flying Squad (armoedevoorzieningen)",
    "MDRA (meldpunt racisme)",
    "Tekkie worden",
    "Alliantie Mannenemancipatie",
    "Buurtteams",
    "Burgeracademie",
    "Arkin (Jellinek + preventie basis GGZ)",
    "Jongerenpunt",
    "Zuidoost Werkt",
)
CORE_GROUP = (
    "Venzo",
    "ProFor",
    "SES",
    "Carabic",
    "Cirkel van Harmonie",
    "Recogin",
    "Kazerne Reigersbos (UFNM)",
)
# The contact persons the seeds do not name: invented, a first name and an initial.
CONTACTS = {
    "Aan de knoppen": "Marlon T.",
    "Akwaaba Zorg": "Efua A.",
    "Burgeracademie": "Sanne V.",
    "Carabic": "Rachida E.",
    "Cirkel van Harmonie": "Gloria W.",
    "Creating Edges": "Jermaine K.",
    "Jongeren die het kunnen": "Dario P.",
    "Kazerne Reigersbos (UFNM)": "Ruth M.",
    "Kracht en Pracht": "Shanti R.",
    "MCTC": "Kwame O.",
    "ProFor": "Naomi B.",
    "Recogin": "Yvonne L.",
    "SES": "Ingrid S.",
    "Stichting Kankerlotgenoten": "Hanneke D.",
    "SurAnt": "Rudi J.",
    "SynchronPlus": "Soraya H.",
    "Venzo": "Esther F.",
    "Women Motivating Integration": "Abena N.",
}
PIN_SINCE = date(2021, 6, 1)
LINKING_PINS = {
    "Bijlmer-Centrum": "Lucia Martis",
    "Gaasperdam/Driemond": "Haidy Bijnaar",
    "Bijlmer-Oost": "Dorien Groeneveld",
}
SUBSIDY_2022 = (
    "Aan de knoppen",
    "Stichting Kankerlotgenoten",
    "SES",
    "Akwaaba Zorg",
    "SurAnt",
    "Carabic",
    "Kazerne Reigersbos (UFNM)",
    "SynchronPlus",
    "Cirkel van Harmonie",
    "Kracht en Pracht",
    "Venzo",
    "Creating Edges",
    "MCTC",
    "Women Motivating Integration",
    "Jongeren die het kunnen",
    "ProFor",
)
IJSSIE_NEIGHBOURHOODS = (
    "F-buurt",
    "H-buurt",
    "Venserpolder",
    "E-buurt",
    "G-buurt",
    "K-buurt",
    "Holendrecht",
    "Reigersbos",
)
IJSSIE_SIGNALS = (
    ("Woningnood", WONEN),
    ("Financiële stress", "Armoede"),
    ("Behoefte aan buurtactiviteiten", "Eenzaamheid"),
    ("Gebrek aan informatie over voorzieningen", "Armoede"),
)


def _get(session: Session, model, defaults: dict | None = None, **keys):
    row = session.scalar(select(model).filter_by(**keys))
    if row is None:
        row = model(**keys, **(defaults or {}))
        session.add(row)
        session.flush()
    return row


def _organisation(session: Session, name: str, kind: str, joined: date, note: str = ""):
    org = _get(session, Organisation, {"kind": kind, "status": kind}, name=name)
    if org.joined_on is None:  # loaded before the registry: the date now, and the status
        org.kind, org.status, org.joined_on = kind, kind, joined
    if note and not org.description:
        org.description = note
    return org


def load_registry(session: Session, today: date, *, lead: User | None = None) -> None:
    areas = {a.name: a for a in session.scalars(select(Area))}
    hoods = _areas(session, areas)
    orgs = _organisations(session, areas)
    groups = _theme_groups(session, orgs)
    people = _people(session, orgs, areas, lead, today)
    if lead is not None:  # the demo with its logins
        _contact_login(session, people["Recogin"])
    _meetings(session, orgs, groups, people, today)
    projects = _projects(session, orgs, groups, hoods)
    _signals(session, hoods, groups, projects)
    _subsidies(session, orgs)
    _trainings(session, orgs, people)
    session.flush()


def _areas(session: Session, areas: dict) -> dict[str, Neighbourhood]:
    hoods = {}
    for area_name, names in NEIGHBOURHOODS.items():
        area = areas[area_name]
        for name in names:
            hoods[name] = _get(session, Neighbourhood, area_id=area.id, name=name)
        for position, name in enumerate(PRIORITIES):
            _get(
                session,
                Priority,
                {
                    "position": position,
                    "description": "Uit de missie van het Social Pact; de GGU-tekst van het"
                    " gebied staat niet in de bronnen.",
                },
                area_id=area.id,
                name=name,
            )
    return hoods


def _organisations(session: Session, areas: dict) -> dict[str, Organisation]:
    orgs = {}
    for name in MEMBERS_BEFORE_2021:
        orgs[name] = _organisation(session, name, "member", BEFORE_2021)
    for n in range(1, MEMBERS_END_2020 - len(MEMBERS_BEFORE_2021) + 1):
        name = f"Lid {UNNAMED} {n:02d}"
        orgs[name] = _organisation(
            session, name, "member", BEFORE_2021, "Het jaaroverzicht 2021 telt dit lid mee."
        )
    for name, month in MEMBERS_2021:
        orgs[name] = _organisation(session, name, "member", date(2021, month, 1))
    for name in PARTNERS_BEFORE_2021:
        orgs[name] = _organisation(session, name, "partner", BEFORE_2021)
    for n in range(1, PARTNERS_END_2020 - len(PARTNERS_BEFORE_2021) + 1):
        name = f"Partner {UNNAMED} {n:02d}"
        orgs[name] = _organisation(
            session, name, "partner", BEFORE_2021, "Het jaaroverzicht 2021 telt deze partner mee."
        )
    for name, month in PARTNERS_2021:
        orgs[name] = _organisation(session, name, "partner", date(2021, month, 15))
    # Where the review places them.
    places = {
        "Kazerne Reigersbos (UFNM)": ("Gaasperdam/Driemond",),
        "Carabic": ("Gaasperdam/Driemond",),
        "Jongeren die het kunnen": ("Gaasperdam/Driemond",),
        "SES": ("Bijlmer-Centrum", "Gaasperdam/Driemond"),
        "ProFor": ("Bijlmer-Centrum", "Bijlmer-Oost", "Gaasperdam/Driemond"),
        "Venzo": ("Bijlmer-Centrum", "Bijlmer-Oost", "Gaasperdam/Driemond"),
        "Recogin": ("Bijlmer-Oost",),
        "Cirkel van Harmonie": ("Bijlmer-Oost",),
        "Buurtwerkkamers": ("Bijlmer-Centrum", "Bijlmer-Oost"),
        "Mfantsiman Association": ("Bijlmer-Centrum",),
        "SynchronPlus": ("Gaasperdam/Driemond",),
        "Women Motivating Integration": ("Bijlmer-Oost",),
    }
    for name, area_names in places.items():
        org = orgs[name]
        if not org.areas:
            org.areas = [areas[a] for a in area_names]
    return orgs


def _theme_groups(session: Session, orgs: dict) -> dict[str, ThemeGroup]:
    groups = {}
    for name, _count, result in THEME_GROUPS:
        groups[name] = _get(session, ThemeGroup, {"results": result}, name=name)
    groups[WONEN] = _get(
        session,
        ThemeGroup,
        {"description": "Nieuw: voor de signalen over woningnood uit Ijssie in de Wijk."},
        name=WONEN,
    )
    armoede = groups["Armoede"]
    if not armoede.organisations:
        armoede.organisations = [
            orgs[n] for n in ("ProFor", "Venzo", "SES", "Cirkel van Harmonie", "Recogin")
        ]
    return groups


def _person(session: Session, name: str, org: Organisation | None, **extra) -> Person:
    return _get(session, Person, {"organisation": org, **extra}, name=name)


def _role(session: Session, person: Person, role: str, started: date, **where) -> PersonRole:
    return _get(
        session, PersonRole, {"started_on": started}, person_id=person.id, role=role, **where
    )


def _renamed(session: Session, old: str, new: str) -> None:
    """A person an earlier demo loaded as ``old`` is called ``new`` now (and their account)."""
    if session.scalar(select(Person.id).where(Person.name == new)) is not None:
        return
    person = session.scalar(select(Person).where(Person.name == old))
    if person is not None:
        person.name = new
        if person.user is not None and person.user.name == old:
            person.user.name = new


def _people(session: Session, orgs: dict, areas: dict, lead: User | None, today: date) -> dict:
    people = {}
    for name in sorted({*CORE_GROUP, *SUBSIDY_2022, "Burgeracademie"}):
        org = orgs[name]
        _renamed(session, f"Contactpersoon {name}", CONTACTS[name])
        person = _person(session, CONTACTS[name], org, function="Contactpersoon")
        people[name] = person
        if org.contact_person_id is None:
            org.contact_person = person
    for name in CORE_GROUP:
        _role(session, people[name], PersonRole.CORE_GROUP, date(2020, 9, 1))
    _role(session, people["ProFor"], PersonRole.TRAINER, date(2021, 8, 1))
    # The Linking Pins named in the review; their accounts are the demo's Linking Pin logins
    # (``accounts.create_user`` made a person for each: it gets the review's name).
    for area_name, pin_name in LINKING_PINS.items():
        area = areas[area_name]
        person = session.scalar(
            select(Person)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(PersonRole.role == PersonRole.LINKING_PIN, PersonRole.area_id == area.id)
        )
        if person is None:
            person = _person(session, pin_name, None)
        held = _role(session, person, PersonRole.LINKING_PIN, PIN_SINCE, area_id=area.id)
        if held.started_on > PIN_SINCE:  # recorded with the account, on the day of loading
            held.started_on = PIN_SINCE
        if person.name != pin_name:
            person.name = pin_name
            if person.user is not None:
                person.user.name = pin_name
        people[pin_name] = person
    if lead is not None:
        # The project lead is ProFor's person in the pact: actions agreed in meetings are theirs.
        # The person is named without the organisation the account's name carries
        # ("Marcel Gravenberch (ProFor)"): their organisation is a field of its own.
        name = re.sub(r"\s*\([^)]*\)$", "", lead.name).strip() or lead.name
        person = session.scalar(select(Person).where(Person.user_id == lead.id))
        if person is None:
            person = _person(session, name, orgs["ProFor"], email=lead.email, user=lead)
        elif person.name == lead.name and name != lead.name:
            person.name = name
        people["lead"] = person
    return people


def _contact_login(session: Session, person: Person) -> None:
    """The demo's organisation contact login (recogin@…) is Recogin's contact person's account.
    Made here, where the person gets their name (``maatjes.demo`` looks for a person named
    "Contactpersoon Recogin" only while this login does not exist yet)."""
    from maatjes.demo import DEMO_PASSWORD, DOMAIN
    from maatjes.domain import accounts
    from maatjes.domain.clock import now_utc

    email = f"recogin@{DOMAIN}"
    if person.user_id is not None or session.scalar(select(User.id).where(User.email == email)):
        return
    user, _token = accounts.create_user(
        session,
        email=email,
        name=person.name,
        role=Role.ORGANISATION_CONTACT,
        area=None,
        by=None,
        now=now_utc().replace(tzinfo=None),
        link_hours=1,
        person=person,
    )
    accounts.set_password(user, DEMO_PASSWORD)
    user.demo = True


def _meeting(session: Session, kind: str, held_on: date, group: ThemeGroup | None = None, **kw):
    same_group = Meeting.theme_group_id == group.id if group else Meeting.theme_group_id.is_(None)
    found = session.scalar(
        select(Meeting).where(Meeting.kind == kind, Meeting.held_on == held_on, same_group)
    )
    if found is not None:
        return found, False
    meeting = Meeting(kind=kind, held_on=held_on, theme_group=group, **kw)
    session.add(meeting)
    return meeting, True


def _members_on(orgs: dict, day: date) -> list[Organisation]:
    return sorted(
        (
            o
            for o in orgs.values()
            if o.kind == "member" and o.joined_on is not None and o.joined_on <= day
        ),
        key=lambda o: (UNNAMED in o.name, o.name),
    )


def _meetings(session: Session, orgs: dict, groups: dict, people: dict, today: date) -> None:
    for index, (day, present) in enumerate(GENERAL_MEETINGS_2021):
        meeting, new = _meeting(
            session,
            Meeting.GENERAL,
            day,
            title=f"Algemene vergadering {index + 1}/2021",
            location="Buurthuis, Bijlmer-Centrum",
            minutes="Interne zaken; informatie-uitwisseling over de activiteiten van de leden.",
        )
        if new:
            meeting.organisations = _members_on(orgs, day)[:present]
            for position, guest in enumerate(GUESTS[index::7][:2]):
                meeting.items.append(
                    AgendaItem(position=position, title=f"Presentatie {guest}", guest=guest)
                )
    core = [people[name] for name in CORE_GROUP]
    for n in range(14):
        day = date(2021, 1, 12) + timedelta(days=26 * n)
        meeting, new = _meeting(
            session, Meeting.CORE_GROUP, day, title=f"Kerngroep {n + 1}/2021", location="Venzo"
        )
        if new:
            meeting.people = core
            meeting.organisations = [p.organisation for p in core]
    for name, count, _result in THEME_GROUPS:
        group = groups[name]
        for n in range(count):
            day = date(2021, 2 + n * 2, 8 + (THEME_GROUPS.index((name, count, _result)) * 3))
            meeting, new = _meeting(
                session, Meeting.THEME_GROUP, day, group, title=f"Themagroep {name}"
            )
            if new and group.organisations:
                meeting.organisations = list(group.organisations)
    # A recent general meeting with a decision and an action for the project lead, due
    # yesterday: it shows on the lead's home and in the digest.
    day = today - timedelta(days=21)
    meeting, new = _meeting(
        session,
        Meeting.GENERAL,
        day,
        title="Algemene vergadering",
        location="Buurthuis, Bijlmer-Centrum",
        minutes="Voortgang Money Maatjes; voorbereiding van de handvestondertekening.",
    )
    if new:
        meeting.organisations = _members_on(orgs, day)[:24]
        meeting.items.append(AgendaItem(position=0, title="Voortgang Money Maatjes"))
        meeting.items.append(
            AgendaItem(position=1, title="Sociale kaart", guest="Taal Informatie Punt (TIP)")
        )
        meeting.decisions.append(
            Decision(text="De leden ondertekenen het handvest in de volgende vergadering.")
        )
        owner = people.get("lead") or people["ProFor"]
        meeting.actions.append(
            Action(
                text="Cijfers Money Maatjes voor de subsidieverantwoording rondsturen",
                owner=owner,
                due_on=today - timedelta(days=1),
            )
        )
        meeting.actions.append(
            Action(
                text="Tekst van het handvest naar alle leden sturen",
                owner=people["Venzo"],
                due_on=today + timedelta(days=14),
            )
        )


def _projects(session: Session, orgs: dict, groups: dict, hoods: dict) -> dict[str, Project]:
    def project(name: str, **fields) -> Project:
        found = session.scalar(select(Project).where(Project.name == name))
        if found is not None:
            return found
        participants = fields.pop("organisations", ())
        neighbourhoods = fields.pop("neighbourhoods", ())
        made = Project(name=name, **fields)
        made.organisations = [orgs[n] for n in participants]
        made.neighbourhoods = [hoods[n] for n in neighbourhoods]
        session.add(made)
        return made

    projects = {
        "Money Maatjes": project(
            "Money Maatjes",
            key=Project.MONEY_MAATJES,
            description="Vrijwilligers die de eigen taal spreken ondersteunen bewoners met"
            " geldzorgen als vertrouwenspersoon: wekelijks contact, minimaal drie maanden.",
            lead_organisation=orgs["ProFor"],
            theme_group=groups["Armoede"],
            started_on=date(2021, 9, 1),
            organisations=(
                "Cirkel van Harmonie",
                "SES",
                "ProFor",
                "Recogin",
                "Buurtwerkkamers",
                "SynchronPlus",
                "P-team",
                "Stichting Kankerlotgenoten",
                "Women Motivating Integration",
                "Venzo",
            ),
        ),
        "Ijssie in de Wijk": project(
            "Ijssie in de Wijk",
            description="Met een schaafijsje of een kop koffie informatie over hulp en"
            " voorzieningen mondeling de wijken in brengen.",
            lead_organisation=orgs["ProFor"],
            theme_group=groups["Armoede"],
            started_on=date(2021, 8, 1),
            ended_on=date(2021, 11, 30),
            volunteers=24,
            residents_reached=800,
            results="Ruim 800 bewoners gesproken in acht wijken; signalen: woningnood,"
            " financiële stress, behoefte aan buurtactiviteiten, gebrek aan informatie.",
            organisations=(
                "Recogin",
                "Women Motivating Integration",
                "SES",
                "SynchronPlus",
                "Cirkel van Harmonie",
                "Venzo",
                "Kazerne Reigersbos (UFNM)",
                "Carabic",
                "ProFor",
            ),
            neighbourhoods=IJSSIE_NEIGHBOURHOODS,
        ),
        "Masterplan Zozoom": project(
            "Masterplan Zozoom",
            description="Gesprekken tussen de vormgevers van het Masterplan en bewoners.",
            lead_organisation=orgs["Venzo"],
            started_on=date(2021, 1, 18),
            ended_on=date(2021, 1, 25),
            residents_reached=175,
            results="10 sessies, 175 bewoners; concrete handvatten voor het Masterplan.",
        ),
        "Community Center Mijehof": project(
            "Community Center Mijehof",
            description="Een tijdelijke voorziening voor jongeren in de voormalige school"
            " Mijehof, in beheer en programmering van buurtbewoners.",
            theme_group=groups["Jongeren"],
            started_on=date(2021, 1, 1),
            organisations=("SES", "Carabic", "Venzo", "Jongeren die het kunnen"),
            neighbourhoods=("Holendrecht",),
            results="Kernteam van bewoners gevormd; wensen en eisen met jongeren en ouders in"
            " kaart; verbouwing in gang gezet.",
        ),
        "Kerstproject basisscholen": project(
            "Kerstproject basisscholen",
            description="Kerstpresentjes voor kinderen van basisscholen.",
            lead_organisation=orgs["ProFor"],
            started_on=date(2021, 12, 1),
            ended_on=date(2021, 12, 31),
            residents_reached=350,
            organisations=(
                "SES",
                "Cirkel van Harmonie",
                "Geef je Kind een voorsprong",
                "Kazerne Reigersbos (UFNM)",
            ),
            neighbourhoods=("K-buurt", "Reigersbos"),
            results="350 kinderen kregen een kerstpresentje.",
        ),
    }
    session.flush()
    return projects


def _signals(session: Session, hoods: dict, groups: dict, projects: dict) -> None:
    ijssie = projects["Ijssie in de Wijk"]
    for title, group_name in IJSSIE_SIGNALS:
        for hood_name in IJSSIE_NEIGHBOURHOODS:
            hood = hoods[hood_name]
            _get(
                session,
                Signal,
                {
                    "theme_group_id": groups[group_name].id,
                    "project_id": ijssie.id,
                    "routed_on": date(2021, 12, 1),
                    "description": "Gehoord door de vrijwilligers van Ijssie in de Wijk.",
                },
                title=title,
                neighbourhood_id=hood.id,
                heard_on=date(2021, 11, 30),
            )


def _subsidies(session: Session, orgs: dict) -> None:
    venzo = orgs["Venzo"]
    # For the work of 2021 (13, not named): the 16 of 2022 but three that joined in 2021.
    joined_later = {"Aan de knoppen", "MCTC", "Women Motivating Integration"}
    earlier = sorted(n for n in SUBSIDY_2022 if n not in joined_later)
    refused_2021 = set(earlier[-3:])
    applications = (
        (2021, date(2020, 9, 30), earlier, refused_2021, ""),
        (
            2022,
            date(2021, 9, 30),
            SUBSIDY_2022,
            {"SurAnt", "MCTC"},
            "Ook een deel van de activiteiten van de andere organisaties is afgewezen, en voor"
            " de ondersteuning van het Social Pact is minder toegekend dan aangevraagd.",
        ),
    )
    for year, submitted, names, refused, note in applications:
        application = _get(
            session,
            SubsidyApplication,
            {
                "lead_organisation_id": venzo.id,
                "submitted_on": submitted,
                "starts_on": date(year, 1, 1),
                "ends_on": date(year, 12, 31),
                "note": note,
            },
            funder="Stadsdeel Zuidoost",
            scheme="Sociale Basis",
            year=year,
        )
        for name in names:
            rejected = name in refused
            reason = ""
            if rejected and year == 2021:
                reason = "Welke drie aanvragen zijn afgewezen staat niet in de bronnen."
            elif rejected:
                reason = "Afgewezen (jaaroverzicht 2021)."
            _get(
                session,
                SubsidyParticipant,
                {
                    "decision": SubsidyParticipant.REJECTED
                    if rejected
                    else SubsidyParticipant.GRANTED,
                    "reason": reason,
                },
                application_id=application.id,
                organisation_id=orgs[name].id,
            )


def _trainings(session: Session, orgs: dict, people: dict) -> None:
    """The core loop's trainings are the pact's catalogue: the meldcode training is a central
    one (with the Burgeracademie); the volunteer trainings are Money Maatjes' own."""
    for training in session.scalars(select(Training)):
        if training.kind == "other" and training.provider == "project":
            training.provider = "central"
    meldcode = session.scalar(
        select(TrainingSession)
        .join(Training, Training.id == TrainingSession.training_id)
        .where(Training.provider == "central")
        .order_by(TrainingSession.held_on.desc())
    )
    if meldcode is not None and not meldcode.invited:
        meldcode.invited = [orgs[n] for n in CORE_GROUP]
        meldcode.people = [people[n] for n in ("SES", "Carabic", "Recogin")]
