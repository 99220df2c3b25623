"""What the home app adds to a new office: its home page and the default pages below it.

Called by ``sites.provisioning`` through ``HomeConfig`` (the tenancy app knows no page
types), inside the provisioning transaction.
"""

from wagtail.models import Locale

from . import defaults
from .models import HomePage


def home_page(spec, locale, content=None):
    """The (unsaved) German home page of the office described by ``spec``."""
    from wagtail.models import Page

    from sites.slugs import german_slugify

    base = german_slugify(spec.short_name or spec.name) or "kontaktstelle"
    slug, n = base, 1
    while Page.objects.filter(depth=2, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return HomePage(
        title=spec.name,
        slug=slug,
        locale=locale,
        **(content or defaults.home_content(spec)),
    )


def create_default_pages(office):
    """Kontakt, "Gruppe gründen", Impressum, Datenschutz and Barrierefreiheit below the
    office's German home page, published, and translated into every locale the home page
    has been translated into."""
    home = office.site.root_page.specific
    others = list(Locale.objects.filter(pk__in=home.get_translations().values("locale_id")))
    for page in defaults.default_pages(office):
        # A legal page stays a draft until the profile holds what it needs.
        defaults.add_default_page(home, page, office)
        if others:
            from sites.provisioning import translate

            translate(page, others)
