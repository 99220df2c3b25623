"""Admin integration: lists and consent texts as snippets, the send dashboard, subscribers."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_urls
from .models import ConsentText, MailingList, NewsletterIssue
from .permissions import can_test


class MailingListViewSet(SnippetViewSet):
    """Lists are created by the coordination (for itself or for an office)."""

    model = MailingList
    icon = "mail"
    menu_label = pgettext_lazy("Mehrzahl", "Verteiler")
    list_display = ["name", "office", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


class ConsentTextViewSet(SnippetViewSet):
    """Editing a consent text saves a new version; old versions stay as proof."""

    model = ConsentText
    icon = "doc-full"
    menu_label = _("Einwilligungstexte")
    list_display = ["version", "text", "created_at"]


class NewsletterViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Newsletter")
    menu_icon = "mail"
    menu_order = 250
    items = (MailingListViewSet, ConsentTextViewSet)


register_snippet(NewsletterViewSetGroup)


@hooks.register("register_admin_urls")
def newsletter_admin_urls():
    return [path("newsletter/", include(admin_urls, namespace="newsletter_admin"))]


class SubscribersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("newsletter.view_subscriber")


@hooks.register("register_admin_menu_item")
def subscribers_menu_item():
    return SubscribersMenuItem(
        _("Abonnent:innen"),
        reverse("newsletter_admin:subscribers"),
        icon_name="group",
        order=251,
    )


@hooks.register("register_page_header_buttons")
def dispatch_button(page, user, view_name, next_url=None):
    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, NewsletterIssue):
        return
    issue = page.specific
    if can_test(user, issue.source_edition()):
        yield Button(
            _("Testen und versenden"),
            reverse("newsletter_admin:dispatch", args=[issue.pk]),
            icon_name="mail",
            priority=5,
        )
