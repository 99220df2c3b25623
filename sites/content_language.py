"""Which language a page's content is really in (WCAG 2.1, 3.1.2 "Language of Parts").

When an office adds English (or Turkish, ...) to its site, wagtail-localize creates the
translated pages at once, filled with the German text until a translator works through
them. Such a page is served under ``/en/`` with ``<html lang="en">``, so a screen reader
would read German words with English pronunciation, and a visitor would not know why the
"English" page is German. This module tells the template how far the translation is:
the page then says so in the visitor's language, and untranslated content is marked
``lang="de"``.
"""

from django.conf import settings

from .chrome import cached_until_next_save, site_of_page

UNTRANSLATED = "untranslated"
PARTIAL = "partial"


def translation_state(page):
    """``None`` for a page in the default language, a page that was not made with
    wagtail-localize, or a complete translation; otherwise a dict with ``state``
    (``"untranslated"`` or ``"partial"``) and ``source_language``.

    Cached until the next page save: the text visitors see only changes on publishing.
    """
    if page is None or not getattr(page, "pk", None):
        return None
    return (
        cached_until_next_save(
            f"translation-state:{page.pk}", lambda: _state(page), site=site_of_page(page)
        )
        or None
    )


def _state(page):
    from wagtail.models import Locale
    from wagtail_localize.models import Translation

    if page.locale_id == Locale.get_default().pk:
        return {}
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .select_related("source__locale")
        .first()
    )
    if translation is None:
        return {}
    total, done = translation.get_progress()
    if total == 0 or done >= total:
        return {}
    source_language = translation.source.locale.language_code or settings.LANGUAGE_CODE
    return {"state": UNTRANSLATED if done == 0 else PARTIAL, "source_language": source_language}
