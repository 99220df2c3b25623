"""Admin hooks that keep each office's staff inside their own site."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
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


@hooks.register("before_serve_page")
def remember_the_served_page(page, request, serve_args, serve_kwargs):
    """The HTTP cache tags a response by its page type (see ``sites.http_cache``)."""
    from .http_cache import remember_page

    remember_page(request, page)


@hooks.register("register_admin_urls")
def translation_status_url():
    from .translation_status_views import translation_status_report

    return [
        path(
            "reports/translation-status/",
            translation_status_report,
            name="sites_translation_status",
        )
    ]


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        from . import tenancy

        user = request.user
        return tenancy.is_coordinator(user) or bool(tenancy.staff_office_ids(user))


@hooks.register("register_reports_menu_item")
def translation_status_menu_item():
    return _StaffMenuItem(
        _("Übersetzungsstand"),
        reverse("sites_translation_status"),
        icon_name="globe",
        order=50,
    )


@hooks.register("before_serve_page")
def only_the_sites_languages_are_served(page, request, serve_args, serve_kwargs):
    """A URL in a language the site does not offer answers 404: a language the office
    never chose (``/ar/`` on a site without Arabic would otherwise show the German page
    under an Arabic address) and one it removed (its pages are kept, hidden).

    Previews in the admin do not pass here, so editors still see the hidden pages."""
    from django.http import Http404

    from . import chrome
    from .languages import active_language
    from .tenancy import office_for_request, site_languages

    office = office_for_request(request)
    if office is None:
        return None
    offered = site_languages(office)
    data = chrome.for_request(request)
    page_language = data.locale_codes.get(page.locale_id) if data else None
    language = active_language()
    # Wagtail falls back to the German home page when the site has none (or no live one)
    # in the requested language: that is no page in this language either.
    if language not in offered or page_language != language:
        raise Http404("language not offered by this site")
    return None


@hooks.register("register_admin_viewset")
def postcode_areas_viewset():
    """The coordination keeps which postcodes each office serves (the office finder)."""
    from .admin_postcodes import PostcodeAreaViewSet

    return PostcodeAreaViewSet()


@hooks.register("before_edit_page", order=-10)
def translated_page_to_review(request, page):
    """wagtail-localize's editor has no workflow action: its "Zur Freigabe einreichen"
    (added by ``sites.translation_review``) is taken here, before localize's own hook."""
    from .translation_review import intercept_submit

    return intercept_submit(request, page)


@hooks.register("before_edit_snippet", order=-10)
def translated_snippet_to_review(request, instance):
    from .translation_review import intercept_submit

    return intercept_submit(request, instance)


@hooks.register("register_admin_viewset", order=1000)
def sites_admin_refuses_a_taken_hostname():
    """Runs after Wagtail's own ``register_admin_viewset`` hooks (its Sites viewset is
    registered by then, its URLs not yet built): see ``sites.admin_sites``."""
    from wagtail.admin.viewsets import viewsets

    from .admin_sites import use_office_site_form

    use_office_site_form(viewsets)
    return []
