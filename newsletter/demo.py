"""Demo content of the newsletter: lists, subscribers with consent, sign-up pages, archive.

Called by ``load_demo`` so that a coordinator trying the demo finds something to start
from: the state-wide list and one list per office, a few confirmed subscribers (with the
consent records a real double opt-in leaves), a newsletter page with the sign-up form on
every site, and three sent issues in the web archive of the coordination site.

A second run changes nothing: lists by office and name, subscribers by address, pages by
slug below their parent, dispatches by issue. Addresses are made up (example.org).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import (
    ConsentText,
    Delivery,
    Dispatch,
    MailingList,
    NewsletterIssue,
    NewsletterPage,
    Subscriber,
    Subscription,
    SubscriptionEvent,
    SubscriptionStatus,
)

PAGE_SLUG = "newsletter"

STATE_LIST = (
    "Newsletter der Landeskoordination",
    "Einmal im Monat: neue Selbsthilfegruppen, Gruppen in Gründung, Veranstaltungen und "
    "Fortbildungen im ganzen Land und Fristen für die Förderung.",
)

#: address, name, language, which lists ("state", "own": the first office's list)
SUBSCRIBERS = [
    ("anna.becker@example.org", "Anna Becker", "de", ("state",)),
    ("mehmet.yilmaz@example.org", "Mehmet Yılmaz", "de", ("state", "own")),
    ("praxis.dr.lange@example.org", "Praxis Dr. Lange", "de", ("state",)),
    ("sozialdienst@example.org", "Sozialdienst Klinikum", "de", ("state", "own")),
    ("olga.petrenko@example.org", "Olga Petrenko", "en", ("state",)),
]


def _paragraph(*texts):
    return "".join(f"<p>{text}</p>" for text in texts)


def issue_body(month):
    """The blocks of a realistic monthly issue (German), for ``month`` (a date)."""
    deadline = datetime.date(month.year, 3, 31) if month.month <= 3 else None
    funding = (
        _paragraph(
            "Die gesetzlichen Krankenkassen fördern Selbsthilfegruppen nach § 20h SGB V. "
            f"Anträge auf Pauschalförderung für {month.year} müssen bis zum "
            f"{deadline:%d.%m.%Y} bei der Krankenkassen-Gemeinschaftsförderung eingehen.",
            "Wir helfen Ihnen beim Ausfüllen: Bringen Sie einfach den Bescheid des "
            "Vorjahres und Ihre Kassenbelege mit in unsere Sprechstunde.",
        )
        if deadline
        else _paragraph(
            "Haben Sie Pauschalförderung erhalten? Denken Sie an den Verwendungsnachweis: "
            "Er ist bis zum 31. März des Folgejahres fällig. Projektförderung können Sie "
            "jederzeit beantragen, spätestens acht Wochen vor Beginn des Projekts.",
        )
    )
    return [
        (
            "paragraph",
            _paragraph(
                "Liebe Leserinnen und Leser, in diesem Monat stellen wir Ihnen neue Gruppen "
                "aus den Bezirken vor, suchen Mitstreitende für Gruppen in Gründung und "
                "laden Sie zu Fortbildungen ein."
            ),
        ),
        ("heading", "Neue Gruppen"),
        (
            "paragraph",
            "<ul><li><b>Pflegende Angehörige Demenz Pankow</b> – jeden zweiten Dienstag um "
            "18 Uhr in der Kontaktstelle Pankow.</li>"
            "<li><b>Long Covid – Austausch und Alltag</b> – online, jeden Donnerstag um "
            "19 Uhr, mit Einwahl per Telefon.</li>"
            "<li><b>Trauercafé Spandau</b> – am ersten Samstag im Monat, 15 bis 17 Uhr, "
            "für alle, die einen nahen Menschen verloren haben.</li></ul>",
        ),
        ("heading", "Gruppen in Gründung"),
        (
            "paragraph",
            _paragraph(
                "Mehrere Menschen suchen Gleichgesinnte. Wenn Sie mitmachen möchten, melden "
                "Sie sich bei der Kontaktstelle Ihres Bezirks:",
            )
            + "<ul><li>Junge Erwachsene mit Depression (18–35 Jahre), Friedrichshain-"
            "Kreuzberg</li><li>Eltern von Kindern mit Diabetes Typ 1, Steglitz-Zehlendorf"
            "</li><li>Angehörige von Menschen mit Glücksspielsucht, Neukölln</li></ul>",
        ),
        ("heading", "Veranstaltungen und Fortbildungen"),
        (
            "paragraph",
            _paragraph(
                "<b>Gruppen gut leiten</b> – eine Fortbildung für Gruppensprecherinnen und "
                "-sprecher: Wie begrüße ich neue Mitglieder, wie gehen wir mit Konflikten um? "
                "Samstag, 10 bis 16 Uhr, in der Landeskoordination. Die Teilnahme ist "
                "kostenlos, bitte melden Sie sich an.",
                "<b>Selbsthilfe digital</b> – wie sich Gruppen per Video oder Telefon "
                "treffen können, ohne dass jemand außen vor bleibt. Online, Mittwoch, "
                "18 Uhr.",
            ),
        ),
        ("heading", "Förderung"),
        ("paragraph", funding),
        (
            "paragraph",
            _paragraph(
                "Sie haben Fragen oder Hinweise für die nächste Ausgabe? Antworten Sie "
                "einfach auf diese E-Mail – sie kommt bei uns an."
            ),
        ),
    ]


def _months_before(today, count):
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


MONTH_NAMES = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


def _list_for(office):
    if office.is_state:
        name, description = STATE_LIST
    else:
        name = f"Neues aus der {office.display_short_name}"
        description = f"Termine, neue Gruppen und Angebote der {office.name}, etwa viermal im Jahr."
    mailing_list, _created = MailingList.objects.get_or_create(
        office=office, name=name, defaults={"description": description}
    )
    return mailing_list


def _newsletter_page(office):
    """The published newsletter page below the office's German home (and its translation)."""
    home = office.site.root_page.specific
    existing = NewsletterPage.objects.child_of(home).first()
    if existing is not None:
        return existing, False
    if office.is_state:
        intro = (
            "<p>Einmal im Monat das Wichtigste aus der Selbsthilfe im ganzen Land: neue "
            "Gruppen, Gruppen in Gründung, Veranstaltungen und Fristen. Kostenlos, "
            "jederzeit abbestellbar.</p>"
        )
    else:
        intro = (
            f"<p>Bleiben Sie auf dem Laufenden: Mit unserem Newsletter erfahren Sie von "
            f"neuen Gruppen und Veranstaltungen der {office.display_short_name}. Sie können "
            "auch den landesweiten Newsletter bestellen.</p>"
        )
    page = NewsletterPage(title="Newsletter", slug=PAGE_SLUG, intro=intro, show_in_menus=False)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _translate(page):
    from wagtail.models import Locale

    home = page.get_parent()
    others = list(Locale.objects.filter(pk__in=home.get_translations().values("locale_id")))
    if others:
        from wagtail_localize.operations import translate_object

        from sites.provisioning import recount_children

        translate_object(page, others)
        transaction.on_commit(lambda: recount_children(home.translation_key))


