from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events, recurrence, registrations and iCalendar feeds of every office."""

    name = "events"
    verbose_name = _("Veranstaltungen")
