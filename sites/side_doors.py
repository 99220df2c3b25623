"""Default deny for Wagtail's own admin views: no side door into another office's data.

Page, collection and snippet permissions guard *changes*, but many of Wagtail's read paths
never ask "may this user see this object?": the explorer and chooser opened on a foreign
page, bulk-action confirmations, choosers' ``chosen`` endpoints, the admin API, reports,
wagtail-localize's views. Instead of patching each view, ``SideDoorMiddleware`` looks at
every resolved admin URL before its view runs:

1. every URL keyword that names an object (``page_id``, ``pk``, ``image_id`` ...) and every
   object id in the query string of the views that take ids there (bulk actions,
   ``chosen-multiple``, the admin API's ``child_of``) is resolved to its object, unwrapped
   to what it belongs to (a revision to its page, a translation to its source object ...),
   and ``sites.tenancy.user_may_see`` is asked. A foreign object answers 404, as if it did
   not exist;
2. a keyword that looks like an object id but is not known here is refused too (for
   everybody but superusers), so a view that Wagtail or an app adds later is closed until
   it is mapped here;
3. listing views that span every office are replaced by fenced versions (bulk actions,
   wagtail-localize's snippet API and translations report, the workflow reports) or, where
   a report cannot be scoped (page types usage counts every site's pages), kept for
   superusers. The site history is narrowed where Wagtail itself asks what a user may
   read of it (``fence_log_entries``).

The admin API's endpoints are replaced by fenced ones (``fence_admin_api``), and the
directory's snippets get the URL namespace wagtail-localize links to; both hooks are
registered when ``sites.wagtail_hooks`` imports this module. The attack matrix
(``tests/sites/test_attack_matrix.py``) walks every admin URL pattern against it.
"""

from functools import cache

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks

from . import tenancy

# --- Which object does a URL name? ----------------------------------------------------


def _page():
    from wagtail.models import Page

    return Page


def _image():
    from wagtail.images import get_image_model

    return get_image_model()


def _document():
    from wagtail.documents import get_document_model

    return get_document_model()


def _model(label):
    return lambda: apps.get_model(label)


#: URL keywords that name an object, whatever the view.
KWARG_MODELS = {
    "page_id": _page,
    "parent_page_id": _page,
    "page_to_move_id": _page,
    "destination_id": _page,
    "page_pk": _page,
    "image_id": _image,
    "document_id": _document,
    "doc_id": _document,
    "collection_id": _model("wagtailcore.Collection"),
    "revision_id": _model("wagtailcore.Revision"),
    "revision_id_a": _model("wagtailcore.Revision"),
    "revision_id_b": _model("wagtailcore.Revision"),
    "task_state_id": _model("wagtailcore.TaskState"),
    "workflow_state_id": _model("wagtailcore.WorkflowState"),
    "task_id": _model("wagtailcore.Task"),
    "workflow_pk": _model("wagtailcore.Workflow"),
    "uploaded_file_id": _model("wagtailcore.UploadedFile"),
    "session_id": _model("wagtailadmin.EditingSession"),
    "redirect_id": _model("wagtailredirects.Redirect"),
    "query_id": _model("wagtailsearchpromotions.Query"),
    "translation_id": _model("wagtail_localize.Translation"),
    "translation_source_id": _model("wagtail_localize.TranslationSource"),
    "string_segment_id": _model("wagtail_localize.StringSegment"),
    "overridable_segment_id": _model("wagtail_localize.OverridableSegment"),
}

#: URL keywords that name no object of a tenant (labels, actions, formats, tokens).
PLAIN_KWARGS = frozenset(
    {
        "app_label",
        "model_name",
        "app_name",
        "content_type_app_name",
        "content_type_model_name",
        "action",
        "action_name",
        "filter_spec",
        "mode",
        "uidb64",
        "token",
        "results_only",
    }
)

