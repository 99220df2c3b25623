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

#: Postcodes each demo office serves (the office finder on the state site), with the
#: neighbourhood where that helps. Approximate, as in many real lists; a postcode on a
#: district border belongs to both offices.
POSTCODE_AREAS = {
    "mitte": [
        ("10115", "Mitte"),
        ("10117", "Mitte"),
        ("10119", "Mitte"),
        ("10178", "Mitte"),
        ("10179", "Mitte"),
        ("10551", "Moabit"),
        ("10553", "Moabit"),
        ("10555", "Moabit"),
        ("10557", "Tiergarten"),
        ("10559", "Moabit"),
        ("10785", "Tiergarten"),
        ("13347", "Wedding"),
        ("13349", "Wedding"),
        ("13351", "Wedding"),
        ("13353", "Wedding"),
        ("13355", "Gesundbrunnen"),
        ("13357", "Gesundbrunnen"),
        ("13359", "Gesundbrunnen"),
    ],
    "friedrichshain-kreuzberg": [
        ("10243", "Friedrichshain"),
        ("10245", "Friedrichshain"),
        ("10247", "Friedrichshain"),
        ("10249", "Friedrichshain"),
        ("10961", "Kreuzberg"),
        ("10963", "Kreuzberg"),
        ("10965", "Kreuzberg"),
        ("10967", "Kreuzberg"),
        ("10969", "Kreuzberg"),
        ("10997", "Kreuzberg"),
        ("10999", "Kreuzberg"),
    ],
    "pankow": [
        ("10405", "Prenzlauer Berg"),
        ("10407", "Prenzlauer Berg"),
        ("10409", "Prenzlauer Berg"),
        ("10435", "Prenzlauer Berg"),
        ("10437", "Prenzlauer Berg"),
        ("10439", "Prenzlauer Berg"),
        ("13086", "Weißensee"),
        ("13088", "Weißensee"),
        ("13089", "Heinersdorf"),
        ("13125", "Buch"),
        ("13127", "Französisch Buchholz"),
        ("13129", "Blankenburg"),
        ("13156", "Niederschönhausen"),
        ("13158", "Rosenthal"),
        ("13159", "Blankenfelde"),
        ("13187", "Pankow"),
        ("13189", "Pankow"),
    ],
    "charlottenburg-wilmersdorf": [
        ("10585", "Charlottenburg"),
        ("10587", "Charlottenburg"),
        ("10589", "Charlottenburg"),
        ("10623", "Charlottenburg"),
        ("10625", "Charlottenburg"),
        ("10627", "Charlottenburg"),
        ("10629", "Charlottenburg"),
        ("10707", "Wilmersdorf"),
        ("10709", "Halensee"),
        ("10711", "Halensee"),
        ("10713", "Wilmersdorf"),
        ("10715", "Wilmersdorf"),
        ("10717", "Wilmersdorf"),
        ("10719", "Wilmersdorf"),
        ("14050", "Westend"),
        ("14052", "Westend"),
        ("14055", "Westend"),
        ("14057", "Charlottenburg"),
        ("14059", "Charlottenburg"),
    ],
    "spandau": [
        ("13581", "Spandau"),
        ("13583", "Spandau"),
        ("13585", "Spandau"),
        ("13587", "Hakenfelde"),
        ("13589", "Falkenhagener Feld"),
        ("13591", "Staaken"),
        ("13593", "Wilhelmstadt"),
        ("13595", "Wilhelmstadt"),
        ("13597", "Altstadt"),
        ("13599", "Haselhorst"),
        ("13629", "Siemensstadt"),
        ("14089", "Kladow"),
    ],
    "steglitz-zehlendorf": [
        ("12157", "Steglitz"),
        ("12163", "Steglitz"),
        ("12165", "Steglitz"),
        ("12167", "Steglitz"),
        ("12169", "Steglitz"),
        ("12203", "Lichterfelde"),
        ("12205", "Lichterfelde"),
        ("12207", "Lichterfelde"),
        ("12209", "Lichterfelde"),
        ("12247", "Lankwitz"),
        ("12249", "Lankwitz"),
        ("14129", "Nikolassee"),
        ("14163", "Zehlendorf"),
        ("14165", "Zehlendorf"),
        ("14167", "Zehlendorf"),
        ("14169", "Zehlendorf"),
        ("14195", "Dahlem"),
    ],
    "tempelhof-schoeneberg": [
        ("10777", "Schöneberg"),
        ("10779", "Schöneberg"),
        ("10781", "Schöneberg"),
        ("10783", "Schöneberg"),
        ("10823", "Schöneberg"),
        ("10825", "Schöneberg"),
        ("10827", "Schöneberg"),
        ("10829", "Schöneberg"),
        ("12099", "Tempelhof"),
        ("12101", "Tempelhof"),
        ("12103", "Tempelhof"),
        ("12105", "Mariendorf"),
        ("12107", "Mariendorf"),
        ("12109", "Mariendorf"),
        ("12277", "Marienfelde"),
        ("12305", "Lichtenrade"),
        ("12307", "Lichtenrade"),
        ("12309", "Lichtenrade"),
    ],
    "neukoelln": [
        ("12043", "Neukölln"),
        ("12045", "Neukölln"),
        ("12047", "Neukölln"),
        ("12049", "Neukölln"),
        ("12051", "Neukölln"),
        ("12053", "Neukölln"),
        ("12055", "Neukölln"),
        ("12057", "Neukölln"),
        ("12059", "Neukölln"),
        ("12347", "Britz"),
        ("12349", "Britz"),
        ("12351", "Gropiusstadt"),
        ("12353", "Gropiusstadt"),
        ("12355", "Rudow"),
        ("12357", "Rudow"),
        ("12359", "Britz"),
    ],
    "treptow-koepenick": [
        ("12435", "Alt-Treptow"),
        ("12437", "Baumschulenweg"),
        ("12439", "Niederschöneweide"),
        ("12459", "Oberschöneweide"),
        ("12487", "Johannisthal"),
        ("12489", "Adlershof"),
        ("12524", "Altglienicke"),
        ("12555", "Köpenick"),
        ("12557", "Köpenick"),
        ("12559", "Köpenick"),
        ("12587", "Friedrichshagen"),
        ("12589", "Rahnsdorf"),
    ],
    "marzahn-hellersdorf": [
        ("12619", "Hellersdorf"),
        ("12621", "Kaulsdorf"),
        ("12623", "Mahlsdorf"),
        ("12627", "Hellersdorf"),
        ("12629", "Hellersdorf"),
        ("12679", "Marzahn"),
        ("12681", "Marzahn"),
        ("12683", "Biesdorf"),
        ("12685", "Marzahn"),
        ("12687", "Marzahn"),
        ("12689", "Marzahn"),
    ],
    "lichtenberg": [
        ("10315", "Friedrichsfelde"),
        ("10317", "Rummelsburg"),
        ("10318", "Karlshorst"),
        ("10319", "Friedrichsfelde"),
        ("10365", "Lichtenberg"),
        ("10367", "Lichtenberg"),
        ("10369", "Fennpfuhl"),
        ("13051", "Neu-Hohenschönhausen"),
        ("13053", "Alt-Hohenschönhausen"),
        ("13055", "Alt-Hohenschönhausen"),
        ("13057", "Neu-Hohenschönhausen"),
        ("13059", "Wartenberg"),
    ],
    "reinickendorf": [
        ("13403", "Reinickendorf"),
        ("13405", "Reinickendorf"),
        ("13407", "Reinickendorf"),
        ("13409", "Reinickendorf"),
        ("13435", "Märkisches Viertel"),
        ("13437", "Wittenau"),
        ("13439", "Märkisches Viertel"),
        ("13465", "Frohnau"),
        ("13467", "Hermsdorf"),
        ("13469", "Waidmannslust"),
        ("13503", "Heiligensee"),
        ("13505", "Konradshöhe"),
        ("13507", "Tegel"),
        ("13509", "Borsigwalde"),
    ],
}


