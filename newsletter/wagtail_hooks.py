"""Admin integration: lists and consent texts as snippets, the send dashboard, subscribers."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.pages.edit import EditView as PageEditView
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sites.fence import OfficeChooserViewSet, OfficeOwnedViewSetMixin
from sites.tenancy import visible_offices

from . import admin_urls
from .models import ConsentText, MailingList, NewsletterIssue
from .permissions import can_test


class MailingListForm(WagtailAdminModelForm):
    """Offers only the offices whose lists the user manages (an office's staff: their own)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "office" in self.fields and self.for_user is not None:
            offices = visible_offices(self.for_user, MailingList).order_by("name")
            self.fields["office"].queryset = offices
            if not self.instance.pk and len(offices) == 1:
                self.fields["office"].initial = offices[0].pk


class MailingListViewSet(OfficeOwnedViewSetMixin, SnippetViewSet):
    """Lists of every office: the coordination runs the state-wide ones (and any other);
    an office's staff create and edit their own office's lists and reach no other (the
    tenancy fence checks every view that names a list, whatever the view)."""

    model = MailingList
    icon = "mail"
    menu_label = pgettext_lazy("Mehrzahl", "Verteiler")
    list_display = ["name", "office", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    search_backend_name = None
    chooser_viewset_class = OfficeChooserViewSet
    edit_handler = ObjectList(MailingList.panels, base_form_class=MailingListForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office")


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


def dispatch_button(page, user, button_class=Button):
    """The "test and send" button of an issue, or None (not an issue, or not allowed)."""
    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, NewsletterIssue):
        return None
    issue = page.specific
    if not can_test(user, issue.source_edition()):
        return None
    return button_class(
        _("Testen und versenden"),
        reverse("newsletter_admin:dispatch", args=[issue.pk]),
        icon_name="mail",
        attrs={"data-newsletter-dispatch": ""},
        priority=5,
    )


@hooks.register("register_page_header_buttons")
def dispatch_menu_button(page, user, view_name, next_url=None):
    """In the "..." menu of the explorer; the edit view shows it in the header itself."""
    if view_name == "edit":
        return
    button = dispatch_button(page, user)
    if button is not None:
        yield button


def _edit_view_header_buttons(original):
    """Wagtail offers no hook for the visible header buttons of the page editor, only for
    its "..." dropdown, where nobody found the test send. This wraps the editor's
    ``get_header_buttons`` to put the issue's button first, beside the dropdown."""

    def get_header_buttons(self):
        buttons = original(self)
        button = dispatch_button(self.page, self.request.user, HeaderButton)
        return [button, *buttons] if button is not None else buttons

    get_header_buttons.newsletter_wrapped = True
    return get_header_buttons


if not getattr(PageEditView.get_header_buttons, "newsletter_wrapped", False):
    PageEditView.get_header_buttons = _edit_view_header_buttons(PageEditView.get_header_buttons)
