"""Creating the directory page of an office site (called at the end of provisioning)."""

from django.utils.translation import gettext as _
from wagtail.models import Locale

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
        from sites.provisioning import translate

        translate(page, others)
    # Provisioning recounts the children of the translated home pages once wagtail-localize
    # has published everything (see ``sites.provisioning.recount_children``).
    return page
