"""The demo network: a state coordination office and twelve district offices of a city state.

The content follows the source documents in ``shared/domain`` (what offices do, the quality
standards for hours and rooms). Names, addresses and phone numbers are made up.
"""

import datetime

from django.utils.html import escape

T = datetime.time

DEMO_PASSWORD = "selbsthilfe-demo"
ADMIN_USERNAME = "admin"
COORDINATOR_USERNAME = "koordination"

STATE = {
    "slug": "sekis",
    "name": "Selbsthilfe Kontakt- und Informationsstelle (Landeskoordination)",
    "short_name": "Landeskoordination",
    "region": "Land Berlin",
    "districts": [],
    "street": "Bismarckstraße 101",
    "postcode": "10625",
    "welcome": (
        "Wir sind die Landeskoordination der Selbsthilfe-Kontaktstellen. Wir informieren "
        "über Selbsthilfe im ganzen Land, führen die landesweite Datenbank der "
        "Selbsthilfegruppen, geben den monatlichen Newsletter heraus und bieten "
        "Fortbildungen für Gruppen und Fachkräfte an.",
        "Sie suchen eine Gruppe in Ihrer Nähe? Die Kontaktstellen in den Bezirken beraten "
        "Sie persönlich, vertraulich und kostenlos.",
    ),
}

OFFICES = [
    (
        "mitte",
        "Mitte",
        ["Moabit", "Wedding", "Gesundbrunnen", "Tiergarten"],
        "Perleberger Straße 44",
        "10559",
    ),
    (
        "friedrichshain-kreuzberg",
        "Friedrichshain-Kreuzberg",
        ["Friedrichshain", "Kreuzberg"],
        "Boxhagener Straße 89",
        "10245",
    ),
    (
        "pankow",
        "Pankow",
        ["Prenzlauer Berg", "Weißensee", "Buch", "Französisch Buchholz"],
        "Schönhauser Allee 59b",
        "10437",
    ),
    (
        "charlottenburg-wilmersdorf",
        "Charlottenburg-Wilmersdorf",
        ["Charlottenburg", "Wilmersdorf", "Halensee", "Westend"],
        "Bleibtreustraße 25",
        "10707",
    ),
    (
        "spandau",
        "Spandau",
        ["Altstadt", "Siemensstadt", "Staaken", "Hakenfelde"],
        "Lindenufer 20",
        "13597",
    ),
    (
        "steglitz-zehlendorf",
        "Steglitz-Zehlendorf",
        ["Steglitz", "Lichterfelde", "Zehlendorf", "Lankwitz"],
        "Schloßstraße 80",
        "12165",
    ),
    (
        "tempelhof-schoeneberg",
        "Tempelhof-Schöneberg",
        ["Schöneberg", "Tempelhof", "Mariendorf", "Lichtenrade"],
        "Hauptstraße 125",
        "10827",
    ),
    (
        "neukoelln",
        "Neukölln",
        ["Neukölln", "Britz", "Buckow", "Rudow", "Gropiusstadt"],
        "Karl-Marx-Straße 154",
        "12043",
    ),
    (
        "treptow-koepenick",
        "Treptow-Köpenick",
        ["Köpenick", "Adlershof", "Treptow", "Friedrichshagen"],
        "Bahnhofstraße 33",
        "12555",
    ),
    (
        "marzahn-hellersdorf",
        "Marzahn-Hellersdorf",
        ["Marzahn", "Hellersdorf", "Kaulsdorf", "Mahlsdorf"],
        "Marzahner Promenade 38",
        "12679",
    ),
    (
        "lichtenberg",
        "Lichtenberg",
        ["Lichtenberg", "Hohenschönhausen", "Karlshorst", "Friedrichsfelde"],
        "Frankfurter Allee 210",
        "10365",
    ),
    (
        "reinickendorf",
        "Reinickendorf",
        ["Tegel", "Wittenau", "Hermsdorf", "Märkisches Viertel"],
        "Alt-Tegel 43",
        "13507",
    ),
]

