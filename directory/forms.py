"""Forms of the directory: the admin record form, the public filter form and the contact form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from sites.models import Weekday
from sites.tenancy import visible_offices

from .models import (
    LANGUAGE_CHOICES,
    Audience,
    Format,
    SelfHelpGroup,
    Topic,
    default_locale_id,
)


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


#: The longest search term and the most terms per language the topic form accepts.
SEARCH_TERM_MAX_LENGTH = 100
SEARCH_TERMS_PER_LANGUAGE = 200


#: The platform's content languages besides German (fixed for the whole platform; the
#: sites choose among them). Search terms are kept for each of them even before a site
#: offers the language: a visitor types their own words on the German page too.
SEARCH_TERM_LANGUAGES = [
    ("en", _("Englisch")),
    ("tr", _("Türkisch")),
    ("ar", _("Arabisch")),
    ("uk", _("Ukrainisch")),
    ("ru", _("Russisch")),
    ("de-x-ls", _("Leichte Sprache")),
]


def search_term_languages():
    """The content languages whose search terms are kept on a topic: every language of the
    settings and of ``SEARCH_TERM_LANGUAGES`` but German (the topic's own synonyms and
    related terms are the German vocabulary)."""
    from django.conf import settings

    languages = dict(SEARCH_TERM_LANGUAGES)
    for code, label in settings.LANGUAGES:
        languages.setdefault(code, label)
    languages.pop(settings.LANGUAGE_CODE, None)
    return list(languages.items())


def search_term_field_name(code):
    return "search_terms_" + code.replace("-", "_")


class BaseTopicForm(WagtailAdminModelForm):
    """The coordinators' topic form: the German vocabulary plus search terms per language,
    stored together in ``Topic.search_terms`` (one text area per language, declared by
    ``TopicForm`` below from the settings' languages)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.search_terms or {}
        for code, _label in search_term_languages():
            name = search_term_field_name(code)
            if name in self.fields and not self.is_bound:
                self.fields[name].initial = "\n".join(self.instance.terms_in(code))
        self._other_languages = {
            code: terms
            for code, terms in stored.items()
            if code not in dict(search_term_languages())
        }

    def _clean_terms(self, code):
        name = search_term_field_name(code)
        lines, seen = [], set()
        for line in (self.cleaned_data.get(name) or "").splitlines():
            term = " ".join(line.split())
            if not term or term.casefold() in seen:
                continue
            if len(term) > SEARCH_TERM_MAX_LENGTH:
                self.add_error(
                    name,
                    _("„%(term)s…“ ist zu lang (höchstens %(max)s Zeichen pro Zeile).")
                    % {"term": term[:30], "max": SEARCH_TERM_MAX_LENGTH},
                )
                continue
            seen.add(term.casefold())
            lines.append(term)
        if len(lines) > SEARCH_TERMS_PER_LANGUAGE:
            self.add_error(
                name,
                _("Höchstens %(max)s Begriffe pro Sprache.") % {"max": SEARCH_TERMS_PER_LANGUAGE},
            )
        return lines

    def clean(self):
        cleaned = super().clean()
        terms = dict(self._other_languages)
        for code, _label in search_term_languages():
            if search_term_field_name(code) in self.fields:
                lines = self._clean_terms(code)
                if lines:
                    terms[code] = lines
                else:
                    terms.pop(code, None)
        self.instance.search_terms = terms
        return cleaned


def _search_term_fields():
    return {
        search_term_field_name(code): forms.CharField(
            label=label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 4, "lang": code}),
            help_text=_(
                "Wörter und Wendungen, mit denen Menschen in dieser Sprache nach dem "
                "Thema suchen, auch umgangssprachlich; eine pro Zeile."
            ),
        )
        for code, label in search_term_languages()
    }


TopicForm = type(BaseTopicForm)(
    "TopicForm", (BaseTopicForm,), {"__module__": __name__, **_search_term_fields()}
)


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


#: What a group's contact may correct through the confirmation link: the public entry and
#: the internal contact. Never the office, topics, address slug, consent date, forwarding,
#: notes or the office's check date.
PROPOSAL_FIELDS = [
    "name",
    "status",
    "description",
    "audience",
    "new_members_welcome",
    "rhythm",
    "interval_weeks",
    "nth_of_month",
    "weekday",
    "starts_at",
    "ends_at",
    "format",
    "venue",
    "street",
    "postcode",
    "city",
    "district",
    "step_free_access",
    "accessible_wc",
    "hearing_loop",
    "public_contact_name",
    "public_phone",
    "public_email",
    "website",
    "internal_contact_name",
    "internal_phone",
    "internal_email",
]
PUBLIC_CONTACT_FIELDS = ("public_contact_name", "public_phone", "public_email")


class GroupProposalForm(forms.ModelForm):
    """The contact's corrections of a group's entry (``directory.confirmation``).

    Django's own model validation would raise a ``ValueError`` (a server error) for an error
    the model reports on a field the contact cannot edit, so the form applies the values and
    runs the model's rules itself, showing such errors above the form. Public contact data
    need the group's consent: changed or new ones ask for it here, and the proposal carries
    today's date as the consent date for the office to check."""

    language_choices = forms.MultipleChoiceField(
        label=_("Sprachen"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=True,
        help_text=_("In welchen Sprachen trifft sich die Gruppe?"),
    )
    consent = forms.BooleanField(
        label=_(
            "Wir sind einverstanden, dass die öffentlichen Kontaktdaten im Verzeichnis "
            "veröffentlicht werden."
        ),
        required=False,
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    message = forms.CharField(
        label=_("Nachricht an die Kontaktstelle"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = [
        *PROPOSAL_FIELDS[:4],
        "language_choices",
        *PROPOSAL_FIELDS[4:24],
        "consent",
        *PROPOSAL_FIELDS[24:],
        "message",
    ]

    class Meta:
        model = SelfHelpGroup
        fields = PROPOSAL_FIELDS
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language_choices"].initial = self.instance.language_codes or ["de"]
        self._stored_public = tuple(getattr(self.instance, f) for f in PUBLIC_CONTACT_FIELDS)
        self._stored_consent = self.instance.public_contact_consent_date

    def _post_clean(self):
        from django.forms.models import construct_instance
        from django.utils import timezone

        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields)
        except ValidationError as error:
            self._update_errors(error)
            return
        group = self.instance
        group.languages = " ".join(self.cleaned_data.get("language_choices") or [])
        if not group.public_email:
            group.forward_requests_to_group = False
        public = tuple(getattr(group, f) for f in PUBLIC_CONTACT_FIELDS)
        if any(public) and (public != self._stored_public or not self._stored_consent):
            if self.cleaned_data.get("consent"):
                group.public_contact_consent_date = timezone.localdate()
            else:
                self.add_error(
                    "consent",
                    _("Für öffentliche Kontaktdaten brauchen wir Ihre Einwilligung."),
                )
        try:
            group.clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = field if field in self.fields else None
                for text in messages:
                    if target is None or target not in self.errors:
                        self.add_error(target, text)
