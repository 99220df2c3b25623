"""Per-request queries of Wagtail's page serving that this platform answers from memory.

Profiling an office home page (issue #14) showed two kinds of queries Wagtail makes on
every request whose answers change only when an editor saves something:

* ``Locale.objects.get_for_language()`` (routing asks for the active locale): answered
  from the content languages' ids kept under the network version (``sites.chrome.locale_ids``),
  which every ``Locale`` save replaces.
* ``Page.get_view_restrictions()`` (two queries: the ancestors, then their restrictions)
  while no page anywhere has a view restriction: whether any exists is kept under the
  network version too, and any saved or deleted ``PageViewRestriction`` replaces it
  (``sites.signals``). Once a restriction exists, Wagtail's own check runs unchanged.

* ``Page.route()`` asks for the child by slug and then for its specific form, two
  queries per path segment: the specific child of a page by slug is kept under its site's
  version (any page save of the site or move replaces it), so a warm request routes
  without a query.
  A slug that matches no child is never cached (random URLs fill no cache).

* ``Page.route_for_request()`` starts at the site's home page in the active language:
  for any language but the site root's own that was two queries per request (the
  translation, then its specific form), so a page in Arabic cost two queries more than
  the same page in German (issue #12). The specific home page per language is kept under
  the site's version like the children above (a publish, save or move replaces it).

* ``TaskState.objects.reviewable_by(user)`` (the dashboard's "awaiting your review")
  asks every active task, and a group approval task makes one query for its groups: with
  a review workflow per office that is one query per office on every dashboard. Only
  tasks that have a task state in progress are asked here; every task type in use
  (Wagtail's and ``sites.models``) only ever answers with states in progress, so the
  result is the same.

And one whose SQL grows with the permission rows: ``PagePermissionPolicy.explorable_instances``
(the explorer's and page chooser's "which pages may this editor see") ORs one
``path LIKE`` per granted permission and one ancestor subquery per permission row. An
office group holds some ten page permissions on each locale root of its site, so an
editor's chooser counted with 20 ``LIKE`` and 20 ``IN`` clauses. Here the same set is
asked for with one ``LIKE`` per distinct top page and one ``IN`` list of all ancestor
paths (the same pages, checked by ``tests/sites/test_uncached_speed.py``).
"""

import contextvars
import posixpath
import re
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ForeignKey, Q
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.db.models.signals import post_save
from django.http import Http404
from modelcluster import models as modelcluster_models
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Comment, Locale, Page, PageViewRestriction, Site
from wagtail.models.i18n import LocaleManager
from wagtail.models.pages import COMMENTS_RELATION_NAME
from wagtail.models.workflows import BaseTaskStateManager
from wagtail.permission_policies.pages import PagePermissionPolicy

EXPLORE_ACTIONS = {"add", "change", "publish", "lock", "unlock", "bulk_delete"}


def _get_for_language(self, language_code):
    from .chrome import locale_ids

    code = get_supported_content_language_variant(language_code)
    pk = locale_ids().get(code)
    if pk is None:
        raise Locale.DoesNotExist(f"Locale matching query does not exist: {code}")
    locale = Locale(pk=pk, language_code=code)
    locale._state.adding = False
    locale._state.db = self.db
    return locale


def any_view_restrictions():
    """Whether any page has a view restriction (kept until the network's next change;
    inside provisioning, whose every page save starts a new chrome version, asked once
    until a restriction is saved there)."""
    from .chrome import cached_until_network_changes

    memo = _memo.get()
    if memo is not None and "any view restriction" in memo:
        return memo["any view restriction"]
    found = cached_until_network_changes(
        "any-page-view-restriction", lambda: PageViewRestriction.objects.exists()
    )
    if memo is not None:
        memo["any view restriction"] = found
    return found


_wagtail_get_view_restrictions = Page.get_view_restrictions


def _get_view_restrictions(self):
    if not any_view_restrictions():
        return PageViewRestriction.objects.none()
    return _wagtail_get_view_restrictions(self)


_wagtail_explorable_instances = PagePermissionPolicy.explorable_instances


def _explorable_instances(self, user):
    """Wagtail's ``explorable_instances``: the pages below any page the user holds an
    explore permission on, plus every ancestor of any page the user holds any permission
    on, inside their first common ancestor -- deduplicated before it becomes SQL."""
    base_queryset = self._base_queryset_for_user(user)
    if base_queryset is not None:
        return base_queryset
    manager = self.model._default_manager
    steplen = self.model.steplen
    permissions = list(self.get_cached_permissions_for_user(user))
    if not permissions:
        return manager.none()
    codenames = self._get_permission_codenames(EXPLORE_ACTIONS)
    granted = {p.page.path for p in permissions if p.permission.codename in codenames}
    tops = sorted(path for path in granted if not any(path.startswith(o) for o in granted - {path}))
    ancestors = {
        p.page.path[:end] for p in permissions for end in range(steplen, len(p.page.path), steplen)
    }
    condition = Q(path__in=sorted(ancestors))
    for path in tops:
        condition |= Q(path__startswith=path)
    common = posixpath.commonprefix([p.page.path[:-steplen] for p in permissions])
    common = common[: len(common) - len(common) % steplen]
    queryset = manager.filter(condition)
    if common:
        queryset = queryset.filter(path__startswith=common)
    return queryset


