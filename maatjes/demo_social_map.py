"""The social map in the demo: the activities the seeds mention, placed in their areas and
neighbourhoods, on the registry ``demo_registry`` loads (organisations, areas, neighbourhoods,
the areas' priorities and the theme groups, all looked up by name).

From the seeds: the Buurtwerkkamers, Money Maatjes (ProFor with the buurtteams, in each area),
the Community Center Mijehof in Holendrecht (SES, Carabic, Venzo, Jongeren die het kunnen), the
Kerstproject of the primary schools (K-buurt and Kazerne Reigersbos), Ijssie in de Wijk (the
"Pak je Kans" information), the Masterplan Zozoom sessions, the Burgeracademie's trainings (the
meldcode, and the trainings with ProFor for volunteers), the Week van de Eenzaamheid, the
computer and language lessons of Werk & Participatie, and the members' and partners' own offer
(women's groups, language cafés, homework help, home administration, housing advice …).

The seeds give no addresses, times, phone numbers or prices: those are invented for the demo
(street names of Zuidoost, numbers in the fictional 020 123 45xx range, addresses at
example.org). Work (Werkloosheid) is left without an activity in Bijlmer-Oost and in
Gaasperdam/Driemond, as the review's Werk & Participatie group still had its plan for a Wijk
Uitzendbureau "in development": the gap table shows those cells empty. A few activities were
last checked more than a year ago, so that the map marks them and the scheduler reminds their
organisations.

Every activity is found by organisation and name before it is made: loading twice adds nothing.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from maatjes.domain import phones
from maatjes.domain.languages import LanguageChoice, ensure_languages
from maatjes.models import (
    Activity,
    ActivitySchedule,
    ActivityTargetGroup,
    Area,
    Neighbourhood,
    Organisation,
    Priority,
    ThemeGroup,
)

DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
MARKER = "example.org"


@dataclass(frozen=True)
class Spec:
    organisation: str
    name: str
    description: str
    area: str | None
    neighbourhood: str | None = None
    location_name: str = ""
    address: str = ""
    postal_code: str = ""
    place: str = Activity.AT_ADDRESS
    # ("tue", "10:00", "12:00"): every week; (days from today, "19:00", "21:00"): once.
    weekly: tuple = ()
    once: tuple = ()
    languages: str = "nl"
    cost: str = Activity.FREE
    cost_amount: str | None = None
    access: str = Activity.WALK_IN
    target_groups: tuple = ()
    ages: tuple[int | None, int | None] = (None, None)
    phone: str = ""
    email: str = ""
    theme: str | None = None
    priority: str | None = None
    # Days since it was last checked, or months (a stale one).
    checked_days_ago: int = 30
    checked_months_ago: int | None = None


OOST, CENTRUM, GAASPERDAM = "Bijlmer-Oost", "Bijlmer-Centrum", "Gaasperdam/Driemond"
ARMOEDE, WERK, EENZAAMHEID, TAAL, SCHOOL = (
    "Armoede",
    "Werkloosheid",
    "Eenzaamheid",
    "Laaggeletterdheid",
    "Schooluitval",
)


def _christmas(today: date) -> int:
    """Days to the next Kerstproject afternoon (18 December)."""
    day = date(today.year, 12, 18)
    if day < today:
        day = date(today.year + 1, 12, 18)
    return (day - today).days


def _money_maatjes(area: str, hood: str, phone: str, languages: str, days: int) -> Spec:
    return Spec(
        "ProFor",
        f"Money Maatjes {area}",
        "Een vrijwilliger die uw eigen taal spreekt helpt u als vertrouwenspersoon bij"
        " geldzorgen: wekelijks contact, minstens drie maanden, samen naar de Belastingdienst of"
        " het buurtteam. Aanmelden via het buurtteam of de Linking Pin van uw gebied.",
        area,
        hood,
        place=Activity.AT_HOME,
        languages=languages,
        access=Activity.REFERRAL,
        target_groups=("adults", "families"),
        ages=(18, None),
        phone=phone,
        email=f"moneymaatjes@{MARKER}",
        theme="Armoede",
        priority=ARMOEDE,
        checked_days_ago=days,
    )


def specs(today: date) -> tuple[Spec, ...]:
    christmas = _christmas(today)
    return (
        # Bijlmer-Oost
        Spec(
            "Buurtwerkkamers",
            "Buurtwerkkamer Kraaiennest: open ochtend",
            "Koffie, een praatje en hulp van buren voor buren. Bewoners helpen elkaar met"
            " formulieren, een klusje of gewoon gezelschap: iedereen kan iets.",
            OOST,
            "K-buurt",
            "Buurtwerkkamer Kraaiennest",
            "Kraaiennest 120",
            "1104 CG",
            weekly=(("tue", "10:00", "12:30"), ("thu", "10:00", "12:30")),
            languages="nl, srn, en",
            target_groups=("adults", "older_people"),
            phone="020 123 4501",
            email=f"kraaiennest@{MARKER}",
            theme="Eenzaamheid",
            priority=EENZAAMHEID,
            checked_days_ago=21,
        ),
        Spec(
            "Cirkel van Harmonie",
            "Geldspreekuur in het Sranantongo",
            "Vragen over brieven, rekeningen, toeslagen of schulden? Een vrijwilliger kijkt met"
            " u mee, in het Sranantongo, Papiaments of Nederlands, en brengt u zo nodig in"
            " contact met het buurtteam.",
            OOST,
            "G-buurt",
            "Ontmoetingsruimte Ganzenhoef",
            "Ganzenhoef 80",
            "1103 AZ",
            weekly=(("tue", "13:00", "15:00"),),
            languages="srn, nl, pap",
            target_groups=("adults", "older_people"),
            phone="020 123 4502",
            email=f"cirkelvanharmonie@{MARKER}",
            theme="Armoede",
            priority=ARMOEDE,
            checked_days_ago=45,
        ),
        Spec(
            "Recogin",
            "Budgetcafé",
            "Samen grip op geld: uitzoeken wat er binnenkomt en uitgaat, welke regelingen van"
            " Pak je Kans bij u passen, en hoe u een betalingsregeling treft.",
            OOST,
            "E-buurt",
            "Buurthuis Egeldonk",
            "Egeldonk 12",
            "1103 RA",
            weekly=(("thu", "19:00", "21:00"),),
            languages="tw, ak, en, nl",
            access=Activity.SIGN_UP,
            target_groups=("adults", "newcomers"),
            phone="020 123 4503",
            email=f"recogin@{MARKER}",
            theme="Armoede",
            priority=ARMOEDE,
            checked_days_ago=60,
        ),
        Spec(
            "Recogin",
            "Taalcafé Nederlands",
            "Nederlands oefenen in een kleine groep, met uitleg in het Engels of Twi waar het"
            " nodig is. Geen les, wel veel praten.",
            OOST,
            "Kantershof",
            "Buurtkamer Kantershof",
            "Kantershof 301",
            "1104 HG",
            weekly=(("mon", "19:00", "20:30"),),
            languages="nl, en, tw",
            target_groups=("adults", "newcomers"),
            phone="020 123 4504",
            theme="Werk & Participatie",
            priority=TAAL,
            checked_months_ago=13,
        ),
        Spec(
            "Women Motivating Integration",
            "Vrouwengroep WMI",
            "Vrouwen uit Zuidoost ontmoeten elkaar, delen ervaringen en leren van elkaar: over"
            " opvoeding, gezondheid, geld en de weg in Nederland.",
            OOST,
            "G-buurt",
            "Wijkcentrum Gravestein",
            "Gravestein 5",
            "1103 BT",
            weekly=(("fri", "10:00", "12:30"),),
            languages="en, nl, tw, ar",
            target_groups=("women", "newcomers"),
            phone="020 123 4505",
            email=f"wmi@{MARKER}",
            theme="Eenzaamheid",
            priority=EENZAAMHEID,
            checked_days_ago=14,
        ),
        Spec(
            "Stichting Kankerlotgenoten",
            "Inloop voor mensen met kanker en hun naasten",
            "Een kop koffie en een luisterend oor bij lotgenoten. Ook voor mantelzorgers.",
            OOST,
            "Nellestein",
            "Gezondheidscentrum Nellestein",
            "Nellesteinpad 4",
            "1104 KB",
            weekly=(("wed", "13:30", "16:00"),),
            languages="nl, tr, srn, en",
            target_groups=("adults", "older_people"),
            phone="020 123 4506",
            theme="Eenzaamheid",
            priority=EENZAAMHEID,
            checked_days_ago=90,
        ),
        Spec(
            "Aan de knoppen",
            "Computerles voor beginners",
            "Leren werken met de computer en de telefoon: DigiD, e-mail, online formulieren van"
            " de gemeente en de Belastingdienst. Een laptop is er voor u.",
            OOST,
            "K-buurt",
            "Buurtwerkkamer Kraaiennest",
            "Kraaiennest 120",
            "1104 CG",
            weekly=(("mon", "13:00", "15:00"), ("wed", "13:00", "15:00")),
            languages="nl, en, pap",
            cost=Activity.PAID,
            cost_amount="10.00",
            access=Activity.SIGN_UP,
            target_groups=("adults", "older_people"),
            phone="020 123 4507",
            theme="Werk & Participatie",
            priority=TAAL,
            checked_days_ago=120,
        ),
        Spec(
            "Toekomstmuziek",
            "Muziekles na school",
            "Samen muziek maken na schooltijd: zang, slagwerk en blazers. Instrumenten zijn er.",
            OOST,
            "Kantershof",
            "Brede school Kantershof",
            "Kantershof 150",
            "1104 HE",
            weekly=(("wed", "14:30", "16:30"),),
            languages="nl",
            cost=Activity.PAID,
            cost_amount="5.00",
            access=Activity.SIGN_UP,
            target_groups=("children",),
            ages=(6, 12),
            phone="020 123 4508",
            theme="Jongeren",
            priority=SCHOOL,
            checked_days_ago=75,
        ),
        Spec(
            "ProFor",
            "Kerstproject basisscholen",
            "Een kerstmiddag met een presentje voor kinderen van de basisscholen in de K-buurt,"
            " met SES, Cirkel van Harmonie en Geef je Kind een voorsprong (in 2021: 350"
            " kinderen).",
            OOST,
            "K-buurt",
            "Buurtwerkkamer Kraaiennest",
            "Kraaiennest 120",
            "1104 CG",
            once=((christmas, "14:00", "17:00"),),
            languages="nl, en, srn, tw",
            access=Activity.SIGN_UP,
            target_groups=("children", "families"),
            ages=(4, 12),
            phone="020 123 4509",
            theme="Armoede",
            priority=ARMOEDE,
            checked_days_ago=30,
        ),
        _money_maatjes(OOST, "K-buurt", "020 123 4510", "nl, tw, ak, pap, srn, en, tr", 7),
        # Bijlmer-Centrum
        Spec(
            "Buurtwerkkamers",
            "Buurtwerkkamer Hoogoord: samen koken en eten",
            "Samen koken, samen eten: iedere woensdag een maaltijd voor een klein bedrag."
            " In de Week van de Eenzaamheid met een extra buurtdiner.",
            CENTRUM,
            "H-buurt",
            "Buurtwerkkamer Hoogoord",
            "Hoogoord 63",
            "1102 CE",
            weekly=(("wed", "16:30", "19:30"),),
            languages="nl, srn, pap",
            cost=Activity.PAID,
            cost_amount="2.50",
            target_groups=("adults", "older_people", "families"),
            phone="020 123 4511",
            email=f"hoogoord@{MARKER}",
            theme="Eenzaamheid",
            priority=EENZAAMHEID,
            checked_days_ago=35,
        ),
        Spec(
            "Mfantsiman Association",
            "Ouderensoos in het Fante en Twi",
            "Ghanese ouderen ontmoeten elkaar: muziek, verhalen en informatie over zorg en"
            " regelingen in hun eigen taal.",
            CENTRUM,
            "D-buurt",
            "Ontmoetingscentrum Daalwijk",
            "Daalwijkdreef 35",
            "1102 AD",
            weekly=(("sat", "14:00", "17:00"),),
            languages="fat, tw, en",
            target_groups=("older_people",),
            ages=(55, None),
            phone="020 123 4512",
            theme="Eenzaamheid",
            priority=EENZAAMHEID,
            checked_days_ago=50,
        ),
        Spec(
            "SES",
            "Huiswerkbegeleiding",
            "Hulp bij huiswerk en plannen voor leerlingen van groep 6 tot en met de tweede klas,"
            " met een rustige plek en vrijwilligers die ook Portugees en Spaans spreken.",
            CENTRUM,
            "F-buurt",
            "Buurthuis Florijn",
            "Florijn 14",
            "1102 BA",
            weekly=(("mon", "15:30", "17:30"), ("wed", "15:30", "17:30")),
            languages="nl, pt, es",
            access=Activity.SIGN_UP,
            target_groups=("children", "young_people"),
            ages=(9, 14),
            phone="020 123 4513",
            email=f"ses@{MARKER}",
            theme="Jongeren",
            priority=SCHOOL,
            checked_days_ago=40,
        ),
        Spec(
            "Life Skills",
            "Life Skills voor jongeren",
            "Training in zelfvertrouwen, plannen, geld en solliciteren voor jongeren die"
            " (bijna) zonder school of werk zitten.",
            CENTRUM,
            "D-buurt",
            "Buurtkamer Dennenrode",
            "Dennenrode 8",
            "1102 KB",
            weekly=(("tue", "16:00", "18:00"),),
            languages="nl, en",
            access=Activity.SIGN_UP,
            target_groups=("young_people",),
            ages=(16, 23),
            phone="020 123 4514",
            theme="Jongeren",
            priority=SCHOOL,
            checked_days_ago=100,
        ),
        Spec(
            "Venzo",
            "Vrijwilligersspreekuur",
            "Vrijwilligerswerk zoeken dat bij u past, als stap naar werk of om mensen te"
            " ontmoeten. Venzo vindt, versterkt en verbindt vrijwilligers en organisaties.",
            CENTRUM,
            "Amstel III/Bullewijk",
            "Venzo",
            "Anton de Komplein 240",
            "1102 CW",
            weekly=(("thu", "10:00", "12:00"),),
            languages="nl, en, srn",
            target_groups=("adults", "young_people"),
            phone="020 123 4515",
            email=f"venzo@{MARKER}",
            theme="Werk & Participatie",
            priority=WERK,
            checked_days_ago=20,
        ),
        Spec(
            "Human Empowerment",
            "Sollicitatietraining",
            "Vier ochtenden over je cv, je sterke kanten en het gesprek, met oefeningen en een"
            " proefgesprek met een werkgever uit Zuidoost.",
            CENTRUM,
            "Amstel III/Bullewijk",
            "Buurtcampus Zuidoost",
            "Bijlmerdreef 1289",
            "1103 TV",
            once=(
                (12, "09:30", "12:30"),
                (19, "09:30", "12:30"),
                (26, "09:30", "12:30"),
                (33, "09:30", "12:30"),
            ),
            languages="nl, en",
            cost=Activity.ON_REQUEST,
            access=Activity.SIGN_UP,
            target_groups=("adults",),
            ages=(18, None),
            phone="020 123 4516",
            theme="Werk & Participatie",
            priority=WERK,
            checked_days_ago=25,
        ),
        Spec(
            "Buurtcampus Zuidoost",
            "Digitaal spreekuur",
            "Hulp met DigiD, de app van uw bank, afspraken online en formulieren. Neem uw"
            " telefoon of laptop mee.",
            CENTRUM,
            "Amstel III/Bullewijk",
            "Buurtcampus Zuidoost",
            "Bijlmerdreef 1289",
            "1103 TV",
            weekly=(("tue", "10:00", "12:00"), ("fri", "13:00", "15:00")),
            languages="nl, en, es",
            target_groups=("adults", "older_people"),
            phone="020 123 4517",
            theme="Werk & Participatie",
            priority=TAAL,
            checked_days_ago=55,
        ),
        Spec(
            "Humanitas",
            "Thuisadministratie",
            "Een getrainde vrijwilliger helpt u thuis uw papieren te ordenen en overzicht te"
            " houden over inkomsten en uitgaven, een jaar lang.",
            CENTRUM,
            None,
            place=Activity.AT_HOME,
            languages="nl, en",
            access=Activity.SIGN_UP,
            target_groups=("adults", "older_people"),
            ages=(18, None),
            phone="020 123 4518",
            theme="Armoede",
            priority=ARMOEDE,
            checked_days_ago=80,
        ),
        Spec(
            "Woon!",
            "Woonspreekuur",
            "Vragen over huur, onderhoud, huurtoeslag of een dreigende uithuiszetting? Gratis"
            " advies over uw rechten als huurder.",
            CENTRUM,
            "F-buurt",
            "Wijkcentrum Bijlmerplein",
            "Bijlmerplein 402",
            "1102 DJ",
            weekly=(("thu", "13:00", "16:00"),),
            languages="nl, en",
            target_groups=("adults", "families"),
            phone="020 123 4519",
            theme="Wonen",
            priority=ARMOEDE,
            checked_days_ago=65,
        ),
        Spec(
            "Single SuperMom",
            "Ontmoeting voor alleenstaande moeders",
            "Alleenstaande moeders steunen elkaar: ervaringen delen, elkaars netwerk zijn en"
            " samen activiteiten met de kinderen.",
            CENTRUM,
            "H-buurt",
            "Buurthuis Huntum",
            "Huntum 20",
            "1102 LB",
            weekly=(("sat", "10:30", "12:30"),),
            languages="nl, en, srn",
            target_groups=("women", "families"),
            phone="020 123 4520",
            theme="Eenzaamheid",
            priority=EENZAAMHEID,
            checked_days_ago=110,
        ),
        Spec(
            "Los Latinos",
            "Spaanstalig inloopuur",
            "Informatie en hulp in het Spaans en Portugees: brieven, zorgverzekering, school"
            " en regelingen.",
            CENTRUM,
            "Venserpolder",
            "Buurtkamer Venserpolder",
            "Hofgeest 200",
            "1102 EJ",
            weekly=(("fri", "14:00", "16:00"),),
            languages="es, pt, nl",
            target_groups=("adults", "newcomers"),
            phone="020 123 4521",
            theme="Armoede",
            priority=ARMOEDE,
            checked_months_ago=14,
        ),
        Spec(
            "ProFor",
            "Ijssie in de Wijk",
            "Met een schaafijsje of een kop koffie de wijk in: informatie over hulp bij"
            " geldzorgen, een laptop voor schoolgaande kinderen en de regelingen van Pak je"
            " Kans. In 2021 sprak het team ruim 800 bewoners in acht wijken.",
            CENTRUM,
            "Venserpolder",
            "Plein Venserpolder",
            "Hofgeest",
            "1102 EJ",
            once=((40, "13:00", "17:00"), (47, "13:00", "17:00"), (54, "13:00", "17:00")),
            languages="nl, en, srn, tw, pap",
            target_groups=(),
            phone="020 123 4522",
            theme="Armoede",
            priority=ARMOEDE,
            checked_months_ago=15,
        ),
        Spec(
            "Burgeracademie",
            "Training meldcode huiselijk geweld",
            "Centrale training voor vrijwilligers en medewerkers van de leden van het Social"
            " Pact: signalen herkennen en de stappen van de meldcode.",
            CENTRUM,
            "Amstel III/Bullewijk",
            "Burgeracademie",
            "Anton de Komplein 240",
            "1102 CW",
            once=((21, "13:00", "16:30"),),
            languages="nl",
            access=Activity.SIGN_UP,
            target_groups=("adults",),
            phone="020 123 4523",
            email=f"burgeracademie@{MARKER}",
            theme="Huiselijk geweld",
            checked_days_ago=15,
        ),
        Spec(
            "Burgeracademie",
            "Training vroegsignalering geldzorgen",
            "Met ProFor: geldzorgen vroeg herkennen en bewoners warm overdragen aan het"
            " buurtteam. Voor vrijwilligers van de leden, ook voor nieuwe Money Maatjes.",
            CENTRUM,
            "Amstel III/Bullewijk",
            "Burgeracademie",
            "Anton de Komplein 240",
            "1102 CW",
            once=((35, "09:30", "12:30"), (42, "09:30", "12:30")),
            languages="nl",
            access=Activity.SIGN_UP,
            target_groups=("adults",),
            phone="020 123 4523",
            email=f"burgeracademie@{MARKER}",
            theme="Armoede",
            priority=ARMOEDE,
            checked_days_ago=15,
        ),
        Spec(
            "Burgeracademie",
            "Training gespreksvaardigheden voor vrijwilligers",
            "Online training: luisteren, doorvragen en grenzen stellen in gesprekken met bewoners.",
            None,
            place=Activity.ONLINE,
            once=((56, "19:00", "21:00"),),
            languages="nl",
            access=Activity.SIGN_UP,
            target_groups=("adults",),
            email=f"burgeracademie@{MARKER}",
            checked_days_ago=15,
        ),
        Spec(
            "Venzo",
            "Masterplan Zozoom-sessies",
            "Online gesprekken tussen bewoners en de makers van het Masterplan Zuidoost: wat"
            " moet er anders in uw buurt? In januari 2021 deden 175 bewoners mee in 10 sessies.",
            None,
            place=Activity.ONLINE,
            once=((16, "19:30", "21:00"), (18, "19:30", "21:00"), (23, "19:30", "21:00")),
            languages="nl, en",
            access=Activity.SIGN_UP,
            target_groups=("adults", "young_people"),
            ages=(16, None),
            phone="020 123 4515",
            email=f"venzo@{MARKER}",
            checked_days_ago=10,
        ),
        _money_maatjes(CENTRUM, "F-buurt", "020 123 4524", "nl, fat, tw, pt, es, srn, en", 7),
        # Gaasperdam/Driemond
        Spec(
            "Jongeren die het kunnen",
            "Community Center Mijehof: jongerenavond",
            "In de voormalige school Mijehof programmeren jongeren en buurtbewoners zelf:"
            " sport, muziek, huiswerk en gesprekken over school en werk.",
            GAASPERDAM,
            "Holendrecht",
            "Community Center Mijehof",
            "Mijehof 1",
            "1106 HA",
            weekly=(("fri", "19:00", "22:00"),),
            languages="nl, en, srn",
            target_groups=("young_people",),
            ages=(12, 23),
            phone="020 123 4525",
            theme="Jongeren",
            priority=SCHOOL,
            checked_days_ago=12,
        ),
        Spec(
            "Carabic",
            "Community Center Mijehof: ouder-en-kindmiddag",
            "Ouders en kinderen uit Holendrecht samen in het Community Center: spelen, voorlezen"
            " en vragen over school stellen.",
            GAASPERDAM,
            "Holendrecht",
            "Community Center Mijehof",
            "Mijehof 1",
            "1106 HA",
            weekly=(("wed", "14:00", "16:30"),),
            languages="nl, pap, es",
            target_groups=("families", "children"),
            phone="020 123 4526",
            theme="Jongeren",
            priority=SCHOOL,
            checked_days_ago=33,
        ),
        Spec(
            "Carabic",
            "Taalcafé Holendrecht",
            "Nederlands spreken en lezen in een gezellige groep; ook voor wie Papiaments of"
            " Spaans als eerste taal heeft.",
            GAASPERDAM,
            "Holendrecht",
            "Buurthuis Holendrecht",
            "Holendrechtplein 27",
            "1106 LM",
            weekly=(("mon", "10:00", "12:00"),),
            languages="nl, pap, es",
            target_groups=("adults", "newcomers"),
            phone="020 123 4527",
            theme="Werk & Participatie",
            priority=TAAL,
            checked_days_ago=70,
        ),
        Spec(
            "Kazerne Reigersbos (UFNM)",
            "Buurtmaaltijd in de Kazerne",
            "Iedere donderdag koken buurtbewoners voor de buurt. Aanschuiven kan zonder aanmelden.",
            GAASPERDAM,
            "Reigersbos",
            "Kazerne Reigersbos",
            "Reigersbos 100",
            "1107 ES",
            weekly=(("thu", "17:30", "19:30"),),
            languages="nl, srn, pap, en",
            cost=Activity.PAID,
            cost_amount="3.50",
            target_groups=("adults", "older_people", "families"),
            phone="020 123 4528",
            theme="Eenzaamheid",
            priority=EENZAAMHEID,
            checked_days_ago=28,
        ),
        Spec(
            "Akwaaba Zorg",
            "Twi-vrouwengroep Reigersbos",
            "Vrouwen uit Ghana en hun vriendinnen ontmoeten elkaar in het Twi: over gezondheid,"
            " geld, opvoeding en de weg naar hulp.",
            GAASPERDAM,
            "Reigersbos",
            "Kazerne Reigersbos",
            "Reigersbos 100",
            "1107 ES",
            weekly=(("wed", "10:00", "12:00"),),
            languages="tw, ak, en",
            target_groups=("women",),
            phone="020 123 4529",
            theme="Eenzaamheid",
            priority=EENZAAMHEID,
            checked_days_ago=42,
        ),
        Spec(
            "Geef je Kind een voorsprong",
            "Voorleesochtend",
            "Voorlezen en samen spelen met kinderen van 2 tot 6 jaar en hun ouders, met tips"
            " voor lezen thuis.",
            GAASPERDAM,
            "Reigersbos",
            "Bibliotheekpunt Reigersbos",
            "Reigersbos 100",
            "1107 ES",
            weekly=(("sat", "10:00", "11:30"),),
            languages="nl, en, tw",
            target_groups=("children", "families"),
            ages=(2, 6),
            phone="020 123 4530",
            theme="Jongeren",
            priority=TAAL,
            checked_days_ago=58,
        ),
        Spec(
            "SynchronPlus",
            "Inloop voor Hindostaanse ouderen",
            "Bhajans, thee en informatie over zorg, pensioen en toeslagen, in het Sarnami en"
            " Nederlands.",
            GAASPERDAM,
            "Gein",
            "Wijkcentrum Gein",
            "Geinwijk 42",
            "1108 GK",
            weekly=(("tue", "10:00", "12:00"),),
            languages="hns, nl, hi",
            target_groups=("older_people",),
            ages=(55, None),
            phone="020 123 4531",
            theme="Eenzaamheid",
            priority=EENZAAMHEID,
            checked_days_ago=95,
        ),
        Spec(
            "Burennetwerk",
            "Burenhulp Driemond",
            "Buren helpen buren: boodschappen, een ritje naar de dokter of een wandeling. Wij"
            " zoeken iemand in uw buurt.",
            GAASPERDAM,
            "Driemond",
            place=Activity.AT_HOME,
            languages="nl",
            access=Activity.SIGN_UP,
            target_groups=("older_people", "people_with_a_disability"),
            phone="020 123 4532",
            theme="Eenzaamheid",
            priority=EENZAAMHEID,
            checked_days_ago=150,
        ),
        Spec(
            "ProFor",
            "Kerstproject Kazerne Reigersbos",
            "De kerstmiddag van het Kerstproject basisscholen in Reigersbos, met de Kazerne.",
            GAASPERDAM,
            "Reigersbos",
            "Kazerne Reigersbos",
            "Reigersbos 100",
            "1107 ES",
            once=((christmas, "14:00", "17:00"),),
            languages="nl, en",
            access=Activity.SIGN_UP,
            target_groups=("children", "families"),
            ages=(4, 12),
            phone="020 123 4509",
            theme="Armoede",
            priority=ARMOEDE,
            checked_days_ago=30,
        ),
        _money_maatjes(GAASPERDAM, "Holendrecht", "020 123 4533", "nl, hns, ar, fr, pap, en", 7),
    )


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _checked_on(spec: Spec, today: date) -> date:
    if spec.checked_months_ago is not None:
        return today - relativedelta(months=spec.checked_months_ago)
    return today - timedelta(days=spec.checked_days_ago)


def load_social_map(session: Session, today: date) -> int:
    """The demo's activities; returns how many were added (none on a second load)."""
    areas = {a.name: a for a in session.scalars(select(Area))}
    hoods = {(h.area_id, h.name): h for h in session.scalars(select(Neighbourhood))}
    priorities = {(p.area_id, p.name): p for p in session.scalars(select(Priority))}
    themes = {t.name: t for t in session.scalars(select(ThemeGroup))}
    orgs = {o.name: o for o in session.scalars(select(Organisation))}
    added = 0
    for spec in specs(today):
        org = orgs.get(spec.organisation)
        if org is None:
            continue  # the registry is not loaded (or renamed): nothing to hang it on
        found = session.scalar(
            select(Activity.id).where(
                Activity.organisation_id == org.id, Activity.name == spec.name
            )
        )
        if found is not None:
            continue
        session.add(_activity(session, spec, today, org, areas, hoods, priorities, themes))
        added += 1
    session.flush()
    return added


