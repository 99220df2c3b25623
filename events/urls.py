from django.urls import path

from . import views

urlpatterns = [
    path("events.ics", views.site_feed, name="events_site_feed"),
]
