from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.exchange import ImportFormatError, import_groups


class Command(BaseCommand):
    help = (
        "Importiert Selbsthilfegruppen aus CSV oder JSON. Ist eine Zeile ungültig, wird nichts "
        "gespeichert; jede ungültige Zeile wird mit Nummer und Grund gemeldet."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV- oder JSON-Datei (UTF-8)")
        parser.add_argument(
            "--format", dest="fmt", choices=["csv", "json"], help="sonst nach Endung"
        )
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen")

    def handle(self, *args, path, fmt=None, dry_run=False, **options):
        file = Path(path)
        fmt = fmt or file.suffix.lower().lstrip(".")
        if fmt not in ("csv", "json"):
            raise CommandError("Format unbekannt: bitte --format csv oder json angeben.")
        try:
            content = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"Datei nicht gefunden: {path}") from error
        except UnicodeDecodeError as error:
            raise CommandError("Die Datei ist nicht UTF-8-kodiert.") from error
        try:
            report = import_groups(content, fmt, dry_run=dry_run)
        except ImportFormatError as error:
            raise CommandError(str(error)) from error
        label = "Zeile" if fmt == "csv" else "Datensatz"
        for line, message in report.errors:
            self.stderr.write(f"{label} {line}: {message}")
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} von {report.rows} Zeilen ungültig; nichts importiert."
            )
        if dry_run:
            self.stdout.write(f"Probelauf: alle {report.rows} Zeilen gültig; nichts gespeichert.")
        else:
            self.stdout.write(f"{report.created} Gruppen importiert.")
