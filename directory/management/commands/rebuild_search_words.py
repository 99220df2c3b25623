"""Rebuild the search lexicon (``directory.SearchWord``) from the topics and public groups.

Kept current by the signals and the import; run it after writes that bypass both (a data
repair in SQL, a restore), or to drop the words of groups that no longer exist.
"""

from django.core.management.base import BaseCommand

from directory import lexicon
from directory.models import SearchWord


class Command(BaseCommand):
    help = "Baut das Suchwörterbuch (Tippfehler-Korrektur der Gruppensuche) neu auf."

    def handle(self, *args, **options):
        lexicon.rebuild()
        self.stdout.write(f"{SearchWord.objects.count()} Suchwörter.")
