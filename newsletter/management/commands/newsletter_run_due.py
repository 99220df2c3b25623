"""Start due scheduled sends and resume sends whose worker died (run from cron/a timer)."""

from django.core.management.base import BaseCommand

from newsletter.tasks import run_due_dispatches


class Command(BaseCommand):
    help = (
        "Startet fällige geplante Newsletter-Versände und setzt Versände fort, deren "
        "Worker nicht mehr läuft."
    )

    def handle(self, *args, **options):
        started = run_due_dispatches.enqueue().return_value
        if started is None:
            self.stdout.write("Prüfung in die Warteschlange gestellt.")
        else:
            self.stdout.write(f"Gestartet: {len(started)} Versand/Versände.")
