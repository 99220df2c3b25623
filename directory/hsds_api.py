"""The read-only Open Referral HSDS 3.0 API (``/api/directory/hsds/``).

The endpoints of the official OpenAPI description (``hsds_schema/openapi.json``):
``services``, ``organizations``, ``service_at_locations``, ``taxonomies`` and
``taxonomy_terms``, each as a paginated list (``page``, ``per_page``; HSDS's ``Page``
answer) and by id, plus ``locations`` the same way and the root with the version.
Records are built by ``hsds.Builder`` from public data only.

The lists take the query filters the OpenAPI description names for them (``FILTERS``):
``search`` with the directory's own forgiving search ("Alkohl" finds the addiction groups),
``taxonomy_term_id`` (with the topics below it, as the directory's topic filter does),
``taxonomy_id``, ``organization_id``, ``modified_after``, ``postcode``, ``parent_id`` and
``top_only``, the shapes ``minimal``, ``full`` and ``full_service``, and ``format=ndjson``,
which streams every record without paging. ``proximity`` needs the centroid of a postcode,
which the directory does not keep: it is refused with that reason rather than ignored.

Bad input is the caller's to fix and is said so: an unknown or malformed parameter or a
``per_page`` above ``MAX_PER_PAGE`` is a 400, a page past the end or an unknown id a 404,
each with a JSON explanation.
"""

import datetime
import json
import re

from django.db.models import Q
from django.http import JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sites.models import Office

from . import hsds
from .exchange import public_queryset
from .models import Topic, default_locale_id
from .search import _text_condition, interpret, load_vocabulary

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
PARAMS = {"page", "per_page", "format"}
_GROUP_FILTERS = {"search", "taxonomy_term_id", "taxonomy_id", "organization_id"}
#: The query parameters of each list besides ``PARAMS``, as the OpenAPI description has them.
FILTERS = {
    "services": _GROUP_FILTERS | {"modified_after", "minimal", "full"},
    "service_at_locations": _GROUP_FILTERS | {"modified_after", "full", "postcode", "proximity"},
    "locations": _GROUP_FILTERS | {"modified_after", "postcode"},
    "organizations": {"search", "full", "full_service"},
    "taxonomies": {"search"},
    "taxonomy_terms": {"search", "taxonomy_id", "top_only", "parent_id"},
}
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
POSTCODE = re.compile(r"\d{5}")


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
    """The one taxonomy (pk 1) as a tiny queryset-like list; ``none()`` empties it."""

    def __init__(self, pks=(hsds.TOPICS_TAXONOMY_PK,)):
        self.pks = list(pks)

    def count(self):
        return len(self.pks)

    def __getitem__(self, key):
        return self.pks[key]

    def filter(self, pk):
        return [pk] if pk in self.pks else []

    def none(self):
        return _Taxonomies(())

    def iterator(self, chunk_size=None):
        return iter(self.pks)


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


class BadParameter(ValueError):
    """A query parameter the caller has to fix; the message says how."""


def _boolean(request, name):
    raw = request.GET.get(name)
    if raw is None:
        return False
    if raw.lower() not in BOOLEANS:
        raise BadParameter(_("„%(name)s“ muss true oder false sein.") % {"name": name})
    return BOOLEANS[raw.lower()]


def _pk(request, name, kind):
    """The database key behind the HSDS id in parameter ``name`` (``None`` if absent)."""
    raw = request.GET.get(name)
    if raw is None:
        return None
    pk = hsds.pk_from_id(kind, raw.strip())
    if pk is None:
        raise BadParameter(
            _("„%(name)s“ ist keine Kennung dieser API (%(kind)s).") % {"name": name, "kind": kind}
        )
    return pk


