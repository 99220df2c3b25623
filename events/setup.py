"""Provisioning support: every office gets its events index, the state site its calendar."""

from django.utils.translation import gettext as _
from wagtail.models import Locale

from .models import EventIndexPage, NetworkCalendarPage

SLUG = "veranstaltungen"


def create_event_index(office):
    """Create (once) the events page of ``office`` below its German home page, published
    and translated into the other content languages. Returns the German page.

    A regional office gets an ``EventIndexPage``; the state coordination a
    ``NetworkCalendarPage`` that lists the events of all offices. Calling it again for an
    office that has its page changes nothing (the demo loader relies on that).
    """
    home = office.site.root_page
    model = NetworkCalendarPage if office.is_state else EventIndexPage
    existing = model.objects.child_of(home).first()
    if existing is not None:
        return existing
    if office.is_state:
        title = _("Veranstaltungskalender")
        intro = _(
            "<p>Veranstaltungen aller Selbsthilfe-Kontaktstellen im Land: Infoabende, "
            "Fortbildungen, offene Treffen und Selbsthilfetage.</p>"
        )
    else:
        title = _("Veranstaltungen")
        intro = _(
            "<p>Infoabende, offene Gruppentreffen, Vorträge und Fortbildungen der "
            "Kontaktstelle. Die Teilnahme ist meist kostenlos.</p>"
        )
    slug = SLUG
    taken = set(home.get_children().values_list("slug", flat=True))
    n = 1
    while slug in taken:
        n += 1
        slug = f"{SLUG}-{n}"
    page = model(title=title, slug=slug, intro=intro, show_in_menus=True, locale=home.locale)
    home.add_child(instance=page)
    page.save_revision().publish()

    others = [
        locale
        for locale in Locale.objects.exclude(pk=home.locale_id)
        if home.get_translation_or_none(locale) is not None
    ]
    if others:
        from sites.provisioning import translate

        translate(page, others)
    return page
