from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from directory.exchange import CLEAR_MARKER, ImportFormatError, import_groups


class Command(BaseCommand):
    help = (
        "Importiert Selbsthilfegruppen aus CSV oder JSON. Zeilen mit „id“ (wie im Export) "
        "ändern die Gruppe mit dieser Nummer, Zeilen ohne „id“ legen Gruppen an. Leere "
        f"Zellen interner Kontaktdaten behalten den bisherigen Wert; „{CLEAR_MARKER}“ leert "
        "sie. Ist eine Zeile ungültig, wird nichts gespeichert; jede ungültige Zeile wird mit "
        "Nummer und Grund gemeldet."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV- oder JSON-Datei (UTF-8)")
        parser.add_argument(
            "--format", dest="fmt", choices=["csv", "json"], help="sonst nach Endung"
        )
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen")
        parser.add_argument(
            "--user",
            dest="username",
            help="Benutzername, unter dem Änderungen im Verlauf erscheinen (sonst „System“)",
        )

    def handle(self, *args, path, fmt=None, dry_run=False, username=None, **options):
        file = Path(path)
        fmt = fmt or file.suffix.lower().lstrip(".")
        if fmt not in ("csv", "json"):
            raise CommandError("Format unbekannt: bitte --format csv oder json angeben.")
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"Benutzer unbekannt: {username}")
        try:
            content = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"Datei nicht gefunden: {path}") from error
        except UnicodeDecodeError as error:
            raise CommandError("Die Datei ist nicht UTF-8-kodiert.") from error
        try:
            report = import_groups(content, fmt, dry_run=dry_run, user=user)
        except ImportFormatError as error:
            raise CommandError(str(error)) from error
        label = "Zeile" if fmt == "csv" else "Datensatz"
        for line, message in report.errors:
            self.stderr.write(f"{label} {line}: {message}")
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} von {report.rows} Zeilen ungültig; nichts importiert."
            )
        if dry_run or options["verbosity"] > 1:
            for outcome in report.outcomes:
                text = f"{label} {outcome.line}: {outcome.label} – {outcome.name}"
                if outcome.group_id:
                    text += f" (Nr. {outcome.group_id})"
                if outcome.changes:
                    text += f": {', '.join(outcome.changes)}"
                if outcome.draft:
                    text += " [Entwurf]"
                self.stdout.write(text)
        totals = f"{report.created} neu, {report.updated} geändert, {report.unchanged} unverändert"
        if dry_run:
            self.stdout.write(
                f"Probelauf: alle {report.rows} Zeilen gültig ({totals}); nichts gespeichert."
            )
        else:
            self.stdout.write(f"Importiert: {totals}.")
