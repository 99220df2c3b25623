"""StreamField blocks shared by the page types of every office site."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class BodyBlock(blocks.StreamBlock):
    """The content blocks an editor can put on a standard page."""

    heading = blocks.CharBlock(label=_("Zwischenüberschrift"), form_classname="title", icon="title")
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
    )

    class Meta:
        block_counts = {}
