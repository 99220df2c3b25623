"""The one place that answers tenancy questions.

Every other module asks here, and nowhere else:

* **who works where**: the offices a user works for (``staff_office_ids``), whether a user is
  a coordinator (``is_coordinator``), on which offices' pages a user may publish
  (``can_publish_for``);
* **who owns what**: the office of a page (``office_for_page``), of a collection and so of an
  image or document (``office_for_collection``), of any record an app declares as
  office-owned (``owner_office_ids``), of the current request (``office_for_request``);
* **who may see what**: ``user_may_see`` for one object and ``visible_queryset`` for many.

"Works for" has one definition: the user belongs to a group that holds the site permission
"change office" on the office's site. Provisioning grants it to the office's Redaktion and
Freigabe groups and to the coordinators on the state site, so the same rule fences the
office profile, the pages, the directory, the newsletter lists and the registrations.

Apps declare their office-owned models on their ``AppConfig`` (``office_owned_models``, see
``sites.fence``); this module knows nothing of the apps. Lookups here never create rows.

A site has one root page per locale (the German home page and its translations), so every
question about "the pages of a site" looks below each of them, never only below
``site.root_page``.
"""

from dataclasses import dataclass

from django.db.models import Q, prefetch_related_objects
from wagtail.models import Collection, Page, Site

from .cache_version import CacheVersion, versioned

#: Name of the group whose members curate what every office shares (directory, newsletter).
COORDINATORS_GROUP = "Landeskoordination"

_USER_MEMO = "_tenancy_memo"

#: Replaced whenever a site, a site's home page (or one of its translations), an office or
#: a collection changes; the maps of "which site/office owns this root" live under it.
OWNERS_VERSION = CacheVersion("sites:owners:version")
_OWNERS_TIMEOUT = 60 * 60 * 24


# --- Who works where ----------------------------------------------------------------------


def _memo(user, key, compute):
    """Answers about one user are asked many times per request; keep them on the user."""
    memo = getattr(user, _USER_MEMO, None)
    if memo is None:
        memo = {}
        setattr(user, _USER_MEMO, memo)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(user):
    """Drop what was memoised about ``user`` (after a change of their groups)."""
    if hasattr(user, _USER_MEMO):
        delattr(user, _USER_MEMO)


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def is_superuser(user):
    return _active(user) and user.is_superuser


