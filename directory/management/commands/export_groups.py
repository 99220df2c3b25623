import json

from django.core.management.base import BaseCommand

from directory.exchange import export_csv, export_hsds, export_json, public_queryset


class Command(BaseCommand):
    help = "Exportiert die öffentlichen Daten aller Gruppen als CSV, JSON oder HSDS-JSON."

    def add_arguments(self, parser):
        parser.add_argument("--format", dest="fmt", choices=["csv", "json", "hsds"], default="csv")

    def handle(self, *args, fmt, **options):
        groups = list(public_queryset())
        if fmt == "csv":
            self.stdout.write(export_csv(groups), ending="")
        else:
            data = export_hsds(groups) if fmt == "hsds" else export_json(groups)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