_wagtail_route = Page.route
_CACHEABLE_SLUG = re.compile(r"^[\w-]{1,100}$")


def _route(self, request, path_components):
    if not path_components or not self.pk or not _CACHEABLE_SLUG.match(path_components[0]):
        return _wagtail_route(self, request, path_components)
    from .chrome import cached_until_next_save, site_of_page

    slug = path_components[0]

    def build():
        child = self.get_children().filter(slug=slug).first()
        return child.specific if child is not None else None

    subpage = cached_until_next_save(f"child:{self.pk}:{slug}", build, site=site_of_page(self))
    if subpage is None:
        raise Http404
    # As Wagtail does: the parent is known, treebeard's get_parent() needs no query.
    subpage._cached_parent_obj = self
    return subpage.route(request, path_components[1:])


_wagtail_route_for_request = Page.route_for_request


def _localized_root(site):
    """The specific home page of ``site`` in the active language (the site root when it
    has no live translation there), from the cache in any language but the root's own."""
    root = site.root_page
    try:
        locale = Locale.get_active()
    except (LookupError, Locale.DoesNotExist):
        return root.specific
    if locale.pk == root.locale_id:
        return root.specific
    from .chrome import cached_until_next_save

    return cached_until_next_save(
        f"localized-root:{root.pk}:{locale.pk}", lambda: root.localized.specific, site=site.pk
    )


