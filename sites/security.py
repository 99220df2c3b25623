"""Security headers of every response: Content-Security-Policy and Permissions-Policy.

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

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings

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
