"""The content languages, and what the public pages need to know about each of them.

The platform knows seven content languages (``settings.LANGUAGES``); each site offers its
own choice of them (``Office.languages``, asked through ``sites.tenancy.site_languages``),
because a district office publishes in the languages of the people in its district, not
in every language the platform could carry.

Three facts about a language are needed in many places and are answered here once:

- its **name in itself** for the language switcher (a visitor who cannot read the
  current page must still find their own language);
- its **direction**: Arabic is written right to left, so ``<html dir="rtl">``;
- whether **search engines** understand its code. ``hreflang`` accepts only an ISO 639-1
  language with an optional ISO 3166-1 region. Leichte Sprache is ``de-x-ls`` (German with
  a private-use subtag: there is no registered subtag for easy-to-read German), which
  search engines reject, and mapping it to ``de`` would give two different pages the same
  ``hreflang`` (an error in Google's eyes, and a coin toss which one is shown). So Leichte
  Sprache pages stand outside the ``hreflang`` clusters: they are German pages of their
  own with their own canonical address, listed in their own sitemap, and reached through
  the link in every page's header. Their ``lang`` attribute keeps ``de-x-ls``, which HTML
  allows and which screen readers read with a German voice.

``active_language()`` replaces ``get_language().split("-")[0]``, which turned ``de-x-ls``
into ``de`` and so showed Leichte Sprache visitors the German locale's content.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

#: Leichte Sprache (easy-to-read German, BITV 2.0 § 4).
EASY_GERMAN = "de-x-ls"

#: Each language named in itself: never translated, so that everyone finds their own.
NAMES_LOCAL = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
    "ru": "Русский",
    EASY_GERMAN: "Leichte Sprache",
}

#: Codes search engines do not accept in ``hreflang`` (see the module docstring).
NOT_FOR_SEARCH_ENGINES = frozenset({EASY_GERMAN})

#: What a site offers unless its office chooses otherwise (what every site offered before
#: sites could choose).
DEFAULT_SITE_LANGUAGES = ("de", "en")


def codes():
    """Every content language code, in settings order (German first)."""
    return [code for code, _name in settings.LANGUAGES]


def name_local(code):
    """The name of the language ``code`` in that language."""
    if code in NAMES_LOCAL:
        return NAMES_LOCAL[code]
    return translation.get_language_info(code)["name_local"]


def is_rtl(code):
    """Whether ``code`` is written right to left (Django's ``LANGUAGES_BIDI``)."""
    return bool(code) and code.split("-")[0] in settings.LANGUAGES_BIDI


def direction(code):
    """``"rtl"`` or ``"ltr"`` for the ``dir`` attribute."""
    return "rtl" if is_rtl(code) else "ltr"


def active_language():
    """The content language of the current request: the active language as one of the
    content languages (``de-x-ls`` stays ``de-x-ls``; a browser variant such as ``en-gb``
    becomes ``en``), else German."""
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return settings.LANGUAGE_CODE


def for_search_engines(code):
    """Whether ``code`` may appear as an ``hreflang`` value."""
    return code not in NOT_FOR_SEARCH_ENGINES


def normalise(values):
    """``values`` as a list of content language codes in settings order, German always
    included, unknown codes dropped."""
    chosen = set(values or ()) | {settings.LANGUAGE_CODE}
    return [code for code in codes() if code in chosen]


def default_site_languages():
    return list(DEFAULT_SITE_LANGUAGES)


class LanguagesFormField(forms.MultipleChoiceField):
    """Checkboxes for the languages besides German (which every site offers)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs["choices"] = [
            (code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
        ]
        kwargs["required"] = False
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return [code for code in (value or []) if code != settings.LANGUAGE_CODE]

    def clean(self, value):
        return normalise(super().clean(value))


class LanguagesField(models.JSONField):
    """The content languages a site offers: a list of codes, German always first.

    Stored as JSON (a list) so it works on SQLite and PostgreSQL alike; edited as
    checkboxes.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", default_site_languages)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        kwargs.pop("form_class", None)
        kwargs.pop("widget", None)
        return LanguagesFormField(label=self.verbose_name, help_text=self.help_text)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise ValidationError(_("Bitte eine Liste von Sprachen angeben."), code="invalid")
        unknown = [code for code in value or () if code not in codes()]
        if unknown:
            raise ValidationError(
                _("Unbekannte Sprache: %(codes)s"),
                code="unknown_language",
                params={"codes": ", ".join(map(str, unknown))},
            )
