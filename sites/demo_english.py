"""English translations of the demo network's main pages, made the way a translator makes
them: as wagtail-localize string translations, published with the translation.

The home page, Kontakt, "Gruppe gründen", the events page and the group directory are
translated; the legal pages (Impressum, Datenschutz, Barrierefreiheit) are left German, as
many offices do, so the demo also shows how an untranslated page tells the visitor.
"""

import re

from wagtail.models import Locale

#: German text -> English, for the texts every office shares.
TEXTS = {
    "Kontakt": "Contact",
    "Gruppe gründen": "Start a group",
    "Veranstaltungen": "Events",
    "Veranstaltungskalender": "Events calendar",
    "Selbsthilfegruppen": "Self-help groups",
    "Ihr Name": "Your name",
    "Ihre E-Mail-Adresse": "Your e-mail address",
    "Ihre Nachricht": "Your message",
    "Thema der Gruppe": "Topic of the group",
    "Ortsteil / Gemeinde": "Neighbourhood / town",
    "Telefon (für einen Rückruf)": "Phone (if you would like us to call you back)",
    "Was möchten Sie uns noch sagen?": "Is there anything else you would like to tell us?",
    "Zum Beispiel: Angehörige von Menschen mit Demenz, Long Covid, Trauer.": (
        "For example: relatives of people with dementia, long COVID, grief."
    ),
    "Wo soll die Gruppe sich treffen?": "Where should the group meet?",
    "Ein Vorname oder ein Pseudonym genügt.": "A first name or a pseudonym is enough.",
    "Sie erreichen uns telefonisch, per E-Mail oder über dieses Formular. Wir antworten in "
    "der Regel innerhalb von zwei Werktagen.": (
        "You can reach us by phone, by e-mail or with this form. We usually answer within "
        "two working days."
    ),
    "Vielen Dank für Ihre Nachricht. Wir melden uns so bald wie möglich bei Ihnen.": (
        "Thank you for your message. We will get back to you as soon as we can."
    ),
    "Sie haben keine Selbsthilfegruppe zu Ihrem Thema gefunden? Dann gründen Sie doch eine! "
    "Sagen Sie uns, welches Thema Sie bewegt und wo Sie wohnen. Wir bringen Sie mit anderen "
    "Interessierten zusammen, stellen einen Raum zur Verfügung und begleiten die ersten "
    "Treffen.": (
        "You found no self-help group on your topic? Then why not start one! Tell us what "
        "concerns you and where you live. We bring you together with others who are "
        "interested, provide a room and support the first meetings."
    ),
    "Ihre Angaben behandeln wir vertraulich. Wir geben sie nur mit Ihrer Zustimmung an "
    "andere Interessierte weiter.": (
        "We treat what you tell us in confidence and pass it on to others only with your consent."
    ),
    "Vielen Dank für Ihr Interesse an einer neuen Gruppe. Wir melden uns bei Ihnen, sobald "
    "wir mehr wissen, spätestens in zwei Wochen.": (
        "Thank you for your interest in a new group. We will get in touch as soon as we know "
        "more, within two weeks at the latest."
    ),
    "Infoabende, offene Gruppentreffen, Vorträge und Fortbildungen der Kontaktstelle. Die "
    "Teilnahme ist meist kostenlos.": (
        "Information evenings, open group meetings, talks and training courses of the "
        "office. Taking part is usually free."
    ),
    "Veranstaltungen aller Selbsthilfe-Kontaktstellen im Land: Infoabende, Fortbildungen, "
    "offene Treffen und Selbsthilfetage.": (
        "Events of all self-help contact offices in the state: information evenings, training "
        "courses, open meetings and self-help days."
    ),
    "Die Selbsthilfegruppen, die wir betreuen. Suchen Sie mit Ihren eigenen Worten oder "
    "wählen Sie ein Thema und Ihren Ortsteil. Wir vermitteln Sie gern persönlich.": (
        "The self-help groups we support. Search in your own words or choose a topic and "
        "your neighbourhood. We are glad to put you in touch in person."
    ),
    "Alle Selbsthilfegruppen im Land. Suchen Sie mit Ihren eigenen Worten oder wählen Sie "
    "ein Thema und Ihren Ortsteil.": (
        "All self-help groups in the state. Search in your own words or choose a topic and "
        "your neighbourhood."
    ),
    "Keine passende Gruppe gefunden? Vielleicht suchen andere Menschen gerade dasselbe wie "
    "Sie. Wir helfen Ihnen, eine neue Gruppe zu gründen: wir suchen Mitstreitende, stellen "
    "einen Raum und begleiten die ersten Treffen.": (
        "No group that fits? Other people may be looking for the same thing right now. We "
        "help you start a new group: we look for others to join, provide a room and "
        "support the first meetings."
    ),
    "Selbsthilfe Kontakt- und Informationsstelle (Landeskoordination)": (
        "Self-Help Contact and Information Office (State Coordination)"
    ),
    "Wir sind die Landeskoordination der Selbsthilfe-Kontaktstellen. Wir informieren über "
    "Selbsthilfe im ganzen Land, führen die landesweite Datenbank der Selbsthilfegruppen, "
    "geben den monatlichen Newsletter heraus und bieten Fortbildungen für Gruppen und "
    "Fachkräfte an.": (
        "We coordinate the self-help contact offices of the state. We inform about self-help "
        "across the state, keep the state-wide database of self-help groups, publish the "
        "monthly newsletter and offer training for groups and professionals."
    ),
    "Sie suchen eine Gruppe in Ihrer Nähe? Die Kontaktstellen in den Bezirken beraten Sie "
    "persönlich, vertraulich und kostenlos.": (
        "Looking for a group near you? The contact offices in the districts advise you in "
        "person, in confidence and free of charge."
    ),
}

