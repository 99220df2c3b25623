"""The English interface catalogue is complete and the committed binary matches it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


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


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_the_committed_binary_catalogue_is_compiled_from_the_committed_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(CATALOGUE)], check=True)
    assert compiled.read_bytes() == CATALOGUE.with_suffix(".mo").read_bytes()
