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
        """The default pages of a new office site, and its pages in Leichte Sprache and
        Gebärdensprache (BITV 2.0 § 4)."""
        from .bitv import add_bitv_pages
        from .provisioning import create_default_pages

        create_default_pages(office)
        add_bitv_pages(office)

    def build_site_chrome(self, chrome, site, home):
        """Menus and footer links from the site's ``Navigation`` setting."""
        from .bitv import add_header_links
        from .navigation import add_menus

        add_menus(chrome, site, home)
        add_header_links(chrome, site, home)

    def ready(self):
        from django.db.models.signals import post_migrate, post_save, pre_save

        post_migrate.connect(
            _offices_get_their_bitv_pages, sender=self, dispatch_uid="home_bitv_pages"
        )

        pre_save.connect(
            _remember_the_legal_texts_of_the_old_profile,
            sender="sites.Office",
            dispatch_uid="home_remember_legal_texts",
        )
        post_save.connect(
            _legal_pages_follow_the_profile,
            sender="sites.Office",
            dispatch_uid="home_legal_pages_follow_the_profile",
        )


def _offices_get_their_bitv_pages(sender, using="default", **kwargs):
    """Installations provisioned before the pages "Leichte Sprache" and "Gebärdensprache"
    existed get them after ``migrate`` (with every model at its current schema, which a
    data migration could not promise); idempotent, see ``home.bitv.ensure_bitv_pages``."""
    from django.db import connections

    from sites.models import Office

    if "sites_office" not in connections[using].introspection.table_names():
        return
    if Office.objects.using(using).exists():
        from .bitv import ensure_bitv_pages

        ensure_bitv_pages()


def _remember_the_legal_texts_of_the_old_profile(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        return
    old = sender.objects.filter(pk=instance.pk).select_related("site").first()
    if old is not None:
        from .legal import generated_signatures

        instance._legal_before = generated_signatures(old)


def _legal_pages_follow_the_profile(sender, instance, raw=False, **kwargs):
    """A profile that now holds what a legal page needs publishes that page, and a changed
    profile rewrites the legal pages nobody has edited (``home.legal``); until then they
    stay drafts."""
    if raw or not instance.site_id:
        return
    from .legal import publish_legal_pages_when_ready, refresh_untouched_legal_pages

    publish_legal_pages_when_ready(instance)
    before = instance.__dict__.pop("_legal_before", None)
    if before:
        refresh_untouched_legal_pages(instance, before)
