"""Word forms for the public directory search, in every content language.

People type their own words, in every inflection and script ("trinkt", "Angehörigen",
"Alkoholiker", "алкоголизм", "الكحول", "İçki"). Both the stored search document of a group
and the query are reduced to the same light stems here, so that matching works the same on
SQLite and PostgreSQL without relying on a database-specific stemmer (PostgreSQL has no
Turkish-aware case folding, no Arabic stemmer and no Ukrainian one at all). Compounds are
handled when a query is matched against the topic vocabulary (see :mod:`directory.search`).

Normalisation (``fold``), the same for every language so that a word typed on the German
page finds the Arabic vocabulary too:

- case folding with the Turkish dotted/dotless i folded together (``I``, ``ı``, ``İ``, ``i``
  are one letter here, because a visitor's keyboard decides which one is typed);
- German umlauts and ß folded to their base letters, every other accent removed;
- Cyrillic ё → е (and ї → і, й → и, by removing the diacritic);
- Arabic: diacritics (harakat) and tatweel removed, alef with hamza or madda → alef,
  alef maksura → ya, ta marbuta → ha, Persian kaf/ya → Arabic ones;
- apostrophes inside a word removed (Ukrainian "п'є", Turkish "Ankara'da").

Stemming (``stem``) picks the light stemmer by the script of the word: Arabic (prefixes
such as the article and "and", common suffixes, after Larkey's light10), Cyrillic (Russian
and Ukrainian inflection endings) and Latin (the light German stemmer, which also removes
the English plural and verb "s"). Light stems plus prefix matching in the search forgive
the rest ("alkoholizm", "алкоголизм").
"""

import re
import unicodedata

