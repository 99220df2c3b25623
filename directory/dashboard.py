"""What the directory adds to the dashboard (see ``sites.dashboard``).

An office sees its new contact requests and its groups due for verification; coordinators,
who curate the whole directory, also see the state-wide figures.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sites.dashboard import Figure

from .models import ContactRequest, SelfHelpGroup, Status

#: Contact requests count as new for this long.
NEW_REQUESTS = datetime.timedelta(days=14)


def _groups():
    """Groups as the directory lists them: the German (source) records."""
    return SelfHelpGroup.objects.filter(locale__language_code="de")


def office_figures(request, office):
    user = request.user
    figures = []
    if user.has_perm("directory.view_contactrequest"):
        since = timezone.now() - NEW_REQUESTS
        figures.append(
            Figure(
                _("Neue Kontaktanfragen (14 Tage)"),
                ContactRequest.objects.filter(office=office, created_at__gte=since).count(),
                reverse("directory_requests:list"),
                "mail",
                needs_attention=True,
            )
        )
    if user.has_perm("directory.change_selfhelpgroup"):
        figures.append(
            Figure(
                _("Gruppen mit fälliger Prüfung (12 Monate)"),
                _groups().stale().filter(office=office).count(),
                reverse("directory_stale"),
                "time",
                needs_attention=True,
            )
        )
    return figures


def network_figures(request):
    if not request.user.has_perm("directory.change_selfhelpgroup"):
        return []
    groups = _groups()
    listing = reverse("directory_groups:list")
    return [
        Figure(_("Gruppen im Verzeichnis"), groups.count(), listing, "group"),
        Figure(
            _("Gruppen in Gründung"),
            groups.filter(status=Status.FOUNDING).count(),
            f"{listing}?status={Status.FOUNDING}",
            "group",
        ),
        Figure(
            _("Gruppen mit fälliger Prüfung, landesweit"),
            groups.stale().count(),
            reverse("directory_stale"),
            "time",
            needs_attention=True,
        ),
    ]
