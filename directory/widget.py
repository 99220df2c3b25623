"""The widget for partner sites: an office's groups on someone else's page.

A partner (a doctor's practice, a counselling centre, the district's own website) embeds
``/widget/<key>/`` of the office's site in an ``<iframe>``, or reads
``/widget/<key>.json`` and renders the same data itself. What it lists is configured by
the office in the admin (``PartnerWidget``: topics, districts, language, how many).

What a partner may rely on, and what the tests check:

* **self-contained**: one HTML document with its style inline (admitted by its hash in
  the Content-Security-Policy), no script, no image, no font, no request to anyone;
* **no cookies**: the views never touch the session, the CSRF token or the messages, so
  no ``Set-Cookie`` ever leaves (and a partner's visitors carry none of ours);
* **framable by anyone, this URL only**: ``frame-ancestors *`` and no ``X-Frame-Options``
  on the widget, while every other page keeps ``frame-ancestors 'none'``; the JSON is
  readable from any origin (``Access-Control-Allow-Origin: *``, never with credentials);
* **links** lead to the group pages on the office's own site (``target="_top"``);
* **language** from ``?sprache=`` among the languages the office's site offers (another
  value answers 400), otherwise the widget's own; topic names and groups are shown in
  their translation where one is published;
* **only public data**: published groups that have not ended, their public fields; never
  the internal contact or notes, never the public contact data either (the group page
  has it, with the consent rules).

**Fast from the cache**: the rendered body (HTML or JSON, per widget and language) is
kept under three versions: the directory's (any change of a group, topic or locale), the
site chrome's (any page, office or site change: the group pages' addresses) and the
widgets' own (any widget saved or deleted). A change replaces a version, so the next
request renders afresh; until then each worker answers from its own copy without a query
(``sites.cache_version.versioned``). ``benchmarks/widget_bench.py`` measures it.

**Counted, not tracked**: the shared HTTP cache (Varnish) must not keep the widget, or
the office would never learn that it is shown; so the response says ``no-cache`` with an
``ETag`` (a browser revalidates and gets a 304 from the Django cache). Each answer adds
one to the count of its widget, day and the *origin* of the embedding page (scheme and
host from ``Origin`` or ``Referer``, nothing else: no path, no IP address, no user agent).
The counts are summed in the worker's memory and written to ``WidgetReferral`` at most
every ``WIDGET_REFERRAL_FLUSH_SECONDS`` (default 60); rows older than ``KEEP_DAYS`` are
deleted when counts are written. At most ``MAX_ORIGINS_PER_DAY`` origins are kept per
widget and day; more (forged headers, say) are summed under ``*``.
"""

import atexit
import base64
import datetime
import hashlib
import json
import logging
import re
import threading
import time
from collections import Counter
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from sites import languages as site_languages_module
from sites.cache_version import CacheVersion, prefetch, versioned
from sites.chrome import ANY_VERSION as CHROME_ANY_VERSION
from sites.chrome import VERSION as CHROME_VERSION
from sites.chrome import current_version as chrome_version
from sites.security import allow_inline_style

from .search import COUNTS_VERSION, counts_version

logger = logging.getLogger("directory.widget")

#: Replaced whenever a widget is saved or deleted (``directory.signals``).
WIDGETS_VERSION = CacheVersion("directory:widgets:version")
CACHE_TIMEOUT = 60 * 60 * 24
#: The only query parameter the widget takes.
LANGUAGE_PARAM = "sprache"
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
#: How long referral counts are kept.
KEEP_DAYS = 90
#: Distinct origins counted per widget and day; the rest are summed under ``OTHER``.
MAX_ORIGINS_PER_DAY = 100
OTHER = "*"
MAX_ORIGIN_LENGTH = 200
HOST_RE = re.compile(r"^[a-z0-9.-]+$")

