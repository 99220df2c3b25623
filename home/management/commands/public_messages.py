"""Refresh the catalogues of the public languages (tr, ar, uk, ru, de-x-ls) from the sources.

Only the strings the public sees go into these catalogues (the rules are in
``home/i18n.py``); German is the source and English keeps its own complete catalogue, made
with ``makemessages``. New strings arrive untranslated, changed ones as fuzzy with the old
translation as a suggestion: the catalogue test fails until a translator has seen them.
Needs GNU gettext (msgmerge, msgfmt).
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from home import i18n


class Command(BaseCommand):
    help = "Refresh the public languages' catalogues from the public sources and compile them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            help="only this language code (repeatable); default: every public language",
        )
        parser.add_argument(
            "--no-compile", action="store_true", help="update the .po files, write no .mo"
        )

    def handle(self, *args, languages=None, no_compile=False, **options):
        for tool in ("msgmerge", "msgfmt"):
            if not shutil.which(tool):
                raise CommandError(f"GNU gettext's {tool} is not installed.")
        public = i18n.public_languages()
        languages = languages or public
        unknown = sorted(set(languages) - set(public))
        if unknown:
            raise CommandError(
                f"Not a public language: {', '.join(unknown)} (choose from {', '.join(public)})."
            )
        occurrences = i18n.public_occurrences()
        pot = i18n.pot_text(occurrences)
        with tempfile.TemporaryDirectory() as tmp:
            pot_path = Path(tmp) / "public.pot"
            pot_path.write_text(pot, encoding="utf-8")
            for code in languages:
                po_path = i18n.catalogue_path(code)
                po_path.parent.mkdir(parents=True, exist_ok=True)
                if po_path.exists():
                    subprocess.run(
                        [
                            "msgmerge",
                            "--quiet",
                            "--update",
                            "--backup=none",
                            "--no-wrap",
                            "--previous",
                            str(po_path),
                            str(pot_path),
                        ],
                        check=True,
                    )
                else:
                    po_path.write_text(i18n.new_catalogue_text(code, pot), encoding="utf-8")
                if not no_compile:
                    subprocess.run(
                        [
                            "msgfmt",
                            "--check-format",
                            "-o",
                            str(po_path.with_suffix(".mo")),
                            str(po_path),
                        ],
                        check=True,
                    )
                self.stdout.write(f"{code}: {po_path} ({len(occurrences)} public strings)")
