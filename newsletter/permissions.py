"""Who may test, schedule and send an issue, and who manages which lists.

Sending is publishing to people's mailboxes, so it follows the page permissions: the
user needs the ``send_newsletter`` permission *and* the right to publish the issue page.
Page permissions are granted per site at provisioning, so an office's staff can only
publish (and therefore send) issues on their own site, and only coordinators can publish
on the coordination site, which holds the state-wide list. The issue's list must belong
to the office of the issue's site (checked again here, not only in the form).
"""

from wagtail.permission_policies import ModelPermissionPolicy

from .models import office_of_page


def _list_belongs_to_site(issue):
    office = office_of_page(issue)
    return office is not None and issue.mailing_list.office_id == office.pk


def can_test(user, issue):
    return (
        user.is_active
        and user.has_perm("newsletter.send_newsletter")
        and issue.permissions_for_user(user).can_edit()
        and _list_belongs_to_site(issue)
    )


def can_send(user, issue):
    return (
        user.is_active
        and user.has_perm("newsletter.send_newsletter")
        and issue.permissions_for_user(user).can_publish()
        and _list_belongs_to_site(issue)
    )


# --- Who may manage which lists and see which subscribers --------------------------------

_CACHE_ATTR = "_newsletter_office_ids"


def managed_office_ids(user):
    """Ids of the offices whose lists ``user`` manages, or ``None`` for all of them.

    Coordinators and superusers manage every list (the state-wide ones and, on request,
    an office's). Everybody else manages the lists of the offices they work for: the sites
    on which their groups may edit the office profile (``GroupSitePermission
    change_office``), the same "works for" as everywhere else. An office's staff therefore
    never reach the state-wide lists, which belong to the coordination office.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, False)
    if cached is not False:
        return cached
    from django.contrib.auth.models import Group
    from wagtail.models import GroupSitePermission

    from sites.models import Office
    from sites.provisioning import COORDINATORS_GROUP

    if user.is_superuser or user.groups.filter(name=COORDINATORS_GROUP).exists():
        result = None
    else:
        sites = GroupSitePermission.objects.filter(
            group__in=Group.objects.filter(user=user),
            permission__codename="change_office",
            permission__content_type__app_label="sites",
        ).values("site_id")
        result = frozenset(Office.objects.filter(site_id__in=sites).values_list("pk", flat=True))
    setattr(user, _CACHE_ATTR, result)
    return result


def sees_all_subscribers(user):
    """Data-rights requests (export, erasure) span every list: coordinators only."""
    return managed_office_ids(user) is None


def lists_for_user(user, queryset=None):
    from .models import MailingList

    queryset = MailingList.objects.all() if queryset is None else queryset
    allowed = managed_office_ids(user)
    return queryset if allowed is None else queryset.filter(office_id__in=allowed)


def subscribers_for_user(user, queryset=None):
    """Subscribers with a subscription (any status) to a list ``user`` manages."""
    from .models import Subscriber, Subscription

    queryset = Subscriber.objects.all() if queryset is None else queryset
    allowed = managed_office_ids(user)
    if allowed is None:
        return queryset
    own = Subscription.objects.filter(mailing_list__office_id__in=allowed).values("subscriber_id")
    return queryset.filter(pk__in=own)


class MailingListPermissionPolicy(ModelPermissionPolicy):
    """Model permissions plus ownership: a list is reachable only through its office."""

    def _owns(self, user, instance):
        allowed = managed_office_ids(user)
        return allowed is None or instance.office_id in allowed

    def user_has_permission_for_instance(self, user, action, instance):
        return self._owns(user, instance) and self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self._owns(user, instance) and self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return lists_for_user(user, self.model._default_manager.all())
