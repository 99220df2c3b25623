"""Who may touch which directory records.

Django's model permissions say *what* a user may do with groups at all (they are granted to
every office's editor groups at provisioning). *Which* groups is decided here: the groups of
the offices the user works for. An office's staff are the members of the user groups that
hold the site permission "change office" on that office's site (that is how provisioning
fences in the office profile, so it is the one source of truth for "works for"). The state
coordinators (group "Landeskoordination") and superusers curate the whole directory.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import GroupPagePermission, GroupSitePermission, Page, Site
from wagtail.permission_policies import ModelPermissionPolicy

from sites.models import Office
from sites.provisioning import COORDINATORS_GROUP

_CACHE_ATTR = "_directory_permission_cache"


def _cache(user):
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    return cache


def is_coordinator(user):
    """Superusers and members of the coordinators group curate every office's groups."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = _cache(user)
    if "coordinator" not in cache:
        cache["coordinator"] = user.groups.filter(name=COORDINATORS_GROUP).exists()
    return cache["coordinator"]


def member_office_ids(user):
    """Ids of the offices whose staff ``user`` belongs to (site permission "change office")."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = _cache(user)
    if "members" not in cache:
        permission = Permission.objects.get(
            content_type=ContentType.objects.get_for_model(Office), codename="change_office"
        )
        site_ids = GroupSitePermission.objects.filter(
            group__in=user.groups.all(), permission=permission
        ).values("site_id")
        cache["members"] = frozenset(
            Office.objects.filter(site_id__in=site_ids).values_list("pk", flat=True)
        )
    return cache["members"]


def offices_for_user(user):
    """The offices whose groups ``user`` may manage: all for coordinators and superusers,
    otherwise the offices the user works for."""
    if is_coordinator(user):
        return Office.objects.all()
    return Office.objects.filter(pk__in=member_office_ids(user))


def office_ids_for_user(user):
    cache = _cache(user)
    if "manage" not in cache:
        cache["manage"] = frozenset(offices_for_user(user).values_list("pk", flat=True))
    return cache["manage"]


def _publishing_site_ids(user):
    """Sites on whose pages ``user`` may publish (the office's "Freigabe" group has
    publish_page on the site's home pages, the "Redaktion" group does not)."""
    cache = _cache(user)
    if "publish_sites" not in cache:
        roots = GroupPagePermission.objects.filter(
            group__in=user.groups.all(), permission__codename="publish_page"
        ).values_list("page__path", flat=True)
        prefixes = {path[: Page.steplen * 2] for path in roots}
        cache["publish_sites"] = frozenset(
            Site.objects.filter(root_page__path__in=prefixes).values_list("pk", flat=True)
        )
    return cache["publish_sites"]


def can_publish_for(user, office_id):
    """Publishing (releasing a reviewed change) is for whoever may publish the office's
    pages: its "Freigabe" group, the coordinators and superusers. The "Redaktion" group
    saves drafts that someone else reviews."""
    if is_coordinator(user):
        return True
    office = Office.objects.filter(pk=office_id).values("site_id").first()
    return bool(office) and office["site_id"] in _publishing_site_ids(user)


def can_publish_any(user):
    return is_coordinator(user) or bool(_publishing_site_ids(user))


class OfficeOwnedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions plus ownership: an instance is reachable only through its office.

    ``owner_field`` names the office foreign key. With ``coordinators_see_all`` False (contact
    requests), even coordinators only see their own office's records.
    """

    def __init__(self, model, owner_field="office", coordinators_see_all=True):
        super().__init__(model)
        self.owner_field = owner_field
        self.coordinators_see_all = coordinators_see_all

    def allowed_office_ids(self, user):
        if self.coordinators_see_all:
            return office_ids_for_user(user)
        if user.is_active and user.is_superuser:
            return None
        return member_office_ids(user)

    def user_has_permission(self, user, action):
        if action == "publish" and not can_publish_any(user):
            return False
        return super().user_has_permission(user, action)

    def _owns(self, user, instance):
        allowed = self.allowed_office_ids(user)
        if allowed is None:
            return True
        return getattr(instance, f"{self.owner_field}_id") in allowed

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self._owns(user, instance):
            return False
        for action in actions:
            if not self.user_has_permission(user, action):
                continue
            if action == "publish" and not can_publish_for(
                user, getattr(instance, f"{self.owner_field}_id")
            ):
                continue
            return True
        return False

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.filter_queryset(user, self.model._default_manager.all())

    def filter_queryset(self, user, queryset):
        allowed = self.allowed_office_ids(user)
        if allowed is None:
            return queryset
        return queryset.filter(**{f"{self.owner_field}_id__in": allowed})

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        office_id = getattr(instance, f"{self.owner_field}_id")
        office = Office.objects.filter(pk=office_id).select_related("site").first()
        if office is None:
            return users.filter(is_superuser=True)
        permission = Permission.objects.get(
            content_type=ContentType.objects.get_for_model(Office), codename="change_office"
        )
        staff_groups = GroupSitePermission.objects.filter(
            site=office.site, permission=permission
        ).values("group_id")
        condition = Q(is_superuser=True) | Q(groups__in=staff_groups)
        if self.coordinators_see_all:
            condition |= Q(groups__name=COORDINATORS_GROUP)
        return users.filter(condition).distinct()


class TopicPermissionPolicy(ModelPermissionPolicy):
    """Everyone with admin access may look at the topic list (to file groups); only the
    coordinators change it, whatever model permissions a group was given by mistake."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete") and not is_coordinator(user):
            return False
        return super().user_has_permission(user, action)
