from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """Page types of an office site: home page, content pages, contact form."""

    name = "home"
    verbose_name = _("Seiten")

    #: Site permissions of every office's groups on their own site: each office arranges
    #: its own menus and footer.
    office_site_permissions = ["home.change_navigation"]
    #: Rows that show up in the site chrome (``sites.chrome``): saving one rebuilds it.
    chrome_models = ["Navigation", "MainMenuItem", "FooterMenuItem"]

    def office_home_page(self, spec, locale, content=None):
        """The home page of a new office (``sites.provisioning`` asks for exactly one)."""
        from .provisioning import home_page

        return home_page(spec, locale, content)

    def provision_office(self, office):
        """The default pages of a new office site."""
        from .provisioning import create_default_pages

        create_default_pages(office)

    def build_site_chrome(self, chrome, site, home):
        """Menus and footer links from the site's ``Navigation`` setting."""
        from .navigation import add_menus

        add_menus(chrome, site, home)

    def ready(self):
        from django.db.models.signals import post_save

        post_save.connect(
            _legal_pages_follow_the_profile,
            sender="sites.Office",
            dispatch_uid="home_legal_pages_follow_the_profile",
        )


def _legal_pages_follow_the_profile(sender, instance, raw=False, **kwargs):
    """A profile that now holds what a legal page needs publishes that page; until then
    it stays a draft (``home.legal``)."""
    if raw or not instance.site_id:
        return
    from .legal import publish_legal_pages_when_ready

    publish_legal_pages_when_ready(instance)
