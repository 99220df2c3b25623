"""Start due scheduled sends and resume sends whose worker died (run from cron/a timer)."""

from django.core.management.base import BaseCommand

from newsletter.tasks import run_due_dispatches


class Command(BaseCommand):
    help = (
        "Startet fällige geplante Newsletter-Versände und setzt Versände fort, deren "
        "Worker nicht mehr läuft."
    )

    def handle(self, *args, **options):
        # The check itself is cheap and runs here; the sends it starts are tasks.
        started = run_due_dispatches.call()
        self.stdout.write(f"In die Warteschlange gestellt: {len(started)} Versand/Versände.")
