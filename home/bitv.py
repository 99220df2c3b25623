"""The two pages BITV 2.0 § 4 asks of every public body's site: an explanation in Leichte
Sprache and one in Deutsche Gebärdensprache (DGS).

Provisioning creates both below every new office's German home page
(``HomeConfig.provision_office``); ``ensure_bitv_pages`` adds them to offices provisioned
before they existed (run after every ``migrate`` and by ``manage.py ensure_bitv_pages``).
Both pages stay German: Leichte Sprache is German, and the video is in German Sign
Language, so the header of a translated page links to the German pages (``hreflang="de"``).

The default text follows the rules of the Netzwerk Leichte Sprache: short sentences with
one statement each, the reader addressed as "Sie", long compound words split with a hyphen
(Selbst-Hilfe-Gruppe), hard words explained, no abbreviations, numbers as digits. It names
the office and the parts the site really has; contact data and opening hours come from the
office profile when the page is shown, so they stay true when the office moves or changes
its hours.
"""

import json

from django.utils.html import escape
from wagtail.models import Page

#: Leichte Sprache descriptions of the parts a site can have, by page type. A part the site
#: does not have is never mentioned.
OFFER_TEXTS = {
    "directory.DirectoryPage": (
        "Hier finden Sie Selbst-Hilfe-Gruppen. "
        "Sie können ein Wort eingeben. Zum Beispiel: Trauer. "
        "Dann sehen Sie Gruppen zu diesem Thema."
    ),
    "events.EventIndexPage": (
        "Hier finden Sie Termine. Zum Beispiel: Vorträge und Treffen. "
        "Bei manchen Terminen können Sie sich anmelden."
    ),
    "events.NetworkCalendarPage": (
        "Hier finden Sie Termine von allen Kontakt-Stellen. Zum Beispiel: Vorträge und Treffen."
    ),
    "home.ContactPage": ("Hier können Sie uns eine Nachricht schreiben. Wir antworten Ihnen."),
    "home.GroupFoundingPage": (
        "Sie möchten eine neue Gruppe gründen? Das heißt: eine neue Gruppe anfangen. "
        "Hier können Sie uns das sagen. Wir helfen Ihnen dabei."
    ),
    "newsletter.NewsletterPage": (
        "Hier können Sie unseren Newsletter bestellen. "
        "Ein Newsletter ist eine E-Mail mit Neuigkeiten. Er kommt einmal im Monat."
    ),
    "home.SignLanguagePage": "Hier erklären wir unsere Internet-Seite in Gebärden-Sprache.",
}


def _rich(*paragraphs):
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _body(*blocks):
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def easy_language_page(office):
    """The (unsaved) page "Leichte Sprache" of ``office`` with its default text."""
    from .models import EasyLanguagePage

    name = escape(office.name)
    about = (
        "Bei uns treffen sich Menschen in Selbst-Hilfe-Gruppen. "
        "In einer Selbst-Hilfe-Gruppe sind Menschen mit dem gleichen Problem. "
        "Zum Beispiel: Menschen mit einer Krankheit. "
        "Oder Menschen, die jemanden verloren haben.",
        "Die Menschen in der Gruppe reden miteinander. Sie helfen sich gegenseitig. "
        "Die Gruppe ist kostenlos. Sie müssen nichts bezahlen.",
    )
    if office.is_state:
        about += (
            "Wir arbeiten mit allen Kontakt-Stellen im Land zusammen. "
            "Eine Kontakt-Stelle hilft Ihnen, eine Gruppe in Ihrer Nähe zu finden.",
        )
    else:
        about += (
            "Wir helfen Ihnen, eine passende Gruppe zu finden. "
            "Wir beraten Sie. Das ist kostenlos. Und wir erzählen niemandem davon.",
        )
    navigation = (
        "Oben auf jeder Seite steht unser Name. Wenn Sie auf den Namen klicken, "
        "kommen Sie zur Start-Seite.",
        "Darunter ist das Menü. Im Menü stehen die wichtigsten Seiten.",
        "Oben rechts können Sie die Sprache wählen.",
        "Ganz unten auf jeder Seite stehen unsere Adresse und unsere Telefon-Nummer.",
    )
    return EasyLanguagePage(
        title="Leichte Sprache",
        slug="leichte-sprache",
        intro=f"Hier erklären wir in Leichter Sprache: Was ist {office.name}?",
        body=_body(
            ("heading", f"Wer sind wir? Wir sind {name}."),
            ("paragraph", _rich(*about)),
            ("heading", "So finden Sie sich auf unserer Internet-Seite zurecht"),
            ("paragraph", _rich(*navigation)),
        ),
    )


