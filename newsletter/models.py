"""The newsletter: lists, subscribers with provable consent, issues and their delivery.

Three legal and operational facts shape these models:

* German law (UWG § 7, DSGVO Art. 7) requires a double opt-in whose every consent can be
  proven: when and on which site it was requested, which wording was shown, when it was
  confirmed. That proof lives on :class:`Subscription` (and, append-only, in
  :class:`SubscriptionEvent`), the wording in the versioned :class:`ConsentText`.
* IP addresses are **not** stored. The confirmation click from the mailbox is the proof that
  the owner of the address consented; an IP adds no proof of identity but is personal data
  that would have to be justified, secured and erased. The sign-up rate limit uses a keyed
  hash of the IP in the cache only, for an hour.
* A send must survive a stop or a crash with nothing lost and nothing sent twice, so every
  recipient of an issue gets a :class:`Delivery` row up front, marked sent only after the
  SMTP server accepted that one message.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from sites.tenancy import office_id_for_page

from .blocks import IssueBodyBlock


def _new_key():
    return secrets.token_urlsafe(12)


class ConsentText(models.Model):
    """The consent wording shown next to the sign-up form, versioned.

    A consent is only provable together with the words the person agreed to. Texts are
    never edited in place: a change creates a new version, and every subscription keeps a
    reference to the version *and* a copy of the text it was given.
    """

    version = models.PositiveIntegerField(_("Version"), unique=True, editable=False)
    text = models.TextField(
        _("Einwilligungstext"),
        help_text=_("Wird neben dem Anmeldeformular gezeigt und mit jeder Anmeldung gespeichert."),
    )
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)

    DEFAULT_TEXT = _(
        "Ich möchte den Newsletter per E-Mail erhalten. Meine E-Mail-Adresse wird nur für "
        "den Versand verwendet und nicht weitergegeben. Ich kann mich jederzeit über den "
        "Link in jeder Ausgabe abmelden."
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("Einwilligungstext")
        verbose_name_plural = _("Einwilligungstexte")

    def __str__(self):
        return _("Version %(version)s") % {"version": self.version}

    def save(self, *args, **kwargs):
        if self.pk is None and not self.version:
            latest = ConsentText.objects.order_by("-version").first()
            self.version = (latest.version if latest else 0) + 1
        elif self.pk is not None:
            # Proof must not change under a subscription: editing creates a new version.
            self.pk = None
            self.version = 0
            return self.save(*args, **kwargs)
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        """The newest text; version 1 with the default wording on a fresh installation."""
        latest = cls.objects.order_by("-version").first()
        if latest is None:
            latest = cls.objects.create(text=str(cls.DEFAULT_TEXT))
        return latest


class MailingList(models.Model):
    """A list people subscribe to, owned by one office.

    The state-wide monthly newsletter belongs to the coordination office; a regional office
    may offer a list of its own. Ownership decides who may send to it.
    """

    office = models.ForeignKey(
        "sites.Office",
        on_delete=models.PROTECT,
        related_name="mailing_lists",
        verbose_name=_("Kontaktstelle"),
    )
    name = models.CharField(_("Name"), max_length=120)
    description = models.TextField(_("Beschreibung"), blank=True)
    from_name = models.CharField(
        _("Absendername"),
        max_length=120,
        blank=True,
        help_text=_("Leer lassen, um den Namen der Kontaktstelle zu verwenden."),
    )
    is_active = models.BooleanField(
        _("Anmeldung möglich"),
        default=True,
        help_text=_("Inaktive Listen werden im Anmeldeformular nicht mehr angeboten."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("office"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("from_name"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["office__name", "name"]
        verbose_name = _("Verteiler")
        verbose_name_plural = pgettext_lazy("Mehrzahl", "Verteiler")
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="newsletter_list_unique_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.office.display_short_name})"

    @property
    def is_state_wide(self):
        return self.office.is_state

    @property
    def sender_name(self):
        return self.from_name or self.office.name

    @classmethod
    def offered_on(cls, site):
        """Lists a sign-up form on ``site`` offers: the state-wide ones and the site's own."""
        from sites.models import OfficeKind

        return cls.objects.filter(is_active=True).filter(
            models.Q(office__kind=OfficeKind.STATE) | models.Q(office__site=site)
        )


class SubscriberQuerySet(models.QuerySet):
    def for_email(self, email):
        return self.filter(email__iexact=(email or "").strip())


