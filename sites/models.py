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
from wagtail.models import Orderable

from .choices import label_of

#: Hours that end at or after this time count as evening hours (the quality standards ask
#: for at least one evening consultation a week for people who work during the day).
EVENING_STARTS = datetime.time(17, 0)

#: Opening hours are kept in the office's local time, whatever the server's time zone is.
OFFICE_TIME_ZONE = ZoneInfo("Europe/Berlin")

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
        _("Träger"), max_length=200, blank=True, help_text=_("Für Impressum und Datenschutz.")
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    directions = models.TextField(
        _("Anfahrt"), blank=True, help_text=_("Haltestellen, Eingang, Parkplätze.")
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
                FieldPanel("organisation"),
                FieldPanel("region"),
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
    ]
    branding_panels = [FieldPanel("logo"), FieldPanel("brand_colour")]
    hours_panels = [
        InlinePanel("opening_hours", heading=_("Öffnungszeiten"), label=_("Öffnungszeit")),
        InlinePanel("consultation_hours", heading=_("Sprechzeiten"), label=_("Sprechzeit")),
    ]
    rooms_panels = [InlinePanel("rooms", heading=_("Gruppenräume"), label=_("Raum"))]

    edit_handler = TabbedInterface(
        [
            ObjectList(profile_panels, heading=_("Profil")),
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
    def district_list(self):
        return [line.strip() for line in self.districts.splitlines() if line.strip()]

    @property
    def address_lines(self):
        return [
            line
            for line in (self.street, " ".join(p for p in (self.postcode, self.city) if p))
            if line
        ]

    def is_open_at(self, moment=None):
        """Whether the office is open at ``moment`` (default: now), judged in Europe/Berlin."""
        moment = timezone.localtime(moment, OFFICE_TIME_ZONE)
        return any(hours.covers(moment) for hours in self.opening_hours.all())

    def next_opening(self, moment=None):
        """The next moment (Europe/Berlin) at which an opening slot starts, or None.

        Looks one week ahead, which covers every weekly slot.
        """
        moment = timezone.localtime(moment, OFFICE_TIME_ZONE)
        candidates = []
        for hours in self.opening_hours.all():
            if hours.opens is None:
                continue
            days_ahead = (hours.weekday - moment.weekday()) % 7
            for extra in (0, 7):
                day = moment.date() + datetime.timedelta(days=days_ahead + extra)
                start = datetime.datetime.combine(day, hours.opens, tzinfo=OFFICE_TIME_ZONE)
                if start > moment:
                    candidates.append(start)
                    break
        return min(candidates, default=None)


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
