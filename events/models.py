"""Events of the contact offices: pages, materialised occurrences and registrations.

An office publishes its events below its own ``EventIndexPage``; the state coordination
site shows every office's events on a ``NetworkCalendarPage``. Recurring events are
described with friendly fields (``recurrence``), expanded on publish into the
``Occurrence`` table for a bounded horizon, so that every listing is one indexed query
instead of expanding rules for years on every request.
"""

import datetime
import uuid

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from sites.choices import label_of

from . import recurrence
from .forms import EventPageForm
from .listing import EventListingMixin

#: How far ahead occurrences are materialised (about 18 months).
HORIZON = datetime.timedelta(days=548)
#: How far back occurrences are kept for the archive.
ARCHIVE_SPAN = datetime.timedelta(days=730)
#: The longest a single date may last (checked in ``EventPage.clean``). Listings use it as
#: a lower bound on ``start`` so that the start index is scanned from there, not from the
#: oldest stored date.
MAX_DURATION = datetime.timedelta(days=15)


class EventCategory(models.TextChoices):
    """A controlled list so that the network calendar can filter across offices."""

    INFOABEND = "infoabend", _("Infoabend")
    FORTBILDUNG = "fortbildung", _("Fortbildung")
    VORTRAG = "vortrag", _("Vortrag")
    SELBSTHILFETAG = "selbsthilfetag", _("Selbsthilfetag")
    OFFENES_TREFFEN = "offenes-treffen", _("Offenes Gruppentreffen")
    GRUENDUNG = "gruendung", _("Gruppengründung")
    WORKSHOP = "workshop", _("Workshop")
    SPRECHSTUNDE = "sprechstunde", _("Sondersprechstunde")
    SONSTIGES = "sonstiges", _("Sonstiges")


class LocationKind(models.TextChoices):
    ROOM = "room", _("In einem Raum der Kontaktstelle")
    ADDRESS = "address", _("An einer anderen Adresse")
    ONLINE = "online", _("Online")


class Frequency(models.TextChoices):
    NONE = recurrence.NONE, _("Einmalig")
    WEEKLY = recurrence.WEEKLY, _("Wöchentlich (oder alle n Wochen)")
    MONTHLY_WEEKDAY = (
        recurrence.MONTHLY_WEEKDAY,
        _("Monatlich an einem Wochentag (z. B. jeden 2. Dienstag)"),
    )


class Ordinal(models.IntegerChoices):
    FIRST = 1, _("1.")
    SECOND = 2, _("2.")
    THIRD = 3, _("3.")
    FOURTH = 4, _("4.")
    LAST = -1, _("letzten")


class EventIndexPage(EventListingMixin, RoutablePageMixin, Page):
    """The events of one office: upcoming list, month calendar, archive and ICS feed.

    One per office site, created at provisioning below the office's home page, so that
    every office has the same URLs (``/veranstaltungen/``) and the feed can be found.
    """

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    network = False

    class Meta:
        verbose_name = _("Veranstaltungsübersicht")
        verbose_name_plural = _("Veranstaltungsübersichten")


class NetworkCalendarPage(EventListingMixin, RoutablePageMixin, Page):
    """The calendar of the whole network on the state coordination site.

    Lists the events of every office (filterable by office), each linking to the page on
    its own office's site; the coordination's own events are its children.
    """

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    network = True

    @classmethod
    def can_create_at(cls, parent):
        """Only on the state coordination's site: a regional office has its own index."""
        from sites.tenancy import office_for_page

        if not super().can_create_at(parent):
            return False
        office = office_for_page(parent)
        return office is not None and office.is_state

    class Meta:
        verbose_name = _("Veranstaltungskalender des Netzwerks")
        verbose_name_plural = _("Veranstaltungskalender des Netzwerks")


