"""The attack matrix: every admin URL pattern, filled with another office's objects.

The test walks Django's URL resolver for every pattern under the admin, fills each object
id with an object of office Beta and of the state office (see ``attack_world``), and
requests it with GET and POST as an office's "Redaktion" member, its "Freigabe" member and
the coordinator. Every response must be free of the markers the role may not read, and a
request on another office's object (or any refused one) must leave that office's data as
it was. A pattern that is neither mapped here nor excluded with a reason fails the test,
so a view that Wagtail or an app adds later is attacked too.

Each request runs in a savepoint that is rolled back, so a permitted change (the
coordinator curating a group) does not disturb the next request.
"""

import hashlib
import re
import time

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .attack_world import ROLES, SHARED_KINDS, body_of, client_for

#: Patterns left out, each with its reason.
EXCLUDED = {
    "wagtailadmin_logout": "ends the session of the attacking client; names no object",
    "wagtailadmin_login": "the login form; anonymous, names no object",
    "wagtailadmin_password_reset": "anonymous password reset flow, names no object",
    "wagtailadmin_password_reset_done": "anonymous password reset flow, static page",
    "wagtailadmin_password_reset_confirm": "anonymous, guarded by a signed token",
    "wagtailadmin_password_reset_complete": "anonymous password reset flow, static page",
    "wagtailadmin_javascript_catalog": "static JavaScript translation catalogue",
    "wagtail_localize:javascript_catalog": "static JavaScript translation catalogue",
    "wagtailadmin_sprite": "static SVG icon sprite",
    "wagtailadmin_error_test": "raises on purpose to show the 500 page; names no object",
    "admin/test404/": "Wagtail's static 404 test page",
    "admin/^.*/$": "the catch-all that answers 404 for every unknown admin path",
}

#: Views also attacked with the state office's objects (its pages, among them the unsent
#: newsletter issue, and the newsletter's own views); for the rest Beta's objects stand
#: for every office, which keeps the matrix at a few minutes.
STATE_PREFIXES = (
    "wagtailadmin_pages:",
    "wagtailadmin_explore",
    "wagtailadmin_choose_page",
    "wagtailadmin_api:pages",
    "newsletter_admin:",
    "wagtail_localize:",
    "wagtail_bulk_action",
)

#: Tables whose rows belong to offices: their fingerprint must not change when a request
#: is refused or names another office's object.
OWNED_MODELS = [
    "wagtailcore.Page",
    "wagtailcore.Revision",
    "wagtailcore.WorkflowState",
    "wagtailcore.TaskState",
    "wagtailcore.Collection",
    "wagtailcore.Site",
    "wagtailcore.GroupPagePermission",
    "wagtailcore.GroupCollectionPermission",
    "wagtailcore.GroupSitePermission",
    "wagtailcore.Workflow",
    "wagtailcore.Task",
    "wagtailimages.Image",
    "wagtailimages.Rendition",
    "wagtaildocs.Document",
    "wagtailforms.FormSubmission",
    "wagtailredirects.Redirect",
    "wagtail_localize.Translation",
    "wagtail_localize.TranslationSource",
    "auth.User",
    "auth.Group",
    "sites.Office",
    "sites.Room",
    "sites.PostcodeArea",
    "home.Navigation",
    "directory.SelfHelpGroup",
    "directory.ContactRequest",
    "directory.GroupConfirmation",
    "directory.PartnerWidget",
    "directory.WidgetReferral",
    "newsletter.MailingList",
    "newsletter.Subscriber",
    "newsletter.Subscription",
    "events.Registration",
]

