"""German word forms for the public directory search.

People type their own words, in every inflection ("trinkt", "Angehörigen", "Suchterkrankung").
Both the stored search document of a group and the query are reduced to the same light
stems here, so that matching works the same on SQLite and PostgreSQL without relying on a
database-specific stemmer. Compounds are handled when a query is matched against the topic
vocabulary (see :mod:`directory.search`).
"""

import re
import unicodedata

_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_WORD = re.compile(r"[a-z0-9]+")

#: Endings removed by the light stemmer, longest first. A stem keeps at least four letters,
#: so short words ("Mann", "Haus") survive unchanged.
_SUFFIXES = ("innen", "ern", "em", "en", "er", "es", "st", "e", "n", "s", "t")

#: Words that say nothing about what someone is looking for.
STOP_WORDS = frozenset(
    [
        "a",
        "aber",
        "alle",
        "als",
        "am",
        "an",
        "auch",
        "auf",
        "aus",
        "bei",
        "bin",
        "bis",
        "das",
        "dass",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "er",
        "es",
        "fur",
        "gibt",
        "habe",
        "haben",
        "hat",
        "ich",
        "ihr",
        "im",
        "in",
        "ist",
        "ja",
        "kann",
        "mein",
        "meine",
        "meiner",
        "meinem",
        "meinen",
        "mich",
        "mir",
        "mit",
        "nach",
        "nicht",
        "noch",
        "nur",
        "oder",
        "sie",
        "sind",
        "so",
        "suche",
        "suchen",
        "und",
        "uns",
        "von",
        "vor",
        "was",
        "welche",
        "wer",
        "wie",
        "wir",
        "wo",
        "zu",
        "zum",
        "zur",
        "uber",
        "unter",
        "gruppe",
        "gruppen",
        "selbsthilfe",
        "selbsthilfegruppe",
        "selbsthilfegruppen",
        "shg",
        "treffen",
        "the",
        "a",
        "an",
        "and",
        "or",
        "for",
        "of",
        "in",
        "with",
        "my",
        "i",
        "am",
        "looking",
        "group",
        "groups",
        "self",
        "help",
    ]
)


def fold(text):
    """Lower-case, umlauts folded to their base letter, other accents removed."""
    text = (text or "").lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def stem(word):
    """The light stem of one folded word."""
    if word.endswith("ionen"):  # Depressionen, Migrationen -> depression, migration
        return word[:-2]
    if word.endswith(("ion", "ung")):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text):
    """The folded words of ``text`` in order."""
    return _WORD.findall(fold(text))


def stems(text, *, drop_stop_words=False):
    """The stems of ``text``; optionally without stop words (for queries)."""
    return [stem(word) for word in words(text) if not (drop_stop_words and word in STOP_WORDS)]


def document(*texts):
    """A search document: every distinct stem once, space-delimited on both sides so that a
    ``LIKE '% stem%'`` finds words that start with a stem."""
    seen = dict.fromkeys(s for text in texts for s in stems(text))
    return " " + " ".join(seen) + " " if seen else ""
