"""Narrow the filters of Wagtail's page listing to the user's own sites.

Wagtail's page explorer offers "Site", "Owner" and "Edited by" filters whose choices list
every site and every editor of the installation, which would show an office the names of
the other offices' staff. The filters accept a callable ``queryset(request)``; we give them
one that only offers what the user may explore. Superusers keep the full lists.
"""

import django_filters
from django import forms
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


def _filter_unpublished(queryset, name, value):
    if value in ("true", "false"):
        return queryset.filter(has_unpublished_changes=value == "true")
    return queryset


def add_unpublished_changes_filter():
    """Wagtail's page listing cannot list the drafts of a site; the dashboard's figure
    "Seiten mit unveröffentlichten Änderungen" links to this filter."""
    unpublished = django_filters.ChoiceFilter(
        label=_("Unveröffentlichte Änderungen"),
        empty_label=_("Alle"),
        # Choices, not a BooleanFilter: Wagtail shows an active filter by its choice label
        # ("Ja"), a boolean one by Python's value ("True").
        choices=[("true", _("Ja")), ("false", _("Nein"))],
        method=_filter_unpublished,
        widget=forms.RadioSelect,
    )
    # The explorer uses a subclass; django-filter copied the filters into each subclass
    # when it was created.
    pending = [PageFilterSet]
    while pending:
        filterset = pending.pop()
        filterset.declared_filters["has_unpublished_changes"] = unpublished
        filterset.base_filters["has_unpublished_changes"] = unpublished
        pending.extend(filterset.__subclasses__())


class LocaleFilter(django_filters.ModelChoiceFilter):
    """The "locale" filter of our listings, named as editors say it: "Sprache" (Wagtail
    labels it with the model field's name, which its German translation leaves "Locale")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Sprache"))
        kwargs.setdefault("queryset", Locale.objects.all())
        kwargs.setdefault("field_name", "locale")
        super().__init__(**kwargs)