def _route_for_request(request, path):
    """Wagtail's ``Page.route_for_request`` with the localized home page from the cache."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return _wagtail_route_for_request(request, path)
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            site = Site.find_for_request(request)
            if site is not None:
                components = [component for component in path.split("/") if component]
                request._wagtail_route_for_request = _localized_root(site).route(
                    request, components
                )
            else:
                request._wagtail_route_for_request = None
        except Http404:
            request._wagtail_route_for_request = None
    return request._wagtail_route_for_request


_wagtail_reviewable_by = BaseTaskStateManager.reviewable_by


def _reviewable_by(self, user):
    from wagtail.models import Task, TaskState

    in_progress = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
    tasks = Task.objects.filter(active=True, pk__in=in_progress.values("task_id")).specific()
    states = TaskState.objects.none()
    for task in tasks:
        states = states | task.get_task_states_user_can_moderate(user=user)
    return states


#: Inside ``provisioning_shortcuts``: True.
_provisioning = contextvars.ContextVar("sites_provisioning_shortcuts", default=False)
#: Inside ``provisioning_shortcuts``: what it already checked once, see below.
_checked = contextvars.ContextVar("sites_provisioning_checked", default=None)
_memo = contextvars.ContextVar("sites_provisioning_memo", default=None)


def provisioning_memo():
    """A dict that lives as long as the current ``provisioning_shortcuts`` (else None)."""
    return _memo.get()


@contextmanager
def provisioning_shortcuts():
    """Checks Wagtail makes on every page save that provisioning need not pay for, or
    need not pay for more than once:

    * ``ForeignKey.validate`` (``full_clean`` runs it on every save and revision of a
      page: one ``SELECT 1`` per key, for the locale, content type, revisions, owner) --
      provisioning refers only to rows it has just read or written itself;
    * ``Page.is_site_root`` (a query after every page save, to decide whether to clear
      the site root paths) -- here a page is a site root when it is a home page (depth
      2, where provisioning puts every site's root and its translations), and the root
      paths are replaced once at the end anyway (``coalesced_replacements``);
    * the unique checks of ``Page.full_clean`` (two queries per save: is the tree path
      and is (translation key, locale) taken) -- both are unique indexes in the database,
      so a clash would still fail, as an ``IntegrityError`` that rolls the whole office
      back; provisioning never produces one (treebeard picks the path, wagtail-localize
      the translation);
    * the sibling slug check (``Page._check_slug_is_unique``, run on adding, on every
      save and on every revision of a page, with a parent lookup): once per page path and
      slug -- a later sibling with the same slug still fails its own check, and
      provisioning moves no page;
    * the comments of a page created inside provisioning (asked on every save, revision,
      publish and copy of it, some hundred queries): there are none -- the page did not
      exist before, nobody else sees it until the commit, and a comment saved inside
      provisioning makes its page be asked again;
    * the view restrictions wagtail-localize copies from a page to its translation (four
      queries per translation): none when both pages were created inside provisioning
      and no restriction was saved there;
    * the existence of every foreign key in a revision's content, asked again each time
      a revision becomes a page object (``modelcluster``'s ``check_fks``: the locale and
      content type of every page and every form field, some seventy queries): each
      referenced row is asked once; nothing provisioning refers to is deleted inside it.
    """
    token = _provisioning.set(True)
    checked = _checked.set(set())
    memo = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(memo)
        _checked.reset(checked)
        _provisioning.reset(token)


_wagtail_is_site_root = Page.is_site_root
_django_fk_validate = ForeignKey.validate


def _is_site_root(self):
    if _provisioning.get() and not hasattr(self, "_is_site_root"):
        return self.depth == 2
    return _wagtail_is_site_root(self)


def _validate_foreign_key(self, value, model_instance):
    if _provisioning.get():
        if self.remote_field.parent_link:
            return None
        return models.Field.validate(self, value, model_instance)
    return _django_fk_validate(self, value, model_instance)


_wagtail_full_clean = Page.full_clean


def _page_full_clean(self, *args, **kwargs):
    if _provisioning.get() and not args:
        kwargs.setdefault("validate_unique", False)
    return _wagtail_full_clean(self, *args, **kwargs)


_wagtail_check_slug_is_unique = Page._check_slug_is_unique


def _check_slug_is_unique(self):
    checked = _checked.get()
    if checked is None or not self.path:
        return _wagtail_check_slug_is_unique(self)
    key = ("slug", self.path, self.slug)
    if key not in checked:
        _wagtail_check_slug_is_unique(self)
        checked.add(key)
    return None


def _model_from_serializable_data(model, data, check_fks=True, strict_fks=False):
    """modelcluster's ``model_from_serializable_data``; inside provisioning each foreign
    key target is looked up once (a missing one takes modelcluster's own way)."""
    checked = _checked.get()
    if checked is None or not check_fks:
        return _modelcluster_from_serializable_data(model, data, check_fks, strict_fks)
    keys = []
    for name, value in data.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if (
            value is None
            or isinstance(field, models.ForeignObjectRel)
            or not field.remote_field
            or not isinstance(field.remote_field, models.ManyToOneRel)
        ):
            continue
        target = field.remote_field.model
        to_field = field.remote_field.field_name
        value = target._meta.get_field(to_field).to_python(value)
        key = ("fk", target._meta.label, to_field, value)
        if key in checked:
            continue
        if not target._default_manager.filter(**{to_field: value}).exists():
            return _modelcluster_from_serializable_data(model, data, check_fks, strict_fks)
        keys.append(key)
    checked.update(keys)
    return _modelcluster_from_serializable_data(model, data, False, strict_fks)


_modelcluster_from_serializable_data = modelcluster_models.model_from_serializable_data


def _note_new_page_or_comment(sender, instance, created=False, raw=False, **kwargs):
    checked = _checked.get()
    if checked is None:
        return
    if created and isinstance(instance, Page):
        checked.add(("new page", instance.pk))
    elif isinstance(instance, (Comment, PageViewRestriction)):
        checked.discard(("new page", instance.page_id))
        _memo.get({}).pop("any view restriction", None)


_django_get_related_object = ForwardManyToOneDescriptor.get_object


def _get_related_object(self, instance):
    """A page's or translation source's ``locale`` inside provisioning: each locale row
    is read once (wagtail-localize and the page copy ask it for every page)."""
    memo = _memo.get()
    if memo is None or self.field.related_model is not Locale:
        return _django_get_related_object(self, instance)
    pk = getattr(instance, self.field.attname)
    key = ("locale", pk)
    if key not in memo:
        memo[key] = _django_get_related_object(self, instance)
    return memo[key]


def _install_view_restriction_shortcut():
    from wagtail_localize.models import TranslationSource

    sync = TranslationSource.sync_view_restrictions

    def sync_view_restrictions(self, original, translation_page):
        checked = _checked.get()
        if (
            checked is not None
            and isinstance(original, Page)
            and isinstance(translation_page, Page)
            and ("new page", original.pk) in checked
            and ("new page", translation_page.pk) in checked
        ):
            return None  # neither has a restriction: nothing to copy or drop
        return sync(self, original, translation_page)

    TranslationSource.sync_view_restrictions = sync_view_restrictions


def _install_comment_shortcut():
    manager_class = getattr(Page, COMMENTS_RELATION_NAME).child_object_manager_cls
    live_queryset = manager_class.get_live_queryset

    def get_live_queryset(self):
        checked = _checked.get()
        if checked is not None and ("new page", self.instance.pk) in checked:
            return live_queryset(self).none()
        return live_queryset(self)

    manager_class.get_live_queryset = get_live_queryset
    post_save.connect(
        _note_new_page_or_comment, weak=False, dispatch_uid="sites_provisioning_new_pages"
    )


def install():
    Page.is_site_root = _is_site_root
    ForeignKey.validate = _validate_foreign_key
    Page.full_clean = _page_full_clean
    Page._check_slug_is_unique = _check_slug_is_unique
    modelcluster_models.model_from_serializable_data = _model_from_serializable_data
    _install_comment_shortcut()
    _install_view_restriction_shortcut()
    ForwardManyToOneDescriptor.get_object = _get_related_object
    LocaleManager.get_for_language = _get_for_language
    Page.get_view_restrictions = _get_view_restrictions
    PagePermissionPolicy.explorable_instances = _explorable_instances
    Page.route = _route
    Page.route_for_request = staticmethod(_route_for_request)
    BaseTaskStateManager.reviewable_by = _reviewable_by