WELCOME = (
    "Sie suchen Menschen, die in einer ähnlichen Lage sind wie Sie? Wir helfen Ihnen, eine "
    "passende Selbsthilfegruppe im Bezirk {district} zu finden – zu Krankheiten, Sucht, "
    "seelischen Krisen, Trauer, Arbeitslosigkeit und vielen anderen Themen, für Betroffene "
    "und für Angehörige.",
    "Sie möchten selbst eine Gruppe gründen? Wir beraten Sie, suchen mit Ihnen Mitstreitende "
    "und stellen Ihrer Gruppe kostenlos einen Raum zur Verfügung. Unsere Beratung ist "
    "vertraulich und kostenlos.",
)

# Hours as the quality standards ask: >= 20 h on >= 4 days, consultations on >= 3 days,
# one of them in the evening. The pattern rotates a little so that the offices differ.
OPENING_PATTERNS = [
    [(0, T(10), T(16)), (1, T(10), T(18)), (2, T(10), T(16)), (3, T(12), T(19)), (4, T(10), T(13))],
    [(0, T(9), T(15)), (1, T(9), T(15)), (2, T(13), T(19)), (3, T(9), T(15))],
    [(0, T(10), T(17)), (1, T(10), T(17)), (3, T(10), T(19)), (4, T(9), T(14))],
]
CONSULTATION_PATTERNS = [
    [(0, T(14), T(16), ""), (1, T(16), T(19), "Abendsprechstunde"), (3, T(10), T(12), "")],
    [(1, T(10), T(12), ""), (2, T(17), T(20), "Abendsprechstunde"), (3, T(13), T(15), "")],
    [(0, T(10), T(12), ""), (2, T(15), T(17), ""), (3, T(17), T(19), "Abendsprechstunde")],
]
ROOM_SETS = [
    [
        {
            "name": "Gruppenraum 1",
            "capacity": 14,
            "equipment": "Stuhlkreis, Flipchart, Teeküche",
            "step_free": True,
        },
        {
            "name": "Gruppenraum 2",
            "capacity": 10,
            "equipment": "Stuhlkreis, Teeküche",
            "step_free": True,
        },
        {
            "name": "Seminarraum",
            "capacity": 24,
            "equipment": "Beamer, Leinwand, Moderationskoffer",
            "step_free": True,
        },
    ],
    [
        {
            "name": "Großer Gruppenraum",
            "capacity": 18,
            "equipment": "Stuhlkreis, Beamer, Flipchart",
            "step_free": True,
        },
        {
            "name": "Kleiner Gruppenraum",
            "capacity": 8,
            "equipment": "Sitzecke, Teeküche",
            "step_free": False,
            "note": "1. Etage, kein Aufzug",
        },
    ],
]


#: The languages each demo site offers (issue #12): the districts' largest language groups,
#: and Leichte Sprache everywhere (BITV 2.0 § 4). Other offices: ``DEFAULT_DEMO_LANGUAGES``.
DEMO_LANGUAGES = {
    "neukoelln": ["de", "en", "tr", "ar", "de-x-ls"],
    "marzahn-hellersdorf": ["de", "en", "ru", "uk", "de-x-ls"],
}
DEFAULT_DEMO_LANGUAGES = ["de", "en", "de-x-ls"]


def _paragraphs(texts):
    return "".join(f"<p>{escape(t)}</p>" for t in texts)


