"""The one JSON-in-HTML helper: ``{% json_ld %}`` keeps staff text inside its element."""

import json
import re

from django.template import Context, Template

HOSTILE = "</script><script>alert(1)</script> <!-- & -->"


def render(data):
    return Template("{% load structured_data %}{% json_ld data %}").render(Context({"data": data}))


def test_a_closing_script_tag_in_the_data_cannot_end_the_json_ld_element():
    html = render({"@type": "Event", "name": HOSTILE})
    assert html.count("<script") == 1 and html.count("</script>") == 1
    assert html.startswith('<script type="application/ld+json">')
    assert "<" not in html.removeprefix('<script type="application/ld+json">').removesuffix(
        "</script>"
    )


def test_a_json_parser_reads_the_escaped_data_back_unchanged():
    html = render({"name": HOSTILE, "when": "2026-01-01"})
    payload = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', html, re.S)
    assert json.loads(payload.group(1)) == {"name": HOSTILE, "when": "2026-01-01"}


def test_no_data_renders_no_element():
    assert render(None) == ""
