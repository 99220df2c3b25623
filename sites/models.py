"""Contact offices: the tenants of the platform.

Every office is bound one-to-one to a Wagtail ``Site``. The profile is a *site setting*
(``BaseSiteSetting``) so that Wagtail's per-site permission (``GroupSitePermission``) lets an
office's staff edit their own profile and nobody else's, without a permission system of our
own. Opening hours, consultation hours and rooms are structured inline records, because the
public site computes "open now", the events module books rooms, and state reports count them.
"""

import datetime
import re
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, Task

from .admin_panels import LegalStatusPanel
from .choices import label_of
from .closures import State, default_state, holiday_name
from .languages import LanguagesField

#: Hours that end at or after this time count as evening hours (the quality standards ask
#: for at least one evening consultation a week for people who work during the day).
EVENING_STARTS = datetime.time(17, 0)

#: Opening hours are kept in the office's local time, whatever the server's time zone is.
OFFICE_TIME_ZONE = ZoneInfo("Europe/Berlin")
#: How far "next opening" looks ahead (long enough for a summer closure and holidays).
OPENING_LOOKAHEAD_DAYS = 62
#: The hours box announces closure periods that start within this many days.
CLOSURE_NOTICE_DAYS = 28

#: The theme's default brand colour (petrol, contrast 7.6:1 against white).
DEFAULT_BRAND_COLOUR = "#0b5563"
#: WCAG 2.1 AA: normal text needs a contrast ratio of at least 4.5:1.
MIN_CONTRAST = 4.5
HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def relative_luminance(hex_colour):
    """The WCAG 2.1 relative luminance of a ``#rrggbb`` colour (0 = black, 1 = white)."""
    channels = []
    for i in (1, 3, 5):
        c = int(hex_colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second):
    """The WCAG contrast ratio of two ``#rrggbb`` colours, from 1.0 to 21.0."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_brand_colour(value):
    """A brand colour must be ``#rrggbb`` and carry white text at WCAG AA contrast.

    The header, buttons and links use the brand colour as background for white text and as
    text colour on white, so one check against white covers both.
    """
    if not HEX_COLOUR_RE.match(value or ""):
        raise ValidationError(
            _("Bitte eine Farbe im Format #RRGGBB angeben, z. B. #0b5563."), code="format"
        )
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "Der Kontrast dieser Farbe zu weißer Schrift beträgt nur %(ratio)s:1. Für "
                "barrierefreie Lesbarkeit (WCAG 2.1 AA) sind mindestens 4,5:1 nötig. Bitte "
                "wählen Sie einen dunkleren Farbton."
            ),
            code="contrast",
            params={"ratio": f"{ratio:.2f}".replace(".", ",")},
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Montag")
    TUESDAY = 1, _("Dienstag")
    WEDNESDAY = 2, _("Mittwoch")
    THURSDAY = 3, _("Donnerstag")
    FRIDAY = 4, _("Freitag")
    SATURDAY = 5, _("Samstag")
    SUNDAY = 6, _("Sonntag")


class OfficeKind(models.TextChoices):
    REGIONAL = "regional", _("Regionale Kontaktstelle")
    STATE = "state", _("Landeskoordination")


@register_setting(icon="home", name="office")
class Office(BaseSiteSetting, ClusterableModel):
    """The profile a contact office publishes, one per Wagtail site.

    The kind (regional office or state coordination) is set when the office is provisioned
    and is not editable in the profile: it decides who owns the shared directory and the
    newsletter, which is not the office's own choice.
    """

    kind = models.CharField(
        _("Art"), max_length=16, choices=OfficeKind.choices, default=OfficeKind.REGIONAL
    )
    name = models.CharField(_("Name"), max_length=200, default="")
    #: The collection that holds the office's images and documents. Wagtail knows
    #: collections only through group permissions; the tenancy fence needs to answer
    #: "which office owns this image?" directly (``sites.tenancy.office_for_collection``).
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("Sammlung"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    short_name = models.CharField(
        _("Kurzname"),
        max_length=60,
        blank=True,
        help_text=_("Wird in Listen und im Newsletter gezeigt, z. B. „KIS Pankow“."),
    )
    region = models.CharField(
        _("Einzugsgebiet"),
        max_length=200,
        blank=True,
        help_text=_("Bezirk, Landkreis oder Region, z. B. „Bezirk Pankow“."),
    )
    districts = models.TextField(
        _("Ortsteile / Gemeinden"),
        blank=True,
        help_text=_("Ein Ortsteil oder eine Gemeinde pro Zeile."),
    )
    organisation = models.CharField(
        _("Träger"),
        max_length=200,
        blank=True,
        help_text=_(
            "Die Organisation, die die Kontaktstelle betreibt (z. B. ein Verein); sie ist "
            "Anbieterin der Website im Impressum und verantwortliche Stelle im Datenschutz."
        ),
    )
    state = models.CharField(
        _("Bundesland"),
        max_length=2,
        choices=State.choices,
        default=default_state,
        help_text=_(
            "Bestimmt die gesetzlichen Feiertage, an denen die Kontaktstelle geschlossen ist."
        ),
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    directions = models.TextField(
        _("Anfahrt"), blank=True, help_text=_("Haltestellen, Eingang, Parkplätze.")
    )

    # --- Legal information (Impressum § 5 DDG, § 18 MStV; Datenschutz Art. 13 DSGVO) ---
    organisation_address = models.CharField(
        _("Anschrift des Trägers"),
        max_length=300,
        blank=True,
        help_text=_("Nur ausfüllen, wenn sie von der Anschrift der Kontaktstelle abweicht."),
    )
    representative = models.CharField(
        _("Vertretungsberechtigt"),
        max_length=300,
        blank=True,
        help_text=_(
            "Wer den Träger vertritt, z. B. „Vorstand: Maria Muster (Vorsitzende), "
            "Jonas Beispiel“ oder „Geschäftsführerin: Aylin Demir“."
        ),
    )
    content_responsible = models.CharField(
        _("Verantwortlich für den Inhalt"),
        max_length=200,
        blank=True,
        help_text=_(
            "Name einer Person nach § 18 Abs. 2 Medienstaatsvertrag; genannt wird sie mit der "
            "Anschrift der Kontaktstelle."
        ),
    )
    register_entry = models.CharField(
        _("Registereintrag"),
        max_length=200,
        blank=True,
        help_text=_(
            "Falls eingetragen, z. B. „Vereinsregister Amtsgericht Charlottenburg, VR 12345 B“."
        ),
    )
    supervisory_authority = models.CharField(
        _("Aufsichtsbehörde"),
        max_length=200,
        blank=True,
        help_text=_("Nur wenn die Tätigkeit einer behördlichen Zulassung bedarf."),
    )
    privacy_officer = models.CharField(
        _("Datenschutzbeauftragte Person"),
        max_length=200,
        blank=True,
        help_text=_("Name und E-Mail-Adresse, falls der Träger eine Person benannt hat."),
    )

    #: The content languages this site offers (``sites.tenancy.site_languages``): only
    #: these appear in the language switcher, ``hreflang``, the sitemaps and as translation
    #: targets; a URL in another language answers 404. Adding one creates its locale root
    #: (``sites.provisioning.ensure_locale_roots``); removing one hides it, keeping content.
    languages = LanguagesField(
        _("Sprachen der Website"),
        help_text=_(
            "Deutsch bietet jede Website an. Eine neu gewählte Sprache bekommt sofort ihre "
            "Startseite und Hauptseiten, zunächst mit dem deutschen Text, bis sie übersetzt "
            "sind. Eine abgewählte Sprache ist nicht mehr zu sehen; ihre Übersetzungen "
            "bleiben erhalten."
        ),
    )

    step_free_access = models.BooleanField(_("Stufenloser Zugang"), default=False)
    accessible_wc = models.BooleanField(_("Barrierefreies WC"), default=False)
    hearing_loop = models.BooleanField(_("Induktionsschleife"), default=False)
    accessibility_notes = models.TextField(_("Hinweise zur Barrierefreiheit"), blank=True)

    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Wird im Kopf jeder Seite klein auf weißem Grund gezeigt."),
    )
    brand_colour = models.CharField(
        _("Markenfarbe"),
        max_length=7,
        default=DEFAULT_BRAND_COLOUR,
        validators=[validate_brand_colour],
        help_text=_(
            "Farbe für Kopfzeile, Schaltflächen und Links im Format #RRGGBB. Weiße Schrift "
            "muss darauf gut lesbar sein (Kontrast mindestens 4,5:1)."
        ),
    )

    profile_panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("short_name"),
                FieldPanel("region"),
                FieldPanel("state"),
                FieldPanel("districts"),
            ],
            heading=_("Kontaktstelle"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("street"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("directions"),
            ],
            heading=_("Adresse und Kontakt"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("step_free_access"),
                FieldPanel("accessible_wc"),
                FieldPanel("hearing_loop"),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("Barrierefreiheit"),
        ),
        FieldPanel("languages"),
    ]
    legal_panels = [
        LegalStatusPanel(heading=_("Was für Impressum und Datenschutz noch fehlt")),
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("organisation_address"),
                FieldPanel("representative"),
                FieldPanel("register_entry"),
                FieldPanel("supervisory_authority"),
            ],
            heading=_("Träger (Anbieter der Website)"),
        ),
        MultiFieldPanel(
            [FieldPanel("content_responsible"), FieldPanel("privacy_officer")],
            heading=_("Verantwortliche Personen"),
        ),
    ]
    branding_panels = [FieldPanel("logo"), FieldPanel("brand_colour")]
    hours_panels = [
        InlinePanel("opening_hours", heading=_("Öffnungszeiten"), label=_("Öffnungszeit")),
        InlinePanel("consultation_hours", heading=_("Sprechzeiten"), label=_("Sprechzeit")),
        InlinePanel(
            "closures",
            heading=_("Schließzeiten"),
            label=_("Schließzeit"),
            help_text=_(
                "Urlaub, Fortbildung, Umzug: Die Website zeigt die Schließzeit an und sagt in "
                "dieser Zeit nicht „geöffnet“. Gesetzliche Feiertage des Bundeslands sind "
                "schon berücksichtigt."
            ),
        ),
    ]
    rooms_panels = [InlinePanel("rooms", heading=_("Gruppenräume"), label=_("Raum"))]

    edit_handler = TabbedInterface(
        [
            ObjectList(profile_panels, heading=_("Profil")),
            ObjectList(legal_panels, heading=_("Impressum")),
            ObjectList(hours_panels, heading=_("Zeiten")),
            ObjectList(rooms_panels, heading=_("Räume")),
            ObjectList(branding_panels, heading=_("Gestaltung")),
        ]
    )

    class Meta:
        verbose_name = _("Kontaktstelle")
        verbose_name_plural = _("Kontaktstellen")

    def __str__(self):
        return self.name or str(self.site)

    @property
    def is_state(self):
        return self.kind == OfficeKind.STATE

    @property
    def display_short_name(self):
        return self.short_name or self.name

    @property
    def public_url(self):
        """The address of the office's site as the public reaches it (https in
        production, see ``sites.mail.public_root``)."""
        from .mail import public_root

        return f"{public_root(self.site)}/"

    @property
    def district_list(self):
        return [line.strip() for line in self.districts.splitlines() if line.strip()]

    @property
    def address_lines(self):
        return [
            line
            for line in (self.street, " ".join(p for p in (self.postcode, self.city) if p))
            if line
        ]

    def closure_on(self, day):
        """Why the office is closed all day on ``day`` despite its weekly hours, or None:
        ``{"kind": "holiday", "reason": name}`` or ``{"kind": "closure", "reason": ...,
        "starts": date, "ends": date}``."""
        name = holiday_name(self.state, day)
        if name:
            return {"kind": "holiday", "reason": name}
        for closure in self.closures.all():
            if closure.starts <= day <= closure.ends:
                return {
                    "kind": "closure",
                    "reason": closure.reason,
                    "starts": closure.starts,
                    "ends": closure.ends,
                }
        return None

    def announced_closures(self, today=None, days_ahead=CLOSURE_NOTICE_DAYS):
        """Closure periods running on ``today`` or starting within ``days_ahead`` days,
        earliest first (the hours box announces them)."""
        today = today or timezone.localdate(timezone=OFFICE_TIME_ZONE)
        horizon = today + datetime.timedelta(days=days_ahead)
        return sorted(
            (c for c in self.closures.all() if c.ends >= today and c.starts <= horizon),
            key=lambda c: c.starts,
        )

    def is_open_at(self, moment=None):
        """Whether the office is open at ``moment`` (default: now), judged in Europe/Berlin:
        inside a weekly slot, and not on a public holiday or in a closure period."""
        moment = timezone.localtime(moment, OFFICE_TIME_ZONE)
        if not any(hours.covers(moment) for hours in self.opening_hours.all()):
            return False
        return self.closure_on(moment.date()) is None

    def next_opening(self, moment=None):
        """The next moment (Europe/Berlin) at which an opening slot starts, or None.

        Skips public holidays and closure periods; looks up to ``OPENING_LOOKAHEAD_DAYS``
        ahead, which covers every weekly slot and a long summer closure.
        """
        moment = timezone.localtime(moment, OFFICE_TIME_ZONE)
        slots = [h for h in self.opening_hours.all() if h.opens is not None]
        if not slots:
            return None
        for offset in range(OPENING_LOOKAHEAD_DAYS + 1):
            day = moment.date() + datetime.timedelta(days=offset)
            starts = [
                datetime.datetime.combine(day, h.opens, tzinfo=OFFICE_TIME_ZONE)
                for h in slots
                if h.weekday == day.weekday()
            ]
            starts = [start for start in starts if start > moment]
            if starts and self.closure_on(day) is None:
                return min(starts)
        return None


class AbstractHours(Orderable):
    """A weekly slot. ``by_appointment`` slots may leave out the times."""

    weekday = models.PositiveSmallIntegerField(_("Wochentag"), choices=Weekday.choices)
    opens = models.TimeField(_("von"), null=True, blank=True)
    closes = models.TimeField(_("bis"), null=True, blank=True)
    by_appointment = models.BooleanField(_("nach Vereinbarung"), default=False)
    note = models.CharField(_("Hinweis"), max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")]),
        FieldRowPanel([FieldPanel("by_appointment"), FieldPanel("note")]),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    @property
    def weekday_label(self):
        """The weekday's name (``get_weekday_display`` is slow in lists)."""
        return label_of(Weekday, self.weekday)

    def __str__(self):
        day = self.weekday_label
        if self.opens and self.closes:
            return f"{day} {self.opens:%H:%M}–{self.closes:%H:%M}"
        return f"{day} ({_('nach Vereinbarung')})"

    def clean(self):
        super().clean()
        if not self.by_appointment and (self.opens is None or self.closes is None):
            raise ValidationError(
                _("Bitte Beginn und Ende angeben oder „nach Vereinbarung“ wählen.")
            )
        if (self.opens is None) != (self.closes is None):
            raise ValidationError(_("Bitte Beginn und Ende angeben."))
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": _("Das Ende muss nach dem Beginn liegen.")})

    @property
    def is_evening(self):
        return bool(self.closes and self.closes >= EVENING_STARTS)

    def covers(self, moment):
        return (
            self.opens is not None
            and self.closes is not None
            and moment.weekday() == self.weekday
            and self.opens <= moment.time() < self.closes
        )