#: ``pk`` of these namespaces / URL names → kind of object in a bundle.
PK_KINDS = {
    "wagtailadmin_pages": "wagtailcore.page",
    "wagtailadmin_api:pages": "wagtailcore.page",
    "wagtailadmin_api:images": "wagtailimages.image",
    "wagtailadmin_api:documents": "wagtaildocs.document",
    "wagtailadmin_collections": "wagtailcore.collection",
    "wagtailadmin_workflows": "wagtailcore.workflow",
    "wagtailadmin_workflows:edit_task": "wagtailcore.task",
    "wagtailadmin_workflows:disable_task": "wagtailcore.task",
    "wagtailadmin_workflows:enable_task": "wagtailcore.task",
    "wagtailsettings": "wagtailcore.site",
    "newsletter_admin": "newsletter.subscriber",
    "events_registration_status": "events.registration",
    "events_registration_delete": "events.registration",
    "directory_verify": "directory.selfhelpgroup",
    "directory_request_confirmation": "directory.selfhelpgroup",
}

#: Keyword → kind of object (or a fixed value).
KWARG_KINDS = {
    "page_id": "wagtailcore.page",
    "parent_page_id": "wagtailcore.page",
    "page_to_move_id": "wagtailcore.page",
    "destination_id": "wagtailcore.page",
    "page_pk": "wagtailcore.page",
    "image_id": "wagtailimages.image",
    "document_id": "wagtaildocs.document",
    "doc_id": "wagtaildocs.document",
    "collection_id": "wagtailcore.collection",
    "uploaded_file_id": "wagtailcore.uploadedfile",
    "session_id": "wagtailadmin.editingsession",
    "redirect_id": "wagtailredirects.redirect",
    "query_id": "wagtailsearchpromotions.query",
    "task_id": "wagtailcore.task",
    "workflow_pk": "wagtailcore.workflow",
    "translation_id": "wagtail_localize.translation",
    "translation_source_id": "wagtail_localize.translationsource",
    "string_segment_id": "wagtail_localize.stringsegment",
    "overridable_segment_id": "wagtail_localize.stringsegment",
}
FIXED = {"action_name": "approve", "filter_spec": "fill-10x10", "mode": "desktop"}

#: Listing views that are also requested with a search for "mrk".
SEARCHING = re.compile(r"(search|search_results|choose|choose_results|results|listing|index)$")

#: Models and actions for the bulk-action dispatcher.
BULK = [
    ("wagtailcore", "page", ["delete", "move", "publish", "unpublish"]),
    ("wagtailimages", "image", ["delete", "add_tags", "add_to_collection"]),
    ("wagtaildocs", "document", ["delete", "add_tags", "add_to_collection"]),
    ("directory", "selfhelpgroup", ["delete"]),
    ("directory", "contactrequest", ["delete"]),
    ("directory", "partnerwidget", ["delete"]),
    ("newsletter", "mailinglist", ["delete"]),
    ("auth", "user", ["delete", "set_active_state", "assign_role"]),
]
#: Snippet models for the views keyed by app label and model name.
SNIPPETS = [
    ("directory", "selfhelpgroup"),
    ("directory", "contactrequest"),
    ("directory", "topic"),
    ("newsletter", "mailinglist"),
]


def admin_patterns():
    """``(route, view_name, keywords)`` of every pattern below ``admin/``."""

    def walk(resolver, prefix, namespaces):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = namespaces + ([entry.namespace] if entry.namespace else [])
                yield from walk(entry, route, ns)
            elif isinstance(entry, URLPattern):
                keys = list(entry.pattern.regex.groupindex)
                name = ":".join([*namespaces, entry.name]) if entry.name else None
                yield route, name, keys

    return [p for p in walk(get_resolver(), "", []) if p[0].startswith("admin/")]


def _viewset_kinds():
    from wagtail.admin.viewsets import viewsets

    kinds = {}
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        try:
            namespace = viewset.url_namespace
        except Exception:  # noqa: BLE001 - viewsets without a name (the page viewset)
            continue
        if isinstance(model, str):
            model = apps.get_model(model)
        if model is not None:
            kinds[namespace] = model._meta.label_lower
    from wagtail.snippets.models import get_snippet_models

    for model in get_snippet_models():
        label = model._meta.label_lower
        kinds.setdefault(f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}", label)
        chooser = getattr(model.snippet_viewset, "chooser_viewset", None)
        if chooser is not None:
            kinds.setdefault(chooser.url_namespace, label)
    return kinds


