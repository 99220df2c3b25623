"""Keep tenancy intact when editors do things provisioning cannot foresee."""

import functools

from django.core.exceptions import ObjectDoesNotExist
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
def _network_models():
    """Models whose rows show on every site or change what a hostname or URL means: a save
    starts a new network version (every site's chrome is built again)."""
    from .models import ClosurePeriod, ConsultationHours, Office, OpeningHours, Room

    # PageViewRestriction: whether any exists is kept under the network version
    # (sites.wagtail_speedups). Office profiles: the state site lists every office, and
    # group pages on every site name theirs.
    return (
        Site,
        Locale,
        PageViewRestriction,
        Office,
        OpeningHours,
        ConsultationHours,
        ClosurePeriod,
        Room,
        get_image_model(),
    )


@functools.cache
def _site_chrome_models():
    """The apps' ``chrome_models`` (the navigation): rows of one site's menus and footer."""
    from django.apps import apps

    models = []
    for config in apps.get_app_configs():
        models.extend(config.get_model(name) for name in getattr(config, "chrome_models", ()))
    return tuple(models)


def _sites_of_page(page):
    """The sites whose chrome or derived data a change of ``page`` may alter: its own and
    the state site (it shows every office's events and pages); None when only a new
    network version is right (a home page or its translation: root paths and the cached
    site lookups hold it; a page outside every site)."""
    from .tenancy import site_id_for_page

    if page.depth is None or page.depth <= 2:
        return None
    site_id = site_id_for_page(page)
    if site_id is None:
        return None
    return {site_id, *chrome.state_site_ids()}


def _sites_linking_to(page):
    """Sites whose navigation links ``page`` (an office may put another site's page into
    its menu: that menu shows its title too)."""
    from django.db.models import ForeignKey

    site_ids = set()
    for model in _site_chrome_models():
        for field in model._meta.fields:
            related = field.related_model
            if isinstance(field, ForeignKey) and (
                issubclass(related, Page) or issubclass(Page, related)
            ):
                for row in model.objects.filter(**{field.name: page.pk}):
                    site_ids |= _sites_of_row(row)
    return site_ids


def _sites_of_row(instance):
    """The site of a navigation row: its own ``site`` or that of the setting it belongs to
    (empty: unknown, only a new network version is right)."""
    site_id = getattr(instance, "site_id", None)
    if site_id is None:
        for field in instance._meta.fields:
            if field.many_to_one and hasattr(field.related_model, "site_id"):
                try:
                    parent = getattr(instance, field.name, None)
                except ObjectDoesNotExist:  # deleted with its setting
                    parent = None
                site_id = getattr(parent, "site_id", None)
                if site_id is not None:
                    break
    return {site_id} if site_id is not None else set()


def _page_changed(page, published=False):
    sites = _sites_of_page(page)
    if sites is None:
        chrome.invalidate()
        return
    if published:
        sites |= _sites_linking_to(page)
    chrome.invalidate_sites(sites)


@receiver(post_save)
@receiver(post_delete)
def chrome_changes_with_its_rows(sender, instance, raw=False, **kwargs):
    """A saved or deleted page (a title, a slug, "show in menus", a publish, a draft) starts
    new versions of its site and the state site; a navigation row of its site only; a
    site, locale, office profile or image a new network version."""
    if isinstance(instance, Page):
        _page_changed(instance)
    elif isinstance(instance, _site_chrome_models()):
        sites = _sites_of_row(instance)
        if sites:
            chrome.invalidate_sites(sites)
        else:
            chrome.invalidate()
    elif isinstance(instance, _network_models()):
        chrome.invalidate()


@receiver(page_published)
@receiver(page_unpublished)
def chrome_changes_with_a_publish(sender, instance, **kwargs):
    """Publishing or unpublishing changes a page's descendants' visibility too (same
    site), and the menus of any site that links the page."""
    _page_changed(instance, published=True)


@receiver(post_page_move)
def chrome_changes_with_the_tree(sender, **kwargs):
    """A move may take pages from one site to another: a new network version."""
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
