from django.urls import path

from . import views

urlpatterns = [
    path("events.ics", views.site_feed, name="events_site_feed"),
    path(
        "anmeldung/absagen/<str:token>/",
        views.cancel_registration,
        name="events_registration_cancel",
    ),
]