#: ``pk`` and ``object_id`` of these namespaces and URL names (the rest: see ``_pk_model``).
PK_MODELS = {
    "wagtailadmin_api:pages": _page,
    "wagtailadmin_api:images": _image,
    "wagtailadmin_api:documents": _document,
    "wagtailadmin_pages": _page,
    "wagtailsettings": _model("wagtailcore.Site"),
    "wagtailadmin_collections": _model("wagtailcore.Collection"),
    "wagtailadmin_workflows": _model("wagtailcore.Workflow"),
    "wagtailadmin_workflows:edit_task": _model("wagtailcore.Task"),
    "wagtailadmin_workflows:disable_task": _model("wagtailcore.Task"),
    "wagtailadmin_workflows:enable_task": _model("wagtailcore.Task"),
    # The apps' own admin URLs that are no viewsets (labels only: no import of the apps).
    "directory_verify": _model("directory.SelfHelpGroup"),
    "directory_request_confirmation": _model("directory.SelfHelpGroup"),
    "newsletter_admin": _model("newsletter.Subscriber"),
}


@cache
def _viewset_models():
    """URL namespace → model of every registered admin viewset (snippets, choosers ...)."""
    from wagtail.admin.viewsets import viewsets

    result = {}
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        try:
            namespace = viewset.url_namespace
        except ImproperlyConfigured:  # a viewset without a name (Wagtail's page viewset)
            continue
        if isinstance(model, str):
            model = apps.get_model(model)
        if model is not None and namespace:
            result[namespace] = model
    from wagtail.snippets.models import get_snippet_models

    for model in get_snippet_models():
        viewset = getattr(model, "snippet_viewset", None)
        if viewset is None:
            continue
        result.setdefault(viewset.url_namespace, model)
        chooser = getattr(viewset, "chooser_viewset", None)
        if chooser is not None:
            result.setdefault(chooser.url_namespace, model)
        result.setdefault(
            f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}", model
        )
    return result


class Unmapped(Exception):
    """A URL keyword that looks like an object id but is not known to this module."""


def _label_model(kwargs):
    app = kwargs.get("app_label") or kwargs.get("app_name")
    name = kwargs.get("model_name")
    if not app or not name:
        return None
    try:
        return apps.get_model(app, name)
    except (LookupError, ValueError):
        raise Http404 from None


def _pk_model(match):
    namespace = match.namespace
    if match.view_name in PK_MODELS:
        return PK_MODELS[match.view_name]()
    if namespace in PK_MODELS:
        model = PK_MODELS[namespace]()
        if namespace == "wagtailsettings":
            setting = _label_model(match.kwargs)
            from wagtail.contrib.settings.models import BaseSiteSetting

            if setting is not None and not issubclass(setting, BaseSiteSetting):
                return setting
        return model
    model = _label_model(match.kwargs)
    if model is not None:
        return model
    if namespace in _viewset_models():
        return _viewset_models()[namespace]
    raise Unmapped(f"{match.view_name}: pk")


def url_objects(match):
    """``(model, key)`` for every object the URL's keywords name."""
    for key, value in match.kwargs.items():
        if key in PLAIN_KWARGS:
            continue
        if key in KWARG_MODELS:
            if key.startswith("revision_id_") and not str(value).isdigit():
                continue  # "live", "latest", "earliest"
            yield KWARG_MODELS[key](), value
        elif key in ("pk", "object_id"):
            yield _pk_model(match), value
        else:
            raise Unmapped(f"{match.view_name}: {key}")


def _chooser_model(match):
    if match.view_name == "wagtailadmin_choose_page_chosen_multiple":
        return _page()
    return _viewset_models().get(match.namespace)


def query_objects(request, match):
    """``(model, key)`` for object ids that views take from the query string."""
    name = match.view_name
    params = request.GET
    if name == "wagtail_bulk_action":
        model = _label_model(match.kwargs)
        if model is None:
            return
        for key in params.getlist("id"):
            if key != "all":
                yield model, key
        parent = params.get("childOf")
        if parent:
            if issubclass(model, _page()):
                yield _page(), parent
            elif hasattr(model, "collection"):
                yield apps.get_model("wagtailcore.Collection"), parent
    elif name.endswith("chosen_multiple"):
        model = _chooser_model(match)
        if model is not None:
            for key in params.getlist("id"):
                yield model, key
    elif name.startswith("wagtailadmin_api:pages"):
        for param in ("child_of", "descendant_of", "translation_of"):
            value = params.get(param, "")
            if value.isdigit():
                yield _page(), value


def _fetch(model, key):
    try:
        return model._default_manager.filter(pk=key).first()
    except (ValueError, TypeError, ValidationError):
        return None