#: Texts with an office's name or district in them.
PATTERNS = [
    (r"Selbsthilfe-Kontaktstelle (.+)", r"Self-Help Contact Office \1"),
    (r"Kontaktformular (.+)", r"Contact form \1"),
    (r"Gruppe gründen – Interesse über (.+)", r"Starting a group – interest via \1"),
    (
        r"Sie suchen Menschen, die in einer ähnlichen Lage sind wie Sie\? Wir helfen Ihnen, "
        r"eine passende Selbsthilfegruppe im Bezirk (.+) zu finden – zu Krankheiten, Sucht, "
        r"seelischen Krisen, Trauer, Arbeitslosigkeit und vielen anderen Themen, für "
        r"Betroffene und für Angehörige\.",
        r"Are you looking for people in a situation like yours? We help you find a self-help "
        r"group in \1 – on illness, addiction, mental health crises, grief, unemployment and "
        r"many other topics, for people affected and for their relatives.",
    ),
    (
        r"Sie möchten selbst eine Gruppe gründen\? Wir beraten Sie, suchen mit Ihnen "
        r"Mitstreitende und stellen Ihrer Gruppe kostenlos einen Raum zur Verfügung\. Unsere "
        r"Beratung ist vertraulich und kostenlos\.",
        "Would you like to start a group yourself? We advise you, help you find others to "
        "join and give your group a room free of charge. Our advice is confidential and "
        "free.",
    ),
]

#: Fields whose value is the same in every language (addresses, URL parts, place names).
KEPT = ("slug", "to_address")


def english(text, path):
    """The English for one segment, or None where the demo has none."""
    if path.split(".")[-1] in KEPT:
        return text
    if path.endswith(".choices"):  # place names stay; only "anderer Ort" is translated
        return text.replace("anderer Ort", "another place")
    if text in TEXTS:
        return TEXTS[text]
    for pattern, replacement in PATTERNS:
        if re.fullmatch(pattern, text):
            return re.sub(pattern, replacement, text)
    return None


def translate_office(office, slugs=("kontakt", "gruppe-gruenden", "veranstaltungen", "gruppen")):
    """Translate the office's home page and main pages into English (once); returns the
    number of pages published."""
    from wagtail_localize.models import StringSegment, StringTranslation, Translation

    english_locale = Locale.objects.filter(language_code="en").first()
    if english_locale is None:
        return 0
    home = office.site.root_page
    pages = [home, *home.get_children().filter(slug__in=slugs, locale=home.locale)]
    published = 0
    for page in pages:
        translation = Translation.objects.filter(
            source__object_id=page.translation_key, target_locale=english_locale
        ).first()
        target = page.get_translation_or_none(english_locale)
        if translation is None or target is None or target.title != page.title:
            continue  # not translatable, or translated on an earlier run
        translation.source.update_from_db()
        added = 0
        for segment in StringSegment.objects.filter(source=translation.source).select_related(
            "string", "context"
        ):
            text = english(segment.string.data, segment.context.path)
            if text is None:
                continue
            _item, created = StringTranslation.objects.get_or_create(
                translation_of=segment.string,
                locale=english_locale,
                context=segment.context,
                defaults={"data": text},
            )
            added += created
        if added:
            translation.save_target(publish=True)
            published += 1
    if published:
        # Publishing a translation of a home page can leave it with a stale child count
        # (see sites.provisioning.recount_children); recount once everything is saved.
        from django.db import transaction

        from .provisioning import recount_children

        transaction.on_commit(lambda: recount_children(home.translation_key))
    return published
