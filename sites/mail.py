"""What every mail the platform sends shares: the office as sender, public URLs, headers.

Mailbox providers (Gmail, GMX/Web.de, Telekom) and the people reading the mail trust a
message when it says who sent it and where a reply goes, and when its links are the
office's own public addresses:

* **Sender.** Every message is sent from the one platform address (only that domain is
  signed with DKIM/SPF, so only it passes DMARC) with the *office's name* as display name,
  and ``Reply-To`` is the office's e-mail address from its profile, so an answer reaches
  the people who can help.
* **Public URLs.** ``Site.root_url`` is ``https`` only when the site's port is 443; behind
  a TLS proxy sites are usually registered on port 80, and an ``http`` link (above all the
  RFC 8058 ``List-Unsubscribe`` URI, which must be ``https``) is what spam filters and
  providers distrust. Links in mails use ``settings.PUBLIC_URL_SCHEME`` (``https`` in
  production and in tests, ``http`` on a developer machine, whose runserver speaks no
  TLS) and the site's own hostname; the ports 80 and 443 are routing details and dropped.
* **Headers.** ``Date`` carries the local offset of Europe/Berlin (Django's default is
  ``-0000``, "zone unknown"), and mails the platform writes on its own (confirmations,
  notifications) say ``Auto-Submitted: auto-generated`` (RFC 3834), so that vacation
  responders stay quiet.

``sites`` knows no other app; the mail code of the newsletter, the directory, the events
and the form pages calls these helpers.
"""

import re
from email.utils import format_datetime, formataddr, parseaddr

from django.conf import settings
from django.utils import timezone

DEFAULT_PORTS = (80, 443)


def public_scheme():
    """``https`` unless the installation says otherwise (``PUBLIC_URL_SCHEME``)."""
    return getattr(settings, "PUBLIC_URL_SCHEME", "https")


def public_root(site):
    """Scheme and host under which the public reaches ``site`` (no trailing slash).

    Falls back to ``WAGTAILADMIN_BASE_URL`` when there is no site.
    """
    if site is None:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    port = f":{site.port}" if site.port and site.port not in DEFAULT_PORTS else ""
    return f"{public_scheme()}://{site.hostname}{port}"


def _site_roots():
    from wagtail.models import Site

    return [(site.root_url, public_root(site)) for site in Site.objects.all()]


def public_urls(text, roots=None):
    """``text`` with every absolute URL of a known site rewritten to its public root.

    Wagtail writes full URLs of pages (``full_url``, rich-text page links on a multi-site
    installation) from ``Site.root_url``; a mail must carry the public form instead.
    ``roots`` (from :func:`site_roots`) saves the query when many texts are rewritten.
    """
    if not text:
        return text
    roots = _site_roots() if roots is None else roots
    for internal, public in roots:
        if internal != public:
            text = re.sub(re.escape(internal) + r"(?=[/\"'\s<>)]|$)", public, text)
    return text


site_roots = _site_roots


def platform_address():
    """The one address every mail is sent from (``DEFAULT_FROM_EMAIL``, without name)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def sender(name=None):
    """``"Name" <platform address>``; the platform's own name when no ``name`` is given."""
    default_name = parseaddr(settings.DEFAULT_FROM_EMAIL)[0] or settings.WAGTAIL_SITE_NAME
    return formataddr((name or default_name, platform_address()))


def office_sender(office):
    """The sender of a mail on behalf of ``office``: its name, the platform address."""
    return sender(office.name if office is not None and office.name else None)


def office_reply_to(office):
    """``[office e-mail]`` for ``Reply-To``, or None when the profile has no address."""
    return [office.email] if office is not None and office.email else None


def local_date():
    """An RFC 5322 ``Date`` in the local time of the installation (``+0100``/``+0200``)."""
    return format_datetime(timezone.localtime())


def automatic_headers():
    """Headers of a mail the platform writes on its own (RFC 3834 ``auto-generated``)."""
    return {"Date": local_date(), "Auto-Submitted": "auto-generated"}