def subject_of(obj):
    """What ``obj`` belongs to, for the question who may see it: a revision its page or
    snippet, a workflow or task state its object, a translation its source object."""
    for _depth in range(5):
        label = obj._meta.label_lower
        if label in ("wagtailcore.revision", "wagtailcore.workflowstate"):
            nxt = obj.content_object
        elif label == "wagtailcore.taskstate":
            nxt = obj.workflow_state.content_object
        elif label == "wagtailadmin.editingsession":
            nxt = obj.content_object
        elif label in (
            "wagtail_localize.translation",
            "wagtail_localize.stringsegment",
            "wagtail_localize.overridablesegment",
        ):
            nxt = obj.source
        elif label == "wagtail_localize.translationsource":
            try:
                nxt = obj.get_source_instance()
            except Exception:  # noqa: BLE001 - the source object is gone: nobody's
                return None
        else:
            return obj
        if nxt is None:
            return None
        obj = nxt
    return obj


#: Objects that belong to one user rather than to an office.
USER_OWNED = {
    "wagtailcore.uploadedfile": "uploaded_by_user_id",
    "wagtailadmin.editingsession": "user_id",
}


def may_open(user, obj):
    """May ``user`` open an admin URL that names ``obj``?"""
    if user.is_superuser:
        return True
    owner_field = USER_OWNED.get(obj._meta.label_lower)
    if owner_field and getattr(obj, owner_field) != user.pk:
        return False
    subject = subject_of(obj)
    if subject is None:
        return not owner_field and obj._meta.label_lower not in (
            "wagtailcore.revision",
            "wagtailcore.workflowstate",
            "wagtailcore.taskstate",
        )
    return _may_see(user, subject)


def _may_see(user, obj):
    """``tenancy.user_may_see``, plus what belongs to an office's site without being an
    office-owned record: the site itself (and so its settings), its redirects, and the
    office's collections. These are the office's own, not the coordination's."""
    from wagtail.models import Collection, Page, Site

    if isinstance(obj, Page) and obj.depth == 1:
        return True  # the tree's root: where the explorer of a site in two locales opens
    site_id = None
    if isinstance(obj, Site):
        site_id = obj.pk
    elif obj._meta.label_lower == "wagtailredirects.redirect":
        site_id = obj.site_id
    if site_id is not None:
        from .models import Office

        office_id = Office.objects.filter(site_id=site_id).values_list("pk", flat=True).first()
        return office_id is None or office_id in tenancy.staff_office_ids(user)
    if isinstance(obj, Collection):
        owners = tenancy.owner_office_ids(obj)
        return owners is None or bool(owners & tenancy.staff_office_ids(user))
    return tenancy.user_may_see(user, obj)


# --- Views replaced for everybody but superusers ---------------------------------------

#: Reports that span every office and cannot be narrowed to one: superusers only.
SUPERUSER_ONLY = frozenset(
    {
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
    }
)


