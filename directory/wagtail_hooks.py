"""Admin of the directory: groups, topics and contact requests.

Groups and contact requests are office-owned (``DirectoryConfig.office_owned_models``); their
viewsets go through the tenancy fence (``sites.fence.OfficeOwnedViewSetMixin``): lists and
choosers show the user's own records, and every view that names a record by its primary key
(edit, delete, copy, history, usage, inspect, revisions, unpublish, preview, workflow, lock)
answers 403 for another office's. Topics are shared and guarded by ``TopicPermissionPolicy``.
"""

import django_filters
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sites.admin_display import ReadableInspectView
from sites.admin_filters import LocaleFilter
from sites.fence import OfficeChooserViewSet, OfficeOwnedViewSetMixin
from sites.models import Office
from sites.tenancy import visible_offices

from . import admin_views, confirmation_views
from .forms import (
    SelfHelpGroupForm,
    TopicForm,
    search_term_field_name,
    search_term_languages,
)
from .models import STALE_AFTER, ContactRequest, SelfHelpGroup, Status, Topic
from .widget_admin import PartnerWidgetViewSet


def with_review_state(queryset):
    """Annotate ``in_review``: whether a workflow (review) of the group is in progress."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField, Exists, OuterRef
    from django.db.models.functions import Cast
    from wagtail.models import WorkflowState

    content_type = ContentType.objects.get_for_model(SelfHelpGroup)
    return queryset.annotate(
        in_review=Exists(
            WorkflowState.objects.filter(
                base_content_type=content_type,
                object_id=Cast(OuterRef("pk"), output_field=CharField()),
                status=WorkflowState.STATUS_IN_PROGRESS,
            )
        )
    )


class GroupFilterSet(WagtailFilterSet):
    office = django_filters.ModelChoiceFilter(
        label=_("Kontaktstelle"), queryset=Office.objects.none(), method="filter_office"
    )
    topics = django_filters.ModelChoiceFilter(
        label=_("Thema"), queryset=Topic.objects.none(), field_name="topics"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    stale = django_filters.BooleanFilter(
        label=_("Seit über 12 Monaten nicht geprüft"), method="filter_stale"
    )
    locale = LocaleFilter()

    class Meta:
        model = SelfHelpGroup
        fields = ["office", "topics", "status", "live", "locale"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["office"].queryset = visible_offices(request.user, SelfHelpGroup).order_by(
                "name"
            )
        self.filters["topics"].queryset = Topic.objects.filter(
            locale__language_code="de"
        ).select_related("parent")

    def filter_office(self, queryset, name, value):
        return queryset.filter(office=value) if value else queryset

    def filter_stale(self, queryset, name, value):
        if value is None:
            return queryset
        stale = SelfHelpGroup.objects.stale().values("pk")
        return queryset.filter(pk__in=stale) if value else queryset.exclude(pk__in=stale)


class TopicFilterSet(WagtailFilterSet):
    locale = LocaleFilter()

    class Meta:
        model = Topic
        fields = ["locale"]


class GroupViewSet(OfficeOwnedViewSetMixin, SnippetViewSet):
    model = SelfHelpGroup
    chooser_viewset_class = OfficeChooserViewSet
    icon = "group"
    menu_label = _("Gruppen")
    url_prefix = "directory/groups"
    admin_url_namespace = "directory_groups"
    list_display = [
        "name",
        Column("office", label=_("Kontaktstelle")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("publication", label=_("Veröffentlichung"), accessor="publication_state"),
        "district",
        DateColumn("last_verified", label=_("Geprüft")),
    ]
    list_per_page = 50
    filterset_class = GroupFilterSet
    # Plain database search (icontains): imported groups are bulk-inserted and would be
    # missing from a search index until the next update_index; the fields are public ones.
    search_fields = ["name", "description", "district", "venue"]
    search_backend_name = None
    copy_view_enabled = True
    inspect_view_enabled = True
    inspect_view_class = ReadableInspectView
    #: Wagtail's bookkeeping (revisions, locks, schedule, search text) says nothing to an
    #: office; the history and the status side panel show what matters of it.
    inspect_view_fields_exclude = [
        "id",
        "translation_key",
        "latest_revision",
        "live_revision",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "go_live_at",
        "expire_at",
        "expired",
        "locked",
        "locked_at",
        "locked_by",
        "search_document",
    ]
    edit_handler = TabbedInterface(
        SelfHelpGroup.edit_handler.children, base_form_class=SelfHelpGroupForm
    )

    def get_queryset(self, request):
        return with_review_state(super().get_queryset(request)).select_related("office", "locale")


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Themen")
    url_prefix = "directory/topics"
    admin_url_namespace = "directory_topics"
    list_display = ["name", "parent", "slug"]
    search_fields = ["name", "synonyms", "related_terms"]
    search_backend_name = None
    filterset_class = TopicFilterSet
    edit_handler = ObjectList(
        [
            *Topic.panels,
            MultiFieldPanel(
                [FieldPanel(search_term_field_name(code)) for code, _l in search_term_languages()],
                heading=_("Suchbegriffe je Sprache"),
            ),
        ],
        base_form_class=TopicForm,
    )

    def get_queryset(self, request):
        return Topic.objects.select_related("parent", "locale")


class ContactRequestViewSet(OfficeOwnedViewSetMixin, SnippetViewSet):
    model = ContactRequest
    chooser_viewset_class = OfficeChooserViewSet
    icon = "mail"
    menu_label = _("Kontaktanfragen")
    url_prefix = "directory/requests"
    admin_url_namespace = "directory_requests"
    list_display = [
        "name",
        "group_name",
        Column("office", label=_("Kontaktstelle")),
        DateColumn("created_at", label=_("Eingegangen")),
    ]
    inspect_view_enabled = True
    inspect_view_class = ReadableInspectView
    copy_view_enabled = False
    search_fields = ["name", "group_name", "email"]
    search_backend_name = None


class DirectoryViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Gruppenverzeichnis")
    menu_icon = "group"
    menu_order = 250
    items = (GroupViewSet, TopicViewSet, ContactRequestViewSet, PartnerWidgetViewSet)


register_snippet(DirectoryViewSetGroup)


@hooks.register("register_admin_urls")
def register_directory_admin_urls():
    return [
        path("directory/stale/", admin_views.stale_report, name="directory_stale"),
        path("directory/verify/<int:pk>/", admin_views.mark_verified, name="directory_verify"),
        path("directory/import/", admin_views.import_view, name="directory_import"),
        path(
            "directory/confirmation/<int:pk>/",
            confirmation_views.request_confirmation,
            name="directory_request_confirmation",
        ),
    ]


class StaleMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("directory.change_selfhelpgroup")


@hooks.register("register_admin_menu_item")
def register_stale_menu_item():
    return StaleMenuItem(
        _("Prüfung fällig"), reverse("directory_stale"), icon_name="time", order=251
    )


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return StaleMenuItem(
        _("Gruppen importieren"), reverse("directory_import"), icon_name="upload", order=252
    )


__all__ = ["STALE_AFTER", "timezone"]


@hooks.register("construct_snippet_action_menu")
def hide_publish_from_reviewers_in_waiting(menu_items, request, context):
    """Wagtail's menu asks only the model permission; the office's "Redaktion" group has it
    too but may not publish (see ``sites.tenancy.can_publish_for``), so it only saves drafts."""
    if context.get("model") is not SelfHelpGroup:
        return
    instance = context.get("instance")
    policy = policy_registry.get_by_type(SelfHelpGroup)
    allowed = (
        policy.user_has_permission_for_instance(request.user, "publish", instance)
        if instance is not None and instance.pk
        else policy.user_has_permission(request.user, "publish")
    )
    if not allowed:
        menu_items[:] = [
            item for item in menu_items if item.name not in ("action-publish", "action-unpublish")
        ]


@hooks.register("register_log_actions")
def register_directory_log_actions(actions):
    actions.register_action(
        "directory.verified", _("Als geprüft markiert"), _("Angaben als aktuell bestätigt")
    )
    actions.register_action(
        "directory.confirmation_requested",
        _("Bestätigung angefordert"),
        _("Die Gruppe um Bestätigung ihres Eintrags gebeten"),
    )
    actions.register_action(
        "directory.confirmed_by_group",
        _("Von der Gruppe bestätigt"),
        _("Die Gruppe hat ihren Eintrag bestätigt"),
    )
    actions.register_action(
        "directory.proposed_by_group",
        _("Änderungsvorschlag der Gruppe"),
        _("Die Gruppe hat Änderungen an ihrem Eintrag vorgeschlagen"),
    )


@hooks.register("register_snippet_listing_buttons")
def confirmation_listing_button(snippet, user, next_url=None):
    """ "Bestätigung anfordern" in a group's "more" menu, for the owning office's staff; it
    opens a page that names the address and sends on a button press."""
    from urllib.parse import urlencode

    from wagtail.admin.ui.menus import MenuItem as ListingMenuItem

    from .confirmation import may_request

    if isinstance(snippet, SelfHelpGroup) and may_request(user, snippet):
        url = reverse("directory_request_confirmation", args=[snippet.pk])
        if next_url:
            url += "?" + urlencode({"next": next_url})
        yield ListingMenuItem(_("Bestätigung anfordern"), url, icon_name="mail", priority=90)
