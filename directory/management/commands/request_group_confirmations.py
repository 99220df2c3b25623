from django.core.management.base import BaseCommand, CommandError

from directory.confirmation import ASK_AGAIN_AFTER_DAYS, due_groups, request_confirmation


class Command(BaseCommand):
    help = (
        "Bittet jede veröffentlichte Gruppe, die seit 12 Monaten weder geprüft noch von ihr "
        "selbst bestätigt wurde, per E-Mail an die interne Kontaktadresse um Bestätigung "
        "ihres Eintrags (für einen täglichen oder wöchentlichen Cronjob)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--tage",
            type=int,
            default=ASK_AGAIN_AFTER_DAYS,
            help="Eine Gruppe, die in so vielen Tagen schon gefragt wurde, nicht noch einmal "
            f"fragen (Standard: {ASK_AGAIN_AFTER_DAYS}).",
        )
        parser.add_argument(
            "--probelauf", action="store_true", help="Nur zeigen, wer gefragt würde."
        )

    def handle(self, *args, **options):
        days = options["tage"]
        if days < 1:
            raise CommandError("--tage muss mindestens 1 sein.")
        asked = skipped = 0
        for group in due_groups(ask_again_after_days=days):
            if not (group.internal_email or "").strip():
                skipped += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"{group.office}: „{group}“ hat keine interne E-Mail.")
                continue
            if not options["probelauf"]:
                request_confirmation(group)
            asked += 1
            if options["verbosity"] > 1:
                self.stdout.write(f"{group.office}: „{group}“ → {group.internal_email}")
        verb = "würden gefragt" if options["probelauf"] else "gefragt"
        self.stdout.write(
            f"{asked} Gruppe(n) {verb}, {skipped} ohne interne E-Mail-Adresse übersprungen."
        )
