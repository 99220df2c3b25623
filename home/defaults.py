"""Default German content of a new office site.

Each office edits these texts afterwards; the defaults are written to be correct enough to
publish on day one rather than lorem ipsum. The legal pages are written from the office
profile and contain only what it holds; while it lacks something they need they stay
drafts, and the admin lists what is missing (see ``sites.legal``).
"""

import json

from django.utils.html import escape


def _rich(*paragraphs):
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _body(*blocks):
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def home_content(spec):
    name = escape(spec.name)
    return {
        "intro": _rich(
            f"Willkommen bei {name}. Wir beraten Sie kostenlos und vertraulich zu "
            "Selbsthilfegruppen in Ihrer Nähe, helfen bei der Gründung neuer Gruppen und "
            "stellen Gruppen Räume zur Verfügung."
        ),
    }


def _address(office):
    return escape(", ".join(office.address_lines))


def _contact_html(office):
    contact = []
    if office.phone:
        contact.append(f"Telefon: {escape(office.phone)}")
    if office.email:
        contact.append(f"E-Mail: {escape(office.email)}")
    return "<br/>".join(contact)


def _provider(office):
    """The provider (the Träger) with its address, and the office as the part of it that
    runs the site, named once each: when the Träger and the office carry the same name,
    the name appears once."""
    name = escape(office.name)
    provider = escape(office.organisation) or name
    address = escape(office.organisation_address) or _address(office)
    lines = [provider, address]
    if provider.strip().casefold() != name.strip().casefold():
        office_line = name
        if office.organisation_address and office.address_lines:
            office_line += f", {_address(office)}"
        lines.append(office_line)
    return "<br/>".join(line for line in lines if line)


def default_pages(office):
    """The default pages of a new office site: Kontakt, Gruppe gründen and the legal
    pages. Legal pages whose requirements the profile does not meet yet are created as
    drafts by provisioning (see ``sites.legal``)."""
    from home.models import ContactPage, GroupFoundingPage

    return [
        ContactPage(
            title="Kontakt",
            slug="kontakt",
            show_in_menus=True,
            intro=_rich(
                "Sie erreichen uns telefonisch, per E-Mail oder über dieses Formular. "
                "Wir antworten in der Regel innerhalb von zwei Werktagen."
            ),
            thank_you_text=_rich(
                "Vielen Dank für Ihre Nachricht. Wir melden uns so bald wie möglich bei Ihnen."
            ),
            to_address=office.email,
            from_address="",
            subject=f"Kontaktformular {office.display_short_name}",
        ),
        GroupFoundingPage(
            title="Gruppe gründen",
            slug="gruppe-gruenden",
            show_in_menus=True,
            intro=_rich(
                "Sie haben keine Selbsthilfegruppe zu Ihrem Thema gefunden? Dann gründen Sie "
                "doch eine! Sagen Sie uns, welches Thema Sie bewegt und wo Sie wohnen. Wir "
                "bringen Sie mit anderen Interessierten zusammen, stellen einen Raum zur "
                "Verfügung und begleiten die ersten Treffen.",
                "Ihre Angaben behandeln wir vertraulich. Wir geben sie nur mit Ihrer "
                "Zustimmung an andere Interessierte weiter.",
            ),
            thank_you_text=_rich(
                "Vielen Dank für Ihr Interesse an einer neuen Gruppe. Wir melden uns bei "
                "Ihnen, sobald wir mehr wissen, spätestens in zwei Wochen."
            ),
            to_address=office.email,
            from_address="",
            subject=f"Gruppe gründen – Interesse über {office.display_short_name}",
        ),
        *finder_pages(office),
        *legal_pages(office),
    ]


def finder_pages(office):
    """The state coordination site's "Kontaktstelle finden" (by postcode, district or
    place); a regional office's site has none."""
    from home.models import OfficeFinderPage

    if not office.is_state:
        return []
    return [
        OfficeFinderPage(
            title="Kontaktstelle finden",
            slug="kontaktstelle-finden",
            show_in_menus=True,
            intro=_rich(
                "Geben Sie Ihre Postleitzahl, Ihren Bezirk oder Ihren Ortsteil ein. Wir zeigen "
                "Ihnen die Kontaktstelle, die für Sie da ist – mit Adresse, Öffnungszeiten "
                "und ob sie gerade geöffnet ist."
            ),
        )
    ]