def demo_postcode_areas(hostname):
    """``(postcode, place)`` pairs of the demo office with ``hostname``."""
    return POSTCODE_AREAS.get(hostname.split(".")[0], [])


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
# one of them in the evening. Six opening and four consultation patterns combine into
# twelve different weeks, so no two demo offices keep the same hours.
OPENING_PATTERNS = [
    [(0, T(10), T(16)), (1, T(10), T(18)), (2, T(10), T(16)), (3, T(12), T(19)), (4, T(10), T(13))],
    [(0, T(9), T(15)), (1, T(9), T(15)), (2, T(13), T(19)), (3, T(9), T(15))],
    [(0, T(10), T(17)), (1, T(10), T(17)), (3, T(10), T(19)), (4, T(9), T(14))],
    [(1, T(9, 30), T(16)), (2, T(9, 30), T(16)), (3, T(11), T(19, 30)), (4, T(9, 30), T(14))],
    [(0, T(13), T(18)), (1, T(9), T(14)), (2, T(9), T(14)), (3, T(13), T(20)), (4, T(9), T(12))],
    [(0, T(8, 30), T(14, 30)), (2, T(8, 30), T(16)), (3, T(8, 30), T(18)), (4, T(8, 30), T(13))],
]
CONSULTATION_PATTERNS = [
    [(0, T(14), T(16), ""), (1, T(16), T(19), "Abendsprechstunde"), (3, T(10), T(12), "")],
    [(1, T(10), T(12), ""), (2, T(17), T(20), "Abendsprechstunde"), (3, T(13), T(15), "")],
    [(0, T(10), T(12), ""), (2, T(15), T(17), ""), (3, T(17), T(19), "Abendsprechstunde")],
    [
        (1, T(14), T(16), "auch telefonisch"),
        (3, T(17, 30), T(19, 30), "Abendsprechstunde"),
        (4, T(10), T(12), ""),
    ],
]
#: Rooms of real offices have names of their own; each demo office gets two or three.
ROOM_POOL = [
    {
        "name": "Gruppenraum Spree",
        "capacity": 14,
        "equipment": "Stuhlkreis, Flipchart, Teeküche",
        "step_free": True,
    },
    {
        "name": "Seminarraum",
        "capacity": 24,
        "equipment": "Beamer, Leinwand, Moderationskoffer",
        "step_free": True,
    },
    {
        "name": "Kleiner Salon",
        "capacity": 8,
        "equipment": "Sitzecke, Teeküche",
        "step_free": False,
        "note": "1. Etage, kein Aufzug",
    },
    {
        "name": "Wintergarten",
        "capacity": 12,
        "equipment": "Stuhlkreis, Blick in den Hof",
        "step_free": True,
    },
    {
        "name": "Großer Gruppenraum",
        "capacity": 18,
        "equipment": "Stuhlkreis, Beamer, Flipchart",
        "step_free": True,
    },
    {
        "name": "Raum Havel",
        "capacity": 10,
        "equipment": "Stuhlkreis, Teeküche, Induktionsschleife",
        "step_free": True,
    },
    {
        "name": "Werkstattraum",
        "capacity": 16,
        "equipment": "Tische, Waschbecken, Materialschrank",
        "step_free": True,
    },
    {
        "name": "Gesprächszimmer",
        "capacity": 6,
        "equipment": "Sitzecke",
        "step_free": True,
        "note": "Auch für Einzelberatung",
    },
    {
        "name": "Gartenzimmer",
        "capacity": 12,
        "equipment": "Stuhlkreis, Zugang zum Garten",
        "step_free": True,
    },
    {
        "name": "Dachstudio",
        "capacity": 20,
        "equipment": "Bewegungsraum, Matten, Musikanlage",
        "step_free": False,
        "note": "3. Etage, Aufzug bis zur 2. Etage",
    },
    {"name": "Kaminzimmer", "capacity": 10, "equipment": "Sitzkreis, Teeküche", "step_free": True},
    {
        "name": "Raum am Hof",
        "capacity": 14,
        "equipment": "Stuhlkreis, Flipchart",
        "step_free": True,
    },
]


def demo_rooms(index):
    """Two or three rooms of the pool, a different set for each office."""
    count = 2 + index % 2
    return [ROOM_POOL[(index * 5 + n * 7) % len(ROOM_POOL)] for n in range(count)]


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
        "rooms": [dict(room, sort_order=i) for i, room in enumerate(demo_rooms(index))],
    }
