"""What every public form of an office site adds to Wagtail's form builder.

Editors build the questions of a form themselves; three things must not be left to them:
the consent checkbox (Art. 6/9 DSGVO, with a link to the site's Datenschutz page), the spam
trap (a honeypot field) and the accessible wiring of help texts and errors to their fields.
The rate limit lives in :mod:`sites.ratelimit`.
"""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder

#: Name of the hidden field that people never see and bots fill in. A plain-looking name,
#: because spam bots skip fields called "honeypot".
HONEYPOT_FIELD = "website"
CONSENT_FIELD = "consent"


class OfficeFormMixin:
    """Adds consent and honeypot fields and ARIA attributes to a form-builder form."""

    def __init__(self, *args, privacy_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        if privacy_url:
            consent_label = format_html(
                _(
                    "Ich bin einverstanden, dass meine Angaben zur Bearbeitung meiner Anfrage "
                    'gespeichert werden. Mehr dazu in der <a href="{}">Datenschutzerklärung</a>.'
                ),
                privacy_url,
            )
        else:
            consent_label = _(
                "Ich bin einverstanden, dass meine Angaben zur Bearbeitung meiner Anfrage "
                "gespeichert werden."
            )
        self.fields[CONSENT_FIELD] = forms.BooleanField(
            label=consent_label,
            required=True,
            error_messages={
                "required": _(
                    "Bitte bestätigen Sie die Einwilligung, sonst dürfen wir Ihre Angaben "
                    "nicht speichern."
                )
            },
        )
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Bitte dieses Feld leer lassen"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self._wire_aria()

    @property
    def is_spam(self):
        """True when the invisible field was filled in, which only a bot does."""
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD), "").strip())

    @property
    def visible_fields_for_people(self):
        return [field for field in self if field.name != HONEYPOT_FIELD]

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]

    def full_clean(self):
        super().full_clean()
        self._wire_aria()

    def _wire_aria(self):
        """Tie help texts and error messages to their fields (WCAG 1.3.1, 3.3.1)."""
        errors = self._errors or {}
        for name, field in self.fields.items():
            field_id = self.auto_id % self.add_prefix(name)
            described_by = []
            if field.help_text:
                described_by.append(f"{field_id}_help")
            if name in errors:
                described_by.append(f"{field_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)
            else:
                field.widget.attrs.pop("aria-describedby", None)

    def cleaned_data_for_storage(self):
        """What is saved and mailed: everything but the honeypot."""
        return {k: v for k, v in self.cleaned_data.items() if k != HONEYPOT_FIELD}


def office_form_class(form_class):
    """The form-builder class ``form_class`` with :class:`OfficeFormMixin` mixed in."""
    return type(form_class.__name__, (OfficeFormMixin, form_class), {})


class OfficeFormBuilder(FormBuilder):
    """Wagtail's form builder, with an empty first choice in drop-downs.

    Without it a drop-down silently submits its first option (the first district, say),
    and a required drop-down could never be left unanswered.
    """

    def create_dropdown_field(self, field, options):
        options["choices"] = [("", _("– bitte wählen –")), *self.get_formatted_field_choices(field)]
        return forms.ChoiceField(**options)
