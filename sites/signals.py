"""Keep tenancy intact when editors do things provisioning cannot foresee."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published


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
