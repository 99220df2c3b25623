"""Materialising occurrences: the bridge between recurrence rules and fast listings."""

from django.db import transaction
from django.utils import timezone

from sites.tenancy import office_for_page

from .models import ARCHIVE_SPAN, HORIZON, EventPage, Occurrence


@transaction.atomic
def refresh_occurrences(event, now=None, office=None):
    """Replace the stored occurrences of ``event`` with a fresh expansion.

    The window runs from ``ARCHIVE_SPAN`` ago to ``HORIZON`` ahead; a page that is not live
    (or belongs to no office) has no occurrences at all. Returns the number written.
    """
    now = now or timezone.now()
    Occurrence.objects.filter(event=event).delete()
    if not event.live:
        return 0
    office = office or office_for_page(event)
    if office is None:
        return 0
    rows = [
        Occurrence(
            event=event,
            office=office,
            locale_id=event.locale_id,
            category=event.category,
            start=start,
            end=end,
            all_day=event.all_day,
            cancelled=cancelled,
        )
        for start, end, cancelled in event.occurrences_between(
            now - ARCHIVE_SPAN, now + HORIZON, include_cancelled=True
        )
    ]
    Occurrence.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def refresh_all(now=None):
    """Refresh every live event (nightly: moves the horizon along). Returns a count."""
    total = 0
    events = EventPage.objects.live().prefetch_related("cancelled_dates", "extra_dates")
    offices = {}
    for event in events.iterator(chunk_size=200):
        root = event.path[: event.steplen * 2]
        if root not in offices:
            offices[root] = office_for_page(event)
        total += refresh_occurrences(event, now=now, office=offices[root])
    # What is derived from the stored dates and kept until the next save (the home
    # pages' next events, the iCalendar feeds) follows the new window.
    from sites.chrome import invalidate

    invalidate()
    return total


def on_published(sender, instance, **kwargs):
    refresh_occurrences(instance.specific if not isinstance(instance, EventPage) else instance)


def on_unpublished(sender, instance, **kwargs):
    Occurrence.objects.filter(event_id=instance.pk).delete()