class EventPage(RoutablePageMixin, Page):
    """One event, possibly recurring, with optional registration.

    Times are entered and stored as aware datetimes; recurrence is expanded in Europe/Berlin
    wall-clock time. Registrations are counted per occurrence, so a weekly meeting with ten
    seats has ten seats every week.
    """

    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    all_day = models.BooleanField(
        _("Ganztägig"),
        default=False,
        help_text=_("Die Uhrzeiten werden dann nicht angezeigt; es zählen nur die Tage."),
    )

    frequency = models.CharField(
        _("Wiederholung"), max_length=20, choices=Frequency.choices, default=Frequency.NONE
    )
    interval = models.PositiveSmallIntegerField(
        _("Abstand"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("1 = jede Woche bzw. jeden Monat, 2 = jede zweite, usw."),
    )
    ordinal = models.SmallIntegerField(
        _("Welcher Wochentag im Monat"),
        choices=Ordinal.choices,
        null=True,
        blank=True,
        help_text=_(
            "Nur bei monatlicher Wiederholung: der wievielte Wochentag des Monats. Der "
            "Wochentag ist der des ersten Termins."
        ),
    )
    repeat_until = models.DateField(
        _("Wiederholen bis"),
        null=True,
        blank=True,
        help_text=_("Letzter möglicher Tag. Leer lassen, wenn eine Anzahl angegeben ist."),
    )
    repeat_count = models.PositiveSmallIntegerField(
        _("Anzahl der Termine"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Alternativ zum Enddatum: nach so vielen Terminen endet die Reihe."),
    )

    location_kind = models.CharField(
        _("Ort"), max_length=10, choices=LocationKind.choices, default=LocationKind.ROOM
    )
    room = models.ForeignKey(
        "sites.Room",
        verbose_name=_("Raum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.TextField(
        _("Adresse"), blank=True, help_text=_("Name des Ortes, Straße, PLZ und Ort.")
    )
    online_url = models.URLField(
        _("Link zur Online-Veranstaltung"),
        blank=True,
        help_text=_("Wird öffentlich gezeigt. Zugangsdaten lieber per E-Mail verschicken."),
    )

    category = models.CharField(
        _("Kategorie"),
        max_length=20,
        choices=EventCategory.choices,
        default=EventCategory.INFOABEND,
    )
    audience = models.CharField(
        _("Zielgruppe"),
        max_length=200,
        blank=True,
        help_text=_("z. B. „Betroffene und Angehörige“, „Fachkräfte“"),
    )
    cost = models.CharField(
        _("Kosten"), max_length=100, blank=True, help_text=_("Leer lassen, wenn kostenlos.")
    )
    accessibility = models.TextField(
        _("Hinweise zur Barrierefreiheit"),
        blank=True,
        help_text=_("z. B. stufenloser Zugang, Gebärdensprachdolmetschung, Induktionsschleife"),
    )
    description = RichTextField(
        _("Beschreibung"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Bild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Optional. Wird auf der Seite gezeigt und von Suchmaschinen zur Veranstaltung "
            "angezeigt. Bitte im Bild eine Beschreibung (Alternativtext) hinterlegen."
        ),
    )

    registration_enabled = models.BooleanField(_("Anmeldung erforderlich"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("Plätze je Termin"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
    )
    registration_deadline_hours = models.PositiveSmallIntegerField(
        _("Anmeldeschluss (Stunden vor Beginn)"),
        default=24,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("0 = Anmeldung bis zum Beginn möglich."),
    )
    waiting_list = models.BooleanField(
        _("Warteliste, wenn ausgebucht"),
        default=True,
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("all_day")],
            heading=_("Zeit"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("frequency"), FieldPanel("interval"), FieldPanel("ordinal")]
                ),
                FieldRowPanel([FieldPanel("repeat_until"), FieldPanel("repeat_count")]),
            ],
            heading=_("Wiederholung"),
        ),
        InlinePanel(
            "cancelled_dates",
            heading=_("Ausfallende Termine"),
            label=_("Ausfallender Termin"),
        ),
        InlinePanel("extra_dates", heading=_("Zusätzliche Termine"), label=_("Zusatztermin")),
        MultiFieldPanel(
            [
                FieldPanel("location_kind"),
                FieldPanel("room"),
                FieldPanel("address"),
                FieldPanel("online_url"),
            ],
            heading=_("Ort"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("audience"),
                FieldPanel("cost"),
                FieldPanel("accessibility"),
                FieldPanel("description"),
                FieldPanel("image"),
            ],
            heading=_("Details"),
        ),
        MultiFieldPanel(
            [
                HelpPanel(
                    _("Anmeldungen sehen und exportieren Sie im Hauptmenü unter „Anmeldungen“.")
                ),
                FieldPanel("registration_enabled"),
                FieldRowPanel(
                    [
                        FieldPanel("capacity"),
                        FieldPanel("registration_deadline_hours"),
                        FieldPanel("waiting_list"),
                    ]
                ),
            ],
            heading=_("Anmeldung"),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("audience"),
        index.FilterField("category"),
        index.FilterField("start"),
    ]

    # Texts are translated; times, rules, place and registration settings stay the same in
    # every language (wagtail-localize keeps them in sync with the source).
    override_translatable_fields = [
        TranslatableField("audience"),
        TranslatableField("cost"),
        TranslatableField("accessibility"),
        TranslatableField("description"),
        SynchronizedField("category"),
        SynchronizedField("location_kind"),
        SynchronizedField("frequency"),
        SynchronizedField("address"),
        SynchronizedField("online_url"),
        SynchronizedField("image"),
        SynchronizedField("cancelled_dates"),
        SynchronizedField("extra_dates"),
    ]

    base_form_class = EventPageForm
    parent_page_types = ["events.EventIndexPage", "events.NetworkCalendarPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")

    # --- recurrence -------------------------------------------------------------------

    @property
    def local_start(self):
        return timezone.localtime(self.start, recurrence.BERLIN)

    @property
    def local_end(self):
        return timezone.localtime(self.end, recurrence.BERLIN)

    @property
    def is_recurring(self):
        return self.frequency != Frequency.NONE

    def rule(self, exdates=None, rdates=None):
        """The recurrence of this event as a :class:`recurrence.Rule`."""
        start = self.local_start.replace(tzinfo=None)
        end = self.local_end.replace(tzinfo=None)
        if self.all_day:
            start = datetime.datetime.combine(start.date(), datetime.time())
            end = datetime.datetime.combine(
                end.date() + datetime.timedelta(days=1), datetime.time()
            )
        if exdates is None:
            exdates = [c.date for c in self.cancelled_dates.all()]
        if rdates is None:
            rdates = [e.local_start(start) for e in self.extra_dates.all()]
        return recurrence.Rule(
            start=start,
            end=end,
            frequency=self.frequency,
            interval=self.interval or 1,
            ordinal=self.ordinal,
            until=self.repeat_until if self.is_recurring else None,
            count=self.repeat_count if self.is_recurring else None,
            all_day=self.all_day,
            exdates=exdates,
            rdates=rdates,
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end:
            if self.all_day:
                if self.local_end.date() < self.local_start.date():
                    errors["end"] = _("Der letzte Tag darf nicht vor dem ersten liegen.")
            elif self.end <= self.start:
                errors["end"] = _("Das Ende muss nach dem Beginn liegen.")
            elif self.end - self.start > MAX_DURATION - datetime.timedelta(days=1):
                errors["end"] = _(
                    "Ein Termin darf höchstens 14 Tage dauern. Für Reihen bitte die "
                    "Wiederholung benutzen."
                )
        if self.is_recurring:
            if self.repeat_until and self.repeat_count:
                errors["repeat_count"] = _(
                    "Bitte entweder ein Enddatum oder eine Anzahl angeben, nicht beides."
                )
            if self.frequency == Frequency.MONTHLY_WEEKDAY and self.ordinal is None:
                errors["ordinal"] = _("Bitte angeben, der wievielte Wochentag gemeint ist.")
            if self.start and self.repeat_until and self.repeat_until < self.local_start.date():
                errors["repeat_until"] = _("Das Enddatum liegt vor dem ersten Termin.")
            if not errors and self.start and self.end:
                rule = self.rule(exdates=[], rdates=[])
                first = rule.first_rule_date()
                if first != rule.start:
                    errors["start"] = _(
                        "Der erste Termin passt nicht zur Wiederholung. Der nächste passende "
                        "Tag wäre der %(date)s."
                    ) % {"date": first.strftime("%d.%m.%Y") if first else "–"}
        else:
            self.ordinal = None
            self.repeat_until = None
            self.repeat_count = None
            self.interval = 1
        if self.location_kind == LocationKind.ROOM and self.room_id is None:
            errors["room"] = _("Bitte einen Raum wählen.")
        if self.location_kind == LocationKind.ADDRESS and not self.address.strip():
            errors["address"] = _("Bitte die Adresse angeben.")
        if self.location_kind == LocationKind.ONLINE and not self.online_url:
            errors["online_url"] = _("Bitte den Link angeben.")
        if self.registration_enabled and not self.capacity:
            errors["capacity"] = _("Bitte angeben, wie viele Plätze es je Termin gibt.")
        if errors:
            raise ValidationError(errors)

    def occurrences_between(self, window_start, window_end, include_cancelled=False):
        return self.rule().occurrences(window_start, window_end, include_cancelled)

    # --- display helpers ----------------------------------------------------------------

    @property
    def category_label(self):
        """The category's name (``get_category_display`` is slow in lists)."""
        return label_of(EventCategory, self.category)

    @cached_property
    def location_text(self):
        """The place as one line of text (for listings, JSON-LD and iCalendar): in a room
        of the office, the room with the office's street, postcode and place, so that a
        calendar entry alone gets a visitor to the door."""
        if self.location_kind == LocationKind.ONLINE:
            return str(_("Online"))
        if self.location_kind == LocationKind.ADDRESS:
            return ", ".join(line.strip() for line in self.address.splitlines() if line.strip())
        if self.room is not None:
            return ", ".join([self.room.name, *self.room.office.address_lines])
        return ""

    def get_context(self, request, *args, **kwargs):
        from .views import event_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_page_context(self, request))
        return context

    @path("", name="detail")
    def detail_view(self, request):
        return self.render(request)

    @path("ical/", name="ical")
    def ical_view(self, request):
        from .ics import event_response

        return event_response(self, request)

    @re_path(r"^anmeldung/(?P<token>\d{8}T\d{4})/$", name="register")
    def register_view(self, request, token):
        from .views import register

        return register(self, request, token)


class CancelledDate(Orderable):
    """A date on which a recurring event does not take place (RFC 5545 EXDATE)."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="cancelled_dates")
    date = models.DateField(_("Datum"))
    reason = models.CharField(_("Grund"), max_length=200, blank=True)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("reason")])]

    class Meta(Orderable.Meta):
        verbose_name = _("Ausfallender Termin")
        verbose_name_plural = _("Ausfallende Termine")

    def __str__(self):
        return self.date.strftime("%d.%m.%Y")


class ExtraDate(Orderable):
    """An additional date outside the rule (RFC 5545 RDATE), e.g. a make-up meeting."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="extra_dates")
    date = models.DateField(_("Datum"))
    time = models.TimeField(
        _("Uhrzeit"), null=True, blank=True, help_text=_("Leer = gleiche Uhrzeit wie sonst.")
    )

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("time")])]

    class Meta(Orderable.Meta):
        verbose_name = _("Zusätzlicher Termin")
        verbose_name_plural = _("Zusätzliche Termine")

    def __str__(self):
        return self.date.strftime("%d.%m.%Y")

    def local_start(self, series_start):
        """Naive local start, the series' time of day unless a time is given."""
        return datetime.datetime.combine(self.date, self.time or series_start.time())


