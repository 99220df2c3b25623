"""Narrow the filters of Wagtail's page listing to the user's own sites.

Wagtail's page explorer offers "Site", "Owner" and "Edited by" filters whose choices list
every site and every editor of the installation, which would show an office the names of
the other offices' staff. The filters accept a callable ``queryset(request)``; we give them
one that only offers what the user may explore. Superusers keep the full lists.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.models import Locale, Page, PageLogEntry, Site
from wagtail.permission_policies.pages import PagePermissionPolicy


def _explorable_ids(request):
    return PagePermissionPolicy().explorable_instances(request.user).values("pk")


def sites_for(request):
    if request is None or request.user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(root_page__in=_explorable_ids(request))


def owners_for(request):
    User = get_user_model()
    pages = Page.objects.all()
    if request is not None and not request.user.is_superuser:
        pages = pages.filter(pk__in=_explorable_ids(request))
    return User.objects.filter(pk__in=pages.order_by().values("owner_id"))


def editors_for(request):
    User = get_user_model()
    entries = PageLogEntry.objects.filter(action="wagtail.edit")
    if request is not None and not request.user.is_superuser:
        entries = entries.filter(page_id__in=_explorable_ids(request))
    return User.objects.filter(pk__in=entries.order_by().values("user_id"))


def restrict_page_listing_filters():
    filters = PageFilterSet.declared_filters
    filters["site"].queryset = sites_for
    filters["owner"].queryset = owners_for
    filters["edited_by"].queryset = editors_for
    add_unpublished_changes_filter()


def add_unpublished_changes_filter():
    """Wagtail's page listing cannot list the drafts of a site; the dashboard's figure
    "Seiten mit unveröffentlichten Änderungen" links to this filter."""
    unpublished = django_filters.BooleanFilter(
        field_name="has_unpublished_changes", label=_("Unveröffentlichte Änderungen")
    )
    PageFilterSet.declared_filters["has_unpublished_changes"] = unpublished
    PageFilterSet.base_filters["has_unpublished_changes"] = unpublished


class LocaleFilter(django_filters.ModelChoiceFilter):
    """The "locale" filter of our listings, named as editors say it: "Sprache" (Wagtail
    labels it with the model field's name, which its German translation leaves "Locale")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Sprache"))
        kwargs.setdefault("queryset", Locale.objects.all())
        kwargs.setdefault("field_name", "locale")
        super().__init__(**kwargs)
