"""Creating an office: site, pages, collection, user groups and permissions in one step.

Used by ``manage.py create_office`` and by the demo loader, and tested directly. Everything
happens in one transaction: an office is either complete or not there at all.
"""

import contextvars
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Locale,
    Page,
    Site,
)

from . import languages
from .models import Office, OfficeKind
from .tenancy import COORDINATORS_GROUP, locale_roots, site_languages

#: Collection for images and documents every office may use (logos of funders, flyers).
SHARED_COLLECTION = "Landesweit"

PAGE_EDIT_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]
PAGE_PUBLISH_PERMISSIONS = [*PAGE_EDIT_PERMISSIONS, "publish_page", "bulk_delete_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "delete_document", "choose_document"],
}
CHOOSE_PERMISSIONS = {
    "wagtailimages": ["choose_image"],
    "wagtaildocs": ["choose_document"],
}

# RFC 1123 host names: labels of letters, digits and inner hyphens, at least two labels
# (``kiss-pankow.localhost``); a bare "localhost" belongs to nobody.
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
HOSTNAME_RE = re.compile(rf"^{_LABEL}(\.{_LABEL})+$")


@dataclass
class OfficeSpec:
    """What is needed to provision an office; profile data is optional."""

    hostname: str
    name: str
    state: bool = False
    port: int = 80
    short_name: str = ""
    profile: dict = field(default_factory=dict)
    #: Content languages the site offers (German is always added); None: the default.
    languages: list | None = None


def validate_spec(spec):
    """Raise ``ValidationError`` with every problem of ``spec`` (nothing is created)."""
    errors = {}
    hostname = (spec.hostname or "").strip().lower()
    if not hostname:
        errors["hostname"] = _("Bitte einen Hostnamen angeben.")
    elif len(hostname) > 253 or not HOSTNAME_RE.match(hostname):
        errors["hostname"] = _(
            "„%(hostname)s“ ist kein gültiger Hostname (z. B. kiss-pankow.example.de)."
        ) % {"hostname": spec.hostname}
    elif Site.objects.filter(hostname__iexact=hostname).exists():
        # One hostname belongs to one office whatever the port: a second site under the
        # same name on another port would show up as that office in links and mails.
        errors["hostname"] = _("Der Hostname „%(hostname)s“ ist schon vergeben.") % {
            "hostname": hostname
        }
    if not (spec.name or "").strip():
        errors["name"] = _("Bitte einen Namen für die Kontaktstelle angeben.")
    if not 1 <= spec.port <= 65535:
        errors["port"] = _("Der Port muss zwischen 1 und 65535 liegen.")
    if spec.state and Office.objects.filter(kind=OfficeKind.STATE).exists():
        errors["state"] = _("Es gibt bereits eine Landeskoordination.")
    if spec.languages is not None:
        unknown = [code for code in spec.languages if code not in languages.codes()]
        if unknown:
            errors["languages"] = _("Unbekannte Sprache: %(codes)s (möglich sind: %(known)s).") % {
                "codes": ", ".join(unknown),
                "known": ", ".join(languages.codes()),
            }
    if errors:
        raise ValidationError(errors)
    spec.hostname = hostname
    spec.name = spec.name.strip()


#: Inside ``provision_office``: permissions already looked up, by (app label, codenames).
_permission_memo = contextvars.ContextVar("sites_provisioning_permissions", default=None)


def _permissions(app_label, codenames):
    memo = _permission_memo.get()
    key = (app_label, tuple(codenames))
    if memo is not None and key in memo:
        return list(memo[key])
    found = list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
    if memo is not None:
        memo[key] = found
    missing = set(codenames) - {p.codename for p in found}
    if missing:
        raise LookupError(f"Missing permissions {app_label}: {sorted(missing)}")
    return found


