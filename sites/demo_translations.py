"""Translations of the demo network, made the way a translator makes them: as
wagtail-localize string translations, published with the translation, so the translation
status report shows them complete.

Every office's home page and main pages (Kontakt, "Gruppe gründen", events, group
directory, newsletter, the state site's office finder) are translated into each language
its site offers; the legal pages (Impressum, Datenschutz, Barrierefreiheit) are left German,
as many offices do, so the demo also shows how an untranslated page tells the visitor. The
texts are data in ``sites.demo_texts``; a segment without a text there stays German (and
its translation in progress). A second run finds everything translated and writes nothing.
"""

import re

from wagtail.models import Locale

from . import demo_texts

#: The pages below an office's home page that the demo translates (by slug).
PAGE_SLUGS = (
    "kontakt",
    "gruppe-gruenden",
    "veranstaltungen",
    "gruppen",
    "newsletter",
    "kontaktstelle-finden",
)


def _lookups():
    """``{language: ({German text: text}, [(pattern, template)])}`` from ``demo_texts``."""
    lookups = {}
    for language, texts in demo_texts.TEXTS.items():
        plain = {german: texts[key] for key, german in demo_texts.GERMAN.items() if key in texts}
        patterns = [
            (re.compile(pattern), texts[key])
            for key, pattern in demo_texts.GERMAN_PATTERNS.items()
            if key in texts
        ]
        lookups[language] = (plain, patterns)
    return lookups


_LOOKUPS = _lookups()


def text_for(language, text, path):
    """The text of one segment in ``language``, or None where the demo has none."""
    field = path.split(".")[-1]
    if field in demo_texts.KEPT or (
        field == "subject" and language in demo_texts.KEPT_SUBJECT_LANGUAGES
    ):
        return text
    texts = demo_texts.TEXTS.get(language)
    if texts is None:
        return None
    if path.endswith(".choices"):  # place names stay; only "anderer Ort" is translated
        places = text.split("<br/>")
        return "<br/>".join(
            texts["other_place"] if place == demo_texts.GERMAN_OTHER_PLACE else place
            for place in places
        )
    plain, patterns = _LOOKUPS[language]
    if text in plain:
        return plain[text]
    names = demo_texts.NAMES.get(language, {})
    for pattern, template in patterns:
        match = pattern.fullmatch(text)
        if match:
            return template.format(name=names.get(match[1], match[1]))
    return None


def translate(instance, locales, texts=text_for):
    """Translate ``instance`` (a German page or snippet) into ``locales`` with the demo's
    texts and publish each translation that got new text; returns the language codes
    published. A language whose every segment is already translated is left alone."""
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    if not locales:
        return []
    source = TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id
    ).first()
    if source is None:
        source, _created = TranslationSource.get_or_create_from_instance(instance)

    def missing():
        segments = list(
            StringSegment.objects.filter(source=source).select_related("string", "context")
        )
        done = set(
            StringTranslation.objects.filter(
                translation_of_id__in={segment.string_id for segment in segments},
                locale__in=locales,
            ).values_list("translation_of_id", "context_id", "locale_id")
        )
        return {
            locale: [
                segment
                for segment in segments
                if (segment.string_id, segment.context_id, locale.pk) not in done
            ]
            for locale in locales
        }

    todo = missing()
    if not any(todo.values()):
        return []  # translated on an earlier run
    source.update_from_db()  # translate what the German page says now
    published = []
    for locale, segments in missing().items():
        new = []
        for segment in segments:
            text = texts(locale.language_code, segment.string.data, segment.context.path)
            if text is not None:
                new.append(
                    StringTranslation(
                        translation_of_id=segment.string_id,
                        locale=locale,
                        context_id=segment.context_id,
                        data=text,
                    )
                )
        if not new:
            continue
        StringTranslation.objects.bulk_create(new)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale
        )
        translation.save_target(publish=True)
        published.append(locale.language_code)
    return published


def translate_office(office, slugs=PAGE_SLUGS, languages=None):
    """Translate the office's home page and main pages into every language its site
    offers (or those of them in ``languages``); returns ``{language: pages published}``."""
    from django.conf import settings

    from . import tenancy

    codes = [code for code in tenancy.site_languages(office) if code != settings.LANGUAGE_CODE]
    if languages is not None:
        codes = [code for code in codes if code in languages]
    locales = list(Locale.objects.filter(language_code__in=codes))
    home = office.site.root_page
    pages = [home, *home.get_children().filter(slug__in=slugs, locale=home.locale)]
    counts = {}
    for page in pages:
        # Only the languages the page already has (a translation the demo did not make
        # is left to the editors).
        present = set(page.get_translations().values_list("locale_id", flat=True))
        for code in translate(page, [locale for locale in locales if locale.pk in present]):
            counts[code] = counts.get(code, 0) + 1
    if counts:
        # Publishing a translation of a home page can leave it with a stale child count
        # (see sites.provisioning.recount_children); recount once everything is saved.
        from django.db import transaction

        from .provisioning import recount_children

        transaction.on_commit(lambda: recount_children(home.translation_key))
    return counts
