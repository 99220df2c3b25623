"""A crawler of the Wagtail admin as one user sees it, and the checks of its language.

``crawl`` follows every admin link reachable from the dashboard (menu, listings, inspect,
edit, history, exports ...), visiting a few pages of each URL pattern. ``findings`` lists
what a German-speaking editor must never read: Python's ``None``/``True``/``False``, times
in UTC, untranslated labels of our own models. Used by ``test_admin_language`` and, against
the demo database, by a developer checking the admin by hand.
"""

import io
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlsplit

#: Never followed: they end the session, change data on GET, or serve binary files.
SKIP = re.compile(
    r"^/admin/(logout/|login/|password_reset/|bulk/[^?]*$|.*/(lock|unlock)/$|.*/preview/)|"
    r"/admin/(images|documents)/.*\.(jpe?g|png|gif|webp|svg|pdf)$"
)

#: What Python prints for a missing value or a boolean, as whole words.
PYTHON_WORDS = re.compile(r"(?<![\w-])(None|True|False)(?![\w-])")
#: A time that was not converted to local time.
UTC_MARKERS = re.compile(r"\bUTC\b|\+00:00")
#: Labels of our own models that must be German; Wagtail's own strings are Wagtail's.
ENGLISH_LABELS = re.compile(r"(?<![\w-])(Locale|Is active|Created at|Updated at)(?![\w-])")

#: Links in JSON (the sidebar menu's props).
JSON_URL = re.compile(r'"url": ?"(/admin/[^"]*)"')
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}

#: Attributes whose text a person reads or hears.
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description"}


class _TextParser(HTMLParser):
    """Collects what a person reads: text outside scripts/styles and readable attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.links = []
        self._skip = 0
        self._json = False
        self._hidden = None  # [tag, depth] of the element being skipped

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if self._hidden is not None:
            if tag == self._hidden[0]:
                self._hidden[1] += 1
            return
        if "data-side-panel-toggle-counter" in attributes and tag not in VOID_ELEMENTS:
            # Wagtail renders this counter hidden and empty ("None") and fills it in the
            # browser; everything else hidden (dropdowns, side panels) is read.
            self._hidden = [tag, 1]
            return
        if tag in ("script", "style"):
            self._skip += 1
            self._json = attributes.get("type") == "application/json"
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "input" and attributes.get("type") not in ("hidden", "checkbox", "radio"):
            value = attributes.get("value")
            if value:
                self.parts.append(value)
        if tag == "option" and attributes.get("value") == "None":
            self.parts.append("option value None")

    def handle_endtag(self, tag):
        if self._hidden is not None:
            if tag == self._hidden[0]:
                self._hidden[1] -= 1
                if not self._hidden[1]:
                    self._hidden = None
            return
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
            self._json = False

    def handle_data(self, data):
        if self._hidden is not None:
            return
        if self._json:
            # The sidebar menu comes as JSON props: follow its links.
            self.links.extend(
                json_url.encode().decode("unicode_escape") for json_url in JSON_URL.findall(data)
            )
        elif not self._skip and data.strip():
            self.parts.append(data.strip())


def parse(html):
    parser = _TextParser()
    parser.feed(html)
    return "\n".join(parser.parts), parser.links


def pattern_of(url):
    """URLs that differ only in numbers and query values show the same view."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def readable(response):
    """The text of a response, whatever its type (HTML, CSV, XLSX, JSON)."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " | ".join("" if cell is None else str(cell) for cell in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        ), []
    text = body.decode("utf-8-sig", "replace")
    if "html" in content_type:
        return parse(text)
    return text, []


def crawl(client, start=("/admin/",), per_pattern=2, limit=600):
    """``{url: (status, text)}`` of the admin pages reachable from ``start``."""
    seen_patterns = Counter()
    queue = list(start)
    visited = {}
    while queue and len(visited) < limit:
        url = urldefrag(queue.pop(0))[0]
        if url in visited or not url.startswith("/admin/") or SKIP.search(url):
            continue
        pattern = pattern_of(url)
        if seen_patterns[pattern] >= per_pattern:
            continue
        seen_patterns[pattern] += 1
        response = client.get(url)
        if response.status_code in (301, 302):
            visited[url] = (response.status_code, "")
            queue.append(response["Location"])
            continue
        text, links = readable(response) if response.status_code == 200 else ("", [])
        visited[url] = (response.status_code, text)
        queue.extend(link.replace("&amp;", "&") for link in links)
    return visited


def findings(visited):
    """``[(url, what)]``: every page that shows a Python word, UTC or an English label."""
    found = []
    for url, (status, text) in visited.items():
        if status >= 500:
            found.append((url, f"status {status}"))
        for pattern in (PYTHON_WORDS, UTC_MARKERS, ENGLISH_LABELS):
            for match in pattern.finditer(text):
                start = max(0, match.start() - 60)
                context = text[start : match.end() + 60].replace("\n", " ⏎ ")
                found.append((url, f"{match.group(0)!r} in …{context}…"))
    return found
