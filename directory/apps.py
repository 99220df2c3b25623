from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """The central directory of self-help groups that every site shows a part of."""

    name = "directory"
    verbose_name = _("Gruppenverzeichnis")

    #: Given to every office's editor groups at provisioning. Which groups and requests an
    #: office may touch is decided by ``directory.permissions`` (its own office only).
    office_permissions = [
        "directory.add_selfhelpgroup",
        "directory.change_selfhelpgroup",
        "directory.delete_selfhelpgroup",
        "directory.publish_selfhelpgroup",
        "directory.lock_selfhelpgroup",
        "directory.unlock_selfhelpgroup",
        "directory.view_topic",
        "directory.view_contactrequest",
        "directory.delete_contactrequest",
        # Widgets for partner sites: of the user's own office (``sites.fence``).
        "directory.add_partnerwidget",
        "directory.change_partnerwidget",
        "directory.delete_partnerwidget",
        "directory.view_partnerwidget",
    ]
    #: The coordinators curate the whole directory and the topic list.
    coordinator_permissions = [
        "directory.add_topic",
        "directory.change_topic",
        "directory.delete_topic",
    ]

    #: Records of one office (see ``sites.fence``): coordinators curate every office's
    #: groups, but a visitor's contact request is read by the group's office alone.
    office_owned_models = {
        "SelfHelpGroup": {},
        "ContactRequest": {"coordinators_see_all": False},
        # A group's confirmation requests and answers, owned through the group.
        "GroupConfirmation": {"path": "group__office"},
        # An office's partners and where they embed its widget are its own business.
        "PartnerWidget": {"coordinators_see_all": False},
        "WidgetReferral": {"path": "widget__office", "coordinators_see_all": False},
    }

    #: Rows that show on public pages: a change purges them from the HTTP cache
    #: (``sites.frontend_cache``).
    frontend_cache_models = ["SelfHelpGroup", "Topic"]
    #: Every site's directory page lists groups of every office (it widens to the state),
    #: and the public APIs serve all of them.
    frontend_cache_shared_pages = ["DirectoryPage"]
    frontend_cache_shared_views = True

    #: Translatable records in the translation status report (``sites.translation_status``):
    #: "office" records belong to one office's site, "shared" ones to every site.
    translation_status_models = {
        "SelfHelpGroup": {"label": _("Gruppe"), "scope": "office"},
        "Topic": {"label": _("Thema"), "scope": "shared"},
    }

    def provision_office(self, office):
        """Every office site gets its directory page."""
        from .setup import create_directory_page

        create_directory_page(office)

    def load_demo(self, offices):
        """Topics, a directory page per site and demo groups (only once)."""
        from .demo import load_directory_demo

        groups = load_directory_demo(offices)
        return f"Gruppenverzeichnis: {groups} Demo-Gruppe(n) neu angelegt." if groups else ""

    def office_figures(self, request, office):
        """Dashboard figures of one office (see ``sites.dashboard``)."""
        from .dashboard import office_figures

        return office_figures(request, office)

    def network_figures(self, request):
        """State-wide dashboard figures for the coordinators."""
        from .dashboard import network_figures

        return network_figures(request)

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import signals  # noqa: F401
        from .models import Topic
        from .permissions import TopicPermissionPolicy

        register_permission_policy(Topic, TopicPermissionPolicy(Topic))

        from django.apps import apps

        if apps.is_installed("newsletter"):
            from .queries import register_newsletter_sources

            register_newsletter_sources()