def office_specs(port):
    """Yield ``(OfficeSpec, welcome_html)`` for the state office and the twelve offices."""
    from .provisioning import OfficeSpec

    yield (
        OfficeSpec(
            hostname=f"{STATE['slug']}.localhost",
            name=STATE["name"],
            short_name=STATE["short_name"],
            state=True,
            port=port,
            languages=DEFAULT_DEMO_LANGUAGES,
            profile=_profile(STATE["slug"], STATE, 0, organisation="Selbsthilfe im Land e. V."),
        ),
        _paragraphs(STATE["welcome"]),
    )
    for index, (slug, district, parts, street, postcode) in enumerate(OFFICES, start=1):
        data = {
            "name": f"Selbsthilfe-Kontaktstelle {district}",
            "short_name": f"KIS {district}",
            "region": f"Bezirk {district}",
            "districts": parts,
            "street": street,
            "postcode": postcode,
        }
        yield (
            OfficeSpec(
                hostname=f"{slug}.localhost",
                name=data["name"],
                short_name=data["short_name"],
                port=port,
                languages=DEMO_LANGUAGES.get(slug, DEFAULT_DEMO_LANGUAGES),
                profile=_profile(slug, data, index),
            ),
            _paragraphs(t.format(district=district) for t in WELCOME),
        )


#: Made-up people for the legal information (Vorstand of the Träger, responsible person).
BOARD = [
    ("Renate Albers", "Yusuf Demir"),
    ("Katrin Weber", "Ole Petersen"),
    ("Miriam Schulz", "Tomasz Nowak"),
]
RESPONSIBLE = ["Sabine Krüger", "Jan Hoffmann", "Leyla Aydın", "Anna Becker", "Paul Richter"]


def demo_closures(index, today=None):
    """Closure periods of the demo office ``index``: the first district office announces a
    team training two weeks ahead and closes between the years, as many offices do."""
    if index != 1:
        return []
    today = today or datetime.date.today()
    training = today + datetime.timedelta(days=14 - today.weekday())
    year = today.year if today <= datetime.date(today.year, 12, 22) else today.year + 1
    return [
        {
            "starts": training,
            "ends": training + datetime.timedelta(days=1),
            "reason": "Teamfortbildung",
            "sort_order": 0,
        },
        {
            "starts": datetime.date(year, 12, 23),
            "ends": datetime.date(year + 1, 1, 2),
            "reason": "Betriebsferien zwischen den Jahren",
            "sort_order": 1,
        },
    ]


def _profile(slug, data, index, organisation=None):
    opening = OPENING_PATTERNS[index % len(OPENING_PATTERNS)]
    consultation = CONSULTATION_PATTERNS[index % len(CONSULTATION_PATTERNS)]
    chair, deputy = BOARD[index % len(BOARD)]
    return {
        "region": data["region"],
        "districts": "\n".join(data["districts"]),
        "state": "BE",
        "organisation": organisation or "Nachbarschafts- und Selbsthilfeverein e. V.",
        "representative": f"Vorstand: {chair} (Vorsitzende/r), {deputy}",
        "content_responsible": RESPONSIBLE[index % len(RESPONSIBLE)],
        "register_entry": f"Vereinsregister Amtsgericht Charlottenburg, VR {31200 + index} B",
        "street": data["street"],
        "postcode": data["postcode"],
        "city": "Berlin",
        "phone": f"030 5550{index:02d} 10",
        "email": f"kontakt@{slug}.localhost",
        "directions": (
            "Der Eingang liegt im Hof, Aufgang B. Klingeln Sie bitte bei „Kontaktstelle“."
        ),
        "step_free_access": index % 4 != 3,
        "accessible_wc": index % 4 != 3,
        "hearing_loop": index % 3 == 0,
        "accessibility_notes": "Assistenzhunde sind willkommen."
        if index % 2
        else "Ein Rollstuhl kann ausgeliehen werden.",
        "opening_hours": [
            {"weekday": d, "opens": o, "closes": c, "sort_order": i}
            for i, (d, o, c) in enumerate(opening)
        ],
        "consultation_hours": [
            {"weekday": d, "opens": o, "closes": c, "note": n, "sort_order": i}
            for i, (d, o, c, n) in enumerate(consultation)
        ]
        + [
            {
                "weekday": 4,
                "by_appointment": True,
                "note": "Hausbesuche nach Absprache",
                "sort_order": 9,
            }
        ],
        "rooms": [
            dict(room, sort_order=i) for i, room in enumerate(ROOM_SETS[index % len(ROOM_SETS)])
        ],
    }