def _visible_records(user, content_type_ids, content_type_field, object_id_field):
    """A ``Q`` on rows that name an object by content type and (text) id: the rows whose
    object, of a model other than a page, ``user`` may see. Models nobody owns (topics,
    workflows ...) keep Wagtail's rule, which the caller has applied already."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast
    from wagtail.models import Page

    condition = Q(pk__in=[])
    for content_type_id in content_type_ids:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or issubclass(model, Page):
            continue
        objects = model._default_manager.all()
        visible = _visible(user, objects)
        row = Q(**{content_type_field: content_type_id})
        if visible is not objects:
            keys = visible.annotate(_key=Cast("pk", CharField())).values("_key")
            row &= Q(**{f"{object_id_field}__in": keys})
        condition |= row
    return condition


def fence_log_entries():
    """The site history (and every other reader of ``ModelLogEntry.objects
    .viewable_by_user``: its filters' users, object types and actions) shows a user the
    entries of records they may see. Wagtail lets anyone with a permission on a model read
    the history of every record of it, every office's groups and files included; page
    entries are already limited to the pages a user may explore."""
    from wagtail.models.audit_log import ModelLogEntryManager

    wagtails = ModelLogEntryManager.viewable_by_user
    if getattr(wagtails, "fenced", False):
        return

    def viewable_by_user(self, user):
        entries = wagtails(self, user)
        if user.is_superuser:
            return entries
        allowed = getattr(user, "_allowed_content_type_ids", ())
        return entries.filter(_visible_records(user, allowed, "content_type_id", "object_id"))

    viewable_by_user.fenced = True
    ModelLogEntryManager.viewable_by_user = viewable_by_user


@cache
def _fenced_site_history_filterset():
    from wagtail.admin.views.reports.audit_logging import (
        SiteHistoryReportFilterSet,
        get_users_for_filter,
    )

    class FencedSiteHistoryReportFilterSet(SiteHistoryReportFilterSet):
        def get_users_queryset(self):
            # Wagtail's filter lists everybody who ever edited a page of any site.
            return get_users_for_filter(self.request.user)

        class Meta(SiteHistoryReportFilterSet.Meta):
            pass

    return FencedSiteHistoryReportFilterSet


class FencedSiteHistoryMixin:
    """The site history's entries are narrowed by ``fence_log_entries``; its "user"
    filter is not (it names every page editor of the installation): this one names the
    authors of the entries the user may read."""

    @property
    def filterset_class(self):
        return _fenced_site_history_filterset()


def visible_workflow_states(user):
    """A ``Q`` on ``WorkflowState``: the states of pages and records ``user`` may see."""
    from django.db.models import CharField
    from django.db.models.functions import Cast
    from wagtail.models import Page, WorkflowState
    from wagtail.models.pages import get_default_page_content_type

    page_type = get_default_page_content_type().pk
    pages = _visible(user, Page.objects.all()).annotate(_key=Cast("pk", CharField()))
    others = (
        WorkflowState.objects.exclude(base_content_type_id=page_type)
        .values_list("content_type_id", flat=True)
        .distinct()
    )
    records = _visible_records(user, set(others), "content_type_id", "object_id")
    return Q(base_content_type_id=page_type, object_id__in=pages.values("_key")) | records


def _requested_by(request):
    """Who asked for a review, among the states the user may see (the stock filter names
    every office's staff)."""
    from django.contrib.auth import get_user_model
    from wagtail.models import WorkflowState

    User = get_user_model()
    states = WorkflowState.objects.filter(visible_workflow_states(request.user))
    return User.objects.filter(pk__in=states.values("requested_by")).order_by(User.USERNAME_FIELD)


@cache
def _fenced_workflow_filterset():
    import django_filters
    from wagtail.admin.views.reports.workflows import WorkflowReportFilterSet

    class FencedWorkflowReportFilterSet(WorkflowReportFilterSet):
        requested_by = django_filters.ModelChoiceFilter(
            field_name="requested_by",
            queryset=_requested_by,
            label=WorkflowReportFilterSet.base_filters["requested_by"].label,
        )

        class Meta(WorkflowReportFilterSet.Meta):
            pass

    return FencedWorkflowReportFilterSet


class FencedWorkflowStatesMixin:
    """Wagtail's workflow report lists the reviews of every record of a model the user may
    edit (every office's groups): only those of pages and records the user may see."""

    @property
    def filterset_class(self):
        return _fenced_workflow_filterset()

    def get_queryset(self):
        return super().get_queryset().filter(visible_workflow_states(self.request.user))


class FencedTaskStatesMixin:
    """The same for the report by task (``TaskState``)."""

    def get_queryset(self):
        from wagtail.models import WorkflowState

        states = WorkflowState.objects.filter(visible_workflow_states(self.request.user))
        return super().get_queryset().filter(workflow_state__in=states)


def fenced_bulk_action(request, app_label, model_name, action):
    """Wagtail's bulk-action dispatcher, with every action fenced by ``FencedBulkMixin``."""
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    model = _label_model({"app_label": app_label, "model_name": model_name})
    action_class = bulk_action_registry.get_bulk_action_class(app_label, model_name, action)
    if action_class is None:
        raise Http404
    return _fenced_bulk_class(action_class)(request, model).dispatch(request)


class FencedBulkMixin:
    """Objects of other offices are neither acted on nor named ("no access" list)."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        user = self.request.user
        objects = [obj for obj in objects if may_open(user, obj)]
        extra["items_with_no_access"] = [
            obj for obj in extra.get("items_with_no_access", []) if may_open(user, obj)
        ]
        return objects, extra


@cache
def _fenced_bulk_class(action_class):
    return type(f"Fenced{action_class.__name__}", (FencedBulkMixin, action_class), {})


def fenced_localize_snippets(request, *args, **kwargs):
    """wagtail-localize's snippet API lists every object of a model: only visible ones."""
    from wagtail_localize.views.snippets_api import SnippetViewSet

    class FencedSnippetViewSet(SnippetViewSet):
        def get_queryset(self):
            return tenancy.visible_queryset(self.request.user, super().get_queryset())

    view = FencedSnippetViewSet.as_view({"get": "list"})
    return view(request, *args, **kwargs)


class FencedTranslationsMixin:
    """wagtail-localize's translations report lists every translation of every site (with
    the source pages' draft titles): only those of objects the user may see."""

    def get_queryset(self):
        return super().get_queryset().filter(visible_translation_sources(self.request.user))


def visible_translation_sources(user):
    """A ``Q`` on ``Translation`` for the sources whose objects ``user`` may see."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, get_translatable_models

    condition = Q(
        source__object_id__in=_visible(user, Page.objects.all()).values("translation_key")
    )
    for model in get_translatable_models():
        if issubclass(model, Page):
            continue
        ct = ContentType.objects.get_for_model(model)
        if tenancy.ownership(model) is None:
            condition |= Q(source__specific_content_type=ct)
        else:
            keys = tenancy.visible_queryset(user, model._default_manager.all())
            condition |= Q(
                source__specific_content_type=ct,
                source__object_id__in=keys.values("translation_key"),
            )
    return condition


def chooser_create_without_form(request, view_func):
    """Wagtail's snippet chooser "create" views answer 500 to a POST when the chooser has
    no creation form (the directory's, the newsletter's): 404 instead."""
    from wagtail.snippets.views.chooser import SnippetCreateView

    view_class = getattr(view_func, "view_class", None)
    if view_class is None or not issubclass(view_class, SnippetCreateView):
        return False
    view = view_class(**getattr(view_func, "view_initkwargs", {}))
    view.setup(request)
    return view.get_creation_form_class() is None


@cache
def _fenced_view(view_func, mixin):
    view_class = type(f"Fenced{view_func.view_class.__name__}", (mixin, view_func.view_class), {})
    return view_class.as_view(**view_func.view_initkwargs)


#: Views replaced by a function or, for class-based views, extended by a mixin.
REPLACEMENTS = {
    "wagtail_bulk_action": fenced_bulk_action,
    "wagtail_localize:snippets_api_listing": fenced_localize_snippets,
    "wagtail_localize:translations_report": FencedTranslationsMixin,
    "wagtail_localize:translations_report_results": FencedTranslationsMixin,
    "wagtailadmin_reports:site_history": FencedSiteHistoryMixin,
    "wagtailadmin_reports:site_history_results": FencedSiteHistoryMixin,
    "wagtailadmin_reports:workflow": FencedWorkflowStatesMixin,
    "wagtailadmin_reports:workflow_results": FencedWorkflowStatesMixin,
    "wagtailadmin_reports:workflow_tasks": FencedTaskStatesMixin,
    "wagtailadmin_reports:workflow_tasks_results": FencedTaskStatesMixin,
}


# --- The middleware --------------------------------------------------------------------


@cache
def _admin_prefix():
    return reverse("wagtailadmin_home")


#: wagtail-localize's views that create or change a translation: seeing the object is
#: not enough, the user must be allowed to change its source (an office editor may see
#: the shared topic list, but only coordinators change and so translate it).
TRANSLATION_VIEWS = frozenset(
    {
        "wagtail_localize:submit_page_translation",
        "wagtail_localize:submit_snippet_translation",
        "wagtail_localize:update_translations",
        "wagtail_localize:edit_string_translation",
        "wagtail_localize:edit_override",
        "wagtail_localize:upload_pofile",
        "wagtail_localize:machine_translate",
        "wagtail_localize:stop_translation",
        "wagtail_localize:convert_to_alias",
    }
)


def may_translate(user, obj):
    """May ``user`` translate ``obj`` (or the object it belongs to)? Pages: whoever may
    edit the source page; records: whoever may change them (their permission policy)."""
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    subject = subject_of(obj)
    if subject is None:
        return False
    if isinstance(subject, Page):
        return subject.permissions_for_user(user).can_edit()
    policy = policy_registry.get_by_type(type(subject))
    return policy.user_has_permission_for_instance(user, "change", subject)


class SideDoorMiddleware:
    """Check every admin URL's objects before its view runs (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or user.is_superuser
            or not request.path.startswith(_admin_prefix())
        ):
            return None
        match = request.resolver_match
        if match is None:
            return None
        if match.view_name in SUPERUSER_ONLY:
            raise PermissionDenied
        try:
            keys = [*url_objects(match), *query_objects(request, match)]
        except Unmapped:
            raise PermissionDenied from None
        for model, key in keys:
            obj = _fetch(model, key)
            if obj is not None and not may_open(user, obj):
                raise Http404
            if (
                obj is not None
                and match.view_name in TRANSLATION_VIEWS
                and not may_translate(user, obj)
            ):
                raise PermissionDenied
        if match.url_name == "create" and chooser_create_without_form(request, view_func):
            raise Http404
        replacement = REPLACEMENTS.get(match.view_name)
        if isinstance(replacement, type):
            replacement = _fenced_view(view_func, replacement)
        if replacement is not None:
            return replacement(request, *view_args, **view_kwargs)
        return None


# --- The admin API ---------------------------------------------------------------------


def fence_admin_api(router):
    """Replace every endpoint of the admin API by one that lists only visible objects
    (Wagtail's image and document endpoints list every collection's files, and asking
    for ``fields=thumbnail`` renders a rendition of each)."""
    for name, endpoint in list(router._endpoints.items()):
        if getattr(endpoint, "_fenced", False):
            continue
        router.register_endpoint(name, _fenced_endpoint(endpoint))


def _fenced_endpoint(endpoint):
    def get_queryset(self):
        queryset = super(fenced, self).get_queryset()
        user = self.request.user
        return queryset if user.is_superuser else _visible(user, queryset)

    attrs = {"get_queryset": get_queryset, "_fenced": True}
    if hasattr(endpoint, "get_base_queryset"):

        def get_base_queryset(self):
            queryset = super(fenced, self).get_base_queryset()
            user = self.request.user
            return queryset if user.is_superuser else _visible(user, queryset)

        attrs["get_base_queryset"] = get_base_queryset
    fenced = type(f"Fenced{endpoint.__name__}", (endpoint,), attrs)
    return fenced


@hooks.register("construct_admin_api", order=1000)
def _fence_the_admin_api(router):
    # order=1000: after wagtail.images and wagtail.documents have added their endpoints.
    fence_admin_api(router)


# --- Snippet URL namespaces that wagtail-localize assumes -------------------------------


def _alias_view(viewset, view_name):
    def view(request, pk):
        return redirect(viewset.get_url_name(view_name), pk)

    return view


@hooks.register("register_admin_urls", order=1000)
def snippet_namespace_aliases():
    """wagtail-localize links to ``wagtailsnippets_<app>_<model>:edit`` (and ``:delete``)
    of every snippet; viewsets with a namespace of their own (the directory's) have no such
    URL, so its views answer 500. These aliases redirect to the viewset's own views."""
    from wagtail.snippets.models import get_snippet_models

    patterns = []
    for model in get_snippet_models():
        viewset = getattr(model, "snippet_viewset", None)
        app_label, model_name = model._meta.app_label, model._meta.model_name
        expected = f"wagtailsnippets_{app_label}_{model_name}"
        if viewset is None or viewset.url_namespace == expected:
            continue
        aliases = [
            path("edit/<str:pk>/", _alias_view(viewset, "edit"), name="edit"),
            path("delete/<str:pk>/", _alias_view(viewset, "delete"), name="delete"),
        ]
        patterns.append(path(f"snippets/{app_label}/{model_name}/", include((aliases, expected))))
    return patterns


def _visible(user, queryset):
    """Office-owned records through the fence; pages, images and documents (which no app
    declares) by their site or collection."""
    from wagtail.models import Page

    model = queryset.model
    if tenancy.ownership(model) is not None:
        return tenancy.visible_queryset(user, queryset)
    if issubclass(model, Page):
        condition = Q(depth=1)
        for site in tenancy.staff_offices(user).select_related("site__root_page"):
            for root in tenancy.locale_roots(site.site):
                condition |= Q(path__startswith=root.path)
        return queryset.filter(condition)
    if hasattr(model, "collection"):
        from wagtail.permissions import policy_registry

        allowed = policy_registry.get_by_type(model).collections_user_has_any_permission_for(
            user, ["change", "delete", "choose"]
        )
        return queryset.filter(collection__in=allowed)
    return queryset
