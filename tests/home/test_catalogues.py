"""The interface catalogues are complete, free of fuzzy entries and compiled.

English holds every string (admin and public). The other content languages (Turkish,
Arabic, Ukrainian, Russian, Leichte Sprache) hold the public interface only — the strings
``home.i18n`` finds in the public sources — and each of them must be translated there with
the placeholders, HTML tags and plural forms of its language intact.
"""

import functools
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from home import i18n

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PUBLIC_LANGUAGES = i18n.public_languages()


def _entries():
    for block in CATALOGUE.read_text().split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if match:
            msgid = "".join(re.findall(r'"(.*)"', match.group(1)))
            msgstr = "".join(re.findall(r'"(.*)"', match.group(2)))
            yield block, msgid, msgstr


def test_every_english_string_is_translated_and_none_is_fuzzy():
    untranslated = [msgid for block, msgid, msgstr in _entries() if msgid and not msgstr]
    fuzzy = [msgid for block, msgid, _ in _entries() if re.search(r"^#,.*\bfuzzy\b", block, re.M)]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy
    assert sum(1 for _ in _entries()) > 900


# --- the public languages -------------------------------------------------------------


def _unquote(lines):
    return "".join(
        re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), line[1:-1])
        for line in lines
    )


def parse_catalogue(path):
    """``{Message: (msgstr forms, flags)}`` and the header of a .po file; obsolete entries
    (``#~``) are not part of a catalogue."""
    entries, header = {}, ""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags, fields, current = set(), {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := re.match(
                r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line
            ):
                current = match[1]
                fields[current] = [match[2]]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if "msgid" not in fields:
            continue
        values = {key: _unquote(lines) for key, lines in fields.items()}
        if not values["msgid"]:
            header = values.get("msgstr", "")
            continue
        message = i18n.Message(
            values["msgid"], values.get("msgid_plural", ""), values.get("msgctxt", "")
        )
        if message.plural:
            forms_ = [values[key] for key in sorted(k for k in values if k.startswith("msgstr["))]
        else:
            forms_ = [values.get("msgstr", "")]
        entries[message] = (forms_, flags)
    return entries, header


@functools.cache
def public_messages():
    return frozenset(i18n.public_messages())


@functools.cache
def catalogue(language):
    return parse_catalogue(i18n.catalogue_path(language))


def plural_rule(header):
    match = re.search(r"Plural-Forms:\s*nplurals=(\d+);\s*plural=([^;\n]+);?", header)
    assert match, "the catalogue names no plural rule"
    return int(match[1]), gettext.c2py(match[2])


def _tags(text):
    return sorted(re.findall(r"</?\w+[^>]*>", text))


def test_the_public_sources_yield_the_strings_a_visitor_reads_and_not_the_admin_labels():
    found = public_messages()
    assert i18n.Message("Zum Inhalt springen") in found  # page chrome (template)
    assert i18n.Message("Bitte mindestens einen Verteiler wählen.") in found  # public form
    assert i18n.Message("in Gründung") in found  # choice label shown in the directory
    assert i18n.Message("%(counter)s Gruppe gefunden", "%(counter)s Gruppen gefunden") in found
    assert i18n.Message("Verteiler", context="Mehrzahl") in found
    # the meeting place's field label and a panel heading only label the admin
    assert i18n.Message("Treffpunkt") not in found
    assert i18n.Message("Interner Kontakt (wird nie veröffentlicht)") not in found
    # admin views and admin templates are left out as whole files
    assert i18n.Message("Prüfung fällig") not in found
    assert len(found) > 400


def test_the_public_languages_are_the_content_languages_beyond_german_and_english():
    assert PUBLIC_LANGUAGES == ["tr", "ar", "uk", "ru", "de-x-ls"]
    assert [code for code, _ in settings.WAGTAILADMIN_PERMITTED_LANGUAGES] == ["de", "en"]
    assert i18n.catalogue_path("de-x-ls").parts[-3] == "de_X-ls"


@pytest.mark.parametrize("language", PUBLIC_LANGUAGES)
def test_every_public_string_is_in_the_catalogue_translated_and_not_fuzzy(language):
    entries, _header = catalogue(language)
    missing = sorted(m.msgid for m in public_messages() - entries.keys())
    untranslated = sorted(m.msgid for m, (forms_, _) in entries.items() if not all(forms_))
    fuzzy = sorted(m.msgid for m, (_, flags) in entries.items() if "fuzzy" in flags)
    assert not missing, f"{language}: not in the catalogue (manage.py public_messages): {missing}"
    extra = sorted(m.msgid for m in entries.keys() - public_messages())
    assert not extra, (
        f"{language}: strings the public never sees (made with makemessages -a? "
        f"refresh with manage.py public_messages): {extra}"
    )
    assert not untranslated, f"{language}: untranslated: {untranslated}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy}"


@pytest.mark.parametrize("language", PUBLIC_LANGUAGES)
def test_translations_keep_the_placeholders_and_the_html_of_the_german_text(language):
    entries, header = catalogue(language)
    nplurals, rule = plural_rule(header)
    # Which plural form serves more than one number: that form must show the number.
    numbers_per_form = [sum(1 for n in range(1000) if rule(n) == k) for k in range(nplurals)]
    wrong = []
    for message, (forms_, _) in entries.items():
        if message.plural:
            assert len(forms_) == nplurals, f"{language}: {message.msgid}: {len(forms_)} forms"
            allowed = set(i18n.placeholders(message.msgid + message.plural))
            for form, count in zip(forms_, numbers_per_form, strict=True):
                used = i18n.placeholders(form)
                if not set(used) <= allowed or (
                    count > 1 and used != i18n.placeholders(message.plural)
                ):
                    wrong.append((message.msgid, form))
        else:
            if i18n.placeholders(forms_[0]) != i18n.placeholders(message.msgid):
                wrong.append((message.msgid, forms_[0]))
        source_tags = _tags(message.msgid + message.plural)
        for form in forms_:
            if [re.sub(r'"[^"]*"', '""', t) for t in _tags(form)] != [
                re.sub(r'"[^"]*"', '""', t) for t in source_tags
            ][: len(_tags(form))] or len(_tags(form)) != len(_tags(message.msgid)):
                wrong.append((message.msgid, form))
    assert not wrong, f"{language}: placeholders or tags differ: {wrong}"


@pytest.mark.parametrize("language", [code for code in PUBLIC_LANGUAGES if code != "de-x-ls"])
def test_no_sentence_is_left_in_german(language):
    entries, _header = catalogue(language)
    copies = [
        message.msgid
        for message, (forms_, _) in entries.items()
        if len(message.msgid.split()) > 1 and message.msgid in forms_
    ]
    assert not copies, f"{language}: copied from German: {copies}"


#: Abbreviations the rules of Leichte Sprache ask to write out.
ABBREVIATIONS = re.compile(
    r"\b(z\. ?B\.|usw\.|bzw\.|ggf\.|d\. ?h\.|u\. ?a\.|evtl\.|inkl\.|ca\.|Nr\.)"
)


def test_leichte_sprache_writes_abbreviations_out_and_keeps_sentences_short():
    entries, _header = catalogue("de-x-ls")
    abbreviated = [f for forms_, _ in entries.values() for f in forms_ if ABBREVIATIONS.search(f)]
    assert not abbreviated, abbreviated
    sentences = [
        sentence
        for forms_, _ in entries.values()
        for form in forms_
        for sentence in re.split(r"(?<=[.?!:])\s+", re.sub(r"<[^>]+>", "", form))
    ]
    long_ones = [s for s in sentences if len(s.split()) > 20]
    assert not long_ones, long_ones
    # the German source has some; easy-to-read German must not
    assert any(ABBREVIATIONS.search(m.msgid) for m in entries)


@pytest.mark.parametrize("language", PUBLIC_LANGUAGES)
def test_the_plural_rule_has_the_forms_of_the_language(language):
    _entries_, header = catalogue(language)
    nplurals, rule = plural_rule(header)
    expected = {"tr": 2, "ar": 6, "uk": 3, "ru": 3, "de-x-ls": 2}[language]
    assert nplurals == expected
    if language in ("uk", "ru"):
        assert [rule(n) for n in (1, 2, 5, 11, 21, 22, 25, 111)] == [0, 1, 2, 2, 0, 1, 2, 2]
    if language == "ar":
        assert [rule(n) for n in (0, 1, 2, 3, 11, 100, 102, 103)] == [0, 1, 2, 3, 4, 5, 5, 3]


@pytest.mark.parametrize("language", PUBLIC_LANGUAGES)
def test_a_visitor_reads_a_public_page_in_the_language(language):
    entries, _header = catalogue(language)
    expected = entries[i18n.Message("Diese Adresse gehört zu keiner Kontaktstelle")][0][0]
    with translation.override(language):
        html = render_to_string("sites/unknown_host.html")
    assert expected in html
    assert "Diese Adresse gehört zu keiner Kontaktstelle" not in html


@pytest.mark.parametrize("language", ["tr", "ar", "uk", "ru"])
def test_django_s_form_errors_and_wagtail_s_public_pages_come_in_the_language(language):
    """Django and Wagtail bring these catalogues; our public forms rely on them."""
    with translation.override(language):
        assert str(forms.CharField().error_messages["required"]) != "This field is required."
        assert str(forms.IntegerField().error_messages["invalid"]) != "Enter a whole number."
        # the page Wagtail shows for a password-protected page
        assert translation.gettext("Password required") != "Password required"
    with translation.override("ar"):
        assert translation.get_language_bidi() is True


def test_leichte_sprache_falls_back_to_german_for_django_s_and_wagtail_s_strings():
    """``de-x-ls`` has no catalogue in Django or Wagtail: gettext expands ``de_X-ls`` to
    ``de`` and takes their German, never English."""
    with translation.override("de"):
        german = [
            str(forms.CharField().error_messages["required"]),
            translation.gettext("Password required"),
        ]
    with translation.override("de-x-ls"):
        assert [
            str(forms.CharField().error_messages["required"]),
            translation.gettext("Password required"),
        ] == german
        assert translation.get_language_bidi() is False
    assert german[0] != "This field is required."
    assert german[1] != "Password required"


# --- compiled catalogues ----------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", ["en", *PUBLIC_LANGUAGES])
def test_the_committed_binary_catalogue_is_compiled_from_the_committed_source(tmp_path, language):
    source = CATALOGUE if language == "en" else i18n.catalogue_path(language)
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(source)], check=True)
    assert compiled.read_bytes() == source.with_suffix(".mo").read_bytes()


@pytest.mark.parametrize(
    "language, heading, direction",
    [
        ("de", "Ein Fehler ist aufgetreten", ""),
        ("ar", "حدث خطأ", ' dir="rtl"'),
        ("uk", "Сталася помилка", ""),
        ("de-x-ls", "Etwas hat nicht geklappt", ""),
    ],
)
def test_the_server_error_page_speaks_the_visitor_s_language(language, heading, direction):
    """Django renders 500.html without a context, in the language of the failed request."""
    with translation.override(language):
        html = render_to_string("500.html")
    assert f'<html lang="{language}"{direction}>' in html
    assert f"<h1>{heading}</h1>" in html