class Subscriber(models.Model):
    """A person (an e-mail address) with their preferences.

    The address is unique regardless of case so that ``Anna@x.de`` and ``anna@x.de`` never
    become two people with two consents. ``key`` is mixed into every personal link; rotating
    it (e.g. after an address was erased and signs up anew) invalidates old links.
    """

    email = models.EmailField(_("E-Mail-Adresse"), max_length=254)
    name = models.CharField(_("Name"), max_length=120, blank=True)
    language = models.CharField(
        _("Sprache"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Ausgaben kommen in dieser Sprache, wenn es sie gibt, sonst auf Deutsch."),
    )
    key = models.CharField(max_length=32, default=_new_key, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("Abonnent:in")
        verbose_name_plural = _("Abonnent:innen")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci_unique")
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip()
        super().save(*args, **kwargs)


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("unbestätigt")
    CONFIRMED = "confirmed", _("bestätigt")
    UNSUBSCRIBED = "unsubscribed", _("abgemeldet")


class Subscription(models.Model):
    """One person on one list, with the proof of their consent.

    Only ``confirmed`` subscriptions ever receive an issue. The proof fields are overwritten
    by a new sign-up after an unsubscription; the full history stays in
    :class:`SubscriptionEvent`.
    """

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.PENDING,
    )
    requested_at = models.DateTimeField(_("angefordert am"))
    source_site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("angemeldet auf"),
    )
    source_host = models.CharField(
        _("Hostname der Anmeldung"),
        max_length=255,
        blank=True,
        help_text=_("Kopie, damit der Nachweis eine gelöschte Website überdauert."),
    )
    source_url = models.CharField(_("Formular auf"), max_length=500, blank=True)
    consent_text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="+", verbose_name=_("Einwilligung")
    )
    consent_version = models.PositiveIntegerField(_("Version der Einwilligung"))
    consent_copy = models.TextField(_("Wortlaut der Einwilligung"))
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)
    unsubscribe_method = models.CharField(_("abgemeldet über"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "mailing_list"], name="newsletter_subscription_unique"
            )
        ]
        indexes = [models.Index(fields=["mailing_list", "status"])]

    def __str__(self):
        return f"{self.subscriber} → {self.mailing_list.name} ({self.get_status_display()})"

    def record_consent(self, consent, site=None, url=""):
        self.consent_text = consent
        self.consent_version = consent.version
        self.consent_copy = consent.text
        self.requested_at = timezone.now()
        self.source_site = site
        self.source_host = site.hostname if site else ""
        self.source_url = url[:500]

    def log(self, kind, detail=""):
        return SubscriptionEvent.objects.create(
            subscription=self,
            kind=kind,
            detail=detail,
            consent_version=self.consent_version,
        )


class SubscriptionEvent(models.Model):
    """Append-only history of a subscription: every request, confirmation and unsubscription.

    A person may subscribe, leave and come back; each consent must stay provable, so the
    current state on :class:`Subscription` is not enough.
    """

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Anmeldung angefordert")
        CONFIRMED = "confirmed", _("Anmeldung bestätigt")
        UNSUBSCRIBED = "unsubscribed", _("abgemeldet")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    consent_version = models.PositiveIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%d.%m.%Y %H:%M})"


# --- Pages ------------------------------------------------------------------------------


class NewsletterPage(Page):
    """Sign-up form and web archive of an office's newsletter.

    On the coordination site this is the state-wide newsletter; an office that runs its own
    list adds one to its site. Issues are its children.
    """

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])
    archive_heading = models.CharField(
        _("Überschrift des Archivs"), max_length=120, default=_("Bisherige Ausgaben")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("archive_heading")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletter.NewsletterIssue"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Newsletter-Seite")
        verbose_name_plural = _("Newsletter-Seiten")

    def sent_issues(self):
        """Published issues of this page's locale whose send has finished, newest first."""
        sent_keys = Dispatch.objects.filter(status=Dispatch.Status.FINISHED).values(
            "issue__translation_key"
        )
        return (
            NewsletterIssue.objects.child_of(self)
            .live()
            .filter(translation_key__in=sent_keys)
            .order_by("-month", "-first_published_at")
        )

    def get_context(self, request, *args, **kwargs):
        from .forms import SignupForm

        context = super().get_context(request, *args, **kwargs)
        site = self.get_site()
        context["signup_form"] = SignupForm(site=site)
        context["issues"] = self.sent_issues()
        return context


