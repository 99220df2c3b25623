from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import translation

from directory.admin_views import stale_groups_by_office


class Command(BaseCommand):
    help = (
        "Schickt jeder Kontaktstelle die Liste ihrer Gruppen, die seit über 12 Monaten "
        "nicht geprüft wurden (für einen monatlichen Cronjob)."
    )

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        sent = 0
        for office, groups in stale_groups_by_office():
            if not office.email:
                self.stderr.write(f"{office}: keine E-Mail-Adresse hinterlegt, übersprungen.")
                continue
            body = render_to_string(
                "directory/mail/stale_groups.txt",
                {
                    "office": office,
                    "groups": groups,
                    "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                    + "/admin/directory/stale/",
                },
            )
            send_mail(
                f"{len(groups)} Gruppe(n) warten auf die jährliche Prüfung",
                body,
                None,
                [office.email],
            )
            sent += 1
        self.stdout.write(f"{sent} Kontaktstelle(n) benachrichtigt.")