def _scoped(kind, namespace, bundle):
    """A revision, workflow or task state of the object the namespace is about."""
    snippet = namespace.startswith("directory_groups") or "selfhelpgroup" in namespace
    key = f"{kind}:{'group' if snippet else 'page'}"
    return bundle.get(key)


class Unfillable(Exception):
    pass


def variants(name, keys, bundle, viewset_kinds):
    """Requests to make for one pattern with one office's objects:
    ``(kwargs, query, kind)`` where ``kind`` is the bundle kind the request aims at."""
    namespace = name.rsplit(":", 1)[0] if ":" in name else ""
    keyset = set(keys)

    if name == "wagtail_bulk_action":
        for app_label, model_name, actions in BULK:
            label = f"{app_label}.{model_name}"
            for action in actions:
                yield (
                    {"app_label": app_label, "model_name": model_name, "action": action},
                    {"id": bundle[label]},
                    label,
                )
        return
    if keyset == {"app_label", "model_name", "pk"} or keyset == {"app_label", "model_name"}:
        if name.startswith("wagtail_localize:"):
            models = SNIPPETS
        elif name == "wagtailadmin_workflows:add_task":
            models = [("wagtailcore", "groupapprovaltask")]
        elif name == "wagtailadmin_pages:choose_parent":
            models = [("home", "standardpage")]
        else:
            raise Unfillable(name)
        for app_label, model_name in models:
            kwargs = {"app_label": app_label, "model_name": model_name}
            label = f"{app_label}.{model_name}"
            if "pk" in keyset:
                if label not in bundle:
                    continue
                kwargs["pk"] = bundle[label]
            yield kwargs, {}, label
        return
    if keyset & {"app_name", "model_name"} == {"app_name", "model_name"}:
        if name.startswith("wagtailsettings"):
            models = [("sites", "office"), ("home", "navigation")]
        elif name == "wagtailadmin_tag_model_autocomplete":
            models = [("wagtailimages", "image"), ("wagtaildocs", "document")]
        else:
            raise Unfillable(name)
        for app_name, model_name in models:
            kwargs = {"app_name": app_name, "model_name": model_name}
            if "pk" in keyset:
                kwargs["pk"] = bundle["wagtailcore.site"]
            yield kwargs, {}, "wagtailcore.site"
        return

    kwargs, kind = {}, None
    for key in keys:
        if key in ("content_type_app_name", "content_type_model_name"):
            kwargs.update(content_type_app_name="home", content_type_model_name="standardpage")
        elif key in FIXED:
            kwargs[key] = FIXED[key]
        elif key == "app_label" and name.startswith("wagtailadmin_editing_sessions"):
            kwargs.update(app_label="wagtailcore", model_name="page")
        elif key == "model_name":
            continue
        elif key == "object_id":
            kwargs[key] = bundle["wagtailcore.page"]
        elif key in KWARG_KINDS:
            kind = kind or KWARG_KINDS[key]
            if KWARG_KINDS[key] not in bundle:
                return
            kwargs[key] = bundle[KWARG_KINDS[key]]
        elif key in ("revision_id", "revision_id_a", "revision_id_b"):
            kwargs[key] = _scoped("wagtailcore.revision", namespace, bundle)
        elif key in ("task_state_id", "workflow_state_id"):
            value = _scoped(f"wagtailcore.{key[:-3].replace('_', '')}", namespace, bundle)
            if value is None:
                return
            kwargs[key] = value
        elif key == "pk":
            label = PK_KINDS.get(name) or PK_KINDS.get(namespace) or viewset_kinds.get(namespace)
            if label is None:
                raise Unfillable(f"{name}: pk")
            if label not in bundle:
                return
            kind = label
            kwargs[key] = bundle[label]
        else:
            raise Unfillable(f"{name}: {key}")
    if name.startswith(("wagtailadmin_pages:", "newsletter_admin:")) and "page_id" in kwargs:
        # The state office's page of interest is its unsent newsletter issue.
        kwargs["page_id"] = bundle.get("issue", kwargs["page_id"])
    if name.startswith("wagtailforms:") and "page_id" in kwargs and "formpage" in bundle:
        kwargs["page_id"] = bundle["formpage"]
    query = {}
    if name.endswith("chosen_multiple"):
        label = "wagtailcore.page" if "choose_page" in name else viewset_kinds.get(namespace)
        if label is None and "images" in name:
            label = "wagtailimages.image"
        if label is None and "docs" in name:
            label = "wagtaildocs.document"
        if label not in bundle:
            return
        query["id"] = bundle[label]
        kind = label
    if name.startswith("wagtailadmin_api:pages") and not keys:
        query["child_of"] = bundle["wagtailcore.page"]
    yield kwargs, query, kind
    if not keys and SEARCHING.search(name):
        # Listings and choosers searched for the markers' common word.
        yield kwargs, {**query, "q": "mrk", "search": "mrk"}, kind


