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
"""

from wagtail.models import Page

from . import languages, tenancy


def target_languages(instance):
    """The language codes ``instance`` may be translated into."""
    if isinstance(instance, Page):
        site = tenancy.site_for_page(instance)
        return tenancy.site_languages(site) if site is not None else languages.codes()
    owners = tenancy.owner_office_ids(instance)
    if not owners:
        return languages.codes()
    from .models import Office

    offered = set()
    for office in Office.objects.filter(pk__in=owners):
        offered |= set(tenancy.site_languages(office))
    return [code for code in languages.codes() if code in offered]


def install():
    """Replace wagtail-localize's form with the site-aware one (from ``SitesConfig.ready``)."""
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
