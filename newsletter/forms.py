"""Forms of the public newsletter pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sites.languages import active_language

from .models import ConsentText, MailingList


class SignupForm(forms.Form):
    """E-mail, optional name, language, the lists offered on this site, and the consent.

    ``website`` is a honeypot: hidden from people, filled by naive bots.
    """

    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    name = forms.CharField(label=_("Name (freiwillig)"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Sprache der Ausgaben"), choices=settings.LANGUAGES)
    lists = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("Mehrzahl", "Verteiler"),
        queryset=MailingList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte mindestens einen Verteiler wählen.")},
    )
    consent = forms.BooleanField(
        label=_("Einwilligung"),
        error_messages={"required": _("Ohne Ihre Einwilligung können wir nichts zusenden.")},
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(
        label=_("Bitte leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        offered = MailingList.offered_on(site) if site is not None else MailingList.objects.none()
        self.fields["lists"].queryset = offered.select_related("office")
        self.fields["lists"].label_from_instance = lambda ml: ml.name
        offered_ids = [ml.pk for ml in self.fields["lists"].queryset]
        if len(offered_ids) == 1:
            self.fields["lists"].initial = offered_ids
        self.consent_text = ConsentText.current()
        self.fields["consent_version"].initial = self.consent_text.version
        self.fields["consent"].help_text = self.consent_text.text

        self.fields["language"].initial = active_language()

    @property
    def has_lists(self):
        return self.fields["lists"].queryset.exists()

    def is_bot(self):
        return bool(self.data.get("website"))

    def shown_consent(self):
        """The consent text this form showed (the version rendered into it), else current."""
        version = self.cleaned_data.get("consent_version")
        if version:
            shown = ConsentText.objects.filter(version=version).first()
            if shown is not None:
                return shown
        return self.consent_text


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Sprache der Ausgaben"), choices=settings.LANGUAGES)
    lists = forms.ModelMultipleChoiceField(
        label=_("Ich möchte diese Verteiler erhalten"),
        queryset=MailingList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, lists=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = lists if lists is not None else MailingList.objects.none()
        self.fields["lists"].label_from_instance = lambda ml: ml.name


class TestSendForm(forms.Form):
    email = forms.EmailField(label=_("Testausgabe senden an"))
    language = forms.ChoiceField(label=_("Sprache"), choices=settings.LANGUAGES)


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label=_("Versand am"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        help_text=_("Leer lassen, um sofort zu versenden."),
    )
