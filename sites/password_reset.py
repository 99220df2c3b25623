"""The admin's password-reset mail, written like the platform's other automatic mails.

Wagtail's form (``WAGTAILADMIN_USER_PASSWORD_RESET_FORM`` points here) sends Django's
reset mail without ``Auto-Submitted``, and Wagtail's template links to
``WAGTAILADMIN_BASE_URL`` rather than to the office site where the editor asked for it.
This form adds the headers of :mod:`sites.mail` and links to the host of the request with
``PUBLIC_URL_SCHEME`` (the scheme a request behind a TLS proxy may not show).
"""

import logging

from django.core.mail import EmailMultiAlternatives
from django.template import loader
from wagtail.admin.forms.auth import PasswordResetForm

from . import mail as site_mail

logger = logging.getLogger(__name__)


class AutomaticPasswordResetForm(PasswordResetForm):
    email_template_name = "sites/email/password_reset.txt"

    def save(self, *args, **kwargs):
        kwargs["use_https"] = site_mail.public_scheme() == "https"
        kwargs["email_template_name"] = self.email_template_name
        return super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(
            subject,
            body,
            from_email or site_mail.sender(),
            [to_email],
            headers=site_mail.automatic_headers(),
        )
        if html_email_template_name is not None:
            message.attach_alternative(
                loader.render_to_string(html_email_template_name, context), "text/html"
            )
        try:
            message.send()
        except Exception:  # as Django does: the form must not reveal whether a user exists
            logger.exception("Failed to send password reset email to %s", context["user"].pk)
