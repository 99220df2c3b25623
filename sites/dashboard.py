"""The dashboard of an office: its own figures, not the installation's.

Wagtail's dashboard opens with a site summary that counts every page, image and document of
the installation: twelve offices' pages, shown to each office as if they were its own, and
a hint at how big the others are. We take its items away (``construct_homepage_summary_items``)
and put a panel of the office's own figures in its place (``construct_homepage_panels``):

* for every office the user works for: its pages, its drafts, the reviews waiting for the
  user, and what the apps contribute (new contact requests, upcoming registrations, groups
  due for verification ...);
* for coordinators, in addition, the figures of what they curate for the whole state (the
  group directory).

Each figure links to the admin list it counts. ``sites`` knows none of the apps: an app
contributes figures through its ``AppConfig`` (``office_figures(request, office)`` and
``network_figures(request)``, each returning a list of ``Figure``).
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext
from wagtail.admin.ui.components import Component

from . import tenancy


@dataclass(frozen=True)
class Figure:
    """One number on the dashboard and the admin list it counts.

    ``key`` names the figure for tests and styles; ``label`` follows the count ("1 Seite",
    "20 Seiten"): build it with ``counted``.
    """

    key: str
    count: int
    label: str
    url: str
    icon: str = "doc-empty"
    #: Marked when the count is not zero (work waiting).
    needs_attention: bool = False


def counted(singular, plural, count):
    """The label of a figure in the grammatical number of ``count`` (the catalogs keep
    these under the context "Dashboard")."""
    return npgettext("Dashboard", singular, plural, count)


def page_figures(request, office):
    """The office's pages (in every language), its drafts, and the reviews waiting for the
    user on them."""
    site = office.site
    pages = tenancy.pages_of_site(site)
    explorer = reverse("wagtailadmin_explore", args=[site.root_page_id])
    total = pages.count()
    drafts = pages.filter(has_unpublished_changes=True).count()
    figures = [
        Figure(
            "pages",
            total,
            counted("Seite", "Seiten", total),
            explorer,
            "doc-empty-inverse",
        ),
        Figure(
            "drafts",
            drafts,
            counted(
                "Seite mit unveröffentlichten Änderungen",
                "Seiten mit unveröffentlichten Änderungen",
                drafts,
            ),
            reverse("wagtailadmin_explore_root") + "?has_unpublished_changes=true",
            "edit",
        ),
    ]
    if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        reviews = reviews_waiting(request.user, office)
        figures.append(
            Figure(
                "reviews",
                reviews,
                counted("Freigabe, die auf Sie wartet", "Freigaben, die auf Sie warten", reviews),
                reverse("wagtailadmin_home") + "#awaiting-review-section",
                "tasks",
                needs_attention=True,
            )
        )
    return figures


def reviews_waiting(user, office):
    """Workflow tasks the user may approve on a page or record of ``office``."""
    from wagtail.models import TaskState

    states = TaskState.objects.reviewable_by(user).filter(status=TaskState.STATUS_IN_PROGRESS)
    count = 0
    for state in states.select_related("workflow_state"):
        obj = state.workflow_state.content_object
        if obj is not None and office.pk in (tenancy.owner_office_ids(obj) or ()):
            count += 1
    return count


def _app_figures(method, *args):
    figures = []
    for config in apps.get_app_configs():
        contribute = getattr(config, method, None)
        if contribute is not None:
            figures.extend(contribute(*args))
    return figures


def sections_for(request):
    """``[(heading, [Figure])]``: one section per office of the user, then the state-wide
    one for coordinators. Another office never appears (only ``staff_offices``)."""
    user = request.user
    sections = []
    for office in tenancy.staff_offices(user).select_related("site").order_by("name"):
        figures = page_figures(request, office) + _app_figures("office_figures", request, office)
        sections.append((office.name, figures))
    if tenancy.is_coordinator(user):
        figures = _app_figures("network_figures", request)
        if figures:
            sections.append((_("Landesweit"), figures))
    return sections


class OfficeFiguresPanel(Component):
    """The office's figures at the top of the dashboard."""

    name = "office_figures"
    order = 50
    template_name = "sites/admin/office_figures.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        return {"sections": sections_for(self.request)}


def remove_site_summary(request, summary_items):
    """Wagtail's summary counts the whole installation (see the module docstring)."""
    summary_items[:] = []


def add_office_figures(request, panels):
    panels.insert(0, OfficeFiguresPanel(request))
