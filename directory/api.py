"""The read-only public JSON API and the public exports.

Same filters as the directory page (``DirectoryFilterForm``); anything else in the query
string is an error the caller should see (400 with a JSON explanation), not silently
ignored. Only public fields leave (see ``exchange.PUBLIC_FIELDS``).
"""

import json

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sites.models import Office

from .exchange import (
    PUBLIC_FIELDS,
    export_csv,
    export_hsds,
    export_json,
    public_queryset,
    public_record,
)
from .forms import DirectoryFilterForm
from .search import DirectorySearch

API_PAGE_SIZE = 50
API_PARAMS = set(DirectoryFilterForm.base_fields) - {"scope"} | {"office"}
#: What ``public_record`` reads: the public fields and the office's host name. The search
#: loads only these, so the page of results needs no second query.
API_FIELDS = (
    *(name for name in PUBLIC_FIELDS if name not in ("id", "office", "topics")),
    "pk",
    "office_id",
    "office__site__hostname",
    "public_contact_consent_date",
)


def _error(message, details=None, status=400):
    body = {"error": message}
    if details:
        body["details"] = details
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def groups_api(request):
    unknown = sorted(set(request.GET) - API_PARAMS)
    if unknown:
        return _error(
            _("Unbekannte Parameter: %(names)s") % {"names": ", ".join(unknown)},
            {"allowed": sorted(API_PARAMS)},
        )
    form = DirectoryFilterForm(request.GET)
    if not form.is_valid():
        return _error(
            _("Ungültige Parameter."),
            {name: [str(e) for e in errors] for name, errors in form.errors.items()},
        )
    office = None
    if request.GET.get("office"):
        key = request.GET["office"].strip().lower()
        office = Office.objects.filter(site__hostname=key).first()
        if office is None:
            return _error(_("Unbekannte Kontaktstelle „%(office)s“.") % {"office": key})
    search = DirectorySearch(
        form.cleaned_data,
        office=office,
        own_only=office is not None,
        page_size=API_PAGE_SIZE,
        fields=API_FIELDS,
        related=("office__site",),
    )
    result = search.run(with_facets=False)
    requested = form.cleaned_data.get("page") or 1
    if requested > result.num_pages and result.total:
        return _error(_("Diese Seite gibt es nicht."), {"num_pages": result.num_pages}, 404)
    base = request.build_absolute_uri(request.path)
    params = request.GET.copy()

    def page_link(number):
        if number < 1 or number > result.num_pages:
            return None
        params["page"] = number
        return f"{base}?{params.urlencode()}"

    return JsonResponse(
        {
            "count": result.total,
            "page": result.page,
            "num_pages": result.num_pages,
            "next": page_link(result.page + 1),
            "previous": page_link(result.page - 1),
            "results": [public_record(group) for group in result.groups],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def export_view(request, fmt):
    groups = list(public_queryset())
    if fmt == "csv":
        response = HttpResponse(export_csv(groups), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="selbsthilfegruppen.csv"'
        return response
    data = export_hsds(groups) if fmt == "hsds" else export_json(groups)
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
