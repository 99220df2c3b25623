"""Give every office that lacks them its pages "Leichte Sprache" and "Gebärdensprache"
(BITV 2.0 § 4). ``migrate`` runs this on its own; it is here for checking and re-running."""

from django.core.management.base import BaseCommand

from home.bitv import ensure_bitv_pages


class Command(BaseCommand):
    help = "Legt fehlende Seiten in Leichter Sprache und Gebärdensprache an."

    def handle(self, *args, **options):
        done = ensure_bitv_pages()
        if not done:
            self.stdout.write("Alle Kontaktstellen haben beide Seiten.")
        for name, titles in done.items():
            self.stdout.write(f"{name}: {', '.join(titles)} angelegt")
