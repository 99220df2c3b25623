"""Page types of an office site.

Each office's tree starts with a ``HomePage`` directly below the root (one per locale). The
default pages created at provisioning (Kontakt, Impressum, Datenschutz, Barrierefreiheit)
are a ``ContactPage`` and three ``StandardPage`` objects whose text the office edits.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock


class HomePage(Page):
    """The start page of one office site (or of the state coordination site)."""

    intro = RichTextField(_("Begrüßung"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("Startseite")
        verbose_name_plural = _("Startseiten")


class StandardPage(Page):
    """A content page: advice, information, Impressum, Datenschutz, Barrierefreiheit."""

    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]

    class Meta:
        verbose_name = _("Inhaltsseite")
        verbose_name_plural = _("Inhaltsseiten")


class ContactFormField(AbstractFormField):
    page = ParentalKey("ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(AbstractEmailForm):
    """The office's contact page: address and hours from the profile, plus a form whose
    submissions are mailed to the office and kept for its staff only."""

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        _("Text nach dem Absenden"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Formularfelder")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-Mail"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Kontaktseite")
        verbose_name_plural = _("Kontaktseiten")
