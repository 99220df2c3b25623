from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    """Tenancy: contact offices, their provisioning and the permissions that fence them in."""

    name = "sites"
    label = "sites"
    verbose_name = _("Kontaktstellen")

    def ready(self):
        from . import checks, signals  # noqa: F401
        from .admin_filters import restrict_page_listing_filters

        restrict_page_listing_filters()