_FOLD = str.maketrans(
    {
        "ä": "a",
        "ö": "o",
        "ü": "u",
        "ß": "ss",
        "ı": "i",
        "\u0640": None,  # Arabic tatweel (kashida)
        "ة": "ه",  # ta marbuta
        "ى": "ي",  # alef maksura
        "ک": "ك",  # Persian kaf
        "ی": "ي",  # Persian ya
        "'": None,
        "’": None,
        "ʼ": None,
        "`": None,
    }
)
_WORD = re.compile(r"[^\W_]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

#: Endings removed by the light stemmer, longest first. A stem keeps at least four letters,
#: so short words ("Mann", "Haus") survive unchanged.
_SUFFIXES = ("innen", "ern", "em", "en", "er", "es", "st", "e", "n", "s", "t")

#: Words that say nothing about what someone is looking for.
_STOP_WORDS = [
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
    "too",
    "much",
    "very",
    "is",
    "has",
    "what",
    "where",
    "me",
    "to",
    "our",
    "some",
    "someone",
    "person",
    "people",
    "who",
    # Turkish
    "bir",
    "ve",
    "icin",
    "ile",
    "ben",
    "benim",
    "cok",
    "bu",
    "da",
    "de",
    "grubu",
    "grup",
    "yardim",
    "destek",
    # Russian and Ukrainian
    "и",
    "в",
    "у",
    "не",
    "с",
    "на",
    "для",
    "что",
    "очень",
    "мои",
    "моя",
    "мое",
    "мне",
    "меня",
    "я",
    "группа",
    "группы",
    "помощь",
    "самопомощь",
    "і",
    "що",
    "дуже",
    "мени",
    "мені",
    "група",
    "групи",
    "допомога",
    "самодопомога",
    # Arabic
    "في",
    "من",
    "على",
    "مع",
    "عن",
    "الى",
    "إلى",
    "انا",
    "أنا",
    "هو",
    "هي",
    "كثير",
    "جدا",
    "مجموعة",
    "مجموعات",
    "مساعدة",
    "دعم",
]


def fold(text):
    """Lower-case, with umlauts, the Turkish i, Cyrillic ё and Arabic letter variants folded
    and every diacritic removed (see the module's docstring)."""
    text = (text or "").casefold().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


#: Stop words as ``fold`` leaves them (the query is compared after folding).
STOP_WORDS = frozenset(fold(word) for word in _STOP_WORDS)

#: Arabic prefixes (article, "and", "with the", "for the") and suffixes (plural, dual,
#: possessive pronouns) after Larkey's light10, with ta marbuta already folded to ha.
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

#: Russian and Ukrainian inflection endings, longest first, as ``fold`` leaves them
#: (й → и, ї → і). A Cyrillic stem keeps at least three letters ("муж", "сын").
_CYRILLIC_SUFFIXES = tuple(
    sorted(
        {
            fold(ending)
            for ending in [
                "иями",
                "ями",
                "ами",
                "ого",
                "его",
                "ому",
                "ему",
                "ыми",
                "ими",
                "ешь",
                "ишь",
                "ете",
                "ите",
                "ают",
                "яют",
                "уют",
                "ует",
                "ать",
                "ять",
                "ить",
                "еть",
                "ться",
                "тись",
                "ая",
                "яя",
                "ое",
                "ее",
                "ые",
                "ие",
                "ой",
                "ей",
                "ий",
                "ый",
                "ом",
                "ем",
                "ам",
                "ям",
                "ах",
                "ях",
                "ов",
                "ев",
                "ть",
                "ет",
                "ит",
                "ют",
                "ут",
                "ат",
                "ят",
                "ся",
                "сь",
                "ою",
                "ею",
                "ів",
                "їв",
                "ові",
                "еві",
                "а",
                "я",
                "о",
                "е",
                "ы",
                "и",
                "у",
                "ю",
                "ь",
                "й",
                "і",
                "ї",
                "є",
            ]
        },
        key=len,
        reverse=True,
    )
)


def _stem_arabic(word):
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    else:
        if word.startswith("و") and len(word) > 3:
            word = word[1:]
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
    return word


def _stem_cyrillic(word):
    for suffix in _CYRILLIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _stem_latin(word):
    if word.endswith("ionen"):  # Depressionen, Migrationen -> depression, migration
        return word[:-2]
    if word.endswith(("ion", "ung")):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def stem(word):
    """The light stem of one folded word, by the word's script."""
    if _ARABIC.search(word):
        return _stem_arabic(word)
    if _CYRILLIC.search(word):
        return _stem_cyrillic(word)
    return _stem_latin(word)


def words(text):
    """The folded words of ``text`` in order (letters and digits of any script)."""
    return _WORD.findall(fold(text))


def stems(text, *, drop_stop_words=False):
    """The stems of ``text``; optionally without stop words (for queries)."""
    return [stem(word) for word in words(text) if not (drop_stop_words and word in STOP_WORDS)]


def document(*texts):
    """A search document: every distinct stem once, space-delimited on both sides so that a
    ``LIKE '% stem%'`` finds words that start with a stem."""
    seen = dict.fromkeys(s for text in texts for s in stems(text))
    return " " + " ".join(seen) + " " if seen else ""


def trigrams(word):
    """The trigrams of one word as PostgreSQL's ``pg_trgm`` forms them (two blanks before,
    one after), so that the SQLite path finds the same nearest words as the PostgreSQL one."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a, b):
    """``pg_trgm``'s ``similarity()`` of two words: shared trigrams over all trigrams."""
    first, second = trigrams(a), trigrams(b)
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared) if shared else 0.0


_PHONETIC = (
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("qu", "kw"),
    ("c", "k"),
    ("y", "i"),
)
_LONG_VOWEL_H = re.compile(r"([aeiou])h(?![aeiou])")
_DOUBLE = re.compile(r"(.)\1+")


def sound_key(word):
    """A spelling-independent key of one folded Latin-script word, for typos that change
    the letters but not the sound: c/k ("Kanabis", "Kokain"), ph/f, th/t, y/i, doubled
    letters, the silent h after a vowel ("Alkohol", "alkol"). Other scripts unchanged."""
    if _ARABIC.search(word) or _CYRILLIC.search(word):
        return word
    for old, new in _PHONETIC:
        word = word.replace(old, new)
    word = _LONG_VOWEL_H.sub(r"\1", word)
    return _DOUBLE.sub(r"\1", word)


def edit_distance(a, b, limit=3):
    """The optimal-string-alignment distance (Levenshtein plus swapped neighbours, the
    commonest typo: "anxeity"), or ``limit`` when it is at least that."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)