def sign_language_page(office):
    """The (unsaved) page "Gebärdensprache" of ``office``: what the office does, in words,
    until the office adds its video; the same words are the transcript's start."""
    from .models import SignLanguagePage

    name = escape(office.name)
    return SignLanguagePage(
        title="Gebärdensprache",
        slug="gebaerdensprache",
        intro=(
            f"Hier informieren wir über {office.name} in Deutscher Gebärdensprache (DGS) "
            "und zum Lesen."
        ),
        transcript=_rich(
            f"Willkommen bei {name}.",
            "Wir helfen Menschen, eine Selbsthilfegruppe zu finden. In einer "
            "Selbsthilfegruppe treffen sich Menschen mit dem gleichen Thema und helfen "
            "sich gegenseitig. Unsere Beratung ist kostenlos und vertraulich.",
            "Auf dieser Website finden Sie Gruppen, Termine und unsere Kontaktdaten. "
            "Schreiben Sie uns über das Kontaktformular oder per E-Mail. Wenn Sie eine "
            "Gebärdensprachdolmetschung für ein Gespräch brauchen, sagen Sie es uns: "
            "Wir kümmern uns darum.",
        ),
    )


def _pages_of_type(office, model):
    from sites.tenancy import pages_of_site

    return pages_of_site(office.site).type(model)


def add_bitv_pages(office):
    """Create the two pages below the office's German home page where the site has none of
    that type yet (anywhere in the tree, in any locale); returns the pages created."""
    from .models import EasyLanguagePage, SignLanguagePage

    home = office.site.root_page
    created = []
    for model, build in (
        (EasyLanguagePage, easy_language_page),
        (SignLanguagePage, sign_language_page),
    ):
        if _pages_of_type(office, model).exists():
            continue
        page = build(office)
        slug, n = page.slug, 1
        while home.get_children().filter(slug=page.slug).exists():
            n += 1
            page.slug = f"{slug}-{n}"
        home.add_child(instance=page)
        page.save_revision().publish()
        created.append(page)
    return created


def ensure_bitv_pages():
    """Give every office that lacks them the two pages; idempotent. Returns
    ``{office name: [titles created]}`` for the offices that got something."""
    from django.db import transaction

    from sites.models import Office

    done = {}
    for office in Office.objects.select_related("site__root_page").order_by("pk"):
        if office.site is None:
            continue
        with transaction.atomic():
            created = add_bitv_pages(office)
        if created:
            done[office.name] = [page.title for page in created]
    return done


def site_offers(page):
    """``[(link, text)]``: the live parts of the site of ``page`` with a Leichte Sprache
    description, in the order of the site's menu."""
    home = Page.objects.filter(path=page.path[: Page.steplen * 2]).first()
    if home is None:
        return []
    offers = []
    for child in home.get_children().live().specific(defer=True):
        text = OFFER_TEXTS.get(child._meta.label)
        if text:
            offers.append((child, text))
    return offers


#: Page types linked from the header of every page (BITV 2.0 § 4), with their icon.
HEADER_PAGE_TYPES = (
    ("home.EasyLanguagePage", "easy-language"),
    ("home.SignLanguagePage", "sign-language"),
)


def add_header_links(chrome, site, home):
    """Both pages in the header of every page: the ones below the home page of the chrome's
    language, else (a translation without them) the German ones, marked ``lang="de"``."""
    from sites.chrome import link

    german = None
    for label, icon in HEADER_PAGE_TYPES:
        found = chrome.section(label)
        if found is None and home.pk != site.root_page_id:
            if german is None:
                german = {
                    child._meta.label: child
                    for child in site.root_page.get_children().live().specific(defer=True)
                }
            page = german.get(label)
            if page is not None:
                found = {**link(page, page.get_url(current_site=site)), "lang": "de"}
        if found is not None:
            chrome.header_links.append({**found, "icon": icon})
