from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    """Tenancy: contact offices, their provisioning and the permissions that fence them in."""

    name = "sites"
    label = "sites"
    verbose_name = _("Kontaktstellen")

    #: Office staff and coordinators translate their own content with wagtail-localize
    #: (which content is the fence's answer; see ``sites.side_doors``).
    office_permissions = ["wagtail_localize.submit_translation"]

    #: Records of one office (see ``sites.fence``): its hours, and the rooms it lends to
    #: groups (an event of one office books only that office's rooms).
    office_owned_models = {
        "OpeningHours": {},
        "ConsultationHours": {},
        "ClosurePeriod": {},
        "Room": {"coordinators_see_all": False},
        # Which postcodes an office serves (the office finder on the state site).
        "PostcodeArea": {},
    }

    #: The coordination draws the offices' postcode areas; offices do not edit them.
    coordinator_permissions = [
        "sites.add_postcodearea",
        "sites.change_postcodearea",
        "sites.delete_postcodearea",
        "sites.view_postcodearea",
    ]

    def ready(self):
        from . import checks, frontend_cache, signals  # noqa: F401
        from .admin_display import localise_spreadsheet_exports, register_value_displays
        from .admin_filters import restrict_page_listing_filters
        from .fence import register_declared_models
        from .indexing import install as install_collectable_index_tasks
        from .root_paths import install as install_root_paths
        from .side_doors import fence_log_entries
        from .slugs import install as install_german_slugs
        from .translation_targets import install as narrow_translation_targets
        from .wagtail_speedups import install as install_speedups

        install_root_paths()
        install_speedups()
        fence_log_entries()
        install_collectable_index_tasks()
        install_german_slugs()
        restrict_page_listing_filters()
        narrow_translation_targets()
        register_declared_models()
        frontend_cache.connect()
        register_value_displays()
        localise_spreadsheet_exports()

        from django.db.models.signals import post_migrate

        from .review import connect_notifier

        connect_notifier()
        post_migrate.connect(_ensure_snippet_workflow, sender=self)


def _ensure_snippet_workflow(**kwargs):
    """After every migrate: office-owned snippets with workflows are reviewed per office."""
    from .review import ensure_snippet_workflow

    ensure_snippet_workflow()
