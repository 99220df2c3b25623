"""Translation targets per site: editors translate only into their site's languages.

wagtail-localize offers every locale of the installation as a target of "Übersetzen"
(its issue #386: it has no notion of sites with different language sets, and no hook to
narrow the choice). A Marzahn editor would see Arabic, and translating into it would
create pages no visitor can reach. Its submit view builds ``SubmitTranslationForm`` by
module-level name, so ``install()`` puts a subclass there that narrows the ``locales``
field to the languages of the site that owns the object:

- a page: the languages of its site;
- an office-owned record (a self-help group): the languages of its office's site;
- what no office owns (topics, shared by the whole network and curated by the
  coordinators): every content language.

A POST naming another locale fails the form's validation (nothing is created), since the
queryset is what the form accepts. Which *objects* a user may translate at all is the
fence's answer (``sites.side_doors``).

The form is only one way in. wagtail-localize's "Übersetzungen aktualisieren" (sync
translated pages: ``update_translations``) updates and publishes every enabled
translation of a source, including one into a language the office has dropped since;
publishing in the translation editor, ``translate_object`` and its tree synchronisation
(``synctree``, aliases into every locale synchronised from the source's) create or update
targets without any form. So the same rule is also kept where all of them end
(``install()``):

- ``TranslationSource.create_or_update_translation`` (the one place a target page or
  record is created or updated from a source) refuses a locale the owning site does not
  offer with ``LocaleNotOffered`` -- a ``ValidationError``, which the update view skips
  while it updates the other languages, and the editor shows as an error;
- a new ``Translation`` (the record of "translate this into that") for such a locale is
  refused likewise, whoever creates it;
- ``update_target_view_restrictions`` leaves such a target untouched;
- the tree synchronisation creates aliases only in offered languages, and
  ``Page.copy_for_translation(alias=True)`` (its way of creating them) refuses others.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from wagtail.models import Page

from . import languages, tenancy


class LocaleNotOffered(ValidationError):
    """A translation into a language the owning site does not offer."""


def target_languages(instance):
    """The language codes ``instance`` may be translated into."""
    if isinstance(instance, Page):
        from .wagtail_speedups import provisioning_memo

        # Inside provisioning the site's languages are asked once per locale root:
        # neither the site of a root nor the office's languages change there.
        memo = provisioning_memo()
        key = ("target languages", instance.path[: Page.steplen * 2])
        if memo is not None and key in memo:
            return memo[key]
        site = tenancy.site_for_page(instance)
        if site is None:
            return languages.codes()
        codes = tenancy.site_languages(site)
        if memo is not None:
            memo[key] = codes
        return codes
    owners = tenancy.owner_office_ids(instance)
    if not owners:
        return languages.codes()
    from .models import Office

    offered = set()
    for office in Office.objects.filter(pk__in=owners):
        offered |= set(tenancy.site_languages(office))
    return [code for code in languages.codes() if code in offered]


def offers(instance, locale):
    """Whether ``locale`` is a language ``instance``'s site (or owning office) offers."""
    return locale.language_code in target_languages(instance)


def refuse_unoffered(instance, locale):
    """Raise ``LocaleNotOffered`` unless ``instance`` may be translated into ``locale``."""
    if not offers(instance, locale):
        raise LocaleNotOffered(
            _("„%(object)s“ wird nicht in %(language)s angeboten; keine Übersetzung dorthin.")
            % {"object": instance, "language": _language_name(locale.language_code)},
            code="locale_not_offered",
        )


def _language_name(code):
    from django.conf import settings

    return str(dict(settings.LANGUAGES).get(code, code))


def _source_instance(source):
    from .wagtail_speedups import provisioning_memo

    # Inside provisioning the guards below ask for the same source up to twice per
    # translation; they only need its place in the tree, which does not change there.
    memo = provisioning_memo()
    key = ("source instance", source.pk)
    if memo is not None and source.pk and key in memo:
        return memo[key]
    try:
        instance = source.get_source_instance()
    except ObjectDoesNotExist:
        return None  # wagtail-localize raises its own error for a deleted source
    if memo is not None and source.pk:
        memo[key] = instance
    return instance


def install_sync_guards():
    """Keep every programmatic translation path inside the site's languages (see above)."""
    from django.db.models.signals import pre_save
    from wagtail_localize import synctree
    from wagtail_localize.models import Translation, TranslationSource

    if getattr(TranslationSource, "_site_languages_guarded", False):
        return
    TranslationSource._site_languages_guarded = True

    create_or_update = TranslationSource.create_or_update_translation

    def create_or_update_translation(self, locale, *args, **kwargs):
        instance = _source_instance(self)
        if instance is not None:
            refuse_unoffered(instance, locale)
        return create_or_update(self, locale, *args, **kwargs)

    TranslationSource.create_or_update_translation = create_or_update_translation

    update_restrictions = TranslationSource.update_target_view_restrictions

    def update_target_view_restrictions(self, locale):
        instance = _source_instance(self)
        if instance is not None and not offers(instance, locale):
            return None
        return update_restrictions(self, locale)

    TranslationSource.update_target_view_restrictions = update_target_view_restrictions

    def refuse_new_translation(sender, instance, **kwargs):
        if not instance._state.adding:
            return
        source = _source_instance(instance.source)
        if source is not None:
            refuse_unoffered(source, instance.target_locale)

    # weak=False: the receiver is a local function, which a weak reference would lose.
    pre_save.connect(
        refuse_new_translation,
        sender=Translation,
        weak=False,
        dispatch_uid="sites_translation_targets",
    )

    copy_for_translation = Page.copy_for_translation

    def guarded_copy_for_translation(self, locale, *args, **kwargs):
        if kwargs.get("alias"):
            refuse_unoffered(self, locale)
        return copy_for_translation(self, locale, *args, **kwargs)

    Page.copy_for_translation = guarded_copy_for_translation

    def create_aliases_for_new_page(page):
        from wagtail.models import Locale
        from wagtail_localize.models import LocaleSynchronization

        targets = Locale.objects.filter(
            id__in=LocaleSynchronization.objects.filter(sync_from_id=page.locale_id).values(
                "locale_id"
            ),
            language_code__in=target_languages(page),
        )
        for locale in targets:
            alias = page.copy_for_translation(locale, copy_parents=True, alias=True)
            create_aliases_for_new_page(alias)

    synctree.create_aliases_for_new_page = create_aliases_for_new_page


def install():
    """Replace wagtail-localize's form with the site-aware one (from ``SitesConfig.ready``)
    and guard the paths that translate without a form."""
    install_sync_guards()
    from wagtail_localize.views import submit_translations

    base = getattr(submit_translations.SubmitTranslationForm, "_site_base", None)
    base = base or submit_translations.SubmitTranslationForm

    class SiteLanguagesSubmitTranslationForm(base):
        _site_base = base

        def __init__(self, instance, *args, **kwargs):
            super().__init__(instance, *args, **kwargs)
            field = self.fields["locales"]
            field.queryset = field.queryset.filter(
                language_code__in=target_languages(instance)
            ).order_by("pk")
            from django import forms

            if len(field.queryset) < 2:
                self.fields["select_all"].widget = forms.HiddenInput()

    submit_translations.SubmitTranslationForm = SiteLanguagesSubmitTranslationForm
