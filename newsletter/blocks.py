"""StreamField blocks of the newsletter: the sign-up form for any page, and the blocks an
issue is made of (text, image, call to action, and blocks that fill themselves)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from . import sources


class NewsletterSignupBlock(blocks.StructBlock):
    """The sign-up form, for any page of any office site.

    It offers the state-wide lists and those of the office whose site shows it; the form
    posts to the newsletter's own endpoint, so pages need no special handling.
    """

    heading = blocks.CharBlock(
        label=_("Überschrift"), required=False, default=_("Newsletter abonnieren")
    )
    text = blocks.TextBlock(label=_("Text"), required=False)

    class Meta:
        icon = "mail"
        label = _("Newsletter-Anmeldung")
        template = "newsletter/blocks/signup_block.html"
        preview_value = {"heading": _("Newsletter abonnieren"), "text": ""}

    def get_context(self, value, parent_context=None):
        from wagtail.models import Site

        from .forms import SignupForm

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        site = Site.find_for_request(request) if request is not None else None
        context["signup_form"] = SignupForm(site=site)
        return context


class ImageBlock(blocks.StructBlock):
    """An image with a required alternative text (screen readers, images blocked in mail)."""

    image = ImageChooserBlock(label=_("Bild"))
    alt = blocks.CharBlock(
        label=_("Alternativtext"),
        max_length=250,
        help_text=_("Beschreibt, was auf dem Bild zu sehen ist. Pflicht für Barrierefreiheit."),
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "newsletter/blocks/image_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not (value.get("alt") or "").strip():
            raise StructBlockValidationError(
                {"alt": ValidationError(_("Bitte einen Alternativtext angeben."))}
            )
        return value


class CallToActionBlock(blocks.StructBlock):
    """A prominent button to one page or address (register for a training, donate, ...)."""

    text = blocks.TextBlock(label=_("Text"), required=False)
    label = blocks.CharBlock(label=_("Beschriftung des Knopfs"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Seite"), required=False)
    url = blocks.URLBlock(label=_("oder Adresse"), required=False)

    class Meta:
        icon = "link"
        label = _("Handlungsaufruf")
        template = "newsletter/blocks/cta_block.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Bitte genau eines angeben: eine Seite oder eine Adresse.")
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = value.get("page")
        context["href"] = page.specific.full_url if page else value.get("url")
        return context


class AutoContentBlock(blocks.StructBlock):
    """A list that fills itself for the issue's month from a registered source.

    The sources (new groups, groups in founding, upcoming events from all offices) belong
    to other apps and are registered in :mod:`newsletter.sources`.
    """

    heading = blocks.CharBlock(label=_("Überschrift"), required=False)
    source = blocks.ChoiceBlock(label=_("Quelle"), choices=sources.choices)
    limit = blocks.IntegerBlock(label=_("Höchstens"), min_value=1, max_value=50, default=5)
    empty_text = blocks.CharBlock(
        label=_("Text, wenn nichts gefunden wird"),
        required=False,
        help_text=_("Leer lassen, um den Block dann ganz wegzulassen."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Automatische Liste")
        template = "newsletter/blocks/auto_content_block.html"

    def items_for(self, value, issue):
        if issue is None or not getattr(issue, "month", None):
            return []
        return sources.fetch(
            value.get("source"), issue.month, issue.locale.language_code, value.get("limit")
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        issue = parent_context.get("issue") or parent_context.get("page")
        context["items"] = self.items_for(value, issue)
        return context


class IssueBodyBlock(blocks.StreamBlock):
    """What a newsletter issue is made of."""

    heading = blocks.CharBlock(
        label=_("Zwischenüberschrift"),
        icon="title",
        template="newsletter/blocks/heading_block.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=["bold", "italic", "link", "ol", "ul", "h3"]
    )
    image = ImageBlock()
    call_to_action = CallToActionBlock()
    auto_content = AutoContentBlock()
