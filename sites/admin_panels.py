"""Admin panels that tell an office what its site still lacks before it is complete."""

from django.urls import reverse
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component

from . import legal


class LegalStatusPanel(Panel):
    """On the office profile: the fields the legal pages still need, and which legal pages
    are therefore not published yet."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "sites/admin/legal_status_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            office = self.instance
            context["missing"] = legal.missing_legal_items(office)
            context["drafts"] = (
                [page.title for page in legal.draft_legal_pages(office)] if office.pk else []
            )
            return context


def offices_for_user(user):
    """The offices whose profile ``user`` may edit (all for superusers)."""
    from wagtail.models import GroupSitePermission

    from .models import Office

    offices = Office.objects.select_related("site", "site__root_page")
    if user.is_superuser:
        return offices
    sites = GroupSitePermission.objects.filter(
        group__user=user,
        permission__codename="change_office",
        permission__content_type__app_label="sites",
    ).values("site_id")
    return offices.filter(site_id__in=sites)


class IncompleteOfficesPanel(Component):
    """On the dashboard: each of the user's offices whose legal pages wait for profile
    data, with what is missing and a link to the profile."""

    name = "incomplete_offices"
    template_name = "sites/admin/incomplete_offices_panel.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def entries(self):
        result = []
        for office in offices_for_user(self.user).order_by("name")[:50]:
            drafts = legal.draft_legal_pages(office)
            missing = legal.missing_legal_items(office)
            if not drafts and not missing:
                continue
            result.append(
                {
                    "office": office,
                    "missing": missing,
                    "drafts": [page.title for page in drafts],
                    "url": reverse(
                        "wagtailsettings:edit", args=["sites", "office", office.site_id]
                    ),
                }
            )
        return result

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["entries"] = self.entries()
        return context
