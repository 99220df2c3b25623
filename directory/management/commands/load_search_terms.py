"""Add the shipped multilingual search terms (``directory.search_terms``) to the topics of
the same slugs; terms the coordinators keep are never removed or changed."""

from django.core.management.base import BaseCommand

from directory.search_terms import merge_into_topics


class Command(BaseCommand):
    help = "Ergänzt die mitgelieferten Suchbegriffe je Sprache bei den Themen gleichen Kürzels."

    def handle(self, *args, **options):
        changed = merge_into_topics()
        self.stdout.write(f"{changed} Thema/Themen ergänzt.")