def form_data(html, path):
    """The fields of the page's POST form (the one that posts back to ``path``)."""
    if "<form" not in html:
        return {}
    soup = BeautifulSoup(html, "html.parser")
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        action = form.get("action") or path
        if action.split("?")[0] != path:
            continue
        data = {}
        for field in form.find_all(["input", "textarea", "select"]):
            fname = field.get("name")
            if not fname:
                continue
            if field.name == "textarea":
                data[fname] = field.text
            elif field.name == "select":
                option = field.find("option", selected=True) or field.find("option")
                data[fname] = option.get("value", "") if option else ""
            elif field.get("type") in ("checkbox", "radio"):
                if field.has_attr("checked"):
                    data[fname] = field.get("value", "on")
            elif field.get("type") not in ("submit", "file", "button"):
                data[fname] = field.get("value", "")
        return data
    return {}


def refused(response):
    """4xx, or Wagtail's way of saying "permission denied": a redirect to the dashboard
    (or to the login)."""
    if response.status_code == 302:
        return response["Location"].split("?")[0] in ("/admin/", "/admin/login/")
    return 400 <= response.status_code < 500


#: Known 500s of Wagtail's own views on malformed POSTs (no tenant data involved): the
#: external-link chooser reads a missing field as None. Each entry is a URL name.
KNOWN_ERRORS = {
    "wagtailadmin_choose_page_external_link": "Wagtail: URLOrAbsolutePathField on None",
}


