"""StreamField blocks shared by the page types of every office site.

Every block renders through its own template in ``templates/home/blocks/`` so that the HTML
stays semantic and accessible in one place, and carries a ``preview_value`` so editors see
what it looks like in the block picker before they choose it.
"""

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from newsletter.blocks import NewsletterSignupBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.CharBlock):
    """A second-level heading; pages keep one ``h1`` (the title) and a clean outline."""

    class Meta:
        icon = "title"
        label = _("Zwischenüberschrift")
        form_classname = "title"
        template = "home/blocks/heading_block.html"
        preview_value = _("Was ist eine Selbsthilfegruppe?")


class ParagraphBlock(blocks.RichTextBlock):
    """Running text with the formatting editors need and nothing that breaks the theme."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "home/blocks/paragraph_block.html"
        preview_value = (
            "<p>In einer Selbsthilfegruppe treffen sich Menschen, die das gleiche Anliegen "
            "haben, und unterstützen sich gegenseitig.</p>"
        )


class ImageBlock(blocks.StructBlock):
    """An image with a text alternative that the editor must write.

    The alt text is required here, not taken from the image's title: a file name or an
    upload title is no description for someone who cannot see the picture (WCAG 1.1.1).
    """

    image = ImageChooserBlock(label=_("Bild"))
    alt = blocks.CharBlock(
        label=_("Alternativtext"),
        max_length=250,
        help_text=_(
            "Beschreiben Sie kurz, was auf dem Bild zu sehen ist, für Menschen, die es "
            "nicht sehen können."
        ),
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "home/blocks/image_block.html"
        preview_value = {
            "alt": _("Menschen sitzen im Stuhlkreis und sprechen miteinander."),
            "caption": _("Ein Gruppentreffen in unserem Gruppenraum"),
        }


class DownloadBlock(blocks.StructBlock):
    """One document to download, with an optional link text."""

    document = DocumentChooserBlock(label=_("Dokument"))
    label = blocks.CharBlock(
        label=_("Linktext"),
        required=False,
        max_length=200,
        help_text=_("Leer lassen, um den Titel des Dokuments zu verwenden."),
    )


class DownloadsBlock(blocks.StructBlock):
    """A list of documents (flyers, forms, annual reports) with file type and size."""

    heading = blocks.CharBlock(label=_("Überschrift"), required=False, max_length=200)
    documents = blocks.ListBlock(DownloadBlock(), label=_("Dokumente"), min_num=1)

    class Meta:
        icon = "doc-full"
        label = _("Downloads")
        template = "home/blocks/downloads_block.html"
        preview_value = {"heading": _("Zum Herunterladen"), "documents": []}


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Frage"), max_length=250)
    answer = blocks.RichTextBlock(label=_("Antwort"), features=RICH_TEXT_FEATURES)


class FAQBlock(blocks.StructBlock):
    """Questions and answers as native ``details``/``summary`` elements.

    The browser makes them keyboard- and screen-reader-operable and they open without
    JavaScript; print shows them open.
    """

    heading = blocks.CharBlock(label=_("Überschrift"), required=False, max_length=200)
    items = blocks.ListBlock(FAQItemBlock(), label=_("Fragen"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Häufige Fragen")
        template = "home/blocks/faq_block.html"
        preview_value = {
            "heading": _("Häufige Fragen"),
            "items": [
                {
                    "question": _("Kostet die Teilnahme an einer Gruppe etwas?"),
                    "answer": "<p>Nein, die Teilnahme an Selbsthilfegruppen ist kostenlos.</p>",
                },
                {
                    "question": _("Muss ich meinen Namen nennen?"),
                    "answer": "<p>Nein, Sie können uns auch anonym anrufen.</p>",
                },
            ],
        }


class CallToActionBlock(blocks.StructBlock):
    """A highlighted box that leads to one next step (a form, the group search, a call)."""

    title = blocks.CharBlock(label=_("Titel"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    button_text = blocks.CharBlock(label=_("Beschriftung der Schaltfläche"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Zielseite"), required=False)
    url = blocks.URLBlock(
        label=_("oder externe Adresse"),
        required=False,
        help_text=_("Nur wenn keine Seite dieser Website das Ziel ist."),
    )

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Bitte genau ein Ziel angeben: eine Seite oder eine Adresse.")
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(message), "url": ValidationError(message)}
            )
        return value

    class Meta:
        icon = "pick"
        label = _("Handlungsaufforderung")
        template = "home/blocks/call_to_action_block.html"
        preview_value = {
            "title": _("Keine passende Gruppe gefunden?"),
            "text": _("Wir helfen Ihnen, eine neue Gruppe zu gründen."),
            "button_text": _("Gruppe gründen"),
            "url": "https://example.org/gruppe-gruenden/",
        }


class ContactBoxBlock(blocks.StructBlock):
    """Address, phone, e-mail and hours of the office, always current from its profile.

    The editor only places the box; the data comes from the office profile so that a new
    phone number has to be changed in one place only.
    """

    heading = blocks.CharBlock(label=_("Überschrift"), required=False, max_length=120)
    show_hours = blocks.BooleanBlock(
        label=_("Öffnungs- und Sprechzeiten zeigen"), required=False, default=True
    )

    class Meta:
        icon = "mail"
        label = _("Kontaktbox")
        template = "home/blocks/contact_box_block.html"
        preview_value = {"heading": _("So erreichen Sie uns"), "show_hours": True}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # A page may hold several boxes; their headings need ids unique on the page.
        context["box_id"] = uuid.uuid4().hex[:8]
        return context


class QuoteBlock(blocks.StructBlock):
    """A quotation, for example from a group member (with their consent)."""

    quote = blocks.TextBlock(label=_("Zitat"))
    attribution = blocks.CharBlock(label=_("Quelle oder Name"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "home/blocks/quote_block.html"
        preview_value = {
            "quote": _("In der Gruppe habe ich gemerkt, dass ich nicht allein bin."),
            "attribution": _("Teilnehmerin einer Angehörigengruppe"),
        }


class BodyBlock(blocks.StreamBlock):
    """The content blocks an editor can put on a standard page or the home page."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    downloads = DownloadsBlock()
    faq = FAQBlock()
    call_to_action = CallToActionBlock()
    contact_box = ContactBoxBlock()
    quote = QuoteBlock()
    newsletter_signup = NewsletterSignupBlock()

    class Meta:
        block_counts = {}
