"""Narrow the filters of Wagtail's page listing to the user's own sites.

Wagtail's page explorer offers "Site", "Owner" and "Edited by" filters whose choices list
every site and every editor of the installation, which would show an office the names of
the other offices' staff. The filters accept a callable ``queryset(request)``; we give them
one that only offers what the user may explore. Superusers keep the full lists.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.models import Page, PageLogEntry, Site
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
