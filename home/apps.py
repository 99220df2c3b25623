from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """Page types of an office site: home page, content pages, contact form."""

    name = "home"
    verbose_name = _("Seiten")