def _moment(request, name):
    """An ISO 8601 date or date-time; a time without offset is Berlin time."""
    raw = (request.GET.get(name) or "").strip()
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
        if moment is None and (day := parse_date(raw)) is not None:
            moment = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter(
            _("„%(name)s“ muss ein Datum oder Zeitpunkt nach ISO 8601 sein, z. B. %(example)s.")
            % {"name": name, "example": "2026-01-31T12:00:00+01:00"}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def _filter_groups(request, queryset):
    """``queryset`` of public groups narrowed by the group filters present in the request."""
    if "search" in request.GET:
        queryset = queryset.filter(_text_condition(interpret(request.GET["search"])))
    if (term := _pk(request, "taxonomy_term_id", "taxonomy_term")) is not None:
        topics = load_vocabulary()["descendants"].get(term, [term])
        queryset = queryset.filter(topics__in=topics).distinct()
    if (taxonomy := _pk(request, "taxonomy_id", "taxonomy")) is not None:
        queryset = (
            queryset.filter(topics__isnull=False).distinct()
            if taxonomy == hsds.TOPICS_TAXONOMY_PK
            else queryset.none()
        )
    if (office := _pk(request, "organization_id", "organization")) is not None:
        queryset = queryset.filter(office_id=office)
    if "modified_after" in request.GET:
        queryset = queryset.filter(updated_at__gte=_moment(request, "modified_after"))
    if "postcode" in request.GET:
        postcode = request.GET["postcode"].strip()
        if not POSTCODE.fullmatch(postcode):
            raise BadParameter(_("„postcode“ muss eine fünfstellige Postleitzahl sein."))
        queryset = queryset.filter(postcode=postcode)
    if "proximity" in request.GET:
        raise BadParameter(
            _(
                "„proximity“ wird nicht unterstützt: Das Verzeichnis kennt keine Mittelpunkte "
                "von Postleitzahlgebieten. Bitte „postcode“ allein verwenden."
            )
        )
    return queryset


def _filter_topics(request, queryset):
    if search := request.GET.get("search", "").strip():
        queryset = queryset.filter(Q(name__icontains=search) | Q(synonyms__icontains=search))
    taxonomy = _pk(request, "taxonomy_id", "taxonomy")
    if taxonomy is not None and taxonomy != hsds.TOPICS_TAXONOMY_PK:
        queryset = queryset.none()
    if (parent := _pk(request, "parent_id", "taxonomy_term")) is not None:
        queryset = queryset.filter(parent_id=parent)
    # HSDS: "only retrieve taxonomy terms that have no parent", the top of the tree.
    if _boolean(request, "top_only"):
        queryset = queryset.filter(parent__isnull=True)
    return queryset


def _filtered(request, endpoint, queryset):
    if endpoint == "taxonomy_terms":
        return _filter_topics(request, queryset)
    if endpoint == "organizations":
        if search := request.GET.get("search", "").strip():
            queryset = queryset.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
        return queryset
    if endpoint == "taxonomies":
        search = request.GET.get("search", "").strip().casefold()
        wanted = not search or search in str(_("Themen der Selbsthilfe")).casefold()
        return queryset if wanted else queryset.none()
    return _filter_groups(request, queryset)


def _shape(request, endpoint, record, detail_record):
    """How each record of the list is written: ``minimal``, ``full`` or the list form."""
    if endpoint == "services" and _boolean(request, "minimal"):
        builder = hsds.Builder()
        return lambda group: {
            key: value
            for key, value in builder.service(group, full=False).items()
            if key in ("id", "last_modified")
        }
    if endpoint == "organizations" and _boolean(request, "full_service"):
        return detail_record
    if _boolean(request, "full"):
        return detail_record
    return record


def _ndjson(queryset, record):
    for item in queryset.iterator(chunk_size=200):
        yield json.dumps(record(item), ensure_ascii=False) + "\n"


@require_GET
def listing(request, endpoint):
    allowed = PARAMS | FILTERS[endpoint]
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        return _error(
            _("Unbekannte Parameter: %(names)s") % {"names": ", ".join(unknown)},
            {"allowed": sorted(allowed)},
        )
    output = request.GET.get("format", "json")
    if output not in ("json", "ndjson"):
        return _error(_("„format“ muss json oder ndjson sein."))
    number, problem = _positive(request, "page", 1)
    per_page, problem = (
        (None, problem)
        if problem
        else _positive(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    )
    if problem:
        return _error(problem)
    _kind, queryset, record, detail_record = _sources()[endpoint]
    try:
        queryset = _filtered(request, endpoint, queryset)
        record = _shape(request, endpoint, record, detail_record)
    except BadParameter as error:
        return _error(str(error))
    if output == "ndjson":
        return StreamingHttpResponse(
            _ndjson(queryset, record), content_type="application/x-ndjson; charset=utf-8"
        )
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
