from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sites.provisioning import OfficeSpec, provision_office


class Command(BaseCommand):
    help = (
        "Legt eine Kontaktstelle an: Site, Startseite (in jeder Sprache der Website), "
        "Standardseiten, Sammlung, Benutzergruppen und Rechte. Mit --state die Landeskoordination."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hostname", required=True, help="z. B. kiss-pankow.example.de")
        parser.add_argument("--name", required=True, help="Name der Kontaktstelle")
        parser.add_argument("--short-name", default="", help="Kurzname, z. B. KIS Pankow")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument(
            "--languages",
            default=None,
            help=(
                "Sprachen der Website, durch Kommas getrennt (Deutsch ist immer dabei), "
                "z. B. de,en,tr,ar,de-x-ls; ohne Angabe: de,en"
            ),
        )
        parser.add_argument(
            "--state", action="store_true", help="Landeskoordination statt regionaler Stelle"
        )

    def handle(self, *args, **options):
        spec = OfficeSpec(
            hostname=options["hostname"],
            name=options["name"],
            short_name=options["short_name"].strip(),
            port=options["port"],
            state=options["state"],
            languages=(
                None
                if options["languages"] is None
                else [code.strip() for code in options["languages"].split(",") if code.strip()]
            ),
        )
        try:
            office = provision_office(spec)
        except ValidationError as error:
            messages = [
                f"{field}: {message}" if field != "__all__" else message
                for field, errors in error.message_dict.items()
                for message in errors
            ]
            raise CommandError("Nichts angelegt. " + " ".join(messages)) from None
        site = office.site
        port = "" if site.port == 80 else f":{site.port}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Angelegt: {office.name} ({office.get_kind_display()}) unter "
                f"http://{site.hostname}{port}/"
            )
        )
