"""Keep tenancy intact when editors do things provisioning cannot foresee."""

import functools

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import chrome


@receiver(post_save)
def new_locale_root_gets_office_permissions(sender, instance, created, **kwargs):
    """A translation of an office home page (a new locale root) inherits its permissions."""
    if not created or not isinstance(instance, Page) or instance.depth != 2:
        return
    from .provisioning import sync_locale_root_permissions

    sync_locale_root_permissions(instance)
    Site.clear_site_root_paths_cache()


@receiver(page_published)
def clear_root_paths_when_home_changes(sender, instance, **kwargs):
    if instance.depth == 2:
        Site.clear_site_root_paths_cache()


@receiver(post_save, sender=Site)
def forget_hostnames_on_save(sender, **kwargs):
    from .middleware import forget_hostnames

    forget_hostnames()
    Site.clear_site_root_paths_cache()


@receiver(post_delete, sender=Site)
def forget_hostnames_on_delete(sender, **kwargs):
    from .middleware import forget_hostnames

    forget_hostnames()
    Site.clear_site_root_paths_cache()


@receiver(pre_save, sender="sites.Office")
def remember_the_legal_texts_of_the_old_profile(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        return
    old = sender.objects.filter(pk=instance.pk).select_related("site").first()
    if old is not None:
        from .legal import generated_signatures

        instance._legal_before = generated_signatures(old)


@receiver(post_save, sender="sites.Office")
def legal_pages_follow_the_profile(sender, instance, raw=False, **kwargs):
    """A profile that now holds what a legal page needs publishes that page, and a changed
    profile rewrites the legal pages nobody has edited (see ``sites.legal``)."""
    if raw or not instance.site_id:
        return
    from .legal import publish_legal_pages_when_ready, refresh_untouched_legal_pages

    publish_legal_pages_when_ready(instance)
    before = instance.__dict__.pop("_legal_before", None)
    if before:
        refresh_untouched_legal_pages(instance, before)


# --- Site chrome cache (see sites.chrome) ---------------------------------------------


@functools.cache
def _chrome_models():
    """Models whose rows show up in the header, menu, footer or office profile."""
    from django.apps import apps

    from .models import ClosurePeriod, ConsultationHours, Office, OpeningHours, Room

    models = [Site, Locale, Office, OpeningHours, ConsultationHours, ClosurePeriod, Room]
    for label in ("home.Navigation", "home.MainMenuItem", "home.FooterMenuItem"):
        models.append(apps.get_model(label))
    models.append(get_image_model())
    return tuple(models)


@receiver(post_save)
@receiver(post_delete)
def chrome_changes_with_its_rows(sender, instance, **kwargs):
    """Any saved or deleted page (a title, a slug, "show in menus", a publish, a draft)
    or chrome row starts a new chrome version."""
    if isinstance(instance, (Page, *_chrome_models())):
        chrome.invalidate()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def chrome_changes_with_the_tree(sender, **kwargs):
    """Publishing, unpublishing and moving also change pages in bulk (descendants' URLs)."""
    chrome.invalidate()
