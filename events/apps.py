from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events, recurrence, registrations and iCalendar feeds of every office."""

    name = "events"
    verbose_name = _("Veranstaltungen")
    default_auto_field = "django.db.models.BigAutoField"

    #: How the translation status report (``sites.translation_status``) names these pages.
    translation_status_page_kinds = {"EventPage": _("Termin")}

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

    #: Rows that show on public pages besides the event pages themselves: the dates in
    #: lists and calendars, and the seats left (``sites.frontend_cache``).
    frontend_cache_models = ["Occurrence", "Registration"]
    #: The state site's calendar shows every office's events; the feeds are per site.
    frontend_cache_shared_pages = ["NetworkCalendarPage"]
    frontend_cache_shared_views = True

    def provision_office(self, office):
        """Every office gets its events page, the state site the network calendar."""
        from .setup import create_event_index

        create_event_index(office)

    def load_demo(self, offices):
        """Demo events for each office of the demo network (only once)."""
        from .demo import load_demo_events

        created = sum(
            load_demo_events(office, index=index) for index, office in enumerate(offices, start=1)
        )
        return f"Veranstaltungen: {created} Demo-Veranstaltung(en) neu angelegt." if created else ""

    def office_figures(self, request, office):
        """Dashboard figures of one office (see ``sites.dashboard``)."""
        from .dashboard import office_figures

        return office_figures(request, office)

    def ready(self):
        from django.apps import apps

        from . import signals

        signals.connect()
        if apps.is_installed("newsletter"):
            from .newsletter_sources import register

            register()
