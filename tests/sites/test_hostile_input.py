"""Hostile values in every public URL of the test network never cause a server error.

The URLs come from the URL configuration (feeds, API, exports, mail links) and from the
pages of the provisioned network (one of each type per site) with their routable
sub-pages; each known query parameter of a URL (the fields of the form that parses it,
plus a few generic names) gets each hostile value, and each URL gets a hostile path
segment. A 4xx is a fine answer, a
500 (or an exception the test client re-raises) is a failure. Runs on SQLite and
PostgreSQL, which refuses NUL in text.
"""

import datetime
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from directory.api import API_PARAMS
from directory.forms import DirectoryFilterForm
from events.forms import ListingFilterForm

pytestmark = pytest.mark.django_db

HOSTILE = {
    "nul": "a\x00b",
    "control": "a\x1bb",
    "long": "x" * 5000,
    "unicode-digits": "²١٢",
    "traversal": "../../../etc/passwd",
    "script": "<script>alert(1)</script>",
    "huge-number": "9" * 30,
    "negative": "-1",
}
#: Written into the query string as they are: bytes that are no UTF-8, a lone percent.
RAW = {"bad-utf8": "%ff%fe", "lone-percent": "%"}
GENERIC_PARAMS = ["q", "page"]
#: Routes of the URL configuration that are not public or take a POST body only.
NOT_PUBLIC = ("admin/", "documents/", "i18n/")


def url_conf_paths(patterns=None, prefix=""):
    """Every non-page URL of the configuration; a parameter gets a sample value."""
    samples = {"token": "abc", "fmt": None}
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if route.startswith(NOT_PUBLIC) or route.startswith("^"):
            continue  # the page tree (i18n_patterns) is walked separately
        if isinstance(entry, URLResolver):
            yield from url_conf_paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            for name, value in samples.items():
                route = route.replace(f"<str:{name}>", value or "")
            yield "/" + prefix + route


def routable_subpaths(page, extra):
    """The routes of a routable page without parameters, plus those ``extra`` fills."""
    paths = []
    for pattern in page.get_subpage_urls():
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route:
            continue
        paths.append(route.lstrip("^").rstrip("$"))
    return paths + extra.get(type(page).__name__, [])


def params_for(page_type, path):
    if path.startswith("/api/directory/groups"):
        return sorted(API_PARAMS)
    if page_type == "DirectoryPage":
        return [*DirectoryFilterForm.base_fields, *GENERIC_PARAMS]
    if page_type in ("EventIndexPage", "NetworkCalendarPage"):
        return [*ListingFilterForm.base_fields, *GENERIC_PARAMS]
    if page_type == "group":
        return ["gesendet", *GENERIC_PARAMS]
    return GENERIC_PARAMS


@pytest.fixture
def network_urls(offices):
    """``(host, page type, path)`` of every public URL of Alpha and the state site, with
    a published event (with a sign-up date) and a published group."""
    from directory.models import SelfHelpGroup
    from events.models import EventIndexPage
    from tests.events.conftest import make_event

    alpha = offices["alpha"]
    listing = EventIndexPage.objects.child_of(alpha.site.root_page).get()
    start = (timezone.now() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)
    event = make_event(
        listing,
        title="Infoabend",
        start=start,
        end=start + datetime.timedelta(hours=2),
        registration_enabled=True,
        capacity=5,
    )
    group = SelfHelpGroup(name="Gruppe Sucht", office=alpha, district="Mitte", city="Berlin")
    group.save()
    token = timezone.localtime(event.start).strftime("%Y%m%dT%H%M")
    extra = {
        "EventPage": [f"anmeldung/{token}/"],
        "DirectoryPage": [f"{group.pk}-{group.slug}/"],
    }
    urls = [(alpha.site.hostname, "", path) for path in url_conf_paths()]
    for office in (alpha, offices["state"]):
        root = office.site.root_page
        seen = set()
        for page in Page.objects.descendant_of(root, inclusive=True).live().specific():
            host = office.site.hostname
            page_type = type(page).__name__
            if page_type in seen:
                continue  # one page of each type: the same view, the same parameters
            seen.add(page_type)
            base = page.relative_url(office.site)
            urls.append((host, page_type, base))
            if isinstance(page, RoutablePageMixin):
                for sub in routable_subpaths(page, extra):
                    kind = "group" if sub.startswith(str(group.pk)) else page_type
                    urls.append((host, kind, base + sub))
    return urls


def test_the_network_has_the_url_types_the_fuzzing_needs(network_urls):
    paths = {path for _host, _kind, path in network_urls}
    kinds = {kind for _host, kind, _path in network_urls}
    assert {"/api/directory/groups/", "/events.ics", "/newsletter/anmelden/"} <= paths
    assert {"HomePage", "StandardPage", "ContactPage", "DirectoryPage", "group"} <= kinds
    assert {"EventIndexPage", "EventPage", "NetworkCalendarPage"} <= kinds
    assert any("/anmeldung/" in path for path in paths)


def requests_for(kind, path):
    for param in params_for(kind, path):
        for name, value in HOSTILE.items():
            yield f"{param}={name}", path, {param: value}
        for name, raw in RAW.items():
            yield f"{param}={name}", f"{path}?{param}={raw}", None
    for name, value in HOSTILE.items():
        yield f"path+{name}", path + quote(value, safe="") + "/", None
    for name, raw in RAW.items():
        yield f"path+{name}", path + raw + "/", None


def test_no_hostile_value_in_any_public_url_causes_a_server_error(client, network_urls):
    failures = []
    count = 0
    for host, kind, path in network_urls:
        for label, url, data in requests_for(kind, path):
            count += 1
            try:
                status = client.get(url, data, HTTP_HOST=host).status_code
            except Exception as error:  # the test client re-raises a view's exception
                failures.append(f"{host}{url} [{label}]: {type(error).__name__}: {error}"[:300])
                if "transaction" in str(error).lower():
                    break  # PostgreSQL refuses everything after the first error
                continue
            if status >= 500:
                failures.append(f"{host}{url} [{label}]: {status}")
    assert count > 500
    assert failures == []
