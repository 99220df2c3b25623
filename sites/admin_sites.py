"""Wagtail's own Sites admin (Einstellungen → Websites) keeps the rule ``create_office``
keeps: one hostname belongs to one office whatever the port.

Wagtail's ``Site`` is only unique per (hostname, port), so its admin accepted
``kiss-pankow.example.de:8080`` beside ``kiss-pankow.example.de:80``, a second site
under the office's name that ``Site.find_for_request`` serves for one port only. The
HTTP cache keys by hostname without port (``platform/varnish.vcl``), so the two would
also share cached pages.

Wagtail offers no setting for the Sites form; ``sites.wagtail_hooks`` gives the Sites
viewset that Wagtail registered this form (``use_office_site_form``), which subclasses
Wagtail's own so everything else stays Wagtail's.
"""

from django import forms
from django.utils.translation import gettext as _
from wagtail.models import Site
from wagtail.sites.forms import SiteForm


class OfficeSiteForm(SiteForm):
    """Wagtail's Sites form plus the refusal of a hostname taken on another port."""

    def clean_hostname(self):
        hostname = (self.cleaned_data.get("hostname") or "").strip().lower()
        taken = (
            Site.objects.filter(hostname__iexact=hostname)
            .exclude(pk=self.instance.pk)
            .order_by("pk")
            .first()
        )
        if taken is not None:
            raise forms.ValidationError(
                _(
                    "Der Hostname „%(hostname)s“ gehört schon zur Website „%(site)s“ "
                    "(Port %(port)s). Ein Hostname gehört zu genau einer Kontaktstelle, "
                    "gleich unter welchem Port."
                )
                % {
                    "hostname": hostname,
                    "site": taken.site_name or taken.hostname,
                    "port": taken.port,
                },
                code="hostname_taken",
            )
        return hostname


def use_office_site_form(registry):
    """Give the Sites viewset already in Wagtail's ``registry`` our form. Returns it, or
    ``None`` when Wagtail registered no Sites viewset (then there is no form to guard)."""
    from wagtail.sites.views import SiteViewSet

    for viewset in registry.viewsets:
        if isinstance(viewset, SiteViewSet):
            viewset.get_form_class = lambda for_update=False: OfficeSiteForm
            return viewset
    return None