def _model_permissions(declared):
    """Permissions named as ``app_label.codename`` strings (one query per app label)."""
    by_app = {}
    for name in declared:
        app_label, codename = name.split(".", 1)
        by_app.setdefault(app_label, []).append(codename)
    found = {}
    for app_label, codenames in by_app.items():
        for perm in _permissions(app_label, codenames):
            found[app_label, perm.codename] = perm
    result = []
    for name in declared:
        app_label, codename = name.split(".", 1)
        result.append(found[app_label, codename])
    return result


def declared_permissions(attribute):
    """Model permissions that the apps declare on their AppConfig.

    ``office_permissions`` go to every office's editor groups, ``coordinator_permissions``
    to the coordinators. An app adds its own models here instead of editing provisioning;
    which *objects* an office may touch is decided by the app's permission policy.
    """
    names = []
    for config in apps.get_app_configs():
        names.extend(getattr(config, attribute, ()))
    return _model_permissions(names)


def ensure_locales():
    """The content locales from settings, German first (one query when they exist)."""
    from django.conf import settings

    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    found = {
        locale.language_code: locale for locale in Locale.objects.filter(language_code__in=codes)
    }
    return [
        found.get(code) or Locale.objects.get_or_create(language_code=code)[0] for code in codes
    ]


def _shared_collection():
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=SHARED_COLLECTION).first()
    return existing or root.add_child(name=SHARED_COLLECTION)


def grant_page_permissions(group, pages, codenames):
    perms = _permissions("wagtailcore", codenames)
    pages = list(pages)
    have = set(
        GroupPagePermission.objects.filter(group=group, page__in=pages).values_list(
            "page_id", "permission_id"
        )
    )
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page=page, permission=perm)
        for page in pages
        for perm in perms
        if (page.pk, perm.pk) not in have
    )


def grant_collection_permissions(group, collection, mapping):
    perms = [
        perm
        for app_label, codenames in mapping.items()
        for perm in _permissions(app_label, codenames)
    ]
    have = set(
        GroupCollectionPermission.objects.filter(group=group, collection=collection).values_list(
            "permission_id", flat=True
        )
    )
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection=collection, permission=perm)
        for perm in perms
        if perm.pk not in have
    )


def translate(instance, locales):
    """wagtail-localize's ``translate_object`` (the translations it makes are its own,
    synced with the source, in the translation status report and "sync"), but the
    translations are published at once instead of when the outer transaction commits.

    wagtail-localize defers each publish to a commit hook that saves the page *as it was*
    when the hook was registered; inside provisioning that ran after the provisioning's
    own batching had ended (one chrome version, one index task, one ban) and saved the
    translated home pages with ``numchild=0``. Outside a transaction it changes nothing.
    """
    from django.db import connection
    from wagtail.models import Revision
    from wagtail_localize.operations import translate_object

    from .translation_sources import create_source

    create_source(instance)
    before = len(connection.run_on_commit)
    translate_object(instance, locales)
    added = connection.run_on_commit[before:]
    publishes = [hook for hook in added if getattr(hook[1], "__func__", None) is Revision.publish]
    if publishes:
        connection.run_on_commit[before:] = [hook for hook in added if hook not in publishes]
        for _savepoints, publish, _robust in publishes:
            publish()


def office_groups(office):
    """The editor and publisher groups of ``office`` (by the naming rule used here)."""
    prefix = group_prefix(office)
    return list(Group.objects.filter(name__in=[f"{prefix} – Redaktion", f"{prefix} – Freigabe"]))


def group_prefix(office):
    return office.short_name or office.name


def sync_locale_root_permissions(home_page):
    """Give a new translation of an office home page the permissions of its source.

    Called when an editor translates a home page into a further locale (Turkish, say), so
    that the office's groups can edit the new locale tree at once and nobody else can.
    """
    source = (
        Page.objects.filter(translation_key=home_page.translation_key)
        .exclude(pk=home_page.pk)
        .order_by("pk")
        .first()
    )
    if source is None:
        return
    for gpp in GroupPagePermission.objects.filter(page=source):
        GroupPagePermission.objects.get_or_create(
            group=gpp.group, page=home_page, permission=gpp.permission
        )
    from .review import give_locale_root_its_workflow

    give_locale_root_its_workflow(home_page)


