from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import translation

from directory.admin_views import stale_groups_by_office
from sites import mail as site_mail


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
                    # The office's own site, where its staff log in (https, see sites.mail).
                    "admin_url": site_mail.public_root(office.site) + "/admin/directory/stale/",
                },
            )
            # A reminder the platform writes on its own (RFC 3834: auto-generated).
            EmailMessage(
                subject=f"{len(groups)} Gruppe(n) warten auf die jährliche Prüfung",
                body=body,
                from_email=site_mail.sender(),
                to=[office.email],
                headers=site_mail.automatic_headers(),
            ).send(fail_silently=False)
            sent += 1
        self.stdout.write(f"{sent} Kontaktstelle(n) benachrichtigt.")
