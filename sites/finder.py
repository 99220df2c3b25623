"""Find "my" contact office by postcode, district or place name.

People who look for help know where they live, not which office is responsible for it.
The finder on the state site takes what they type and answers with the regional offices
that serve it:

* five digits: the offices whose postcode areas (``PostcodeArea``, kept by the
  coordination) hold that postcode;
* anything else: the offices whose district (``region``, "Bezirk Pankow"), name, short
  name, neighbourhoods (``districts``) or postcode-area places match, compared without
  case, accents or umlaut spelling ("Weissensee" finds "Weißensee") and by word beginning
  ("Prenzlauer" finds "Prenzlauer Berg").

What does not look like either (one to four digits, a single letter, too long) is a
``FinderInputError`` with a message for the visitor, never a guess.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .slugs import transliterate_german

#: The longest input the finder reads (a long place name with a district).
MAX_QUERY_LENGTH = 100
#: Words that say nothing about the place ("Bezirk Pankow", "Ortsteil Buch").
NOISE_WORDS = frozenset({"bezirk", "ortsteil", "gemeinde", "stadtteil", "landkreis", "kreis"})


class FinderInputError(ValueError):
    """The visitor's input is not a postcode nor a place name; ``message`` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Found:
    """An office the finder found, and why (to show next to it)."""

    office: object
    reasons: list = field(default_factory=list)


def normalise(text):
    """Lowercase ASCII words of ``text``: umlauts spelled out, other accents dropped,
    punctuation and noise words removed ("Bezirk Französisch-Buchholz" →
    ``["franzoesisch", "buchholz"]``)."""
    text = unicodedata.normalize("NFKD", transliterate_german(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[a-z0-9]+", text)
    return [w for w in words if w not in NOISE_WORDS]


def _matches(query_words, candidate):
    """Every word of the query begins a word of ``candidate`` (in any order)."""
    words = normalise(candidate)
    return bool(words) and all(any(w.startswith(q) for w in words) for q in query_words)


def parse(query):
    """``("postcode", "13187")``, ``("place", words)`` or ``("empty", None)``; raises
    ``FinderInputError`` for what is neither."""
    query = " ".join((query or "").split())
    if not query:
        return "empty", None
    if len(query) > MAX_QUERY_LENGTH:
        raise FinderInputError(_("Bitte geben Sie höchstens 100 Zeichen ein."))
    compact = query.replace(" ", "")
    if compact.isdigit():
        if len(compact) != 5:
            raise FinderInputError(
                _("Eine Postleitzahl hat fünf Ziffern, z. B. 13187. Bitte prüfen Sie Ihre Eingabe.")
            )
        return "postcode", compact
    words = normalise(query)
    if not words or sum(len(w) for w in words) < 2:
        raise FinderInputError(
            _("Bitte geben Sie eine Postleitzahl, einen Bezirk oder einen Ortsnamen ein.")
        )
    return "place", words


def regional_offices():
    """The regional offices with what the finder shows of them (hours, closures, site)."""
    from .models import Office, OfficeKind, PostcodeArea

    return (
        Office.objects.filter(kind=OfficeKind.REGIONAL)
        .select_related("site")
        .prefetch_related(
            "opening_hours",
            "consultation_hours",
            "closures",
            Prefetch("postcode_areas", queryset=PostcodeArea.objects.order_by("postcode")),
        )
        .order_by("name")
    )


def find_offices(query):
    """``(kind, offices)``: the kind of input (``"postcode"``, ``"place"`` or
    ``"empty"``) and a list of ``Found``, best first. Raises ``FinderInputError``."""
    from .models import PostcodeArea

    kind, value = parse(query)
    if kind == "empty":
        return kind, []
    if kind == "postcode":
        areas = PostcodeArea.objects.filter(postcode=value).values_list("office_id", "place")
        places = {}
        for office_id, place in areas:
            places.setdefault(office_id, []).append(place)
        found = []
        for office in regional_offices().filter(pk__in=list(places)):
            named = sorted(p for p in places[office.pk] if p)
            reason = f"{value} {', '.join(named)}".strip()
            found.append(Found(office, [reason]))
        return kind, found
    found = []
    for office in regional_offices():
        reasons = []
        for label in (office.region, office.name, office.short_name):
            if label and _matches(value, label) and not reasons:
                reasons.append(label)
        for place in [*office.district_list, *(a.place for a in office.postcode_areas.all())]:
            if place and place not in reasons and _matches(value, place):
                reasons.append(place)
        if reasons:
            found.append(Found(office, reasons))
    return kind, found
