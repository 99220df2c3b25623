"""The one way to put JSON into an HTML page: ``{% json_ld data %}``.

Structured data (schema.org JSON-LD) carries text that office staff typed: group
descriptions, event titles. Inside a ``<script>`` element the HTML parser ends the element
at the first ``</script>``, whatever JSON thinks of it, so a description containing
``</script><script>...`` would run on every office's host. The tag serialises the data
itself and escapes ``<``, ``>`` and ``&`` as JSON unicode escapes, as Django's
``json_script`` does; JSON parsers read the same text back. Views hand over the data
(a dict), never a pre-serialised string, so there is nothing to mark safe elsewhere.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

register = template.Library()

#: The characters that could end the script element or start a comment inside it.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_safe_json(data):
    """``data`` as JSON text that cannot leave a ``<script>`` element."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)


@register.simple_tag
def json_ld(data):
    """A ``<script type="application/ld+json">`` element with ``data``; nothing for None."""
    if data is None:
        return ""
    payload = script_safe_json(data)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308
