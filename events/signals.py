"""Signal wiring: occurrences follow the live state of event pages."""

from wagtail.signals import page_published, page_unpublished


def connect():
    from .models import EventPage
    from .occurrences import on_published, on_unpublished

    page_published.connect(on_published, sender=EventPage, dispatch_uid="events-published")
    page_unpublished.connect(on_unpublished, sender=EventPage, dispatch_uid="events-unpublished")
