"""Admin views beside the snippet viewsets: the freshness report and the import."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from sites.tenancy import visible_offices

from .confirmation import freshness_rows
from .exchange import CLEAR_MARKER, IMPORT_COLUMNS, ImportFormatError, import_groups
from .forms import ImportForm
from .models import SelfHelpGroup

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def _office_ids(user):
    """The offices whose groups ``user`` looks after (all of them for coordinators)."""
    return set(visible_offices(user, SelfHelpGroup).values_list("pk", flat=True))


def _group_policy():
    return policy_registry.get_by_type(SelfHelpGroup)


def stale_groups_by_office(office_ids=None):
    """``[(office, [groups])]`` of groups not verified for 12 months, source locale only."""
    queryset = (
        SelfHelpGroup.objects.stale()
        .filter(locale__language_code="de")
        .select_related("office")
        .order_by("office__name", "last_verified", "name")
    )
    if office_ids is not None:
        queryset = queryset.filter(office_id__in=office_ids)
    grouped = {}
    for group in queryset:
        grouped.setdefault(group.office, []).append(group)
    return list(grouped.items())


@require_admin_access
def stale_report(request):
    """The freshness report: groups due for their yearly check and the groups' own answers
    (confirmed when and by whom, pending proposals, links sent and until when valid)."""
    if not request.user.has_perm("directory.change_selfhelpgroup"):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "directory/admin/stale_report.html",
        {
            "offices": freshness_rows(_office_ids(request.user)),
            "page_title": _("Prüfung fällig"),
        },
    )


@require_admin_access
@require_POST
def mark_verified(request, pk):
    group = get_object_or_404(SelfHelpGroup, pk=pk)
    if not _group_policy().user_has_permission_for_instance(request.user, "change", group):
        raise PermissionDenied
    today = timezone.localdate()
    SelfHelpGroup.objects.filter(pk=group.pk).update(last_verified=today)
    # A pending draft must not carry the old date back when it is published.
    revision = group.latest_revision
    if revision is not None and isinstance(revision.content, dict):
        revision.content["last_verified"] = today.isoformat()
        revision.save(update_fields=["content"])
    log(group, "directory.verified", user=request.user)
    messages.success(
        request, _("„%(name)s“ ist als heute geprüft markiert.") % {"name": group.name}
    )
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return redirect(next_url or "directory_stale")


@require_admin_access
def import_view(request):
    if not request.user.has_perm("directory.add_selfhelpgroup"):
        raise PermissionDenied
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name.lower()
        fmt = "json" if name.endswith(".json") else "csv" if name.endswith(".csv") else None
        if fmt is None:
            form.add_error("file", _("Bitte eine .csv- oder .json-Datei hochladen."))
        elif upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("Die Datei ist größer als 20 MB."))
        else:
            try:
                content = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("Die Datei ist nicht UTF-8-kodiert."))
            else:
                try:
                    report = import_groups(
                        content,
                        fmt,
                        dry_run=form.cleaned_data["dry_run"],
                        allowed_office_ids=_office_ids(request.user),
                        user=request.user,
                    )
                except ImportFormatError as error:
                    form.add_error("file", str(error))
    return TemplateResponse(
        request,
        "directory/admin/import.html",
        {
            "form": form,
            "report": report,
            "columns": IMPORT_COLUMNS,
            "clear_marker": CLEAR_MARKER,
            "offices": visible_offices(request.user, SelfHelpGroup).select_related("site"),
            "page_title": _("Gruppen importieren"),
        },
    )
