"""The one fence for records an office owns.

Wagtail's model permissions say *what* a user may do with a model at all; they are granted
to every office's groups alike. *Which* records is the fence's question, and it has one
answer for every office-owned model (self-help groups, contact requests, mailing lists,
subscribers, registrations, whatever comes next):

* an app declares its office-owned models on its ``AppConfig``::

      office_owned_models = {
          "SelfHelpGroup": {},                                   # owner field "office"
          "ContactRequest": {"coordinators_see_all": False},     # personal data
          "Subscriber": {"path": "subscriptions__mailing_list__office"},
      }

  and ``register_declared_models`` (run by ``SitesConfig.ready``) records the ownership in
  ``sites.tenancy`` and registers ``OfficePermissionPolicy`` with Wagtail, unless the app
  registers a subclass of it itself;
* the admin views of such a model use ``OfficeOwnedViewSetMixin`` (lists, every view that
  takes a primary key, choosers and their ``chosen`` endpoints);
* a contract test fails when a model with a relation to ``sites.Office`` is not declared.

Another office's objects answer 404 whatever the view, so a view that Wagtail adds later is fenced
too. ``sites`` knows none of the apps: they plug in through their configs.
"""

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

from . import tenancy


class OfficePermissionPolicy(ModelPermissionPolicy):
    """Model permissions plus ownership: a record is reachable only through its office.

    Publishing (releasing a reviewed draft) additionally needs the right to publish the
    owning office's pages, which the office's "Freigabe" group has and "Redaktion" has not.
    """

    def user_has_permission(self, user, action):
        if action == "publish" and not tenancy.can_publish_anywhere(user):
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not tenancy.user_may_see(user, instance):
            return False
        for action in actions:
            if not self.user_has_permission(user, action):
                continue
            if action == "publish" and not any(
                tenancy.can_publish_for(user, office_id)
                for office_id in tenancy.owner_office_ids(instance) or ()
            ):
                continue
            return True
        return False

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.filter_queryset(user, self.model._default_manager.all())

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def filter_queryset(self, user, queryset):
        return tenancy.visible_queryset(user, queryset)

    def users_with_any_permission_for_instance(self, actions, instance):
        """Who gets notified about ``instance`` (workflow mails): its office's staff, the
        coordinators where they see every office's records, and superusers."""
        from wagtail.models import GroupSitePermission

        from .models import Office

        users = self.users_with_any_permission(actions)
        office_ids = tenancy.owner_office_ids(instance) or frozenset()
        site_ids = Office.objects.filter(pk__in=office_ids).values("site_id")
        staff_groups = GroupSitePermission.objects.filter(
            site_id__in=site_ids,
            permission__codename="change_office",
            permission__content_type__app_label="sites",
        ).values("group_id")
        condition = Q(is_superuser=True) | Q(groups__in=staff_groups)
        owned = tenancy.ownership(type(instance))
        if owned is not None and owned.coordinators_see_all:
            condition |= Q(groups__name=tenancy.COORDINATORS_GROUP)
        return users.filter(condition).distinct()

    def users_with_permission_for_instance(self, action, instance):
        return self.users_with_any_permission_for_instance([action], instance)


def register_declared_models():
    """Record every model the apps declare as office-owned and give it the fence's policy
    (an app that needs more registers a subclass of ``OfficePermissionPolicy`` itself)."""
    for config in apps.get_app_configs():
        for model_name, options in getattr(config, "office_owned_models", {}).items():
            model = config.get_model(model_name)
            tenancy.register_owned(model, **options)
            existing = policy_registry.get_by_type(model, fallback=False)
            if not isinstance(existing, OfficePermissionPolicy):
                register_permission_policy(model, OfficePermissionPolicy(model))


def guard(model, request, pk):
    """404 unless the object ``pk`` of ``model`` is one ``request.user`` may see: another
    office's record answers exactly as a record that does not exist, so the answer tells
    nothing about it (not even that it exists)."""
    try:
        instance = model._default_manager.filter(pk=unquote(str(pk))).first()
    except (ValueError, TypeError, ValidationError) as error:
        raise Http404 from error
    if instance is not None and not tenancy.user_may_see(request.user, instance):
        raise Http404


class OfficeOwnedViewSetMixin:
    """For the viewset of an office-owned model (``SnippetViewSet`` or ``ModelViewSet``):
    the listing shows only what the user may see, every view that names an object by its
    primary key checks it first, and the chooser offers and returns only visible records."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if queryset is None:
            queryset = self.model._default_manager.all()
        return tenancy.visible_queryset(request.user, queryset)

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)
        model = self.model

        def guarded(request, *args, **view_kwargs):
            pk = view_kwargs.get("pk")
            if pk is not None:
                guard(model, request, pk)
            return view(request, *args, **view_kwargs)

        guarded.view_class = getattr(view, "view_class", None)
        guarded.__name__ = getattr(view, "__name__", "guarded")
        guarded.__doc__ = getattr(view, "__doc__", None)
        return guarded


class VisibleObjectsMixin:
    """Chooser views list, find and return only the records the user may see."""

    def get_object_list(self):
        return tenancy.visible_queryset(self.request.user, super().get_object_list())

    def get_object(self, pk):
        return tenancy.visible_queryset(self.request.user, self.model_class._default_manager).get(
            pk=pk
        )

    def get_objects(self, pks):
        return tenancy.visible_queryset(self.request.user, super().get_objects(pks))


def _visible(view_class):
    return type(f"Visible{view_class.__name__}", (VisibleObjectsMixin, view_class), {})


class OfficeChooserViewSet(SnippetChooserViewSet):
    choose_view_class = _visible(ChooseView)
    choose_results_view_class = _visible(ChooseResultsView)
    chosen_view_class = _visible(SnippetChosenView)
    chosen_multiple_view_class = _visible(SnippetChosenMultipleView)


def staff_of_office(office):
    """Active users who work for ``office`` (for notices and mails to an office's team)."""
    from wagtail.models import GroupSitePermission

    groups = GroupSitePermission.objects.filter(
        site_id=office.site_id,
        permission__codename="change_office",
        permission__content_type__app_label="sites",
    ).values("group_id")
    return get_user_model().objects.filter(is_active=True, groups__in=groups).distinct()
