"""Building the mails: sign-up mails and the issue itself.

An issue is rendered once per language edition, with placeholders where each recipient's
personal links go; CSS is inlined once (``css_inline``) and every message is then a string
substitution. That keeps a send of thousands of messages fast and its memory flat.

No tracking: no pixels, links are not rewritten, nothing in a message identifies the
recipient except their own unsubscribe and preferences links.
"""

import html
import re
from email.utils import formataddr, make_msgid
from urllib.parse import quote

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from sites import mail as site_mail

from . import sources
from .tokens import make_confirm_token, make_personal_token, make_test_token, personal_signer

UNSUBSCRIBE = "@@NEWSLETTER-UNSUBSCRIBE@@"
PREFERENCES = "@@NEWSLETTER-PREFERENCES@@"
TOKEN_QUOTED = "@@NEWSLETTER-TOKEN@@"
DATE = "@@NEWSLETTER-DATE@@"
MESSAGE_ID = "<newsletter-message-id@placeholder.invalid>"
RECIPIENT = "newsletter-recipient@placeholder.invalid"
#: Longest line (octets) a message may carry unencoded (RFC 5322: 998 plus CRLF).
MAX_LINE = 990

_inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)
_RELATIVE = re.compile(r'(\s(?:href|src))="(/(?!/)[^"]*)"')