#: The widget's whole style: system fonts, logical properties (Arabic mirrors), visible
#: focus, links underlined. ``--brand`` is the office's brand colour (contrast checked).
STYLE = (
    ":root{--brand:%(brand)s}"
    "*{box-sizing:border-box}"
    "body{margin:0;padding:.75rem;font:1rem/1.45 system-ui,-apple-system,'Segoe UI',"
    "Roboto,Arial,sans-serif;color:#1a1a1a;background:#fff}"
    "h1{font-size:1.15rem;margin:0 0 .5rem;color:var(--brand)}"
    "ul{list-style:none;margin:0;padding:0}"
    "li{padding:.5rem 0;border-block-end:1px solid #d0d0d0}"
    "a{color:var(--brand);text-decoration:underline;text-underline-offset:.15em}"
    "a:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}"
    ".name{font-weight:600;font-size:1.05rem}"
    ".meta{margin:.15rem 0 0;color:#3d3d3d;font-size:.95rem}"
    ".ltr{direction:ltr;unicode-bidi:isolate}"
    "footer{margin-block-start:.75rem;font-size:.95rem}"
    "footer p{margin:.25rem 0}"
)


def style_hash(css):
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def widgets_changed(**kwargs):
    """Signal receiver: a widget was saved or deleted (or its topics changed)."""
    WIDGETS_VERSION.replace()


# --- What a widget shows ---------------------------------------------------------------


def _topic_ids_with_descendants(topic_ids):
    """The chosen topics and every topic below them (groups are often filed under a
    subtopic: "Alkohol" below "Sucht")."""
    from .models import Topic, default_locale_id

    if not topic_ids:
        return set()
    children = {}
    for pk, parent_id in Topic.objects.filter(locale_id=default_locale_id()).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    result, todo = set(), list(topic_ids)
    while todo:
        pk = todo.pop()
        if pk in result:
            continue
        result.add(pk)
        todo.extend(children.get(pk, ()))
    return result


def _groups_queryset(widget):
    from .models import SelfHelpGroup

    groups = SelfHelpGroup.objects.public()
    if not widget.office.is_state:  # the coordination's widget may list the whole state
        groups = groups.filter(office_id=widget.office_id)
    topic_ids = _topic_ids_with_descendants(list(widget.topics.values_list("pk", flat=True)))
    if topic_ids:
        groups = groups.filter(
            pk__in=SelfHelpGroup.topics.through.objects.filter(topic_id__in=topic_ids).values(
                "selfhelpgroup_id"
            )
        )
    districts = widget.district_list
    if districts:
        condition = Q()
        for district in districts:
            condition |= Q(district__iexact=district)
        groups = groups.filter(condition)
    return groups


def widget_data(widget, language):
    """The public content of ``widget`` in ``language`` as plain values (the JSON feed
    and the HTML are both made from it)."""
    from .models import Status
    from .seo import directory_urls
    from .views import localize

    office = widget.office
    directory = directory_urls(office.site_id)
    base = directory.get(language) or directory.get(settings.LANGUAGE_CODE)
    groups_qs = _groups_queryset(widget)
    total = groups_qs.count()
    with translation.override(language):
        groups = localize(
            list(groups_qs.order_by("name", "pk").prefetch_related("topics")[: widget.max_entries])
        )
        entries = []
        for group in groups:
            entries.append(
                {
                    "name": group.name,
                    "url": base + group.get_public_path() if base else None,
                    "topics": list(group.display_topics),
                    "district": group.district,
                    "meetings": str(group.rhythm_text()),
                    "format": str(group.get_format_display()),
                    "founding": group.status == Status.FOUNDING,
                    "new_members_welcome": group.new_members_welcome,
                }
            )
        more = None
        if base:
            params = {}
            topics = list(widget.topics.values_list("slug", flat=True))
            if len(topics) == 1:
                params["topic"] = topics[0]
            if len(widget.district_list) == 1:
                params["district"] = widget.district_list[0]
            more = base + (f"?{urlencode(params)}" if params else "")
        heading = widget.heading if language == settings.LANGUAGE_CODE and widget.heading else ""
        return {
            "title": heading or _("Selbsthilfegruppen"),
            "language": language,
            "direction": site_languages_module.direction(language),
            "office": {"name": office.name, "url": office.site.root_url + "/"},
            "directory_url": more,
            "count": total,
            "groups": entries,
        }


def _render(widget, language, fmt):
    """``{"body": bytes, "etag": str, "style_hash": str}`` of one widget in one format."""
    data = widget_data(widget, language)
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=1).encode()
        style = ""
    else:
        from sites.models import DEFAULT_BRAND_COLOUR, HEX_COLOUR_RE

        colour = widget.office.brand_colour or ""
        colour = colour if HEX_COLOUR_RE.match(colour) else DEFAULT_BRAND_COLOUR
        css = STYLE % {"brand": colour}
        with translation.override(language):
            body = render_to_string(
                "directory/widget.html", {"widget": data, "css": css, "office": widget.office}
            ).encode()
        style = style_hash(css)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return {"body": body, "etag": etag, "style_hash": style}


