"""The admin of the postcode areas: kept by the coordination for every office.

Postcode areas belong to an office (``SitesConfig.office_owned_models``), so their views go
through the fence like every other office-owned record; the model permissions to change
them are the coordinators' (``SitesConfig.coordinator_permissions``), not the offices'.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from .fence import OfficeOwnedViewSetMixin
from .models import OfficeKind, PostcodeArea
from .tenancy import visible_offices


class PostcodeAreaForm(WagtailAdminModelForm):
    """Offers the regional offices the user may see (the state coordination serves no
    postcode area of its own: the finder sends people to the offices)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "office" in self.fields and self.for_user is not None:
            self.fields["office"].queryset = (
                visible_offices(self.for_user, PostcodeArea)
                .filter(kind=OfficeKind.REGIONAL)
                .order_by("name")
            )

    def clean_place(self):
        return " ".join((self.cleaned_data.get("place") or "").split())


class PostcodeAreaViewSet(OfficeOwnedViewSetMixin, ModelViewSet):
    model = PostcodeArea
    icon = "site"
    menu_label = _("PLZ-Gebiete")
    add_to_settings_menu = True
    url_prefix = "postcode-areas"
    name = "postcode_areas"
    list_display = ["postcode", "place", Column("office", label=_("Kontaktstelle"))]
    list_filter = ["office"]
    search_fields = ["postcode", "place"]
    search_backend_name = None
    list_per_page = 100
    edit_handler = ObjectList(
        [FieldPanel("office"), FieldRowPanel([FieldPanel("postcode"), FieldPanel("place")])],
        base_form_class=PostcodeAreaForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office")
