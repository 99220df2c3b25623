from django.urls import path

from . import admin_views

app_name = "newsletter_admin"

urlpatterns = [
    path("ausgabe/<int:page_id>/", admin_views.dispatch_dashboard, name="dispatch"),
    path("ausgabe/<int:page_id>/vorschau/", admin_views.email_preview, name="preview"),
    path("ausgabe/<int:page_id>/test/", admin_views.send_test, name="send_test"),
    path("ausgabe/<int:page_id>/planen/", admin_views.schedule, name="schedule"),
    path("ausgabe/<int:page_id>/aufheben/", admin_views.cancel, name="cancel"),
    path("ausgabe/<int:page_id>/anhalten/", admin_views.stop, name="stop"),
    path("ausgabe/<int:page_id>/fortsetzen/", admin_views.resume, name="resume"),
    path("abonnenten/", admin_views.subscriber_index, name="subscribers"),
    path("abonnenten/<int:pk>/", admin_views.subscriber_detail, name="subscriber"),
    path("abonnenten/<int:pk>/export/", admin_views.subscriber_export, name="subscriber_export"),
    path("abonnenten/<int:pk>/loeschen/", admin_views.subscriber_erase, name="subscriber_erase"),
]
