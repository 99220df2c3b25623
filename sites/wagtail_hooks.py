"""Admin hooks that keep each office's staff inside their own site."""

from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import side_doors  # noqa: F401  (registers the side doors' hooks)


def _restrict_to_explorable(pages, user):
    if user.is_superuser:
        return pages
    explorable = PagePermissionPolicy().explorable_instances(user)
    return pages.filter(pk__in=explorable.values("pk"))


@hooks.register("construct_page_chooser_queryset")
def page_chooser_shows_own_site_only(pages, request):
    """The stock chooser lists every site's pages; offices may only link their own."""
    return _restrict_to_explorable(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def explorer_shows_own_site_only(parent_page, pages, request):
    return _restrict_to_explorable(pages, request.user)


@hooks.register("construct_homepage_panels")
def incomplete_offices_on_the_dashboard(request, panels):
    """Offices whose legal pages wait for profile data are told so on the dashboard."""
    from .admin_panels import IncompleteOfficesPanel

    panels.append(IncompleteOfficesPanel(request.user))


@hooks.register("construct_homepage_summary_items", order=1000)
def no_installation_wide_summary(request, summary_items):
    """Runs after Wagtail's own hooks (order 1000), which add the installation's counts."""
    from .dashboard import remove_site_summary

    remove_site_summary(request, summary_items)


@hooks.register("construct_homepage_panels")
def office_figures_on_dashboard(request, panels):
    from .dashboard import add_office_figures

    add_office_figures(request, panels)


@hooks.register("register_admin_viewset")
def postcode_areas_viewset():
    """The coordination keeps which postcodes each office serves (the office finder)."""
    from .admin_postcodes import PostcodeAreaViewSet

    return PostcodeAreaViewSet()
