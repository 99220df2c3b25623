from django.core.management.base import BaseCommand

from events.occurrences import refresh_all


class Command(BaseCommand):
    help = (
        "Berechnet die Termine aller veröffentlichten Veranstaltungen neu (nächtlich "
        "ausführen: schiebt den Zeitraum von 18 Monaten weiter)."
    )

    def handle(self, *args, **options):
        count = refresh_all()
        self.stdout.write(f"{count} Termine gespeichert.")
