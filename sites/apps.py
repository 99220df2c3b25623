from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    """Tenancy: contact offices, their provisioning and the permissions that fence them in."""

    name = "sites"
    label = "sites"
    verbose_name = _("Kontaktstellen")

    #: Records of one office (see ``sites.fence``): its hours, and the rooms it lends to
    #: groups (an event of one office books only that office's rooms).
    office_owned_models = {
        "OpeningHours": {},
        "ConsultationHours": {},
        "Room": {"coordinators_see_all": False},
    }

    def ready(self):
        from . import signals  # noqa: F401
        from .admin_filters import restrict_page_listing_filters
        from .fence import register_declared_models

        restrict_page_listing_filters()
        register_declared_models()
