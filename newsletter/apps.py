from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    """Double opt-in subscriptions and the resumable monthly newsletter send."""

    name = "newsletter"
    verbose_name = _("Newsletter")

    #: Every office's editors may test and send issues of their own site's list (which
    #: objects is decided by :mod:`newsletter.permissions`).
    office_permissions = ["newsletter.send_newsletter"]
    #: Coordinators manage lists and consent texts and answer data-rights requests.
    coordinator_permissions = [
        "newsletter.send_newsletter",
        "newsletter.add_mailinglist",
        "newsletter.change_mailinglist",
        "newsletter.view_mailinglist",
        "newsletter.add_consenttext",
        "newsletter.change_consenttext",
        "newsletter.view_consenttext",
        "newsletter.view_subscriber",
        "newsletter.delete_subscriber",
    ]
