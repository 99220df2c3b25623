"""Keep tenancy intact when editors do things provisioning cannot foresee."""

import functools

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
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


@receiver(post_save)
def site_languages_get_their_locale_roots(sender, instance, raw=False, update_fields=None, **kw):
    """Saving an office profile that offers a language the site has no home page in yet
    creates it (with the main pages) at once, with the office's permissions on it."""
    from .models import Office

    if raw or not isinstance(instance, Office):
        return
    if update_fields is not None and "languages" not in update_fields:
        return
    from .provisioning import ensure_locale_roots

    ensure_locale_roots(instance)


@receiver(page_published)
def clear_root_paths_when_home_changes(sender, instance, **kwargs):
    if instance.depth == 2:
        Site.clear_site_root_paths_cache()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def root_paths_change_with_sites(sender, **kwargs):
    # The known hostnames and each hostname's site are kept under the chrome version,
    # which the save or delete replaces (below).
    Site.clear_site_root_paths_cache()


# --- Site chrome cache (see sites.chrome) ---------------------------------------------


@functools.cache
def _chrome_models():
    """Models whose rows show up in the header, menu, footer or office profile."""
    from django.apps import apps

    from .models import ClosurePeriod, ConsultationHours, Office, OpeningHours, Room

    # PageViewRestriction: whether any exists is kept under the chrome version
    # (sites.wagtail_speedups).
    models = [
        Site,
        Locale,
        PageViewRestriction,
        Office,
        OpeningHours,
        ConsultationHours,
        ClosurePeriod,
        Room,
    ]
    for config in apps.get_app_configs():
        models.extend(config.get_model(name) for name in getattr(config, "chrome_models", ()))
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


# --- Tenancy owner maps (see sites.tenancy) -------------------------------------------


@receiver(post_save)
@receiver(post_delete)
def owners_change_with_sites_roots_and_collections(sender, instance, **kwargs):
    """Which site and office own a locale root or a collection is cached; a saved or
    deleted site, office, collection or home page (a new translation) replaces it."""
    from wagtail.models import Collection

    from .models import Office
    from .tenancy import owners_changed

    if isinstance(instance, (Site, Office, Collection)) or (
        isinstance(instance, Page) and instance.depth <= 2
    ):
        owners_changed()


@receiver(post_page_move)
def owners_change_when_a_page_moves(sender, **kwargs):
    from .tenancy import owners_changed

    owners_changed()
