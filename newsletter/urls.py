from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("newsletter/anmelden/", views.subscribe, name="subscribe"),
    path("newsletter/bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/einstellungen/<str:token>/", views.preferences, name="preferences"),
]
