"""Default German content of a new office site.

Each office edits these texts afterwards; the defaults are written to be correct enough to
publish on day one (Impressum and Datenschutz name the office and point out what it must
complete) rather than lorem ipsum.
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


def default_pages(office):
    from home.models import ContactPage, StandardPage

    name = escape(office.name)
    address = escape(", ".join(office.address_lines)) or "[Anschrift ergänzen]"
    carrier = escape(office.organisation) or name
    contact = []
    if office.phone:
        contact.append(f"Telefon: {escape(office.phone)}")
    if office.email:
        contact.append(f"E-Mail: {escape(office.email)}")
    contact_html = "<br/>".join(contact) or "[Telefon und E-Mail ergänzen]"

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
        StandardPage(
            title="Impressum",
            slug="impressum",
            intro="Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG)",
            body=_body(
                ("heading", "Anbieter"),
                ("paragraph", _rich(f"{carrier}<br/>{name}<br/>{address}")),
                ("heading", "Kontakt"),
                ("paragraph", _rich(contact_html)),
                ("heading", "Vertretungsberechtigt"),
                ("paragraph", _rich("[Vorstand oder Geschäftsführung des Trägers ergänzen]")),
                ("heading", "Verantwortlich für den Inhalt"),
                ("paragraph", _rich("[Name und Anschrift nach § 18 Abs. 2 MStV ergänzen]")),
            ),
        ),
        StandardPage(
            title="Datenschutz",
            slug="datenschutz",
            intro="Informationen nach Art. 13 DSGVO zur Verarbeitung Ihrer Daten.",
            body=_body(
                ("heading", "Verantwortliche Stelle"),
                ("paragraph", _rich(f"{carrier}, {name}, {address}. {contact_html}")),
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
                ("heading", "Barrieren melden"),
                (
                    "paragraph",
                    _rich(
                        "Ist Ihnen eine Barriere aufgefallen? Bitte schreiben Sie uns über "
                        f"das Kontaktformular oder direkt: {contact_html}. Wir antworten "
                        "innerhalb von sechs Wochen."
                    ),
                ),
                ("heading", "Unsere Räume"),
                ("paragraph", _rich(_room_accessibility(office))),
            ),
        ),
    ]


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
    {
        "label": "Einwilligung",
        "field_type": "checkbox",
        "required": True,
        "help_text": (
            "Ich bin einverstanden, dass meine Angaben zur Beantwortung meiner Anfrage "
            "gespeichert werden. Hinweise in der Datenschutzerklärung."
        ),
    },
]


def after_create(page, office):
    """Finish a default page once it is in the tree (inline objects need its id)."""
    from home.models import ContactFormField, ContactPage

    if isinstance(page, ContactPage) and not page.form_fields.exists():
        for order, spec in enumerate(CONTACT_FORM_FIELDS):
            ContactFormField.objects.create(page=page, sort_order=order, **spec)
