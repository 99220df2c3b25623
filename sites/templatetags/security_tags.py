"""``{% brand_style office %}``: the office's brand colour as the page's one inline style.

The strict public Content-Security-Policy admits no inline style. This tag writes the
``<style>`` element and registers the SHA-256 of its text on the request; the policy
middleware (``sites.security``) adds that hash to ``style-src``. Unlike a nonce, the hash
is the same on every response for the same colour, so cached pages and their headers
stay identical. The colour is written only when it is ``#rrggbb`` (the profile form
validates that already; this keeps a bad row from becoming CSS).
"""

import base64
import hashlib
import re

from django import template
from django.utils.safestring import mark_safe

from sites.security import allow_inline_style

register = template.Library()


def style_hash(css):
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


@register.simple_tag(takes_context=True)
def brand_style(context, office):
    colour = getattr(office, "brand_colour", "") or ""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return ""
    css = f":root {{ --brand: {colour}; }}"
    request = context.get("request")
    if request is not None:
        allow_inline_style(request, style_hash(css))
    return mark_safe(f"<style>{css}</style>")  # noqa: S308 - a validated #rrggbb only