class IssueAdminForm(WagtailAdminPageForm):
    """Offers only the mailing lists of the office that owns the site of the issue."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("mailing_list")
        parent = self.parent_page
        if field is not None and parent is not None:
            office_id = office_id_for_page(parent)
            field.queryset = MailingList.objects.filter(office_id=office_id)
            if office_id is not None and field.queryset.count() == 1 and not self.instance.pk:
                field.initial = field.queryset.first().pk


class NewsletterIssue(Page):
    """One monthly issue, edited like a page and sent as an e-mail.

    Translations (wagtail-localize) are the language editions; a subscriber gets the
    edition in their language where it is published, German otherwise. The page is only
    visible on the web once its send has finished (then it is part of the archive).
    """

    month = models.DateField(
        _("Monat"),
        help_text=_("Der Monat der Ausgabe; automatisch gefüllte Blöcke beziehen sich darauf."),
    )
    mailing_list = models.ForeignKey(
        MailingList,
        on_delete=models.PROTECT,
        related_name="issues",
        verbose_name=_("Verteiler"),
    )
    preheader = models.CharField(
        _("Vorschautext"),
        max_length=150,
        blank=True,
        help_text=_("Wird von vielen E-Mail-Programmen neben dem Betreff angezeigt."),
    )
    body = StreamField(IssueBodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("month"), FieldPanel("mailing_list"), FieldPanel("preheader")],
            heading=_("Ausgabe"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    base_form_class = IssueAdminForm

    parent_page_types = ["newsletter.NewsletterPage"]
    subpage_types = []

    preview_modes = [("", _("Webseite")), ("email", _("E-Mail"))]

    class Meta:
        verbose_name = _("Newsletter-Ausgabe")
        verbose_name_plural = _("Newsletter-Ausgaben")

    def clean(self):
        super().clean()
        if self.month:
            self.month = self.month.replace(day=1)
        parent = self.get_parent() if self.pk else None
        if parent is not None and self.mailing_list_id:
            office_id = office_id_for_page(parent)
            if office_id is not None and self.mailing_list.office_id != office_id:
                raise ValidationError(
                    {
                        "mailing_list": _(
                            "Eine Ausgabe kann nur an einen Verteiler der eigenen "
                            "Kontaktstelle gehen."
                        )
                    }
                )

    def source_edition(self):
        """The German (default-locale) edition, which owns the send."""
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self
        return (
            NewsletterIssue.objects.filter(
                translation_key=self.translation_key, locale=default
            ).first()
            or self
        )

    def edition_for(self, language):
        """The live edition in ``language``, or the German one."""
        if language and language != self.locale.language_code:
            edition = (
                NewsletterIssue.objects.live()
                .filter(translation_key=self.translation_key, locale__language_code=language)
                .first()
            )
            if edition is not None:
                return edition
        return self.source_edition()

    @property
    def is_sent(self):
        return Dispatch.objects.filter(
            issue__translation_key=self.translation_key, status=Dispatch.Status.FINISHED
        ).exists()

    def serve(self, request, *args, **kwargs):
        if not self.is_sent:
            raise Http404
        return super().serve(request, *args, **kwargs)

    def serve_preview(self, request, mode_name):
        if mode_name == "email":
            from .mail import preview_html

            return HttpResponse(preview_html(self))
        return super().serve(request)


# --- Sending ----------------------------------------------------------------------------


class Dispatch(models.Model):
    """The send of one issue to its list: scheduled, running, stopped or finished.

    One per issue (its German edition). Only one worker runs a dispatch at a time: it
    holds a lease (``lease_owner`` until ``lease_expires_at``) that it renews as it goes;
    a crashed worker's lease runs out and the send can be resumed.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("geplant")
        RUNNING = "running", _("läuft")
        STOPPED = "stopped", _("angehalten")
        FINISHED = "finished", _("abgeschlossen")
        CANCELLED = "cancelled", _("abgebrochen")

    issue = models.OneToOneField(NewsletterIssue, on_delete=models.CASCADE, related_name="dispatch")
    mailing_list = models.ForeignKey(MailingList, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    scheduled_for = models.DateTimeField(_("Versand am"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    recipients_created = models.BooleanField(default=False)
    stop_requested = models.BooleanField(default=False)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Versand")
        verbose_name_plural = _("Versände")
        permissions = [("send_newsletter", _("Darf Newsletter versenden"))]

    def __str__(self):
        return f"{self.issue} ({self.get_status_display()})"

    def counts(self):
        """Sent, failed and remaining deliveries, in one query."""
        rows = dict(self.deliveries.values_list("status").annotate(n=models.Count("pk")).order_by())
        sent = rows.get(Delivery.Status.SENT, 0)
        failed = rows.get(Delivery.Status.FAILED, 0)
        skipped = rows.get(Delivery.Status.SKIPPED, 0)
        pending = rows.get(Delivery.Status.PENDING, 0)
        return {
            "sent": sent,
            "failed": failed,
            "skipped": skipped,
            "remaining": pending,
            "total": sent + failed + skipped + pending,
        }

    @property
    def is_active(self):
        return self.status in (self.Status.SCHEDULED, self.Status.RUNNING)

    @property
    def lease_is_stale(self):
        return self.status == self.Status.RUNNING and (
            self.lease_expires_at is None or self.lease_expires_at < timezone.now()
        )


class Delivery(models.Model):
    """One issue to one subscriber: created before the first message goes out.

    ``sent`` is written in its own commit right after the SMTP server accepted the message,
    so a resumed send knows exactly who still waits. Temporary failures keep the row
    ``pending`` with a later ``next_attempt_at``; permanent ones end as ``failed`` with
    the server's reason.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("ausstehend")
        SENT = "sent", _("versendet")
        FAILED = "failed", _("fehlgeschlagen")
        SKIPPED = "skipped", _("übersprungen")

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "subscriber"], name="newsletter_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["dispatch", "status", "id"])]

    def __str__(self):
        return f"{self.subscriber_id} ({self.get_status_display()})"
