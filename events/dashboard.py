"""What the events app adds to the dashboard (see ``sites.dashboard``): the office's
confirmed registrations for upcoming dates."""

import datetime

from django.urls import reverse
from django.utils import timezone

from sites.dashboard import Figure, counted

from .models import Registration, RegistrationStatus


def office_figures(request, office):
    if not request.user.has_perm("events.view_registration"):
        return []
    # The same rows as the linked list: confirmed, from yesterday on (see ``admin_views``).
    upcoming = Registration.objects.filter(
        office=office,
        occurrence_start__gte=timezone.now() - datetime.timedelta(days=1),
        status=RegistrationStatus.CONFIRMED,
    )
    url = reverse("events_registrations:index")
    count = upcoming.count()
    return [
        Figure(
            "registrations",
            count,
            counted("Anmeldung für kommende Termine", "Anmeldungen für kommende Termine", count),
            f"{url}?zeit=kommend&status={RegistrationStatus.CONFIRMED}",
            "clipboard-list",
        )
    ]
