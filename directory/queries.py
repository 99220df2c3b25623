"""Small read-only queries other parts of the platform use: the home page's "new groups"
teaser and the newsletter's self-filling blocks. Only public data leaves this module."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import DirectoryPage, SelfHelpGroup, Status
from .views import localize


def _directory_page(site):
    """The live directory page of ``site`` in the active language (German otherwise)."""
    home = site.root_page.localized
    page = DirectoryPage.objects.live().child_of(home).first()
    if page is None:
        page = DirectoryPage.objects.live().child_of(site.root_page).first()
    return page


def newest_for_site(site, limit=3, office=None, base_url=None):
    """The newest public groups of ``site``'s office (all offices on the state site), each
    with ``name`` and ``url`` of its page on this site. Callers that already know the
    office and the directory page's URL (the home page, from the site chrome) pass them;
    then it is one query plus topics and translations."""
    from sites.models import Office

    if office is None:
        office = Office.objects.filter(site=site).first()
    if base_url is None:
        page = _directory_page(site)
        base_url = page.get_url() if page is not None else None
    if office is None or base_url is None:
        return []
    groups = SelfHelpGroup.objects.public().order_by("-created_at", "-pk")
    if not office.is_state:
        groups = groups.filter(office=office)
    groups = localize(list(groups.with_translation().prefetch_related("topics")[:limit]))
    return [{"name": group.name, "url": base_url + group.get_public_path()} for group in groups]


def _month_range(month):
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


def _state_directory():
    from sites.models import Office, OfficeKind

    state = Office.objects.filter(kind=OfficeKind.STATE).select_related("site").first()
    return _directory_page(state.site) if state else None


def _items(groups, language):
    from django.utils import translation

    from newsletter.sources import Item

    page = _state_directory()
    if page is None:
        return []
    with translation.override(language):
        groups = localize(list(groups.select_related("office").prefetch_related("topics")))
        base = page.get_full_url()
    return [
        Item(
            title=group.name,
            url=base + group.get_public_path(),
            date=group.created_at,
            office=group.office.display_short_name,
            summary=", ".join(group.display_topics),
        )
        for group in groups
    ]


def new_groups_of_month(month, language):
    """Groups that became public in the issue's month (state directory links)."""
    start, end = _month_range(month)
    groups = (
        SelfHelpGroup.objects.public()
        .filter(created_at__date__gte=start, created_at__date__lt=end)
        .exclude(status=Status.FOUNDING)
        .order_by("created_at", "pk")
    )
    return _items(groups, language)


def groups_in_founding(month, language):
    """Every group currently looking for members to get started ("Gruppe in Gründung")."""
    groups = (
        SelfHelpGroup.objects.public()
        .filter(Q(status=Status.FOUNDING))
        .order_by("-created_at", "pk")
    )
    return _items(groups, language)


def register_newsletter_sources():
    from newsletter import sources

    sources.register("new_groups_of_month", new_groups_of_month, label=_("Neue Gruppen im Monat"))
    sources.register("groups_in_founding", groups_in_founding, label=_("Gruppen in Gründung"))
