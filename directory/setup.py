"""Creating the directory page of an office site (called at the end of provisioning)."""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from .models import DirectoryPage

DIRECTORY_SLUG = "gruppen"


def create_directory_page(office):
    """Add the published directory page below the office's German home page and translate
    it into the other content locales. Does nothing if the site already has one."""
    home = office.site.root_page.specific
    existing = DirectoryPage.objects.descendant_of(home).first()
    if existing is not None:
        return existing
    if office.is_state:
        intro = _(
            "<p>Alle Selbsthilfegruppen im Land. Suchen Sie mit Ihren eigenen Worten oder "
            "wählen Sie ein Thema und Ihren Ortsteil.</p>"
        )
    else:
        intro = _(
            "<p>Die Selbsthilfegruppen, die wir betreuen. Suchen Sie mit Ihren eigenen "
            "Worten oder wählen Sie ein Thema und Ihren Ortsteil. Wir vermitteln Sie "
            "gern persönlich.</p>"
        )
    page = DirectoryPage(
        title=_("Selbsthilfegruppen"),
        slug=DIRECTORY_SLUG,
        intro=intro,
        show_in_menus=True,
        founding_text=_(
            "<p>Keine passende Gruppe gefunden? Vielleicht suchen andere Menschen gerade "
            "dasselbe wie Sie. Wir helfen Ihnen, eine neue Gruppe zu gründen: wir suchen "
            "Mitstreitende, stellen einen Raum und begleiten die ersten Treffen.</p>"
        ),
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    # Only where the site has a home page in that locale to hang the translation below.
    others = list(Locale.objects.filter(pk__in=home.get_translations().values("locale_id")))
    if others:
        from wagtail_localize.operations import translate_object

        translate_object(page, others)
    _repair_child_counts(office)
    # Something wagtail-localize schedules for the commit saves the translated home page
    # again with its stale count; repair once more after everything else has run.
    transaction.on_commit(lambda: _repair_child_counts(office))
    return page


def _repair_child_counts(office):
    """Translated home pages created by wagtail-localize's subtree copy keep ``numchild``
    at 0, and treebeard then treats them as leaves: ``get_children()`` is empty and /en/
    pages (including this directory) answer 404. Recount the children of every locale root
    of the site from the tree paths."""
    from sites.tenancy import locale_roots

    for root in locale_roots(office.site):
        count = Page.objects.filter(path__startswith=root.path, depth=root.depth + 1).count()
        if root.numchild != count:
            Page.objects.filter(pk=root.pk).update(numchild=count)