#: ``in_locale``'s condition per (locale, default locale), built once per process: a
#: translated listing paid for building its subquery on every request (issue #12). Django
#: copies an expression when a query resolves it, so one instance serves every query.
_IN_LOCALE_CONDITIONS = {}


def _in_locale_condition(locale_id, default):
    condition = _IN_LOCALE_CONDITIONS.get((locale_id, default))
    if condition is None:
        translated = EventPage.objects.filter(
            translation_key=OuterRef("event__translation_key"), locale_id=locale_id, live=True
        )
        condition = Q(locale_id=locale_id) | (Q(locale_id=default) & ~Exists(translated))
        _IN_LOCALE_CONDITIONS[(locale_id, default)] = condition
    return condition


class OccurrenceQuerySet(models.QuerySet):
    def in_locale(self, locale_id):
        """The dates shown to a visitor of ``locale_id``: the events of that locale, and on
        a translated site also the German dates of events nobody has translated yet, so
        that an English visitor sees every event (in German where it has no English).
        """
        from sites.chrome import default_locale_id

        default = default_locale_id()
        if default is None or locale_id == default:
            return self.filter(locale_id=locale_id)
        return self.filter(_in_locale_condition(locale_id, default))

    def for_listing(self, with_office=True):
        """Everything an item of a listing shows, in the same query."""
        related = ["event", "event__room"]
        if with_office:
            related.append("office")
        return self.select_related(*related)

    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.filter(end__gt=now, start__gt=now - MAX_DURATION).order_by("start", "pk")

    def overlapping(self, start, end):
        """Dates that overlap ``[start, end)``."""
        return self.filter(start__lt=end, end__gt=start, start__gt=start - MAX_DURATION)

    def past(self, now=None):
        return self.filter(end__lte=now or timezone.now()).order_by("-start", "-pk")