def fingerprint(world, full=True):
    """Row count and highest id of every office-owned table (one query); with ``full``
    also a hash of every row of the foreign objects the matrix aims at."""
    from django.db import connection

    parts = []
    for label in OWNED_MODELS:
        meta = apps.get_model(label)._meta
        table, pk = (
            connection.ops.quote_name(meta.db_table),
            connection.ops.quote_name(meta.pk.column),
        )
        parts.append(f"SELECT '{label}', COUNT(*), MAX({pk}) FROM {table}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        result = {row[0]: row[1:] for row in cursor.fetchall()}
    if full:
        for label, pks in world.targets().items():
            rows = list(
                apps.get_model(label)
                ._default_manager.filter(pk__in=pks)
                .order_by("pk")
                .values_list()
            )
            result[f"{label} rows"] = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
    return result


def attack(client, method, url, data=None):
    if method == "GET":
        return client.get(url)
    return client.post(url, data or {})


@pytest.mark.django_db
def test_no_admin_url_shows_or_changes_another_offices_data(world):
    patterns = admin_patterns()  # loads the URLconf, which populates Wagtail's viewsets
    viewset_kinds = _viewset_kinds()
    plan, unmapped = [], []
    for route, name, keys in patterns:
        if (name or route) in EXCLUDED:
            continue
        seen = set()
        for office_key, bundle in world.bundles.items():
            if office_key == "state" and not name.startswith(STATE_PREFIXES):
                continue  # Beta's objects stand for every office; see STATE_PREFIXES
            try:
                for kwargs, query, kind in variants(name, keys, bundle, viewset_kinds):
                    key = (repr(sorted(kwargs.items())), repr(sorted(query.items())))
                    if key not in seen:  # a list view is the same URL for every office
                        seen.add(key)
                        plan.append((name, office_key, kwargs, query, kind))
            except Unfillable as error:
                unmapped.append(str(error))
                break
    assert not unmapped, f"patterns neither mapped nor excluded: {sorted(set(unmapped))}"

    covered = {p[0] for p in plan}
    uncovered = [
        (route, name)
        for route, name, _k in patterns
        if (name or route) not in EXCLUDED and name not in covered
    ]
    assert not uncovered, f"patterns without a single request: {uncovered}"

    # The side doors refuse an id keyword they cannot resolve (default deny); every pattern
    # must be resolvable, or the office's own staff would be refused too.
    from django.urls import resolve

    from sites import side_doors

    unresolvable = set()
    for name, _office, kwargs, _query, _kind in plan:
        try:
            list(side_doors.url_objects(resolve(reverse(name, kwargs=kwargs))))
        except side_doors.Unmapped as error:
            unresolvable.add(str(error))
    assert not unresolvable, f"id keywords sites.side_doors cannot resolve: {unresolvable}"

    clients = {role: client_for(world, role) for role in ROLES}
    baseline = {"GET": fingerprint(world, full=False), "POST": fingerprint(world)}
    failures, pairs, requests, timings = [], 0, 0, []
    started = time.monotonic()
    for name, office_key, kwargs, query, kind in plan:
        url = reverse(name, kwargs=kwargs)
        for role, client in clients.items():
            own_office = ROLES[role][0]
            if office_key == own_office:
                continue
            forbidden = world.forbidden_markers(role, own_office)
            foreign = kind not in SHARED_KINDS and not (
                role == "coordinator" and world.kinds.get(kind) is not None
            )
            pairs += 1
            html = ""
            for method in ("GET", "POST"):
                with transaction.atomic():
                    tick = time.monotonic()
                    if method == "GET":
                        response = client.get(url, query)
                    else:
                        target = url + (
                            "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
                        )
                        response = client.post(target, form_data(html, url))
                    requests += 1
                    timings.append((time.monotonic() - tick, method, url))
                    body = body_of(response)
                    if method == "GET":
                        html = body
                    leaked = [m for m in forbidden if m in body]
                    if response.status_code >= 500 and name not in KNOWN_ERRORS:
                        failures.append((role, method, url, query, "status 500"))
                    if leaked:
                        failures.append((role, method, url, query, f"shows {leaked[:3]}"))
                    if refused(response) or foreign:
                        changed = [
                            label
                            for label, value in fingerprint(world, full=method == "POST").items()
                            if value != baseline[method][label]
                        ]
                        if changed:
                            failures.append(
                                (
                                    role,
                                    method,
                                    url,
                                    query,
                                    f"status {response.status_code}, changed {changed}",
                                )
                            )
                    transaction.set_rollback(True)
    elapsed = time.monotonic() - started
    summary = (
        f"attack matrix: {len(patterns)} admin URL patterns, {len(EXCLUDED)} excluded, "
        f"{len(plan)} filled URLs, {pairs} endpoint×role pairs, {requests} requests "
        f"in {elapsed:.0f} s, {len(failures)} failures"
    )
    print(summary)
    for seconds, method, url in sorted(timings, reverse=True)[:10]:
        print(f"  slowest: {seconds:.2f} s {method} {url}")
    fingerprint_started = time.monotonic()
    fingerprint(world)
    print(f"  one full fingerprint: {time.monotonic() - fingerprint_started:.3f} s")
    assert not failures, summary + "\n" + "\n".join(map(repr, failures))