class OpeningHours(AbstractHours):
    """When the office is open for walk-ins and phone calls."""

    office = ParentalKey(Office, on_delete=models.CASCADE, related_name="opening_hours")

    class Meta(AbstractHours.Meta):
        verbose_name = _("Öffnungszeit")
        verbose_name_plural = _("Öffnungszeiten")


class ConsultationHours(AbstractHours):
    """When the staff offer personal advice; at least one slot should be in the evening."""

    office = ParentalKey(Office, on_delete=models.CASCADE, related_name="consultation_hours")

    class Meta(AbstractHours.Meta):
        verbose_name = _("Sprechzeit")
        verbose_name_plural = _("Sprechzeiten")


class ClosurePeriod(Orderable):
    """Days on which the office is closed although its weekly hours say open (holidays of
    the team, training, moving). Shown publicly so that nobody comes to a locked door, and
    "open now" and "next opening" skip them."""

    office = ParentalKey(Office, on_delete=models.CASCADE, related_name="closures")
    starts = models.DateField(_("vom"))
    ends = models.DateField(_("bis einschließlich"))
    reason = models.CharField(
        _("Grund"),
        max_length=200,
        blank=True,
        help_text=_("Wird öffentlich gezeigt, z. B. „Betriebsferien“ oder „Fortbildung“."),
    )

    panels = [FieldRowPanel([FieldPanel("starts"), FieldPanel("ends"), FieldPanel("reason")])]

    class Meta(Orderable.Meta):
        verbose_name = _("Schließzeit")
        verbose_name_plural = _("Schließzeiten")

    def __str__(self):
        return f"{self.starts:%d.%m.%Y}–{self.ends:%d.%m.%Y} {self.reason}".strip()

    def clean(self):
        super().clean()
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": _("Das Ende darf nicht vor dem Beginn liegen.")})


