import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from events.models import Registration


class Command(BaseCommand):
    help = (
        "Löscht Anmeldungen zu Terminen, die länger als --tage Tage vorbei sind "
        "(Datensparsamkeit: die Bestätigungs-E-Mail sagt das Löschen zu). Täglich ausführen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tage", type=int, default=30, help="Aufbewahrung nach dem Termin")

    def handle(self, *args, tage, **options):
        if tage < 0 or tage > 3650:
            raise CommandError("--tage muss zwischen 0 und 3650 liegen.")
        cutoff = timezone.now() - datetime.timedelta(days=tage)
        deleted, _detail = Registration.objects.filter(occurrence_start__lt=cutoff).delete()
        self.stdout.write(f"{deleted} Anmeldung(en) gelöscht.")
