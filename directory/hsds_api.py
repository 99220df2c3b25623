"""The read-only Open Referral HSDS 3.0 API (``/api/directory/hsds/``).

The endpoints of the official OpenAPI description (``hsds_schema/openapi.json``):
``services``, ``organizations``, ``service_at_locations``, ``taxonomies`` and
``taxonomy_terms``, each as a paginated list (``page``, ``per_page``; HSDS's ``Page``
answer) and by id, plus ``locations`` the same way and the root with the version.
Records are built by ``hsds.Builder`` from public data only.

Bad input is the caller's to fix and is said so: an unknown or malformed parameter or a
``per_page`` above ``MAX_PER_PAGE`` is a 400, a page past the end or an unknown id a 404,
each with a JSON explanation.
"""

from django.db.models import Q
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sites.models import Office

from . import hsds
from .exchange import public_queryset
from .models import Topic, default_locale_id

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
PARAMS = {"page", "per_page"}


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(message, details=None, status=400):
    body = {"error": message}
    if details:
        body["details"] = details
    return _json(body, status)


def _located(groups):
    return groups.exclude(format="online").filter(~Q(street="") | ~Q(district="") | ~Q(venue=""))


class _Taxonomies:
    """The one taxonomy as a tiny queryset-like list (pk 1)."""

    def count(self):
        return 1

    def __getitem__(self, key):
        return [hsds.TOPICS_TAXONOMY_PK][key]

    def filter(self, pk):
        return [pk] if pk == hsds.TOPICS_TAXONOMY_PK else []


def _sources():
    """``{endpoint: (id kind, queryset, list record, detail record)}``."""
    builder = hsds.Builder()

    def organization_detail(office):
        record = builder.organization(office)
        groups = public_queryset().filter(office=office)
        record["services"] = [
            {k: v for k, v in builder.service(g, full=False).items() if k != "organization"}
            for g in groups
        ]
        return record

    def service_at_location_detail(group):
        return {
            **builder.service_at_location(group),
            "service": builder.service(group, full=False),
        }

    return {
        "organizations": (
            "organization",
            Office.objects.select_related("site").order_by("pk"),
            builder.organization,
            organization_detail,
        ),
        "services": (
            "service",
            public_queryset(),
            lambda group: builder.service(group, full=False),
            builder.service,
        ),
        "locations": ("location", _located(public_queryset()), builder.location, builder.location),
        "service_at_locations": (
            "service_at_location",
            _located(public_queryset()),
            builder.service_at_location,
            service_at_location_detail,
        ),
        "taxonomies": (
            "taxonomy",
            _Taxonomies(),
            lambda pk: builder.taxonomy(),
            lambda pk: builder.taxonomy(),
        ),
        "taxonomy_terms": (
            "taxonomy_term",
            Topic.objects.filter(locale_id=default_locale_id()).order_by("pk"),
            builder.taxonomy_term,
            builder.taxonomy_term,
        ),
    }


ENDPOINTS = (
    "services",
    "organizations",
    "locations",
    "service_at_locations",
    "taxonomies",
    "taxonomy_terms",
)


def _positive(request, name, default, maximum=None):
    raw = request.GET.get(name)
    if raw is None:
        return default, None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < 1 or (maximum is not None and value > maximum):
        limit = (
            _("eine ganze Zahl ab 1")
            if maximum is None
            else _("eine ganze Zahl von 1 bis %(maximum)s") % {"maximum": maximum}
        )
        return None, _("„%(name)s“ muss %(limit)s sein.") % {"name": name, "limit": limit}
    return value, None


@require_GET
def root(request):
    return _json(
        {
            "version": hsds.HSDS_VERSION,
            "profile": hsds.PROFILE_URL,
            "openapi_url": hsds.OPENAPI_URL,
        }
    )


@require_GET
def listing(request, endpoint):
    unknown = sorted(set(request.GET) - PARAMS)
    if unknown:
        return _error(
            _("Unbekannte Parameter: %(names)s") % {"names": ", ".join(unknown)},
            {"allowed": sorted(PARAMS)},
        )
    number, problem = _positive(request, "page", 1)
    per_page, problem = (
        (None, problem)
        if problem
        else _positive(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    )
    if problem:
        return _error(problem)
    _kind, queryset, record, _detail = _sources()[endpoint]
    total = queryset.count()
    start = (number - 1) * per_page
    if start >= total and number > 1:
        return _error(
            _("Diese Seite gibt es nicht."), {"total_pages": max(1, -(-total // per_page))}, 404
        )
    contents = [record(item) for item in queryset[start : start + per_page]]
    return _json(hsds.page(contents, total, number, per_page))


@require_GET
def detail(request, endpoint, record_id):
    if request.GET:
        return _error(
            _("Unbekannte Parameter: %(names)s") % {"names": ", ".join(sorted(request.GET))}
        )
    kind, queryset, _record, build = _sources()[endpoint]
    pk = hsds.pk_from_id(kind, record_id)
    found = list(queryset.filter(pk=pk)) if pk is not None else []
    if not found:
        return _error(_("Keinen Eintrag mit dieser Kennung gefunden."), status=404)
    return _json(build(found[0]))