def app_hooks(name):
    """The ``name`` methods of every installed app's config, in ``INSTALLED_APPS`` order.

    This is how the apps extend provisioning (and the site chrome) without ``sites``
    importing them: ``office_home_page`` (exactly one app provides the home page),
    ``provision_office`` (each app adds what a new office needs of it),
    ``build_site_chrome``; and the declarative lists ``office_permissions``,
    ``coordinator_permissions``, ``office_site_permissions``.
    """
    return [getattr(config, name) for config in apps.get_app_configs() if hasattr(config, name)]


@transaction.atomic
def provision_office(spec, *, home_content=None):
    """Create a complete office from ``spec`` and return its ``Office`` profile.

    ``home_content`` lets the demo loader pass richer text for the home page; by default
    the app that provides the home page writes its own default text.

    The forty-odd pages, revisions and rows it saves each would start a new chrome and
    owner version, queue a search and a reference index task and work out which cached
    pages to ban; here each version is replaced once, one task indexes everything and
    everything is banned once, all when the transaction commits (issue #14).
    """
    from .cache_version import coalesced_replacements
    from .frontend_cache import one_ban_for_everything
    from .indexing import collected_index_updates
    from .wagtail_speedups import provisioning_shortcuts

    validate_spec(spec)  # with every check, before the shortcuts
    token = _permission_memo.set({})
    try:
        with (
            coalesced_replacements(),
            collected_index_updates(),
            one_ban_for_everything(),
            provisioning_shortcuts(),
        ):
            return _provision_office(spec, home_content)
    finally:
        _permission_memo.reset(token)


def _provision_office(spec, home_content):
    german = ensure_locales()[0]

    providers = app_hooks("office_home_page")
    if len(providers) != 1:
        raise ImproperlyConfigured(
            f"Exactly one installed app must provide office_home_page(); found {len(providers)}."
        )
    home = providers[0](spec, german, home_content)
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()

    is_first_site = not Site.objects.exists()
    site = Site.objects.create(
        hostname=spec.hostname,
        port=spec.port,
        root_page=home,
        site_name=spec.name,
        is_default_site=is_first_site or spec.state,
    )
    if spec.state:
        Site.objects.exclude(pk=site.pk).update(is_default_site=False)

    office = Office(
        site=site,
        name=spec.name,
        short_name=spec.short_name,
        kind=OfficeKind.STATE if spec.state else OfficeKind.REGIONAL,
        languages=languages.normalise(
            languages.DEFAULT_SITE_LANGUAGES if spec.languages is None else spec.languages
        ),
    )
    hours = spec.profile.pop("opening_hours", []) if spec.profile else []
    consultation = spec.profile.pop("consultation_hours", []) if spec.profile else []
    rooms = spec.profile.pop("rooms", []) if spec.profile else []
    for key, value in (spec.profile or {}).items():
        setattr(office, key, value)
    from .models import ConsultationHours, OpeningHours, Room

    office.opening_hours = [OpeningHours(**h) for h in hours]
    office.consultation_hours = [ConsultationHours(**h) for h in consultation]
    office.rooms = [Room(**r) for r in rooms]
    office.full_clean(exclude=["site"])
    office.save()

    # The locale roots first (saving the office made them, see ``ensure_locale_roots``):
    # the office's groups get their page permissions on each.
    ensure_locale_roots(office)

    collection = Collection.get_first_root_node().add_child(name=spec.name)
    office.collection = collection
    office.save(update_fields=["collection"])
    _create_office_groups(office, collection)
    if spec.state:
        _create_coordinators_group(office)
    from .review import create_office_workflow, reviewer_groups_of

    create_office_workflow(office, reviewer_groups_of(office))
    # Then each app adds its part: the default pages, the events page (the state site:
    # the network calendar), the group directory page, each translated like the home page.
    for provision in app_hooks("provision_office"):
        provision(office)
    Site.clear_site_root_paths_cache()

    # wagtail-localize publishes each translation in a transaction.on_commit hook with the
    # page object as it was when the hook was registered, so at the outer commit the
    # translated home page is saved again with ``numchild=0`` and its children vanish from
    # the admin explorer (and from routing). This hook is registered last and so runs
    # last: it recounts.
    transaction.on_commit(lambda: recount_children(home.translation_key))
    return office


