"""Admin integration: the registrations viewset (fenced by office) and its menu item."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import RegistrationViewSet


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("events.view_registration")


registrations = RegistrationViewSet()


@hooks.register("register_admin_viewset")
def register_registrations():
    return registrations


@hooks.register("register_admin_menu_item")
def registrations_menu_item():
    return RegistrationsMenuItem(
        _("Anmeldungen"),
        registrations.menu_url,
        icon_name="clipboard-list",
        order=260,
    )
