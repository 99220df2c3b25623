"""Stand-ins for the tenancy API of ``sites.tenancy`` until the lead's version lands.

``sites.side_doors`` asks ``sites.tenancy`` first and falls back to these functions only for
names that module does not define yet. Delete this module once ``sites.tenancy`` has them.
Nothing here creates rows.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, GroupSitePermission, Page, Site

from .provisioning import COORDINATORS_GROUP

_CACHE = "_side_doors_interim"

#: Models that every office owns but the coordination curates across offices (the shared
#: directory and the newsletter lists). Contact requests, registrations, form submissions
#: and pages are not among them: coordinators never read those of an office.
COORDINATOR_CURATED = {
    ("directory", "selfhelpgroup"),
    ("newsletter", "mailinglist"),
    ("newsletter", "subscriber"),
}


def _cache(user):
    cache = getattr(user, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE, cache)
    return cache


def is_coordinator(user):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = _cache(user)
    if "coordinator" not in cache:
        cache["coordinator"] = user.groups.filter(name=COORDINATORS_GROUP).exists()
    return cache["coordinator"]


def staff_office_ids(user):
    from .models import Office

    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = _cache(user)
    if "staff" not in cache:
        permission = Permission.objects.get(
            content_type=ContentType.objects.get_for_model(Office), codename="change_office"
        )
        site_ids = GroupSitePermission.objects.filter(
            group__in=user.groups.all(), permission=permission
        ).values("site_id")
        cache["staff"] = frozenset(
            Office.objects.filter(site_id__in=site_ids).values_list("pk", flat=True)
        )
    return cache["staff"]


def office_for_site(site):
    from .models import Office

    if site is None:
        return None
    return Office.objects.filter(site=site).first()


def office_for_page(page):
    root_path = page.path[: Page.steplen * 2]
    if len(page.path) < Page.steplen * 2:
        return None
    home = Page.objects.filter(path=root_path).only("translation_key").first()
    if home is None:
        return None
    site = Site.objects.filter(root_page__translation_key=home.translation_key).first()
    return office_for_site(site)


def office_for_collection(collection):
    from .models import Office

    if collection is None:
        return None
    for ancestor in collection.get_ancestors(inclusive=True).filter(depth__gte=2):
        office = Office.objects.filter(name=ancestor.name).first()
        if office is not None:
            return office
    return None


def owner_office_ids(obj):
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage

    from .models import Office

    def ids(office):
        return None if office is None else frozenset([office.pk])

    if isinstance(obj, Office):
        return frozenset([obj.pk])
    if isinstance(obj, Page):
        return ids(office_for_page(obj))
    if isinstance(obj, (AbstractImage, AbstractDocument)):
        return ids(office_for_collection(obj.collection))
    if isinstance(obj, Collection):
        return ids(office_for_collection(obj))
    if isinstance(obj, Site):
        return ids(office_for_site(obj))
    if isinstance(obj, BaseSiteSetting):
        return ids(office_for_site(obj.site))
    if obj._meta.label_lower == "newsletter.subscriber":
        return frozenset(
            obj.subscriptions.values_list("mailing_list__office_id", flat=True).distinct()
        )
    if hasattr(obj, "office_id"):
        return frozenset([obj.office_id])
    if getattr(obj, "site_id", None):
        return ids(office_for_site(obj.site))
    return None


def user_may_see(user, obj):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    owners = owner_office_ids(obj)
    if owners is None:
        return True
    if owners & staff_office_ids(user):
        return True
    return is_coordinator(user) and (obj._meta.app_label, obj._meta.model_name) in (
        COORDINATOR_CURATED
    )


def visible_queryset(user, queryset):
    if user.is_superuser:
        return queryset
    visible = [obj.pk for obj in queryset if user_may_see(user, obj)]
    return queryset.filter(pk__in=visible)
