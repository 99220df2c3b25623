from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events, recurrence, registrations and iCalendar feeds of every office."""

    name = "events"
    verbose_name = _("Veranstaltungen")
    default_auto_field = "django.db.models.BigAutoField"

    #: Office staff see, export, move between waiting list and seat, and delete the
    #: registrations of their own office (the tenancy fence picks which: see below).
    office_permissions = [
        "events.view_registration",
        "events.change_registration",
        "events.delete_registration",
    ]

    #: Records of one office (see ``sites.fence``). Registrations are personal data that
    #: only the event's office reads, even the coordinators see only their own.
    office_owned_models = {
        "Registration": {"coordinators_see_all": False},
        "Occurrence": {},
    }

    def ready(self):
        from django.apps import apps

        from . import signals

        signals.connect()
        if apps.is_installed("newsletter"):
            from .newsletter_sources import register

            register()
