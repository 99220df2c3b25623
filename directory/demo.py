"""Demo content of the directory: a NAKOS-style topic tree and realistic groups per office.

Called by ``load_demo``; a second run changes nothing (topics by slug, groups by name and
office). Names, places and contact data are made up.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from .models import Rhythm, SelfHelpGroup, Status, Topic
from .search_terms import merge_into_topics
from .setup import create_directory_page

# slug, name, parent, synonyms, related terms
TOPICS = [
    ("sucht", "Sucht und Abhängigkeit", None, "Sucht\nAbhängigkeit\nSuchterkrankung", ""),
    (
        "alkohol",
        "Alkohol",
        "sucht",
        "trinken\nAlkoholismus\nAlkoholiker\nTrinker\nsaufen\nbesoffen\nAlki\nSpiegeltrinker",
        "Co-Abhängigkeit",
    ),
    (
        "medikamente",
        "Medikamentenabhängigkeit",
        "sucht",
        ("Tabletten\nMedikamente\nSchlafmittel\nPillen\nSchmerzmittel\nBeruhigungsmittel"),
        "",
    ),
    (
        "gluecksspiel",
        "Glücksspiel",
        "sucht",
        ("Spielsucht\nzocken\nWetten\nSportwetten\nSpielautomaten\nSpielhalle\nCasino"),
        "",
    ),
    (
        "drogen",
        "Drogen",
        "sucht",
        ("Cannabis\nKokain\nkiffen\nGras\nHasch\nKiffer\nCrystal Meth\nkoksen"),
        "",
    ),
    ("psyche", "Seelische Gesundheit", None, "Psyche\npsychische Erkrankung", ""),
    (
        "depression",
        "Depression",
        "psyche",
        (
            "Niedergeschlagenheit\n"
            "antriebslos\n"
            "traurig\n"
            "depressiv\n"
            "schwermütig\n"
            "nicht mehr aufstehen\n"
            "komme nicht aus dem Bett"
        ),
        "",
    ),
    (
        "angst",
        "Angst und Panik",
        "psyche",
        ("Panikattacken\nPhobie\nAngststörung\nängstlich\nsoziale Phobie"),
        "",
    ),
    ("burnout", "Burnout", "psyche", "Erschöpfung\nausgebrannt\nerschöpft\nüberlastet", "Stress"),
    ("koerper", "Körperliche Erkrankungen", None, "Krankheit\nchronisch krank", ""),
    ("krebs", "Krebs", "koerper", "Tumor\nBrustkrebs\nProstatakrebs\nOnkologie", ""),
    ("diabetes", "Diabetes", "koerper", "Zucker\nZuckerkrankheit", ""),
    ("rheuma", "Rheuma", "koerper", "Arthritis\nGelenke", ""),
    ("ms", "Multiple Sklerose", "koerper", "MS", ""),
    ("long-covid", "Long Covid", "koerper", "Post-Covid\nME/CFS\nCovid\nCorona", ""),
    (
        "trauer",
        "Trauer und Verlust",
        None,
        ("Trauer\nVerlust\ntrauern\nverwaiste Eltern\nverstorben\ngestorben\nWitwe\nWitwer"),
        "Tod",
    ),
    (
        "familie",
        "Familie und Partnerschaft",
        None,
        ("Trennung\nScheidung\nAlleinerziehend\nalleinerziehende Mutter"),
        "",
    ),
    ("pflege", "Pflegende Angehörige", "familie", "pflegen\nDemenz\nAlzheimer", ""),
    (
        "arbeit",
        "Arbeitslosigkeit",
        None,
        ("arbeitslos\nJobverlust\nBürgergeld\nHartz IV\nJobcenter\nerwerbslos"),
        "",
    ),
    (
        "migration",
        "Migration und Ankommen",
        None,
        ("Geflüchtete\nFlucht\nFlüchtlinge\nAsyl\nZuwanderung"),
        "",
    ),
]

GROUP_TEMPLATES = [
    # name pattern, topic slugs, audience, description
    (
        "Angehörigengruppe Alkohol {d}",
        ["alkohol"],
        "relatives",
        "Für Partnerinnen, Partner, Eltern und erwachsene Kinder von Menschen, die zu viel "
        "trinken. Wir hören zu, tauschen Erfahrungen aus und achten auf uns selbst.",
    ),
    (
        "Trockene Alkoholiker {d}",
        ["alkohol"],
        "affected",
        "Wir sind Menschen, die aufgehört haben zu trinken oder es wollen. Ohne Vorwürfe, "
        "mit viel Erfahrung.",
    ),
    (
        "Depression – gemeinsam statt allein ({d})",
        ["depression"],
        "affected",
        "Austausch für Menschen mit Depressionen. Wir sprechen über Alltag, Therapie und "
        "was uns gut tut.",
    ),
    (
        "Trauercafé {d}",
        ["trauer"],
        "both",
        "Für Menschen, die einen nahen Menschen verloren haben. Jeder Abschied ist anders.",
    ),
    (
        "Pflegende Angehörige Demenz {d}",
        ["pflege"],
        "relatives",
        "Wer einen Menschen mit Demenz pflegt, braucht auch selbst Unterstützung.",
    ),
    (
        "Junge Erwachsene mit Angst ({d})",
        ["angst"],
        "affected",
        "Für junge Erwachsene zwischen 18 und 35 mit Ängsten und Panikattacken.",
    ),
    (
        "Leben mit Krebs {d}",
        ["krebs"],
        "both",
        "Für Betroffene und ihre Angehörigen, während und nach der Behandlung.",
    ),
    (
        "Long-Covid-Gruppe {d} (in Gründung)",
        ["long-covid"],
        "affected",
        "Wir gründen eine Gruppe für Menschen mit Long Covid und ME/CFS. Interessierte "
        "melden sich bei der Kontaktstelle.",
    ),
    (
        "Spielfrei leben {d}",
        ["gluecksspiel"],
        "affected",
        "Für Menschen, die mit Sportwetten, Automaten oder Online-Casinos aufhören wollen.",
    ),
    (
        "Eltern von Kindern, die kiffen ({d})",
        ["drogen"],
        "relatives",
        "Wenn der Sohn oder die Tochter Cannabis oder andere Drogen nimmt: Eltern unter sich.",
    ),
    (
        "Medikamente – raus aus der Abhängigkeit ({d})",
        ["medikamente"],
        "affected",
        "Für Menschen, die von Schlaf- oder Beruhigungsmitteln loskommen möchten.",
    ),
    (
        "Burnout-Gesprächskreis {d}",
        ["burnout"],
        "affected",
        "Wir sind ausgebrannt oder auf dem Weg zurück in den Beruf und tauschen uns aus.",
    ),
    (
        "Diabetes Typ 1 – junge Erwachsene {d}",
        ["diabetes"],
        "affected",
        "Für junge Erwachsene mit Typ-1-Diabetes: Alltag, Technik, Reisen, Beruf.",
    ),
    (
        "Rheuma-Treff {d}",
        ["rheuma"],
        "both",
        "Austausch über Schmerz, Bewegung und Behandlung, mit gemeinsamem Funktionstraining.",
    ),
    (
        "MS-Gruppe {d}",
        ["ms"],
        "affected",
        "Menschen mit Multipler Sklerose treffen sich zu Gespräch und gemeinsamen Ausflügen.",
    ),
    (
        "Verwaiste Eltern {d}",
        ["trauer"],
        "relatives",
        "Für Mütter und Väter, die ein Kind verloren haben – gleich wann und wie.",
    ),
    (
        "Alleinerziehend in {d}",
        ["familie"],
        "affected",
        "Alleinerziehende Mütter und Väter helfen sich gegenseitig; Kinder dürfen mitkommen.",
    ),
    (
        "Angehörige von Menschen mit Depression ({d})",
        ["depression", "familie"],
        "relatives",
        "Wenn der Partner oder die Mutter depressiv ist: Verständnis und Entlastung.",
    ),
    (
        "Arbeitslos – nicht wertlos ({d})",
        ["arbeit"],
        "affected",
        "Wir geben uns Halt, Tagesstruktur und Tipps im Umgang mit Jobcenter und Bewerbungen.",
    ),
    (
        "Frauen aus aller Welt – Ankommen in {d}",
        ["migration"],
        "affected",
        "Frauen, die neu in Berlin sind, treffen sich zum Austausch, auf Deutsch, Arabisch "
        "und Farsi.",
    ),
    (
        "Panik-Selbsthilfe am Abend ({d})",
        ["angst"],
        "affected",
        "Berufstätige mit Panikattacken treffen sich nach Feierabend.",
    ),
    (
        "Brustkrebs – Frauen helfen Frauen {d}",
        ["krebs"],
        "affected",
        "Frauen mit Brustkrebs in und nach der Behandlung; auch Frauen mit Metastasen.",
    ),
]

#: Where groups meet besides the office's own rooms (made-up addresses).
OTHER_VENUES = [
    ("Nachbarschaftshaus {d}", "Am Stadtpark 12"),
    ("Gemeindesaal der Kirchengemeinde", "Kirchplatz 3"),
    ("Stadtteilbibliothek, Lesesaal", "Bibliotheksweg 5"),
    ("Familienzentrum {d}", "Lindenstraße 28"),
]


@transaction.atomic
def load_directory_demo(offices, seed=4):
    """Create topics and five to eight groups per regional office; return how many groups
    were created."""
    topics = {}
    for slug, name, parent, synonyms, related in TOPICS:
        topic = Topic.objects.filter(slug=slug, locale__language_code="de").first()
        if topic is None:
            topic = Topic.objects.create(
                slug=slug,
                name=name,
                parent=topics.get(parent),
                synonyms=synonyms,
                related_terms=related,
            )
        topics[slug] = topic
    # Search terms in the other content languages (real words; see ``search_terms``).
    merge_into_topics(topics.values())
    translate_topics(topics)
    created = 0
    today = timezone.localdate()
    for office in offices:
        create_directory_page(office)
        districts = office.district_list
        if office.is_state or not districts:
            continue
        # One random stream per office and per group, so that a second run that skips
        # existing groups draws exactly the same values (idempotent).
        hostname = office.site.hostname
        # Each office its own mix: one addiction group (the most asked-for topic), then
        # four to seven others drawn for this office.
        chooser = random.Random(f"{seed}-{hostname}")
        addiction = chooser.choice([0, 1, 8, 9])
        others = [n for n in range(len(GROUP_TEMPLATES)) if n != addiction]
        picked = [addiction, *chooser.sample(others, 4 + chooser.randrange(4))]
        rooms = [room.name for room in office.rooms.all()]
        for index in picked:
            pattern, slugs, audience, description = GROUP_TEMPLATES[index]
            district = districts[index % len(districts)]
            name = pattern.format(d=district)
            if SelfHelpGroup.objects.filter(name=name, office=office).exists():
                continue
            rng = random.Random(f"{seed}-{hostname}-{index}")
            weekday = rng.randrange(5)
            evening = rng.random() < 0.7
            rhythm = rng.choice([Rhythm.WEEKLY, Rhythm.EVERY_N_WEEKS, Rhythm.NTH_WEEKDAY])
            group = SelfHelpGroup(
                name=name,
                office=office,
                description=description,
                audience=audience,
                age_band="young_adults" if "Junge" in name else "",
                status=Status.FOUNDING if "Gründung" in name else Status.ACTIVE,
                rhythm=rhythm,
                interval_weeks=2 if rhythm == Rhythm.EVERY_N_WEEKS else None,
                nth_of_month=rng.choice([1, 2, 3, -1]) if rhythm == Rhythm.NTH_WEEKDAY else None,
                weekday=weekday,
                starts_at=datetime.time(18 + rng.randrange(2), 0)
                if evening
                else datetime.time(10, 0),
                ends_at=datetime.time(20, 0) if evening else datetime.time(12, 0),
                format=rng.choice(["in_person", "in_person", "in_person", "hybrid", "online"]),
                **_venue(rng, office, rooms, district),
                district=district,
                city=office.city or "Berlin",
                step_free_access=rng.random() < 0.7,
                accessible_wc=rng.random() < 0.5,
                hearing_loop=rng.random() < 0.2,
                languages=rng.choice(["de", "de", "de", "de en", "de tr", "de ar"]),
                new_members_welcome=rng.random() < 0.85,
                professionally_led=rng.random() < 0.2,
                internal_contact_name=f"Vertrauensperson {index + 1}",
                internal_phone=f"0170 {rng.randrange(1000000, 9999999)}",
                internal_email=f"gruppe{index + 1}@privat.example",
                last_verified=today - datetime.timedelta(days=rng.randrange(0, 600)),
            )
            group.save()
            group.topics.set([topics[s] for s in slugs])
            group.save()
            created += 1
    return created


def translate_topics(topics):
    """The topic names in every other content language, through wagtail-localize as the
    coordinators translate them (parents first: a translated topic's parent is the
    parent's translation). Texts: ``sites.demo_texts.TOPICS``; a second run writes nothing.
    Returns the number of topic translations published."""
    from django.conf import settings
    from wagtail.models import Locale

    from sites.demo_texts import TOPICS as NAMES
    from sites.demo_translations import translate

    locales = list(
        Locale.objects.filter(language_code__in=NAMES).exclude(language_code=settings.LANGUAGE_CODE)
    )
    published = 0
    for slug, topic in topics.items():

        def name(language, text, path, slug=slug):
            return NAMES.get(language, {}).get(slug) if path == "name" else None

        published += len(translate(topic, locales, texts=name))
    return published


def _venue(rng, office, rooms, district):
    """Most groups meet in one of the office's rooms, some elsewhere in the district."""
    if rooms and rng.random() < 0.7:
        return {
            "venue": f"{rng.choice(rooms)}, {office.display_short_name}",
            "street": office.street,
            "postcode": office.postcode,
        }
    name, street = rng.choice(OTHER_VENUES)
    return {"venue": name.format(d=district), "street": street, "postcode": office.postcode}
