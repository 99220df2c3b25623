"""Forms of the public newsletter pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ConsentText, MailingList


def language_choices(codes):
    """``settings.LANGUAGES`` narrowed to ``codes`` (settings order, German always)."""
    wanted = {settings.LANGUAGE_CODE, *codes}
    return [(code, name) for code, name in settings.LANGUAGES if code in wanted]


def site_language_codes(site):
    """The content languages the site offers (``sites.translation_status.site_languages``),
    or every language when the request names no office's site."""
    from sites.models import Office
    from sites.translation_status import site_languages

    office = Office.objects.filter(site=site).select_related("site__root_page").first()
    if office is None:
        return [code for code, _name in settings.LANGUAGES]
    return site_languages(office)


def preferred_language(choices):
    """The visitor's current language when the form offers it (``de-x-ls`` as it is,
    ``en-gb`` as ``en``), else German."""
    from django.utils.translation import get_language

    current = (get_language() or settings.LANGUAGE_CODE).lower()
    offered = [code for code, _name in choices]
    for candidate in (current, current.split("-")[0]):
        if candidate in offered:
            return candidate
    return settings.LANGUAGE_CODE


class SignupForm(forms.Form):
    """E-mail, optional name, language, the lists offered on this site, and the consent.

    ``website`` is a honeypot: hidden from people, filled by naive bots.
    """

    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    name = forms.CharField(label=_("Name (freiwillig)"), max_length=120, required=False)
    language = forms.ChoiceField(
        label=_("Sprache der Ausgaben"),
        choices=settings.LANGUAGES,
        help_text=_("Gibt es eine Ausgabe nicht in Ihrer Sprache, erhalten Sie sie auf Deutsch."),
    )
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
        # Only the languages this site offers (the lists' editions are written for them).
        choices = language_choices(site_language_codes(site) if site is not None else [])
        self.fields["language"].choices = choices
        self.fields["language"].initial = preferred_language(choices)

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

    def __init__(self, *args, lists=None, languages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if languages is not None:
            self.fields["language"].choices = language_choices(languages)
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