class Occurrence(models.Model):
    """One materialised date of a published event page.

    Written when the page is published (and by ``refresh_event_occurrences`` nightly, which
    moves the horizon along), deleted when it is unpublished. Office, locale and category
    are copied here so that listings filter and sort on one indexed table.
    """

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="occurrences")
    office = models.ForeignKey("sites.Office", on_delete=models.CASCADE, related_name="+")
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20, choices=EventCategory.choices)
    start = models.DateTimeField()
    end = models.DateTimeField()
    all_day = models.BooleanField(default=False)
    cancelled = models.BooleanField(default=False)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["start", "pk"]
        indexes = [
            # ``end`` is in the index so that the count of upcoming dates (``end > now``)
            # is answered from the index alone: at 2,000 events that took the network
            # calendar's count from 14 to 4 ms.
            models.Index(
                fields=["locale", "office", "start", "end"], name="events_occ_office_start_end"
            ),
            models.Index(fields=["locale", "start", "end"], name="events_occ_start_end"),
            models.Index(fields=["event", "start"], name="events_occ_event_start"),
        ]

    def __str__(self):
        return f"{self.event.title} {self.local_start:%d.%m.%Y %H:%M}"

    @cached_property
    def local_start(self):
        return timezone.localtime(self.start, recurrence.BERLIN)

    @cached_property
    def local_end(self):
        return timezone.localtime(self.end, recurrence.BERLIN)

    @property
    def last_day(self):
        """For all-day events: the last day (``end`` is midnight after it)."""
        return (self.local_end - datetime.timedelta(seconds=1)).date()

    @property
    def token(self):
        """The occurrence in URLs: local start as ``YYYYMMDDTHHMM``."""
        return self.local_start.strftime("%Y%m%dT%H%M")


