"""The admin of the widgets for partner sites (``PartnerWidget``, ``directory.widget``).

A widget belongs to its office (``DirectoryConfig.office_owned_models``) and its views go
through the fence like every other office-owned record: an office sees and edits its own
widgets only; coordinators see the state office's (the partners of an office are its own
business). The edit view shows the embed code, the JSON address, a preview and where the
widget is embedded (origins and counts of the last 30 days).
"""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from sites import languages
from sites.fence import OfficeChooserViewSet, OfficeOwnedViewSetMixin
from sites.tenancy import visible_offices

from .models import PartnerWidget, Topic, default_locale_id
from .widget import KEEP_DAYS, OTHER, referral_summary


class PartnerWidgetForm(WagtailAdminModelForm):
    """Offers the user's own offices, the source-language topics and the content
    languages (the model checks that the office's site offers the chosen one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "office" in self.fields and self.for_user is not None:
            offices = visible_offices(self.for_user, PartnerWidget).order_by("name")
            self.fields["office"].queryset = offices
            if not self.instance.pk and offices.count() == 1:
                self.fields["office"].initial = offices.first().pk
        if "topics" in self.fields:
            self.fields["topics"].queryset = Topic.objects.filter(
                locale_id=default_locale_id()
            ).select_related("parent")
        if "language" in self.fields:
            self.fields["language"] = forms.ChoiceField(
                label=self.fields["language"].label,
                help_text=self.fields["language"].help_text,
                choices=[(code, languages.name_local(code)) for code in languages.codes()],
                initial=settings.LANGUAGE_CODE,
            )


def widget_urls(widget):
    """``(HTML address, JSON address)`` of ``widget`` on its office's site."""
    root = widget.office.site.root_url
    return (
        root + reverse("directory_widget", kwargs={"key": widget.key}),
        root + reverse("directory_widget_json", kwargs={"key": widget.key}),
    )


def embed_code(widget):
    """The ``<iframe>`` a partner pastes into its page: titled (screen readers announce
    the frame), sandboxed (no script can run, links may open the office's pages), lazy."""
    from django.utils.html import escape

    html_url, _json = widget_urls(widget)
    title = f"{_('Selbsthilfegruppen')} – {widget.office.name}"
    # A plain string (escaped where it is shown): the partner copies it as text.
    return (
        f'<iframe src="{escape(html_url)}" title="{escape(title)}" width="100%" height="480" '
        'loading="lazy" style="border:0" referrerpolicy="strict-origin-when-cross-origin" '
        'sandbox="allow-top-navigation-by-user-activation allow-popups"></iframe>'
    )


class WidgetEmbedPanel(Panel):
    """Embed code, JSON address, preview and the partner sites that show the widget."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "directory/admin/widget_embed_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            widget = self.instance
            context["saved"] = bool(widget and widget.pk)
            if context["saved"]:
                html_url, json_url = widget_urls(widget)
                site_languages = languages.normalise(widget.office.languages)
                context.update(
                    {
                        "html_url": html_url,
                        "json_url": json_url,
                        "embed_code": embed_code(widget),
                        "language_urls": [
                            (languages.name_local(code), f"{html_url}?sprache={code}")
                            for code in site_languages
                        ],
                        "referrals": [
                            {"origin": origin, "hits": hits, "other": origin == OTHER}
                            for origin, hits in referral_summary(widget)
                        ],
                        "keep_days": KEEP_DAYS,
                    }
                )
            return context


class PartnerWidgetViewSet(OfficeOwnedViewSetMixin, SnippetViewSet):
    model = PartnerWidget
    chooser_viewset_class = OfficeChooserViewSet
    icon = "code"
    menu_label = _("Widgets für Partnerseiten")
    url_prefix = "directory/widgets"
    admin_url_namespace = "directory_widgets"
    list_display = [
        "name",
        Column("office", label=_("Kontaktstelle")),
        Column("language", label=_("Sprache")),
        BooleanColumn("active", label=_("Aktiv")),
        DateColumn("updated_at", label=_("Geändert")),
    ]
    search_fields = ["name", "districts"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("office"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("active")]),
            FieldPanel("heading"),
            MultiFieldPanel(
                [
                    FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("districts"),
                    FieldRowPanel([FieldPanel("language"), FieldPanel("max_entries")]),
                ],
                heading=_("Was das Widget zeigt"),
            ),
            WidgetEmbedPanel(heading=_("Einbinden")),
        ],
        base_form_class=PartnerWidgetForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office", "office__site")
