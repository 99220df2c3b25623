from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    """Double opt-in subscriptions and the resumable monthly newsletter send."""

    name = "newsletter"
    verbose_name = _("Newsletter")
