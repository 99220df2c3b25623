"""Queries other parts of the platform use (e.g. the "next events" teaser of a home page)."""

from django.db.models import Exists, OuterRef, Q, Subquery

from sites.chrome import locale_ids
from sites.languages import active_language

from .entries import entries
from .models import Occurrence


def upcoming_for_site(site, limit=3, now=None, request=None, known=None):
    """The next ``limit`` dates of ``site``'s events in the active language, as
    ``events.entries.OccurrenceEntry`` (URLs relative to ``request``'s site).

    One query, plus one for the events pages' URLs unless ``known`` maps their paths to
    URLs. On the state coordination site these are the dates of the whole network, as its
    calendar shows them. Cancelled dates are left out, and an event that recurs shows
    only its next date: three teasers of the same weekly meeting say less than three
    events (the event's page lists its further dates).
    """
    from sites.models import Office, OfficeKind

    locale = locale_ids().get(active_language())
    site_is_state = Exists(Office.objects.filter(site=site, kind=OfficeKind.STATE))
    scope = Occurrence.objects.in_locale(locale).filter(
        Q(office__site=site) | Q(site_is_state), cancelled=False
    )
    next_of_event = (
        Occurrence.objects.filter(event_id=OuterRef("event_id"), cancelled=False)
        .upcoming(now)
        .values("pk")[:1]
    )
    scope = scope.filter(pk=Subquery(next_of_event))
    return entries(scope.upcoming(now)[:limit], request, known)