def _activity(session, spec: Spec, today, org, areas, hoods, priorities, themes) -> Activity:
    area = areas.get(spec.area) if spec.area else None
    hood = hoods.get((area.id, spec.neighbourhood)) if area and spec.neighbourhood else None
    priority = priorities.get((area.id, spec.priority)) if area and spec.priority else None
    activity = Activity(
        organisation=org,
        name=spec.name,
        description=spec.description,
        minimum_age=spec.ages[0],
        maximum_age=spec.ages[1],
        place=spec.place,
        area=area,
        neighbourhood=hood,
        location_name=spec.location_name,
        address=spec.address,
        postal_code=spec.postal_code,
        city="Amsterdam",
        cost=spec.cost,
        cost_amount=Decimal(spec.cost_amount) if spec.cost_amount else None,
        access=spec.access,
        phone=phones.normalise(spec.phone) if spec.phone else "",
        email=spec.email,
        theme_group=themes.get(spec.theme) if spec.theme else None,
        priority=priority,
        checked_on=_checked_on(spec, today),
    )
    activity.languages = ensure_languages(
        session, [LanguageChoice(code.strip()) for code in spec.languages.split(",")]
    )
    activity.target_group_rows = [ActivityTargetGroup(code=code) for code in spec.target_groups]
    activity.schedules = [
        ActivitySchedule(weekday=DAYS[day], opens_at=_time(opens), closes_at=_time(closes))
        for day, opens, closes in spec.weekly
    ] + [
        ActivitySchedule(
            on_date=today + timedelta(days=days), opens_at=_time(opens), closes_at=_time(closes)
        )
        for days, opens, closes in spec.once
    ]
    return activity
