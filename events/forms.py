"""Forms: the admin form of an event page, the public sign-up form and the listing filters."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class EventPageForm(WagtailAdminPageForm):
    """Offers only the rooms of the office the event belongs to.

    The office is found through the site of the parent page (an event page is always below
    an office's events index); an event can never be placed in another office's room, even
    by a forged POST, because the field's queryset is the only allowed set.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "room" in self.fields:
            from sites.models import Room

            office = self._office()
            rooms = Room.objects.filter(office=office) if office else Room.objects.none()
            self.fields["room"].queryset = rooms.order_by("sort_order", "name")

    def _office(self):
        from sites.tenancy import office_for_page

        anchor = self.parent_page if self.parent_page is not None else self.instance
        if anchor is None or not anchor.path:
            return None
        return office_for_page(anchor)


class RegistrationForm(forms.Form):
    """The public sign-up form. ``website`` is a honeypot that people never see."""

    name = forms.CharField(label=_("Ihr Name"), max_length=200)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        help_text=_("An diese Adresse schicken wir die Bestätigung."),
    )
    phone = forms.CharField(
        label=_("Telefon (freiwillig)"),
        max_length=50,
        required=False,
        help_text=_("Nur für kurzfristige Absagen."),
    )
    note = forms.CharField(
        label=_("Anmerkung (freiwillig)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("z. B. wenn Sie Unterstützung brauchen, etwa einen stufenlosen Zugang."),
    )
    consent = forms.BooleanField(
        label=_(
            "Ich bin einverstanden, dass meine Angaben zur Durchführung der "
            "Veranstaltung gespeichert werden."
        ),
        error_messages={
            "required": _("Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu."),
        },
    )
    website = forms.CharField(required=False, label=_("Bitte leer lassen"))

    def is_spam(self):
        return bool(self.data.get("website"))


class ListingFilterForm(forms.Form):
    """Query-string filters of the event listings; invalid values are reported, not fatal."""

    monat = forms.CharField(required=False, label=_("Monat"))
    tag = forms.DateField(
        required=False,
        label=_("Tag"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Den Tag bitte im Format JJJJ-MM-TT angeben.")},
    )
    kategorie = forms.ChoiceField(required=False, label=_("Kategorie"))
    kontaktstelle = forms.ChoiceField(required=False, label=_("Kontaktstelle"))
    seite = forms.IntegerField(required=False, min_value=1, max_value=10000, label=_("Seite"))

    def __init__(self, *args, offices=None, **kwargs):
        from .models import EventCategory

        super().__init__(*args, **kwargs)
        self.fields["kategorie"].choices = [("", _("Alle Kategorien")), *EventCategory.choices]
        if offices is None:
            del self.fields["kontaktstelle"]
        else:
            self.fields["kontaktstelle"].choices = [
                ("", _("Alle Kontaktstellen")),
                *[(str(office.pk), office.display_short_name) for office in offices],
            ]
        self.fields["seite"].error_messages["invalid"] = _("Die Seitenzahl ist ungültig.")
        self.fields["kategorie"].error_messages["invalid_choice"] = _(
            "Diese Kategorie gibt es nicht."
        )
        if "kontaktstelle" in self.fields:
            self.fields["kontaktstelle"].error_messages["invalid_choice"] = _(
                "Diese Kontaktstelle gibt es nicht."
            )

    def clean_monat(self):
        value = (self.cleaned_data.get("monat") or "").strip()
        if not value:
            return None
        match = MONTH_RE.match(value)
        if not match:
            raise forms.ValidationError(
                _("Den Monat bitte im Format JJJJ-MM angeben, z. B. 2026-05.")
            )
        year, month = int(match.group(1)), int(match.group(2))
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise forms.ValidationError(_("Diesen Monat gibt es nicht."))
        return datetime.date(year, month, 1)

    def value(self, name):
        """The cleaned value of ``name`` or ``None`` if it was invalid or missing."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get(name) or None