def _versions():
    # One round trip for the versions the request has not read yet (the chrome's is
    # usually read already, by the site lookup).
    prefetch(WIDGETS_VERSION, COUNTS_VERSION, CHROME_VERSION, CHROME_ANY_VERSION)
    return f"{WIDGETS_VERSION.current()}:{counts_version()}:{chrome_version()}"


def _load_widget(key):
    from .models import PartnerWidget

    return (
        PartnerWidget.objects.filter(key=key, active=True)
        .select_related("office", "office__site")
        .first()
    )


def widget_meta(key, versions=None):
    """What the view needs before rendering: the widget's site, its languages and its
    default language (None for an unknown or switched-off key; not cached then, so that
    made-up keys fill no cache)."""
    from sites.tenancy import site_languages

    def build():
        widget = _load_widget(key)
        if widget is None:
            return None
        offered = site_languages(widget.office)
        default = widget.language if widget.language in offered else settings.LANGUAGE_CODE
        return {
            "id": widget.pk,
            "site_id": widget.office.site_id,
            "languages": offered,
            "default": default,
        }

    return versioned(f"directory:widget:{versions or _versions()}:{key}:meta", build, CACHE_TIMEOUT)


def rendered(key, language, fmt, versions=None):
    def build():
        widget = _load_widget(key)
        return _render(widget, language, fmt) if widget is not None else None

    versions = versions or _versions()
    return versioned(f"directory:widget:{versions}:{key}:{language}:{fmt}", build, CACHE_TIMEOUT)


# --- Counting where it is shown --------------------------------------------------------


def referring_origin(request):
    """``https://praxis-mueller.de`` for a request from a page there: scheme, host and a
    port other than the default, from ``Origin`` or else ``Referer``; "" when neither
    names a web origin. Nothing else of the header is kept."""
    raw = request.headers.get("Origin") or request.headers.get("Referer") or ""
    if not raw or raw == "null":
        return ""
    try:
        parts = urlsplit(raw.strip())
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        return ""
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return ""
    if not HOST_RE.match(host):
        return ""
    origin = f"{scheme}://{host}"
    if port and port != {"http": 80, "https": 443}[scheme]:
        origin += f":{port}"
    return origin if len(origin) <= MAX_ORIGIN_LENGTH else ""