class Room(Orderable):
    """A room the office lends to groups; events take place in one of these."""

    office = ParentalKey(Office, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("Name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("Plätze"))
    equipment = models.TextField(
        _("Ausstattung"), blank=True, help_text=_("z. B. Beamer, Flipchart, Teeküche")
    )
    step_free = models.BooleanField(_("stufenlos erreichbar"), default=False)
    note = models.CharField(_("Hinweis"), max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("capacity"), FieldPanel("step_free")]),
        FieldPanel("equipment"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Raum")
        verbose_name_plural = _("Räume")

    def __str__(self):
        return f"{self.name} ({self.capacity})"


class OfficeReviewTask(Task):
    """Review by the people who may publish for the office that owns the object.

    Wagtail assigns a snippet workflow to a whole model, not to one office's records, so a
    group approval task with fixed groups would put every office's drafts (of self-help
    groups, say) before every office's reviewers. This task asks the tenancy module
    instead: whoever may publish for the owning office (its "Freigabe" group; for the
    state office the coordinators) approves or rejects, nobody else. Pages use a plain
    group approval task per office (see ``sites.review``), whose reviewers are fixed.
    """

    admin_form_fields = Task.admin_form_fields

    def reviews(self, obj, user):
        from . import tenancy

        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        owners = tenancy.owner_office_ids(obj) or frozenset()
        return bool(owners & tenancy.publishing_office_ids(user))

    def user_can_access_editor(self, obj, user):
        return self.reviews(obj, user)

    def locked_for_user(self, obj, user):
        return not self.reviews(obj, user)

    def user_can_lock(self, obj, user):
        return self.reviews(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self.reviews(obj, user):
            return []
        return [
            ("reject", _("Änderungen anfordern"), True),
            ("approve", _("Freigeben"), False),
            ("approve", _("Mit Kommentar freigeben"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from wagtail.models import TaskState

        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related(
            "workflow_state"
        )
        allowed = [
            state.pk for state in states if self.reviews(state.workflow_state.content_object, user)
        ]
        return TaskState.objects.filter(pk__in=allowed)

    @classmethod
    def get_description(cls):
        return _("Wer für die zuständige Kontaktstelle veröffentlichen darf, gibt frei.")

    class Meta:
        verbose_name = _("Freigabe durch die zuständige Kontaktstelle")
        verbose_name_plural = _("Freigaben durch die zuständige Kontaktstelle")


#: A German postcode: exactly five digits.
POSTCODE_RE = re.compile(r"^\d{5}$")


def validate_postcode(value):
    if not POSTCODE_RE.match(value or ""):
        raise ValidationError(
            _("Bitte eine fünfstellige Postleitzahl angeben, z. B. 13187."), code="postcode"
        )


class PostcodeArea(models.Model):
    """A postcode (and, where one postcode spans several, the place) an office serves.

    People look for "my" contact office by where they live, and they know their postcode
    better than their district's name. The coordination keeps these areas for every office
    (offices do not draw their own borders), so the finder on the state site answers
    "13187" with KIS Pankow. A postcode that crosses a district border belongs to two
    offices, and the finder lists both. A row of its own per postcode, not a text field on
    the profile, so that the finder looks a postcode up with one indexed query.
    """

    office = models.ForeignKey(
        Office,
        verbose_name=_("Kontaktstelle"),
        on_delete=models.CASCADE,
        related_name="postcode_areas",
    )
    postcode = models.CharField(
        _("PLZ"), max_length=5, db_index=True, validators=[validate_postcode]
    )
    place = models.CharField(
        _("Ortsteil oder Gemeinde"),
        max_length=100,
        blank=True,
        help_text=_("z. B. „Weißensee“; hilft, wenn eine PLZ mehrere Ortsteile umfasst."),
    )

    class Meta:
        verbose_name = _("PLZ-Gebiet")
        verbose_name_plural = _("PLZ-Gebiete")
        ordering = ["postcode", "place"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "postcode", "place"], name="sites_postcodearea_unique"
            )
        ]

    def __str__(self):
        return f"{self.postcode} {self.place}".strip()
