from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """The central directory of self-help groups that every site shows a part of."""

    name = "directory"
    verbose_name = _("Gruppenverzeichnis")