def is_coordinator(user):
    """Superusers and members of the coordinators group curate what the offices share."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return _memo(user, "coordinator", lambda: user.groups.filter(name=COORDINATORS_GROUP).exists())


def staff_office_ids(user):
    """Pks of the offices ``user`` works for (see the module docstring)."""
    if not _active(user):
        return frozenset()

    def compute():
        from wagtail.models import GroupSitePermission

        from .models import Office

        site_ids = GroupSitePermission.objects.filter(
            group__user=user,
            permission__codename="change_office",
            permission__content_type__app_label="sites",
        ).values("site_id")
        return frozenset(Office.objects.filter(site_id__in=site_ids).values_list("pk", flat=True))

    return _memo(user, "staff", compute)


def staff_offices(user):
    """The ``Office`` rows of ``staff_office_ids`` (a queryset)."""
    from .models import Office

    return Office.objects.filter(pk__in=staff_office_ids(user))


def publishing_office_ids(user):
    """Pks of the offices on whose pages ``user`` may publish (the office's "Freigabe"
    group holds ``publish_page`` on the site's locale roots; "Redaktion" does not)."""
    if not _active(user):
        return frozenset()

    def compute():
        from wagtail.models import GroupPagePermission

        paths = GroupPagePermission.objects.filter(
            group__user=user, permission__codename="publish_page"
        ).values_list("page__path", flat=True)
        roots = _root_owners()
        return frozenset(
            roots[path[: Page.steplen * 2]][1]
            for path in paths
            if path[: Page.steplen * 2] in roots and roots[path[: Page.steplen * 2]][1]
        )

    return _memo(user, "publishing", compute)


def can_publish_for(user, office_id):
    """Releasing a reviewed change is for whoever may publish the office's pages: its
    "Freigabe" group, the coordinators and superusers."""
    return is_coordinator(user) or office_id in publishing_office_ids(user)


def can_publish_anywhere(user):
    return is_coordinator(user) or bool(publishing_office_ids(user))


# --- Who owns what ------------------------------------------------------------------------


def locale_roots(site):
    """The home page of ``site`` in every locale it has been translated into."""
    return list(site.root_page.get_translations(inclusive=True))


def site_languages(site_or_office):
    """The content language codes ``site_or_office`` offers, in settings order, German
    first (the office profile's choice; see ``Office.languages``).

    A ``Site`` is looked up through the chrome cache, so asking costs no query on a warm
    cache. A site without an office profile (a bare Wagtail site) is not restricted.
    """
    from . import languages
    from .models import Office

    if isinstance(site_or_office, Office):
        office = site_or_office
    elif isinstance(site_or_office, Site):
        from .chrome import office_for_site

        office = office_for_site(site_or_office)
    else:
        raise TypeError(f"site_languages() needs a Site or an Office, not {site_or_office!r}")
    if office is None:
        return languages.codes()
    return languages.normalise(office.languages)


def offered_locale_roots(site):
    """The locale roots of ``site`` in the languages it offers (a removed language keeps
    its pages, hidden)."""
    offered = set(site_languages(site))
    return [
        root
        for root in site.root_page.get_translations(inclusive=True).select_related("locale")
        if root.locale.language_code in offered
    ]


def pages_of_site(site, inclusive=True):
    """A queryset of every page of ``site`` across all its locales."""
    condition = Q()
    for root in locale_roots(site):
        condition |= Q(path__startswith=root.path, depth__gte=root.depth + (0 if inclusive else 1))
    return Page.objects.filter(condition)


def _compute_root_owners():
    """``{path of a depth-2 page: (site_id, office_id)}`` for every locale root of a site,
    and ``{collection path: office_id}`` for the offices' collections."""
    from .models import Office

    site_of_key = dict(Site.objects.values_list("root_page__translation_key", "pk"))
    office_of_site = dict(Office.objects.values_list("site_id", "pk"))
    roots = {}
    for path, key in Page.objects.filter(depth=2, translation_key__in=site_of_key).values_list(
        "path", "translation_key"
    ):
        site_id = site_of_key[key]
        roots[path] = (site_id, office_of_site.get(site_id))
    collections = dict(
        Office.objects.filter(collection__isnull=False).values_list("collection__path", "pk")
    )
    return {"roots": roots, "collections": collections}


def _owners():
    key = f"sites:owners:{OWNERS_VERSION.current()}"
    return versioned(key, _compute_root_owners, _OWNERS_TIMEOUT)


def _root_owners():
    return _owners()["roots"]


def owners_changed():
    """Called when a site, a locale root, an office or a collection changes."""
    OWNERS_VERSION.replace()


def site_id_for_page(page):
    """The pk of the site whose locale roots contain ``page`` (None outside every site)."""
    found = _root_owners().get(page.path[: Page.steplen * 2])
    return found[0] if found else None


def site_for_page(page):
    site_id = site_id_for_page(page)
    return Site.objects.filter(pk=site_id).first() if site_id else None


def office_id_for_page(page):
    """The pk of the office whose site contains ``page`` (in any locale), or None."""
    found = _root_owners().get(page.path[: Page.steplen * 2])
    return found[1] if found else None


def office_for_page(page):
    """The ``Office`` whose site contains ``page`` (in any locale), or None."""
    from .models import Office

    office_id = office_id_for_page(page)
    return Office.objects.select_related("site").filter(pk=office_id).first() if office_id else None


def office_id_for_collection(collection):
    """The pk of the office that owns ``collection`` (or a collection inside it); None for
    the shared collection and the root."""
    path = collection.path
    for owned_path, office_id in _owners()["collections"].items():
        if path.startswith(owned_path):
            return office_id
    return None


def office_for_collection(collection):
    from .models import Office

    office_id = office_id_for_collection(collection)
    return Office.objects.filter(pk=office_id).first() if office_id else None


# --- Office-owned records -----------------------------------------------------------------


@dataclass(frozen=True)
class Ownership:
    """How an app's model belongs to an office.

    ``path`` is the lookup from the model to its ``sites.Office`` foreign key ("office",
    "mailing_list__office", ...). With ``coordinators_see_all`` False (contact requests,
    registrations, form submissions) even coordinators see only the records of the offices
    they work for; with True (groups, lists) they curate every office's records.
    """

    model: type
    path: str = "office"
    coordinators_see_all: bool = True

    @property
    def many(self):
        """Whether ``path`` crosses a to-many relation (a subscriber of several lists)."""
        model = self.model
        for name in self.path.split("__"):
            field = model._meta.get_field(name)
            if field.one_to_many or field.many_to_many:
                return True
            model = field.related_model
        return False


_registry = {}


def register_owned(model, path="office", *, coordinators_see_all=True):
    """Declare ``model`` office-owned (``sites.fence`` does this from the apps' configs)."""
    _registry[model] = Ownership(model, path, coordinators_see_all)


def ownership(model):
    """The ``Ownership`` of ``model`` (or of its concrete parent), or None."""
    for klass in model.__mro__:
        if klass in _registry:
            return _registry[klass]
    return None


def owned_models():
    return dict(_registry)


def visible_office_ids(user, model):
    """The offices whose ``model`` records ``user`` may see: None for all of them."""
    if is_superuser(user):
        return None
    owned = ownership(model)
    if owned is not None and owned.coordinators_see_all and is_coordinator(user):
        return None
    return staff_office_ids(user)


def visible_offices(user, model):
    """The ``Office`` rows whose ``model`` records ``user`` may see (a queryset), e.g. the
    choices of an "office" field or filter."""
    from .models import Office

    allowed = visible_office_ids(user, model)
    return Office.objects.all() if allowed is None else Office.objects.filter(pk__in=allowed)


def visible_queryset(user, queryset):
    """``queryset`` narrowed to what ``user`` may see of an office-owned model.

    Models that no office owns (topics, consent texts) come back unchanged: they are either
    shared or guarded by model permissions alone.
    """
    owned = ownership(queryset.model)
    if owned is None:
        return queryset
    allowed = visible_office_ids(user, queryset.model)
    if allowed is None:
        return queryset
    condition = {f"{owned.path}__in": allowed}
    if owned.many:
        # Through a to-many relation a join would repeat rows (and skew counts): ask by key.
        keys = queryset.model._default_manager.filter(**condition).values("pk")
        return queryset.filter(pk__in=keys)
    return queryset.filter(**condition)


def owner_office_ids(obj):
    """The offices that own ``obj``: a frozenset, or None for what no office owns (shared
    collections, topics, the tree root)."""
    if isinstance(obj, Page):
        office_id = office_id_for_page(obj)
        return frozenset([office_id]) if office_id else None
    if isinstance(obj, Collection):
        office_id = office_id_for_collection(obj)
        return frozenset([office_id]) if office_id else None
    collection_id = getattr(obj, "collection_id", None)
    if collection_id is not None and ownership(type(obj)) is None:
        collection = Collection.objects.filter(pk=collection_id).first()
        return owner_office_ids(collection) if collection else None
    owned = ownership(type(obj))
    if owned is None:
        return None
    if not owned.many and "__" not in owned.path:
        office_id = getattr(obj, f"{owned.path}_id", None)
        return frozenset([office_id]) if office_id else frozenset()
    ids = type(obj)._default_manager.filter(pk=obj.pk).values_list(owned.path, flat=True)
    return frozenset(i for i in ids if i is not None)


def user_may_see(user, obj):
    """Whether ``user`` may see ``obj`` in the admin at all (not whether they may change it).

    Pages: those of the offices the user works for. Images and documents: Wagtail's
    collection permissions (an office's own collection, the shared one to choose from).
    Office-owned records: their office must be one the user may see (``visible_office_ids``).
    What no office owns is left to model permissions.
    """
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if isinstance(obj, Page):
        office_id = office_id_for_page(obj)
        return office_id is not None and office_id in staff_office_ids(user)
    if ownership(type(obj)) is None and hasattr(obj, "collection_id"):
        from wagtail.permissions import policy_registry

        return policy_registry.get_by_type(type(obj)).user_has_any_permission_for_instance(
            user, ["change", "delete", "choose"], obj
        )
    owned = ownership(type(obj))
    if owned is None:
        return True
    allowed = visible_office_ids(user, type(obj))
    if allowed is None:
        return True
    return bool(owner_office_ids(obj) & allowed)


# --- The office of a request --------------------------------------------------------------


def office_for_request(request):
    """The ``Office`` of the requested site with its hours (pages show and evaluate them
    several times: "open now", hours box, contact box).

    It comes from the chrome cache (see ``sites.chrome``) and is memoised on the request
    where Wagtail's ``Office.for_request`` looks, so both give the same instance.
    """
    from .chrome import office_for_site
    from .models import Office

    if request is None:
        return None
    attr = Office.get_cache_attr_name()
    office = getattr(request, attr, None)
    if office is None:
        site = Site.find_for_request(request)
        if site is None:
            return None
        office = office_for_site(site)
        if office is None:
            return None
        office._request = request
        setattr(request, attr, office)
    elif not getattr(office, "_hours_prefetched", False):
        prefetch_related_objects([office], "opening_hours", "consultation_hours", "closures")
        office._hours_prefetched = True
    return office
