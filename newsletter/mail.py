"""Building the mails: sign-up mails and the issue itself.

An issue is rendered once per language edition, with placeholders where each recipient's
personal links go; CSS is inlined once (``css_inline``) and every message is then a string
substitution. That keeps a send of thousands of messages fast and its memory flat.

No tracking: no pixels, links are not rewritten, nothing in a message identifies the
recipient except their own unsubscribe and preferences links.
"""

import html
import re
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from urllib.parse import quote

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from . import sources
from .tokens import make_confirm_token, make_personal_token

UNSUBSCRIBE = "@@NEWSLETTER-UNSUBSCRIBE@@"
PREFERENCES = "@@NEWSLETTER-PREFERENCES@@"
TEST_TOKEN = "test"

_inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)
_RELATIVE = re.compile(r'(\s(?:href|src))="(/(?!/)[^"]*)"')


def base_url(site):
    """Scheme and host of ``site`` without a trailing slash (``https://land.example``)."""
    if site is None:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return site.root_url.rstrip("/")


def absolutize(markup, root):
    """Make every root-relative ``href``/``src`` absolute (mail clients have no base URL)."""
    return _RELATIVE.sub(lambda m: f'{m.group(1)}="{root}{m.group(2)}"', markup)


def sender_address(mailing_list=None):
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    address = getattr(settings, "NEWSLETTER_FROM_EMAIL", None) or address
    if mailing_list is not None:
        name = mailing_list.sender_name
    return formataddr((name, address))


def message_id_domain(site=None):
    configured = getattr(settings, "NEWSLETTER_MESSAGE_ID_DOMAIN", None)
    if configured:
        return configured
    return site.hostname if site is not None else "localhost"


def personal_urls(root, subscriber, mailing_list):
    token_list = make_personal_token(subscriber, mailing_list)
    token_all = make_personal_token(subscriber)
    return (
        root + reverse("newsletter:unsubscribe", args=[token_list]),
        root + reverse("newsletter:preferences", args=[token_all]),
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
        headers={
            "Message-ID": make_msgid(domain=message_id_domain(site)),
            "Auto-Submitted": "auto-replied",
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
            self.html = _inliner.inline(absolutize(html_doc, self.root))
            text_body = issue_plain_text(edition, self.root)
            self.text = render_to_string(
                "newsletter/email/issue.txt", {**context, "body_text": text_body}
            )
        self.subject = edition.title


class IssueMailer:
    """Builds the personal message of one issue for each subscriber."""

    def __init__(self, issue, mailing_list, subject_prefix=""):
        self.issue = issue.source_edition()
        self.mailing_list = mailing_list
        self.site = mailing_list.office.site
        self.root = base_url(self.site)
        self.domain = message_id_domain(self.site)
        self.from_email = sender_address(mailing_list)
        self.subject_prefix = subject_prefix
        self.list_id = (
            f"{mailing_list.name.replace('<', '').replace('>', '')} "
            f"<list-{mailing_list.pk}.{self.domain}>"
        )
        self.mailto = mailing_list.office.email
        self._editions = {}

    def edition(self, language):
        """The rendered edition for ``language`` (cached for the whole send)."""
        edition = self.issue.edition_for(language)
        key = edition.locale.language_code
        if key not in self._editions:
            self._editions[key] = RenderedEdition(edition, self.mailing_list)
        return self._editions[key]

    def message(self, subscriber, unsubscribe_url=None, preferences_url=None):
        if unsubscribe_url is None:
            unsubscribe_url, preferences_url = personal_urls(
                self.root, subscriber, self.mailing_list
            )
        rendered = self.edition(subscriber.language)
        html_body = rendered.html.replace(UNSUBSCRIBE, html.escape(unsubscribe_url)).replace(
            PREFERENCES, html.escape(preferences_url)
        )
        text_body = rendered.text.replace(UNSUBSCRIBE, unsubscribe_url).replace(
            PREFERENCES, preferences_url
        )
        list_unsubscribe = f"<{unsubscribe_url}>"
        if self.mailto:
            token = unsubscribe_url.rstrip("/").rsplit("/", 1)[-1]
            list_unsubscribe += f", <mailto:{self.mailto}?subject={quote('Abmelden ' + token)}>"
        message = EmailMultiAlternatives(
            subject=self.subject_prefix + rendered.subject,
            body=text_body,
            from_email=self.from_email,
            to=[subscriber.email],
            headers={
                "Message-ID": make_msgid(domain=self.domain),
                "Date": formatdate(localtime=True),
                "List-Id": self.list_id,
                "List-Unsubscribe": list_unsubscribe,
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Precedence": "bulk",
            },
        )
        message.attach_alternative(html_body, "text/html")
        return message

    def test_message(self, email, language):
        """A test copy to ``email``: marked as test, personal links inert."""

        class _Someone:
            pass

        someone = _Someone()
        someone.email = email
        someone.language = language
        test_url = self.root + reverse("newsletter:unsubscribe", args=[TEST_TOKEN])
        test_prefs = self.root + reverse("newsletter:preferences", args=[TEST_TOKEN])
        message = self.message(someone, test_url, test_prefs)
        message.subject = "[TEST] " + message.subject
        return message


def preview_html(issue):
    """The e-mail as a subscriber in the issue's language will see it (admin preview)."""
    if not issue.mailing_list_id:
        return f"<p>{html.escape(_('Bitte zuerst einen Verteiler wählen.'))}</p>"
    rendered = RenderedEdition(issue, issue.mailing_list)
    return rendered.html.replace(UNSUBSCRIBE, "#").replace(PREFERENCES, "#")
