from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Site

from sites import demo, languages
from sites.indexing import deferred_index_updates, rebuild_indexes
from sites.models import ClosurePeriod, PostcodeArea
from sites.provisioning import (
    COORDINATORS_GROUP,
    app_hooks,
    office_groups,
    provision_office,
)


class Command(BaseCommand):
    help = (
        "Lädt das Demo-Netzwerk: Landeskoordination und zwölf Kontaktstellen unter "
        "*.localhost mit je einem Demo-Login. Ein zweiter Lauf ändert nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port der Demo-Sites")
        parser.add_argument(
            "--offices",
            type=int,
            default=None,
            help="Nur die ersten N regionalen Kontaktstellen (Standard: alle zwölf)",
        )
        parser.add_argument(
            "--only",
            default="",
            help=(
                "Nur diese regionalen Kontaktstellen, mit Komma getrennt "
                "(z. B. neukoelln,marzahn-hellersdorf); die Landeskoordination immer"
            ),
        )

    def handle(self, *args, port, **options):
        if options["offices"] is not None and options["offices"] < 0:
            raise CommandError("--offices muss 0 oder größer sein.")
        # One index pass at the end instead of two queued tasks per saved object; the
        # block also covers the saves that wagtail-localize makes after the commit.
        with deferred_index_updates(), transaction.atomic():
            changed = self._load(port, options)
        if changed:
            rebuild_indexes()
            self.stdout.write("Such- und Referenzindex neu aufgebaut.")

    def _load(self, port, options):
        """Load the network; return whether anything was created."""
        User = get_user_model()
        created = updated = 0
        logins = []
        specs = list(demo.office_specs(port))
        if options["offices"] is not None:
            specs = specs[: options["offices"] + 1]
        only = [slug.strip() for slug in (options.get("only") or "").split(",") if slug.strip()]
        if only:
            known = {spec.hostname.split(".")[0] for spec, _welcome in specs[1:]}
            unknown = sorted(set(only) - known)
            if unknown:
                raise CommandError(
                    f"Unbekannte Demo-Kontaktstelle(n): {', '.join(unknown)}. "
                    f"Bekannt: {', '.join(sorted(known))}."
                )
            specs = [specs[0]] + [s for s in specs[1:] if s[0].hostname.split(".")[0] in only]
        for spec, welcome in specs:
            site = Site.objects.filter(hostname=spec.hostname).first()
            if site is None:
                office = provision_office(spec, home_content={"intro": welcome})
                created += 1
                for closure in demo.demo_closures(len(logins)):
                    ClosurePeriod.objects.create(office=office, **closure)
                PostcodeArea.objects.bulk_create(
                    PostcodeArea(office=office, postcode=postcode, place=place)
                    for postcode, place in demo.demo_postcode_areas(spec.hostname)
                )
            else:
                office = site.office
                # A demo database from before sites chose languages gets the demo's choice.
                wanted = languages.normalise([*office.languages, *(spec.languages or [])])
                if wanted != office.languages:
                    office.languages = wanted
                    office.save(update_fields=["languages"])
                    updated += 1
            username = f"redaktion-{spec.hostname.split('.')[0]}"
            user = self._user(User, username, office.name)
            if not user.groups.exists():
                user.groups.add(*office_groups(office))
            logins.append((office, username))

        # Each app adds its demo content (events, groups, newsletter, ...) through its
        # config and says what it created; a second run adds nothing.
        offices = [office for office, _username in logins]
        messages = [message for load in app_hooks("load_demo") if (message := load(offices))]
        for message in messages:
            self.stdout.write(message)

        # The main pages of every office in each language its site offers, as a translator
        # would add them (the texts are in sites.demo_texts).
        from sites.demo_translations import translate_office

        per_language = {}
        for office, _username in logins:
            for code, count in translate_office(office).items():
                per_language[code] = per_language.get(code, 0) + count
        translated = sum(per_language.values())
        detail = ", ".join(f"{code} {count}" for code, count in sorted(per_language.items()))
        self.stdout.write(
            f"Übersetzungen: {translated} Seite(n) veröffentlicht"
            + (f" ({detail})." if detail else ".")
        )

        coordinator = self._user(User, demo.COORDINATOR_USERNAME, "Koordination")
        if not coordinator.groups.exists():
            coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
        if not User.objects.filter(username=demo.ADMIN_USERNAME).exists():
            User.objects.create_superuser(
                demo.ADMIN_USERNAME, "admin@localhost", demo.DEMO_PASSWORD
            )

        self.stdout.write(
            f"Demo-Netzwerk: {created} Kontaktstelle(n) neu angelegt, "
            f"{len(logins) - created} schon vorhanden."
        )
        if options["verbosity"] >= 1:
            self.stdout.write(f"\nSites und Logins (Passwort für alle: {demo.DEMO_PASSWORD})")
            for office, username in logins:
                self.stdout.write(
                    f"  http://{office.site.hostname}:{port}/  "
                    f"Admin: http://{office.site.hostname}:{port}/admin/  Login: {username}"
                )
            self.stdout.write(
                f"  Koordination: Login {demo.COORDINATOR_USERNAME}; "
                f"Superuser: Login {demo.ADMIN_USERNAME}"
            )
        return bool(created or updated or messages or translated)

    @staticmethod
    def _user(User, username, last_name):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username,
                email=f"{username}@localhost",
                password=demo.DEMO_PASSWORD,
                first_name="Demo",
                last_name=last_name[:150],
            )
        return user