def _subscriber(address, name, language, lists, consent, now):
    subscriber = Subscriber.objects.filter(email__iexact=address).first()
    if subscriber is None:
        subscriber = Subscriber.objects.create(email=address, name=name, language=language)
    for mailing_list in lists:
        if Subscription.objects.filter(subscriber=subscriber, mailing_list=mailing_list).exists():
            continue
        site = mailing_list.office.site
        requested = now - datetime.timedelta(days=120)
        subscription = Subscription(
            subscriber=subscriber,
            mailing_list=mailing_list,
            status=SubscriptionStatus.CONFIRMED,
            confirmation_sent_at=requested,
            confirmed_at=requested + datetime.timedelta(minutes=7),
        )
        subscription.record_consent(consent, site=site, url=f"https://{site.hostname}/newsletter/")
        subscription.requested_at = requested
        subscription.save()
        SubscriptionEvent.objects.create(
            subscription=subscription,
            kind=SubscriptionEvent.Kind.REQUESTED,
            at=requested,
            consent_version=consent.version,
            detail=site.hostname,
        )
        SubscriptionEvent.objects.create(
            subscription=subscription,
            kind=SubscriptionEvent.Kind.CONFIRMED,
            at=subscription.confirmed_at,
            consent_version=consent.version,
        )
    return subscriber


def _sent_issue(page, mailing_list, month, now):
    slug = f"ausgabe-{month:%Y-%m}"
    issue = NewsletterIssue.objects.child_of(page).filter(slug=slug).first()
    if issue is None:
        issue = NewsletterIssue(
            title=f"Selbsthilfe im Land – {MONTH_NAMES[month.month - 1]} {month.year}",
            slug=slug,
            month=month,
            mailing_list=mailing_list,
            preheader="Neue Gruppen, Gruppen in Gründung, Fortbildungen und Förderung",
            body=issue_body(month),
        )
        page.add_child(instance=issue)
        issue.save_revision().publish()
    if not Dispatch.objects.filter(issue=issue).exists():
        sent_at = timezone.make_aware(
            datetime.datetime.combine(month + datetime.timedelta(days=2), datetime.time(9))
        )
        dispatch = Dispatch.objects.create(
            issue=issue,
            mailing_list=mailing_list,
            status=Dispatch.Status.FINISHED,
            scheduled_for=sent_at,
            started_at=sent_at,
            finished_at=sent_at + datetime.timedelta(minutes=2),
            recipients_created=True,
        )
        confirmed = Subscription.objects.filter(
            mailing_list=mailing_list, status=SubscriptionStatus.CONFIRMED
        ).values_list("subscriber_id", flat=True)
        Delivery.objects.bulk_create(
            Delivery(
                dispatch=dispatch,
                subscriber_id=subscriber_id,
                status=Delivery.Status.SENT,
                attempts=1,
                sent_at=sent_at,
                message_id=f"<demo-{dispatch.pk}-{subscriber_id}@{mailing_list.office.site.hostname}>",
            )
            for subscriber_id in confirmed
        )
    return issue


def load_newsletter_demo(offices, today=None):
    """Lists, subscribers, newsletter pages and the archive for ``offices`` (once).

    Returns the number of newsletter pages created.
    """
    offices = list(offices)
    if not offices:
        return 0
    today = today or timezone.localdate()
    now = timezone.now()
    consent = ConsentText.current()
    lists = {office.pk: _list_for(office) for office in offices}
    created = 0
    pages = {}
    for office in offices:
        page, new = _newsletter_page(office)
        pages[office.pk] = page
        if new:
            _translate(page)
            created += 1

    state = next((office for office in offices if office.is_state), None)
    regional = [office for office in offices if not office.is_state]
    for address, name, language, wanted in SUBSCRIBERS:
        chosen = []
        if "state" in wanted and state is not None:
            chosen.append(lists[state.pk])
        if "own" in wanted and regional:
            chosen.append(lists[regional[0].pk])
        _subscriber(address, name, language, chosen, consent, now)

    if state is not None:
        for month in sorted(_months_before(today, 3)):
            _sent_issue(pages[state.pk], lists[state.pk], month, now)
    return created
