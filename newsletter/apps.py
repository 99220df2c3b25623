from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    """Double opt-in subscriptions and the resumable monthly newsletter send."""

    name = "newsletter"
    verbose_name = _("Newsletter")

    #: Every office's editors may test and send issues of their own site's list, run lists
    #: of their own office and see those lists' subscribers (which objects is decided by
    #: the tenancy fence: never another office's lists or the state-wide ones).
    office_permissions = [
        "newsletter.send_newsletter",
        "newsletter.add_mailinglist",
        "newsletter.change_mailinglist",
        "newsletter.view_mailinglist",
        "newsletter.view_subscriber",
    ]
    #: Coordinators manage every list and the consent texts and answer data-rights requests
    #: (export and erasure span all lists, so they stay with the coordination).
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

    #: Records of one office (see ``sites.fence``): a list belongs to its office, and so do
    #: its subscriptions, their history and the sends; a subscriber to the lists they are
    #: on. Coordinators run every list and answer data-rights requests for all of them.
    office_owned_models = {
        "MailingList": {},
        "Subscription": {"path": "mailing_list__office"},
        "SubscriptionEvent": {"path": "subscription__mailing_list__office"},
        "Subscriber": {"path": "subscriptions__mailing_list__office"},
        "Dispatch": {"path": "mailing_list__office"},
        "Delivery": {"path": "dispatch__mailing_list__office"},
    }

    def load_demo(self, offices):
        """Lists, subscribers, a sign-up page on every site and three sent issues in the
        coordination site's archive (only once)."""
        from .demo import load_newsletter_demo

        pages = load_newsletter_demo(offices)
        return f"Newsletter: {pages} Newsletter-Seite(n) neu angelegt." if pages else ""
