"""The newsletter's self-filling block "Veranstaltungen aller Kontaktstellen".

Registered with :mod:`newsletter.sources` when both apps are installed. The newsletter goes
out from the coordination site, but every link must lead to the event on its own office's
site, so the URLs are the event pages' full URLs.
"""

import datetime

from django.utils.translation import gettext_lazy as _

from . import recurrence
from .models import Occurrence

#: More would not fit a newsletter; the block's own limit is usually lower.
MAX_ITEMS = 60


def month_bounds(month):
    """Start and end (aware, Europe/Berlin) of the calendar month containing ``month``."""
    first = datetime.datetime(month.year, month.month, 1, tzinfo=recurrence.BERLIN)
    if month.month == 12:
        following = first.replace(year=month.year + 1, month=1)
    else:
        following = first.replace(month=month.month + 1)
    return first, following


def events_of_month(month, language):
    """Dates of all offices' events in the issue's month, in the edition's language where
    the event has been translated, German otherwise (one query per language tried)."""
    from newsletter.sources import Item

    start, end = month_bounds(month)
    occurrences = []
    for code in dict.fromkeys([language, "de"]):
        occurrences = list(
            Occurrence.objects.filter(locale__language_code=code, cancelled=False)
            .overlapping(start, end)
            .for_listing()
            .order_by("start", "pk")[:MAX_ITEMS]
        )
        if occurrences:
            break
    return [
        Item(
            title=occurrence.event.title,
            url=occurrence.event.get_full_url(),
            date=occurrence.local_start,
            office=occurrence.office.display_short_name,
            summary=occurrence.event.search_description or "",
        )
        for occurrence in occurrences
    ]


def register():
    from newsletter import sources

    sources.register(
        "events_of_month",
        events_of_month,
        label=_("Veranstaltungen aller Kontaktstellen im Monat"),
    )
