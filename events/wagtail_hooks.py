"""Admin integration: the registrations menu item and views (filtered by office)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("events.view_registration")


@hooks.register("register_admin_urls")
def registration_urls():
    return [
        path(
            "events/registrations/",
            admin_views.registration_index,
            name="events_registrations",
        ),
        path(
            "events/registrations/export.csv",
            admin_views.registration_export,
            name="events_registrations_export",
        ),
        path(
            "events/registrations/<int:pk>/status/",
            admin_views.registration_status,
            name="events_registration_status",
        ),
        path(
            "events/registrations/<int:pk>/delete/",
            admin_views.registration_delete,
            name="events_registration_delete",
        ),
    ]


@hooks.register("register_admin_menu_item")
def registrations_menu_item():
    return RegistrationsMenuItem(
        _("Anmeldungen"),
        reverse("events_registrations"),
        icon_name="clipboard-list",
        order=260,
    )