def legal_pages(office):
    """Impressum, Datenschutz and Barrierefreiheit written from the profile. They contain
    only what the profile holds, never a placeholder; ``sites.legal`` keeps them
    unpublished until the profile holds what each of them needs."""
    from home.models import StandardPage

    name = escape(office.name)
    contact_html = _contact_html(office)
    # The Kontakt page is created first, below the home page, under this slug.
    contact_url = "../kontakt/"

    impressum = [
        ("heading", "Anbieter"),
        ("paragraph", _rich(_provider(office))),
    ]
    if contact_html:
        impressum += [("heading", "Kontakt"), ("paragraph", _rich(contact_html))]
    if office.representative:
        impressum += [
            ("heading", "Vertretungsberechtigt"),
            ("paragraph", _rich(escape(office.representative))),
        ]
    if office.register_entry:
        impressum += [
            ("heading", "Registereintrag"),
            ("paragraph", _rich(escape(office.register_entry))),
        ]
    if office.supervisory_authority:
        impressum += [
            ("heading", "Zuständige Aufsichtsbehörde"),
            ("paragraph", _rich(escape(office.supervisory_authority))),
        ]
    if office.content_responsible:
        responsible = escape(office.content_responsible)
        if office.address_lines:
            responsible += f"<br/>{_address(office)}"
        impressum += [
            ("heading", "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV"),
            ("paragraph", _rich(responsible)),
        ]

    controller = _provider(office)
    if contact_html:
        controller += f"<br/>{contact_html}"
    privacy = [("heading", "Verantwortliche Stelle"), ("paragraph", _rich(controller))]
    if office.privacy_officer:
        privacy += [
            ("heading", "Datenschutzbeauftragte Person"),
            ("paragraph", _rich(escape(office.privacy_officer))),
        ]
    feedback = (
        "Ist Ihnen eine Barriere aufgefallen, oder brauchen Sie einen Inhalt "
        "in einer anderen Form? Bitte schreiben Sie uns über das "
        f'<a href="{contact_url}">Kontaktformular</a>'
        + (f" oder direkt: {contact_html}." if contact_html else ".")
        + " Wir antworten innerhalb von sechs Wochen."
    )

    return [
        StandardPage(
            title="Impressum",
            slug="impressum",
            intro="Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG)",
            body=_body(*impressum),
        ),
        StandardPage(
            title="Datenschutz",
            slug="datenschutz",
            intro="Informationen nach Art. 13 DSGVO zur Verarbeitung Ihrer Daten.",
            body=_body(
                *privacy,
                ("heading", "Besuch dieser Website"),
                (
                    "paragraph",
                    _rich(
                        "Diese Website lädt keine Inhalte von Drittanbietern: Schriften, "
                        "Bilder und Programme liegen auf unserem eigenen Server. Es gibt "
                        "keine Analyse- oder Werbedienste und keine Cookies außer denen, die "
                        "für das Absenden von Formularen technisch nötig sind. Der Server "
                        "speichert Zugriffe ohne Ihre IP-Adresse höchstens sieben Tage."
                    ),
                ),
                ("heading", "Kontaktformular und Anfragen an Gruppen"),
                (
                    "paragraph",
                    _rich(
                        "Was Sie uns über ein Formular schicken, verwenden wir nur, um Ihre "
                        "Anfrage zu beantworten (Art. 6 Abs. 1 lit. a DSGVO). Angaben zur "
                        "Gesundheit behandeln wir vertraulich (Art. 9 DSGVO) und geben sie "
                        "nur mit Ihrer Einwilligung weiter. Wir löschen Anfragen, wenn sie "
                        "erledigt sind, spätestens nach sechs Monaten."
                    ),
                ),
                ("heading", "Ihre Rechte"),
                (
                    "paragraph",
                    _rich(
                        "Sie haben das Recht auf Auskunft, Berichtigung, Löschung, "
                        "Einschränkung der Verarbeitung, Widerspruch und Datenübertragbarkeit "
                        "sowie das Recht, eine Einwilligung jederzeit zu widerrufen und sich "
                        "bei einer Datenschutz-Aufsichtsbehörde zu beschweren."
                    ),
                ),
            ),
        ),
        StandardPage(
            title="Barrierefreiheit",
            slug="barrierefreiheit",
            intro="Erklärung zur Barrierefreiheit dieser Website.",
            body=_body(
                ("heading", "Stand der Vereinbarkeit"),
                (
                    "paragraph",
                    _rich(
                        f"{name} möchte diese Website für alle Menschen zugänglich machen. "
                        "Sie soll die Anforderungen der WCAG 2.1 auf Stufe AA (BITV 2.0, "
                        "EN 301 549) erfüllen. Inhalte, bei denen das noch nicht gelingt, "
                        "nennen wir hier."
                    ),
                ),
                ("heading", "Nicht barrierefreie Inhalte"),
                (
                    "paragraph",
                    _rich(
                        "Ältere PDF-Dokumente zum Herunterladen sind zum Teil nicht "
                        "barrierefrei. Auf Wunsch schicken wir Ihnen die Inhalte in einer "
                        "zugänglichen Form."
                    ),
                ),
                ("heading", "Barrieren melden: Feedback und Kontakt"),
                ("paragraph", _rich(feedback)),
                ("heading", "Schlichtungsverfahren"),
                (
                    "paragraph",
                    _rich(
                        "Wenn Sie mit unserer Antwort nicht zufrieden sind, können Sie sich an "
                        "die Schlichtungsstelle nach dem Behindertengleichstellungsgesetz "
                        "oder an die für Ihr Land zuständige Durchsetzungs- oder "
                        "Schlichtungsstelle wenden. Das Verfahren ist kostenlos."
                    ),
                ),
                ("heading", "Leichte Sprache"),
                (
                    "paragraph",
                    _rich(
                        "Wir erklären in einfachen Sätzen, was wir machen: Wir helfen "
                        "Menschen, eine Selbsthilfe-Gruppe zu finden. In einer Gruppe treffen "
                        "sich Menschen mit dem gleichen Problem. Sie reden miteinander und "
                        "helfen sich. Das kostet nichts. Rufen Sie uns an oder schreiben Sie "
                        "uns. Wir helfen Ihnen gern."
                    ),
                ),
                ("heading", "Unsere Räume"),
                ("paragraph", _rich(_room_accessibility(office))),
            ),
        ),
    ]


