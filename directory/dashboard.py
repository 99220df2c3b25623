"""What the directory adds to the dashboard (see ``sites.dashboard``).

An office sees its new contact requests and its groups due for verification; coordinators,
who curate the whole directory, also see the state-wide figures.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from sites.dashboard import Figure, counted

from .models import STALE_AFTER, ContactRequest, GroupConfirmation, SelfHelpGroup, Status

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
        new = ContactRequest.objects.filter(office=office, created_at__gte=since).count()
        figures.append(
            Figure(
                "contact_requests",
                new,
                counted("neue Kontaktanfrage (14 Tage)", "neue Kontaktanfragen (14 Tage)", new),
                reverse("directory_requests:list"),
                "mail",
                needs_attention=True,
            )
        )
    if user.has_perm("directory.change_selfhelpgroup"):
        stale = _groups().stale().filter(office=office).count()
        figures.append(
            Figure(
                "stale_groups",
                stale,
                counted(
                    "Gruppe mit fälliger Prüfung (12 Monate)",
                    "Gruppen mit fälliger Prüfung (12 Monate)",
                    stale,
                ),
                reverse("directory_stale"),
                "time",
                needs_attention=True,
            )
        )
        proposals = pending_proposals(office)
        if proposals:
            figures.append(
                Figure(
                    "group_proposals",
                    proposals,
                    counted(
                        "Änderungsvorschlag einer Gruppe",
                        "Änderungsvorschläge von Gruppen",
                        proposals,
                    ),
                    reverse("directory_stale"),
                    "edit",
                    needs_attention=True,
                )
            )
    return figures


def pending_proposals(office):
    """How many changes the office's groups proposed by link that wait for the office."""
    from .confirmation import _proposal_pending

    since = timezone.now() - STALE_AFTER
    answers = GroupConfirmation.objects.filter(
        group__office=office,
        answer=GroupConfirmation.Answer.PROPOSED,
        answered_at__gte=since,
    ).select_related("group")
    return len({a.group_id for a in answers if _proposal_pending(a.group, a)})


def network_figures(request):
    if not request.user.has_perm("directory.change_selfhelpgroup"):
        return []
    groups = _groups()
    listing = reverse("directory_groups:list")
    total = groups.count()
    founding = groups.filter(status=Status.FOUNDING).count()
    stale = groups.stale().count()
    return [
        Figure(
            "groups",
            total,
            counted("Gruppe im Verzeichnis", "Gruppen im Verzeichnis", total),
            listing,
            "group",
        ),
        Figure(
            "founding_groups",
            founding,
            counted("Gruppe in Gründung", "Gruppen in Gründung", founding),
            f"{listing}?status={Status.FOUNDING}",
            "group",
        ),
        Figure(
            "stale_groups_network",
            stale,
            counted(
                "Gruppe mit fälliger Prüfung, landesweit",
                "Gruppen mit fälliger Prüfung, landesweit",
                stale,
            ),
            reverse("directory_stale"),
            "time",
            needs_attention=True,
        ),
    ]