#: Salt of the cancel links; changing it invalidates every link sent so far.
CANCEL_SALT = "events.registration.cancel"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Angemeldet")
    WAITING = "waiting", _("Warteliste")
    CANCELLED = "cancelled", _("Storniert")


class Registration(models.Model):
    """A visitor's sign-up for one occurrence of an event.

    Registrations hold personal data (possibly about health), so they belong to the office
    (``office``) and only its staff see them in the admin. The event is referenced by its
    ``translation_key``: a sign-up on the English page takes a seat of the same event.
    """

    office = models.ForeignKey(
        "sites.Office", on_delete=models.CASCADE, related_name="event_registrations"
    )
    event = models.ForeignKey(
        EventPage,
        verbose_name=_("Veranstaltung"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    event_key = models.UUIDField(db_index=True, editable=False)
    occurrence_start = models.DateTimeField(_("Termin"))
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail"))
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    note = models.TextField(_("Anmerkung"), blank=True, max_length=2000)
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    consent_at = models.DateTimeField(_("Einwilligung erteilt am"))
    created_at = models.DateTimeField(_("Angemeldet am"), auto_now_add=True)
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cancelled_at = models.DateTimeField(_("Storniert am"), null=True, blank=True)
    cancelled_by_visitor = models.BooleanField(
        _("Selbst abgesagt"),
        default=False,
        help_text=_("Über den Link in der Bestätigungs-E-Mail abgesagt."),
    )

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["occurrence_start", "created_at", "pk"]
        indexes = [
            models.Index(fields=["event_key", "occurrence_start", "status"], name="events_reg_occ"),
        ]

    def __str__(self):
        return f"{self.name} – {self.event.title}"

    @property
    def local_occurrence_start(self):
        return timezone.localtime(self.occurrence_start, recurrence.BERLIN)

    def cancel_token(self):
        """The secret of the cancel link in the confirmation mail: the random ``reference``
        signed with a purpose-bound salt, so that it is unguessable, cannot be turned into
        another registration's link, and is useless for anything but cancelling.

        The reference is signed in its hyphenated form: a bare 32-digit hex word starting
        with 1 or 3 and free of 0 reads as a Bitcoin address to SpamAssassin's
        ``__BITCOIN_ID`` rule (about one link in sixty), which scores the mail as spam.
        Links signed over the bare hex form before still work."""
        return signing.Signer(salt=CANCEL_SALT).sign(str(self.reference))

    @classmethod
    def reference_from_token(cls, token):
        """The ``reference`` a cancel token stands for; ``BadSignature`` if it is forged."""
        value = signing.Signer(salt=CANCEL_SALT).unsign(token)
        try:
            return uuid.UUID(hex=value)
        except ValueError as error:
            raise signing.BadSignature("malformed") from error

    def cancel_url(self):
        """The absolute cancel link, on the site of the registration's office (the mail may
        be sent from an admin request on another host)."""
        from django.urls import reverse

        from sites.mail import public_root

        link = reverse("events_registration_cancel", args=[self.cancel_token()])
        return public_root(self.office.site) + link