@transaction.atomic
def ensure_locale_roots(office):
    """Give ``office``'s site a home page in every language it offers, and there the
    main pages (the German home page's children), each a wagtail-localize translation that
    holds the German text until a translator works through it. Returns the new roots.

    Called whenever the office profile is saved (``sites.signals``), so that a language
    added in the profile is there at once; the new root inherits the office's page
    permissions and review workflow from its source (``sync_locale_root_permissions``).
    A language removed from the profile keeps its pages: they are only hidden (the site
    answers 404 in that language, see ``sites.wagtail_hooks``). Idempotent.
    """
    site = office.site
    home = site.root_page
    existing = set(
        home.get_translations(inclusive=True).values_list("locale__language_code", flat=True)
    )
    missing = [code for code in site_languages(office) if code not in existing]
    if not missing:
        return []
    locales = [Locale.objects.get_or_create(language_code=code)[0] for code in missing]
    translate(home.specific, locales)
    for child in home.get_children().filter(locale_id=home.locale_id).specific():
        translate(child, locales)
    # The deferred publishes leave the new roots' child counts stale (see below).
    transaction.on_commit(lambda: recount_children(home.translation_key))
    Site.clear_site_root_paths_cache()
    return [home.get_translation(locale) for locale in locales]


def recount_children(translation_key):
    """Set ``numchild`` of every translation of a page to its real number of children."""
    for page in Page.objects.filter(translation_key=translation_key):
        real = Page.objects.filter(path__startswith=page.path, depth=page.depth + 1).count()
        if page.numchild != real:
            Page.objects.filter(pk=page.pk).update(numchild=real)


def _create_office_groups(office, collection):
    prefix = group_prefix(office)
    roots = locale_roots_of(office)
    office_perms = [
        *_permissions("wagtailadmin", ["access_admin"]),
        *declared_permissions("office_permissions"),
    ]
    setting_perm = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(Office), codename="change_office"
    )
    site_perms = [setting_perm, *declared_permissions("office_site_permissions")]
    shared = _shared_collection()
    for suffix, page_codenames in (
        ("Redaktion", PAGE_EDIT_PERMISSIONS),
        ("Freigabe", PAGE_PUBLISH_PERMISSIONS),
    ):
        group = Group.objects.create(name=f"{prefix} – {suffix}")
        group.permissions.add(*office_perms)
        grant_page_permissions(group, roots, page_codenames)
        grant_collection_permissions(group, collection, COLLECTION_PERMISSIONS)
        grant_collection_permissions(group, shared, CHOOSE_PERMISSIONS)
        for permission in site_perms:
            GroupSitePermission.objects.create(group=group, site=office.site, permission=permission)


def _create_coordinators_group(office):
    group, _created = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    group.permissions.add(
        *_permissions("wagtailadmin", ["access_admin"]),
        *declared_permissions("office_permissions"),
        *declared_permissions("coordinator_permissions"),
    )
    grant_page_permissions(group, locale_roots_of(office), PAGE_PUBLISH_PERMISSIONS)
    grant_collection_permissions(group, _shared_collection(), COLLECTION_PERMISSIONS)
    setting_perm = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(Office), codename="change_office"
    )
    GroupSitePermission.objects.get_or_create(
        group=group, site=office.site, permission=setting_perm
    )


def locale_roots_of(office):
    return locale_roots(office.site)
