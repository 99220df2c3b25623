"""Security headers of every response (Content-Security-Policy, Permissions-Policy) and
the refusal of control characters in URLs.

The public sites load nothing from a third-party host (a German court fined a site for
Google Fonts) and run no inline script, so their policy is strict (``CONTENT_SECURITY_POLICY``
in the settings): everything from the site's own origin, no plugins, no foreign form
targets, no framing. The only inline code is the office's brand colour, a ``<style>``
element that carries the request's nonce.

Wagtail's admin is not written for such a policy (inline ``style`` attributes in its
templates and widgets, ``data:`` and ``blob:`` images in the image chooser and uploader,
the preview panel framing the site), so paths under ``/admin/`` get
``ADMIN_CONTENT_SECURITY_POLICY``, which allows what the admin needs and no more: still no
third-party host and no plugins. The admin is used by logged-in staff only; a script that
offices could inject would target the public pages, which stay strict.
"""

import re

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

ADMIN_PREFIX = "/admin/"


def is_admin_request(request):
    return request.path_info.startswith(ADMIN_PREFIX)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy for paths under ``/admin/``.

    A view's own ``@csp_override``/``@csp_replace`` still wins over both.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin_request(request):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


#: C0 control characters and DEL; tab, line feed and carriage return may be typed text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _has_control_characters(request):
    if CONTROL_CHARACTERS.search(request.path_info):
        return True
    return any(
        CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) for v in values)
        for key, values in request.GET.lists()
    )


class RejectControlCharactersMiddleware:
    """Answer 400 to a URL whose path or query string holds a control character.

    No address of the platform and no typed search contains one, but a NUL byte
    (``%00``) would travel from any query parameter or path segment into a query, and
    PostgreSQL (psycopg) refuses NUL in text with an exception, i.e. a server error on
    every view that forgets to check. One check here covers the page tree, the
    directory's API, the events filters and every later view; forms still validate
    their own fields (Django's ``CharField`` refuses NUL in posted data too).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control_characters(request):
            message = _("Die Adresse enthält unzulässige Steuerzeichen.")
            if request.path_info.startswith("/api/"):
                response = JsonResponse(
                    {"error": str(message)}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            else:
                response = render(
                    request, "sites/bad_request.html", {"message": message}, status=400
                )
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
