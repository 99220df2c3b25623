"""Forms of the directory: the admin record form, the public filter form and the contact form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from sites.models import Weekday
from sites.tenancy import visible_offices

from .models import LANGUAGE_CHOICES, Audience, Format, Topic, default_locale_id


class SelfHelpGroupForm(WagtailAdminModelForm):
    """The admin form: offices can only file groups under their own office(s); languages
    are ticked rather than typed."""

    language_choices = forms.MultipleChoiceField(
        label=_("Sprachen"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=True,
        help_text=_("In welchen Sprachen trifft sich die Gruppe?"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "office" in self.fields and self.for_user is not None:
            allowed = visible_offices(self.for_user, self._meta.model).order_by("name")
            self.fields["office"].queryset = allowed
            if not self.instance.pk and allowed.count() == 1:
                self.fields["office"].initial = allowed.first().pk
        if "topics" in self.fields:
            self.fields["topics"].queryset = Topic.objects.filter(
                locale_id=self.instance.locale_id or default_locale_id()
            ).select_related("parent")
        if "languages" in self.fields:
            self.fields["languages"].widget = forms.HiddenInput()
            self.fields["languages"].required = False
            self.fields["language_choices"].initial = self.instance.language_codes or ["de"]
        else:
            del self.fields["language_choices"]

    def clean(self):
        cleaned = super().clean()
        if "language_choices" in cleaned:
            cleaned["languages"] = " ".join(cleaned["language_choices"])
            self.instance.languages = cleaned["languages"]
        return cleaned


BOOLEAN_FILTERS = {
    "step_free": ("step_free_access", _("Stufenloser Zugang")),
    "new_members": ("new_members_welcome", _("Neue Mitglieder willkommen")),
    "founding": (None, _("Gruppen in Gründung")),
    "evening": (None, _("Abends (ab 17 Uhr)")),
}


class DirectoryFilterForm(forms.Form):
    """The public filters, shared by the directory page and the JSON API.

    Values come from the query string, so everything is optional and validated: an unknown
    topic or weekday is reported, never a server error.
    """

    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=200)
    topic = forms.SlugField(label=_("Thema"), required=False, max_length=120)
    district = forms.CharField(label=_("Ortsteil"), required=False, max_length=100)
    audience = forms.ChoiceField(
        label=_("Für wen"),
        required=False,
        choices=[
            ("", _("alle")),
            (Audience.AFFECTED, _("Betroffene")),
            (Audience.RELATIVES, _("Angehörige")),
        ],
    )
    format = forms.ChoiceField(
        label=_("Vor Ort oder online"), required=False, choices=[("", _("alle")), *Format.choices]
    )
    language = forms.ChoiceField(
        label=_("Sprache"), required=False, choices=[("", _("alle")), *LANGUAGE_CHOICES]
    )
    weekday = forms.TypedChoiceField(
        label=_("Wochentag"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("alle")), *Weekday.choices],
    )
    evening = forms.BooleanField(label=BOOLEAN_FILTERS["evening"][1], required=False)
    step_free = forms.BooleanField(label=BOOLEAN_FILTERS["step_free"][1], required=False)
    new_members = forms.BooleanField(label=BOOLEAN_FILTERS["new_members"][1], required=False)
    founding = forms.BooleanField(label=BOOLEAN_FILTERS["founding"][1], required=False)
    scope = forms.ChoiceField(
        label=_("Bereich"),
        required=False,
        choices=[("", _("Unsere Kontaktstelle")), ("land", _("Ganzes Land"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def clean_topic(self):
        from .search import load_vocabulary  # the cached topic list; no query per request

        slug = self.cleaned_data.get("topic")
        if slug and slug not in load_vocabulary()["slugs"]:
            raise forms.ValidationError(_("Dieses Thema gibt es nicht."))
        return slug


class ContactRequestForm(forms.Form):
    """A visitor's message to the office about a group. ``website`` is a honeypot: people
    never see it, bots fill it in."""

    name = forms.CharField(label=_("Ihr Name"), max_length=120)
    email = forms.EmailField(label=_("Ihre E-Mail-Adresse"))
    phone = forms.CharField(label=_("Telefon (freiwillig)"), max_length=50, required=False)
    message = forms.CharField(
        label=_("Ihre Nachricht"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Schreiben Sie nur, was für eine erste Kontaktaufnahme nötig ist."),
    )
    consent = forms.BooleanField(
        label=_(
            "Ich bin einverstanden, dass die Kontaktstelle meine Angaben speichert, um meine "
            "Anfrage zu beantworten und an die Gruppe zu vermitteln."
        ),
        required=True,
    )
    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self):
        return bool(self.data.get("website"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (CSV oder JSON)"),
        help_text=_("UTF-8; die Spalten sind in der Hilfe unten beschrieben."),
    )
    dry_run = forms.BooleanField(
        label=_("Nur prüfen, nichts speichern"), required=False, initial=True
    )