def add_default_page(home, page, office):
    """Put a default page below ``home``: published, or as a draft when it is a legal
    page whose requirements the profile does not meet yet."""
    from sites.legal import LEGAL_PAGE_SLUGS, is_ready

    if page.slug in LEGAL_PAGE_SLUGS and not is_ready(office, page.slug):
        page.live = False
        home.add_child(instance=page)
        page.save_revision()
    else:
        home.add_child(instance=page)
        page.save_revision().publish()
    after_create(page, office)


def _room_accessibility(office):
    facts = []
    facts.append(
        "Unsere Räume sind stufenlos erreichbar."
        if office.step_free_access
        else "Unsere Räume sind leider nicht stufenlos erreichbar."
    )
    if office.accessible_wc:
        facts.append("Es gibt ein barrierefreies WC.")
    if office.hearing_loop:
        facts.append("Ein Raum hat eine Induktionsschleife für Hörgeräte.")
    if office.accessibility_notes:
        facts.append(escape(office.accessibility_notes))
    return " ".join(facts)


CONTACT_FORM_FIELDS = [
    {"label": "Ihr Name", "field_type": "singleline", "required": False},
    {"label": "Ihre E-Mail-Adresse", "field_type": "email", "required": True},
    {"label": "Ihre Nachricht", "field_type": "multiline", "required": True},
]


# The consent checkbox (with the link to Datenschutz) and the spam trap are added to every
# form by ``home.forms``; they are not editable fields, so no office can remove them.


def group_founding_fields(office):
    """Questions of the "Gruppe gründen" form; the district is a choice of the office's
    districts when the profile lists them."""
    districts = office.district_list
    district = (
        {
            "label": "Ortsteil / Gemeinde",
            "field_type": "dropdown",
            "required": False,
            "choices": "\n".join([*districts, "anderer Ort"]),
            "help_text": "Wo soll die Gruppe sich treffen?",
        }
        if districts
        else {
            "label": "Ortsteil / Gemeinde",
            "field_type": "singleline",
            "required": False,
            "help_text": "Wo soll die Gruppe sich treffen?",
        }
    )
    return [
        {
            "label": "Thema der Gruppe",
            "field_type": "singleline",
            "required": True,
            "help_text": "Zum Beispiel: Angehörige von Menschen mit Demenz, Long Covid, Trauer.",
        },
        district,
        {
            "label": "Ihr Name",
            "field_type": "singleline",
            "required": False,
            "help_text": "Ein Vorname oder ein Pseudonym genügt.",
        },
        {"label": "Ihre E-Mail-Adresse", "field_type": "email", "required": True},
        {"label": "Telefon (für einen Rückruf)", "field_type": "singleline", "required": False},
        {"label": "Was möchten Sie uns noch sagen?", "field_type": "multiline", "required": False},
    ]


def after_create(page, office):
    """Finish a default page once it is in the tree (inline objects need its id)."""
    from home.models import ContactFormField, ContactPage, GroupFoundingFormField, GroupFoundingPage

    if isinstance(page, ContactPage) and not page.form_fields.exists():
        for order, spec in enumerate(CONTACT_FORM_FIELDS):
            ContactFormField.objects.create(page=page, sort_order=order, **spec)
    if isinstance(page, GroupFoundingPage) and not page.form_fields.exists():
        for order, spec in enumerate(group_founding_fields(office)):
            GroupFoundingFormField.objects.create(page=page, sort_order=order, **spec)