class _Counts:
    """This worker's counts since it last wrote them (``(widget id, day, origin) → n``)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending = Counter()
        self.last_flush = time.monotonic()
        self.last_prune = None


_counts = _Counts()


def flush_seconds():
    return float(getattr(settings, "WIDGET_REFERRAL_FLUSH_SECONDS", 60))


def count(widget_id, origin):
    """Count one answer of widget ``widget_id`` for ``origin`` (today, Berlin time);
    written to the database when the last write is ``flush_seconds()`` ago."""
    day = timezone.localdate()
    with _counts.lock:
        _counts.pending[(widget_id, day, origin)] += 1
        due = time.monotonic() - _counts.last_flush >= flush_seconds()
    if due:
        flush_referrals()


def flush_referrals():
    """Add this worker's pending counts to ``WidgetReferral`` (and prune old rows once a
    day). Never raises: counting must not break the widget."""
    with _counts.lock:
        pending, _counts.pending = _counts.pending, Counter()
        _counts.last_flush = time.monotonic()
    if not pending:
        return
    try:
        _write(pending)
        _prune_daily()
    except Exception:  # noqa: BLE001 - a lost count is better than a broken widget
        logger.exception("could not write widget referral counts")


def _write(pending):
    from .models import PartnerWidget, WidgetReferral

    existing = set(
        PartnerWidget.objects.filter(pk__in={w for w, _d, _o in pending}).values_list(
            "pk", flat=True
        )
    )
    for (widget_id, day, origin), hits in sorted(pending.items(), key=lambda i: i[0][2]):
        if widget_id not in existing:
            continue
        rows = WidgetReferral.objects.filter(widget_id=widget_id, day=day)
        if rows.filter(origin=origin).update(hits=F("hits") + hits):
            continue
        if origin and rows.exclude(origin__in=("", OTHER)).count() >= MAX_ORIGINS_PER_DAY:
            origin = OTHER
            if rows.filter(origin=origin).update(hits=F("hits") + hits):
                continue
        try:
            with transaction.atomic():
                WidgetReferral.objects.create(
                    widget_id=widget_id, day=day, origin=origin, hits=hits
                )
        except IntegrityError:  # another worker created the row meanwhile
            rows.filter(origin=origin).update(hits=F("hits") + hits)


def _prune_daily():
    today = timezone.localdate()
    if _counts.last_prune == today:
        return
    prune_referrals(today)
    _counts.last_prune = today


def prune_referrals(today=None):
    """Delete counts older than ``KEEP_DAYS``; returns how many rows went."""
    from .models import WidgetReferral

    today = today or timezone.localdate()
    deleted, _details = WidgetReferral.objects.filter(
        day__lt=today - datetime.timedelta(days=KEEP_DAYS)
    ).delete()
    return deleted


def _flush_at_exit():
    """A worker that stops writes what it counted (gunicorn stops workers gracefully)."""
    with _counts.lock:
        pending, _counts.pending = _counts.pending, Counter()
    if pending:
        try:
            _write(pending)
        except Exception as error:  # noqa: BLE001 - the database may be gone already
            logger.warning("widget referral counts lost at exit: %s", error)


atexit.register(_flush_at_exit)


def referral_summary(widget, days=30):
    """``[(origin, hits)]`` of the last ``days`` days, most first (this worker's pending
    counts are written first)."""
    from .models import WidgetReferral

    flush_referrals()
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    return list(
        WidgetReferral.objects.filter(widget=widget, day__gte=since)
        .values_list("origin")
        .annotate(total=Sum("hits"))
        .order_by("-total", "origin")
    )


# --- The views -------------------------------------------------------------------------


def _plain(message, status, fmt):
    if fmt == "json":
        response = HttpResponse(
            json.dumps({"error": str(message)}, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
            status=status,
        )
    else:
        response = HttpResponse(
            str(message), content_type="text/plain; charset=utf-8", status=status
        )
    return _embeddable(response, fmt)


def _embeddable(response, fmt):
    """Headers that let any partner show (or read) the response, and keep it out of
    shared caches and search engines."""
    response["Cache-Control"] = "no-cache"
    response["X-Robots-Tag"] = "noindex"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    if fmt == "json":
        response["Access-Control-Allow-Origin"] = "*"
    else:
        response.xframe_options_exempt = True
        response._csp_replace = {"frame-ancestors": ["*"]}
    return response


def serve(request, key, fmt):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not KEY_RE.match(key):
        return _plain(_("Dieses Widget gibt es nicht (mehr)."), 404, fmt)
    unknown = sorted(set(request.GET) - {LANGUAGE_PARAM})
    if unknown:
        return _plain(
            _("Unbekannte Parameter: %(names)s") % {"names": ", ".join(unknown)}, 400, fmt
        )
    versions = _versions()
    meta = widget_meta(key, versions)
    site = Site.find_for_request(request)
    if meta is None or site is None or site.pk != meta["site_id"]:
        return _plain(_("Dieses Widget gibt es nicht (mehr)."), 404, fmt)
    language = request.GET.get(LANGUAGE_PARAM, meta["default"]) or meta["default"]
    if language not in meta["languages"]:
        return _plain(
            _("Diese Sprache gibt es hier nicht. Möglich sind: %(codes)s")
            % {"codes": ", ".join(meta["languages"])},
            400,
            fmt,
        )
    entry = rendered(key, language, fmt, versions)
    if entry is None:  # switched off between the two lookups
        return _plain(_("Dieses Widget gibt es nicht (mehr)."), 404, fmt)
    origin = referring_origin(request)
    if not origin or urlsplit(origin).hostname != site.hostname:
        count(meta["id"], origin)  # the office's own admin preview is no partner
    if entry["etag"] in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        content_type = (
            "application/json; charset=utf-8" if fmt == "json" else "text/html; charset=utf-8"
        )
        response = HttpResponse(entry["body"], content_type=content_type)
    response["ETag"] = entry["etag"]
    response["Content-Language"] = language
    if entry["style_hash"]:
        allow_inline_style(request, entry["style_hash"])
    return _embeddable(response, fmt)


def widget_html(request, key):
    return serve(request, key, "html")


def widget_json(request, key):
    return serve(request, key, "json")
