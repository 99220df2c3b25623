"""Error pages of the admin: a refused admin URL answers in the admin's own layout.

The side doors (``sites.side_doors.SideDoorMiddleware``) and the fence refuse another
office's object with a 404 *before* Wagtail's admin views run, so Django's ``handler404``
answered, with the public site's "Seite nicht gefunden" in the office's theme: wrong for
an editor working in the admin, and unlike Wagtail's own admin 404. For an admin URL and
a user who may use the admin, these handlers render what Wagtail renders for an admin
object that does not exist (``wagtailadmin/404.html``: admin layout, the user's admin
language, a link to the dashboard), so a refused object looks exactly like a missing
one. A refusal by permission (403) gets the same layout with its own words. Everything
else (public URLs, visitors without admin access) gets Django's default handlers and so
the public pages, as before.
"""

from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from wagtail.admin.localization import get_localized_response

from .security import is_admin_request

ADMIN_404_TEMPLATE = "wagtailadmin/404.html"  # Wagtail's own, for a missing admin object
ADMIN_403_TEMPLATE = "sites/admin/403.html"


def _admin_user(request):
    user = getattr(request, "user", None)
    return (
        is_admin_request(request)
        and user is not None
        and user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
    )


@never_cache
def _admin_not_found(request, exception):
    return defaults.page_not_found(request, exception, template_name=ADMIN_404_TEMPLATE)


@never_cache
def _admin_forbidden(request, exception):
    return render(request, ADMIN_403_TEMPLATE, status=403)


def not_found(request, exception):
    """``handler404``."""
    if _admin_user(request):
        return get_localized_response(_admin_not_found, request, exception)
    return defaults.page_not_found(request, exception)


def forbidden(request, exception):
    """``handler403``."""
    if _admin_user(request):
        return get_localized_response(_admin_forbidden, request, exception)
    return defaults.permission_denied(request, exception)
