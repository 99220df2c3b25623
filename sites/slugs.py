"""Slugs that keep German words readable: "Weißensee" → ``weissensee``, not ``weiensee``.

Django's ``slugify`` drops what it cannot reduce to ASCII (ß vanishes) and reduces
umlauts to their base letter (``franzosisch``); Wagtail's admin does the same in the
browser (ä → a, ß → ss). German readers expect the spelling they would type on a
keyboard without umlauts: ä → ae, ö → oe, ü → ue, ß → ss, capitals alike. Every place
that makes a slug (pages, events, self-help groups, imports) goes through ``german_slugify``.

Where slugs are made:

* the admin's slug fields (pages and events: from the title while a page was never
  published; any other slug field on blur): ``GermanSlugInput`` passes the letters above
  to Wagtail's slug controller as formatters, so the editor sees the slug that is saved;
* pages created in code with an empty slug: Wagtail's own fallback (``slugify`` in
  ``wagtail.models.pages``) is pointed at ``page_slugify`` in ``SitesConfig.ready``;
* self-help groups (admin and import): ``directory.models`` uses ``german_slugify``.

A slug that already exists is never changed: each of these runs only when a slug is made
(an empty one filled, or a never-published page's title typed), so addresses people have
bookmarked, printed or linked keep working, and no migration rewrites them.
"""

from django.utils.text import slugify

#: German letters and their spelling without umlauts (capitals too: "Ärger" → "aerger").
GERMAN_LETTERS_SPELLED = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "ß": "ss",
    "Ä": "Ae",
    "Ö": "Oe",
    "Ü": "Ue",
    "ẞ": "SS",
}
GERMAN_LETTERS = str.maketrans(GERMAN_LETTERS_SPELLED)


def transliterate_german(text):
    """``text`` with German umlauts and ß spelled out (other letters untouched)."""
    return (text or "").translate(GERMAN_LETTERS)


def german_slugify(text, max_length=None):
    """A lowercase ASCII slug of ``text`` that spells umlauts and ß out.

    Letters of other languages fall back to Django's rules (é → e); a cut at
    ``max_length`` never leaves a trailing hyphen.
    """
    slug = slugify(transliterate_german(text))
    if max_length:
        slug = slug[:max_length].strip("-")
    return slug


def page_slugify(value, allow_unicode=False):
    """Wagtail's fallback for a page saved without a slug (``slugify(title,
    allow_unicode=...)`` in ``wagtail.models.pages``), with German letters spelled out
    unless the installation allows Unicode slugs."""
    if allow_unicode:
        return slugify(value, allow_unicode=True)
    return german_slugify(value)


#: Formatters for Wagtail's slug controller (``w-slug``): applied before its own
#: transliteration, which would reduce ä to a.
SLUG_FORMATTERS = list(GERMAN_LETTERS_SPELLED.items())


def german_slug_widget_class():
    """Wagtail's ``SlugInput`` with the German formatters (a class, for Wagtail's form
    field overrides; imported lazily because admin widgets need the app registry)."""
    from wagtail.admin.widgets.slug import SlugInput

    class GermanSlugInput(SlugInput):
        def __init__(self, attrs=None, formatters=None, locale=None):
            super().__init__(attrs, formatters=formatters or SLUG_FORMATTERS, locale=locale)

    return GermanSlugInput


def install():
    """Make every slug the platform or Wagtail makes a German one (``SitesConfig.ready``)."""
    from django.db import models
    from wagtail.admin.forms.models import register_form_field_override
    from wagtail.models import pages

    pages.slugify = page_slugify
    register_form_field_override(models.SlugField, override={"widget": german_slug_widget_class()})