def wrap_long_lines(markup, limit=MAX_LINE):
    """Break lines longer than ``limit`` at spaces.

    css_inline writes long lines; a body with lines over 998 octets must be encoded
    (quoted-printable), which is slower and would split the personal-link placeholders.
    A line break where a space was changes nothing in HTML: URLs contain no spaces.
    """
    out = []
    for line in markup.split("\n"):
        while len(line.encode()) > limit:
            cut = line.rfind(" ", 0, limit // 2)
            if cut <= 0:
                break
            out.append(line[:cut])
            line = line[cut + 1 :]
        out.append(line)
    return "\n".join(out)


def base_url(site):
    """Public scheme and host of ``site`` without a trailing slash (``https://land.example``).

    Not ``Site.root_url``, which is ``http`` unless the site's port is 443: links in a mail
    (and the RFC 8058 unsubscribe URI, which must be ``https``) use the public scheme.
    """
    return site_mail.public_root(site)


def absolutize(markup, root):
    """Make every root-relative ``href``/``src`` absolute (mail clients have no base URL)."""
    return _RELATIVE.sub(lambda m: f'{m.group(1)}="{root}{m.group(2)}"', markup)


def sender_address(mailing_list=None):
    """The list's sender name (the office's name unless set) at the platform address."""
    if mailing_list is None:
        return site_mail.sender()
    address = getattr(settings, "NEWSLETTER_FROM_EMAIL", None) or site_mail.platform_address()
    return formataddr((mailing_list.sender_name, address))


def reply_to(mailing_lists):
    """Replies go to the office of the list(s): its e-mail address from the profile."""
    addresses = []
    for mailing_list in mailing_lists:
        email = mailing_list.office.email
        if email and email not in addresses:
            addresses.append(email)
    return addresses or None


def message_id_domain(site=None):
    configured = getattr(settings, "NEWSLETTER_MESSAGE_ID_DOMAIN", None)
    if configured:
        return configured
    return site.hostname if site is not None else "localhost"


def personal_urls(root, subscriber, mailing_list, signer=None):
    token_list = make_personal_token(subscriber, mailing_list, signer)
    token_all = make_personal_token(subscriber, None, signer)
    return (
        root + reverse("newsletter:unsubscribe", args=[token_list]),
        root + reverse("newsletter:preferences", args=[token_all]),
    )


class PersonalLinks:
    """``personal_urls`` for a whole send: one signer, URL prefixes resolved once."""

    def __init__(self, root, mailing_list):
        self.mailing_list = mailing_list
        self.signer = personal_signer()
        marker = "TOKEN"
        self.unsubscribe = (root + reverse("newsletter:unsubscribe", args=[marker])).split(marker)
        self.preferences = (root + reverse("newsletter:preferences", args=[marker])).split(marker)

    def __call__(self, subscriber):
        token_list = make_personal_token(subscriber, self.mailing_list, self.signer)
        token_all = make_personal_token(subscriber, None, self.signer)
        return (
            token_list.join(self.unsubscribe),
            token_all.join(self.preferences),
        )


# --- Sign-up mails ----------------------------------------------------------------------


def signup_message(kind, subscriber, subscriptions, site):
    """The confirmation mail (``confirm``) or the "already subscribed" note (``already``).

    Neither carries advertising: a confirmation request must not itself be promotion.
    """
    root = base_url(site)
    lists = [s.mailing_list for s in subscriptions]
    with translation.override(subscriber.language):
        context = {
            "subscriber": subscriber,
            "lists": lists,
            "site_name": site.site_name if site else settings.WAGTAIL_SITE_NAME,
            "valid_days": settings.NEWSLETTER_CONFIRM_MAX_AGE // 86400,
        }
        if kind == "confirm":
            token = make_confirm_token(subscriber, [s.pk for s in subscriptions])
            context["confirm_url"] = root + reverse("newsletter:confirm", args=[token])
            subject = _("Bitte bestätigen Sie Ihre Newsletter-Anmeldung")
            template = "newsletter/email/confirm.txt"
        else:
            context["preferences_url"] = root + reverse(
                "newsletter:preferences", args=[make_personal_token(subscriber)]
            )
            subject = _("Sie sind bereits angemeldet")
            template = "newsletter/email/already.txt"
        body = render_to_string(template, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=sender_address(lists[0] if len(lists) == 1 else None),
        to=[subscriber.email],
        reply_to=reply_to(lists),
        headers={
            "Message-ID": make_msgid(domain=message_id_domain(site)),
            # Written by the platform on its own, not a reply to a message (RFC 3834).
            **site_mail.automatic_headers(),
        },
    )
    return message


# --- The issue --------------------------------------------------------------------------


def _rich_text_to_plain(markup):
    text = re.sub(
        r'<a\s[^>]*href="([^"]+)"[^>]*>(.*?)</a>',
        lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(1) != m.group(2) else m.group(1),
        markup,
        flags=re.S,
    )
    text = re.sub(r"<li[^>]*>", "- ", text)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"</(p|li|h\d|ul|ol|div)>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def issue_plain_text(edition, root):
    """The plain-text part: the same content, links written out."""
    parts = []
    for block in edition.body:
        kind, value = block.block_type, block.value
        if kind == "heading":
            parts.append(f"{value}\n{'=' * len(value)}")
        elif kind == "paragraph":
            parts.append(absolutize_plain(_rich_text_to_plain(expand_db_html(value.source)), root))
        elif kind == "image":
            caption = f" – {value['caption']}" if value.get("caption") else ""
            parts.append(f"[{_('Bild')}: {value['alt']}{caption}]")
        elif kind == "call_to_action":
            page = value.get("page")
            href = page.specific.full_url if page else value.get("url")
            text = f"{value['text']}\n" if value.get("text") else ""
            parts.append(f"{text}{value['label']}: {href}")
        elif kind == "auto_content":
            items = block.block.items_for(value, edition)
            if not items and not value.get("empty_text"):
                continue
            lines = (
                [f"{value['heading']}\n{'-' * len(value['heading'])}"]
                if value.get("heading")
                else []
            )
            lines += [_plain_item(item) for item in items] or [value.get("empty_text")]
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


def absolutize_plain(text, root):
    return re.sub(r"\((/(?!/)[^)\s]*)\)", lambda m: f"({root}{m.group(1)})", text)


def _plain_item(item: sources.Item):
    meta = " · ".join(
        x for x in ((item.date.strftime("%d.%m.%Y") if item.date else ""), item.office) if x
    )
    return f"- {item.title}{f' ({meta})' if meta else ''}\n  {item.url}"


class RenderedEdition:
    """One language edition with placeholders for the personal links."""

    def __init__(self, edition, mailing_list):
        self.edition = edition
        site = mailing_list.office.site
        self.root = base_url(site)
        language = edition.locale.language_code
        with translation.override(language):
            context = {
                "issue": edition,
                "page": edition,
                "mailing_list": mailing_list,
                "office": mailing_list.office,
                "unsubscribe_url": UNSUBSCRIBE,
                "preferences_url": PREFERENCES,
                "language": language,
            }
            html_doc = render_to_string("newsletter/email/issue.html", context)
            roots = site_mail.site_roots()
            html_doc = site_mail.public_urls(absolutize(html_doc, self.root), roots)
            self.html = wrap_long_lines(_inliner.inline(html_doc))
            text_body = issue_plain_text(edition, self.root)
            self.text = site_mail.public_urls(
                render_to_string("newsletter/email/issue.txt", {**context, "body_text": text_body}),
                roots,
            )
        self.subject = edition.title


class _RawMessage:
    """What ``EmailMessage.message()`` returns for a prepared message: the final bytes."""

    def __init__(self, data):
        self.data = data

    def as_bytes(self, unixfrom=False, linesep="\n"):
        return self.data

    def as_string(self, unixfrom=False, linesep="\n"):
        return self.data.decode("utf-8", "replace")


class PreparedEmail(EmailMultiAlternatives):
    """A personal copy made by substitution in the bytes of a message built once.

    It is a real ``EmailMultiAlternatives`` (subject, bodies and headers are set as usual,
    so every Django backend works) whose ``message()`` returns the precomputed bytes
    instead of building and encoding the MIME tree again for each of 10,000 people.
    """

    raw = b""
    #: The recipient as it goes into the SMTP envelope (IDN domains encoded).
    envelope_to = None

    def message(self):
        return _RawMessage(self.raw)


class IssueMailer:
    """Builds the personal message of one issue for each subscriber."""

    def __init__(self, issue, mailing_list, subject_prefix=""):
        self.issue = issue.source_edition()
        self.mailing_list = mailing_list
        self.site = mailing_list.office.site
        self.root = base_url(self.site)
        self.domain = message_id_domain(self.site)
        self.from_email = sender_address(mailing_list)
        self.envelope_from = sanitize_address(self.from_email, settings.DEFAULT_CHARSET)
        self.subject_prefix = subject_prefix
        self.list_id = (
            f"{mailing_list.name.replace('<', '').replace('>', '')} "
            f"<list-{mailing_list.pk}.{self.domain}>"
        )
        self.mailto = mailing_list.office.email
        self.reply_to = reply_to([mailing_list])
        self.links = PersonalLinks(self.root, mailing_list)
        self._editions = {}  # subscriber language -> rendered edition
        self._by_locale = {}  # edition locale -> rendered edition

    def edition(self, language):
        """The rendered edition for ``language`` (looked up and rendered once per send)."""
        rendered = self._editions.get(language)
        if rendered is None:
            edition = self.issue.edition_for(language)
            key = edition.locale.language_code
            rendered = self._by_locale.get(key)
            if rendered is None:
                rendered = self._by_locale[key] = RenderedEdition(edition, self.mailing_list)
            self._editions[language] = rendered
        return rendered

    def _build(self, rendered, to, unsubscribe_url, preferences_url, token, message_id, date):
        html_body = rendered.html.replace(UNSUBSCRIBE, html.escape(unsubscribe_url)).replace(
            PREFERENCES, html.escape(preferences_url)
        )
        text_body = rendered.text.replace(UNSUBSCRIBE, unsubscribe_url).replace(
            PREFERENCES, preferences_url
        )
        list_unsubscribe = f"<{unsubscribe_url}>"
        if self.mailto:
            list_unsubscribe += f", <mailto:{self.mailto}?subject=Abmelden%20{token}>"
        message = PreparedEmail(
            subject=self.subject_prefix + rendered.subject,
            body=text_body,
            from_email=self.from_email,
            to=[to],
            reply_to=self.reply_to,
            headers={
                "Message-ID": message_id,
                "Date": date,
                "List-Id": self.list_id,
                "List-Unsubscribe": list_unsubscribe,
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Precedence": "bulk",
            },
        )
        message.attach_alternative(html_body, "text/html")
        return message

    def _template(self, rendered):
        """The bytes of the edition with placeholders, or None if they do not survive
        encoding (then each message is built in full, which is slower but equal)."""
        if not hasattr(rendered, "template"):
            message = self._build(
                rendered, RECIPIENT, UNSUBSCRIBE, PREFERENCES, TOKEN_QUOTED, MESSAGE_ID, DATE
            )
            data = EmailMultiAlternatives.message(message).as_bytes(linesep="\r\n")
            intact = all(
                data.count(marker.encode()) >= 2 for marker in (UNSUBSCRIBE, PREFERENCES)
            ) and all(marker.encode() in data for marker in (RECIPIENT, MESSAGE_ID, DATE))
            rendered.template = data if intact else None
        return rendered.template

    def message(self, subscriber, unsubscribe_url=None, preferences_url=None):
        if unsubscribe_url is None:
            unsubscribe_url, preferences_url = self.links(subscriber)
        rendered = self.edition(subscriber.language)
        token = quote(unsubscribe_url.rstrip("/").rsplit("/", 1)[-1], safe="")
        message_id = make_msgid(domain=self.domain)
        date = site_mail.local_date()
        message = self._build(
            rendered, subscriber.email, unsubscribe_url, preferences_url, token, message_id, date
        )
        template = self._template(rendered)
        if template is None:
            message.raw = EmailMultiAlternatives.message(message).as_bytes(linesep="\r\n")
        else:
            email = subscriber.email
            to = email if email.isascii() else sanitize_address(email, settings.DEFAULT_CHARSET)
            message.envelope_to = to
            message.raw = (
                template.replace(UNSUBSCRIBE.encode(), html.escape(unsubscribe_url).encode())
                .replace(PREFERENCES.encode(), html.escape(preferences_url).encode())
                .replace(TOKEN_QUOTED.encode(), token.encode())
                .replace(MESSAGE_ID.encode(), message_id.encode())
                .replace(DATE.encode(), date.encode())
                .replace(RECIPIENT.encode(), to.encode())
            )
        return message

    def test_message(self, email, language):
        """A test copy to ``email``: marked as test, its personal links harmless.

        The links carry a signed test token of the tester's own address: they look and
        travel like real ones (same length, same host, one-click POST works), and the
        views answer them with a page explaining that this was a test.
        """

        class _Someone:
            pass

        someone = _Someone()
        someone.email = email
        someone.language = language
        token = make_test_token(email)
        test_url = self.root + reverse("newsletter:unsubscribe", args=[token])
        test_prefs = self.root + reverse("newsletter:preferences", args=[token])
        message = self.message(someone, test_url, test_prefs)
        message.subject = "[TEST] " + message.subject
        return message


def preview_html(issue):
    """The e-mail as a subscriber in the issue's language will see it (admin preview)."""
    if not issue.mailing_list_id:
        # Not inside the f-string: xgettext (makemessages) does not look into f-strings.
        message = _("Bitte zuerst einen Verteiler wählen.")
        return f"<p>{html.escape(message)}</p>"
    rendered = RenderedEdition(issue, issue.mailing_list)
    return rendered.html.replace(UNSUBSCRIBE, "#").replace(PREFERENCES, "#")
