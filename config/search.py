"""Search backend configurations.

Kept in one module so that the settings and the tests build them the same way: the tests
assert which backend each environment selects and that the Elasticsearch mapping builds.
"""

#: German analysis for every text field without an analyzer of its own: lower-casing,
#: German stop words, umlaut normalisation and the light German stemmer, so that
#: "Angehörige" finds "Angehörigen" and "Gruppen" finds "Gruppe".
GERMAN_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "filter": {
                "german_stop": {"type": "stop", "stopwords": "_german_"},
                "german_stemmer": {"type": "stemmer", "language": "light_german"},
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "lowercase",
                        "german_stop",
                        "german_normalization",
                        "german_stemmer",
                    ],
                },
            },
        }
    }
}


#: One analyzer per content language, built from Elasticsearch's own analysis components
#: (no plugin needed). Every text field of the directory carries a sub-field per language
#: (``name.tr``, ``description.ar``, see ``language_subfields``), so that a query in a
#: visitor's language can be analysed the way that language needs:
#: Turkish lower-casing of I/İ and ASCII folding (people type "seker" for "şeker"); Arabic
#: normalisation (hamza forms, alef maksura, ta marbuta, diacritics, tatweel) and the light
#: Arabic stemmer; Russian and Ukrainian with ё → е and apostrophes removed ("п'є"), the
#: Russian light stemmer; Ukrainian has no stemmer in Elasticsearch without the
#: analysis-ukrainian plugin, so it gets folding and stop words only. Leichte Sprache is
#: German and uses the German analysis.
LANGUAGE_ANALYSIS = {
    "char_filter": {
        "cyrillic_folding": {
            "type": "mapping",
            "mappings": ["ё => е", "Ё => Е", "' => ", "’ => ", "ʼ => "],
        },
        "apostrophes": {"type": "mapping", "mappings": ["' => ", "’ => ", "ʼ => "]},
    },
    "filter": {
        "english_possessive": {"type": "stemmer", "language": "possessive_english"},
        "english_stop": {"type": "stop", "stopwords": "_english_"},
        "english_stemmer": {"type": "stemmer", "language": "light_english"},
        "turkish_lowercase": {"type": "lowercase", "language": "turkish"},
        "turkish_stop": {"type": "stop", "stopwords": "_turkish_"},
        "turkish_stemmer": {"type": "stemmer", "language": "turkish"},
        "arabic_stop": {"type": "stop", "stopwords": "_arabic_"},
        "arabic_stemmer": {"type": "stemmer", "language": "arabic"},
        "russian_stop": {"type": "stop", "stopwords": "_russian_"},
        "russian_stemmer": {"type": "stemmer", "language": "light_russian"},
        "ukrainian_stop": {
            "type": "stop",
            "stopwords": ["і", "й", "в", "у", "на", "з", "до", "що", "це", "не", "та", "як"],
        },
    },
    "analyzer": {
        "language_en": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["english_possessive", "lowercase", "english_stop", "english_stemmer"],
        },
        "language_tr": {
            "type": "custom",
            "tokenizer": "standard",
            "char_filter": ["apostrophes"],
            "filter": ["turkish_lowercase", "turkish_stop", "turkish_stemmer", "asciifolding"],
        },
        "language_ar": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": [
                "lowercase",
                "decimal_digit",
                "arabic_stop",
                "arabic_normalization",
                "arabic_stemmer",
            ],
        },
        "language_ru": {
            "type": "custom",
            "tokenizer": "standard",
            "char_filter": ["cyrillic_folding"],
            "filter": ["lowercase", "russian_stop", "russian_stemmer"],
        },
        "language_uk": {
            "type": "custom",
            "tokenizer": "standard",
            "char_filter": ["cyrillic_folding"],
            "filter": ["lowercase", "ukrainian_stop"],
        },
    },
}

#: Content language code -> analyzer name (German and Leichte Sprache use the default).
LANGUAGE_ANALYZERS = {
    "de": "default",
    "de-x-ls": "default",
    "en": "language_en",
    "tr": "language_tr",
    "ar": "language_ar",
    "ru": "language_ru",
    "uk": "language_uk",
}


def language_subfields():
    """``es_extra`` of a text search field: one sub-field per content language, analysed by
    that language's analyzer (the field itself keeps the German default)."""
    return {
        "fields": {
            code.replace("-", "_"): {"type": "text", "analyzer": analyzer}
            for code, analyzer in LANGUAGE_ANALYZERS.items()
            if analyzer != "default"
        }
    }


def index_settings():
    """The German default analysis plus every language's analyzer, in one index setting."""
    analysis = GERMAN_INDEX_SETTINGS["settings"]["analysis"]
    return {
        "settings": {
            "analysis": {
                "char_filter": dict(LANGUAGE_ANALYSIS["char_filter"]),
                "filter": {**analysis["filter"], **LANGUAGE_ANALYSIS["filter"]},
                "analyzer": {**analysis["analyzer"], **LANGUAGE_ANALYSIS["analyzer"]},
            }
        }
    }


def database_backend():
    """Wagtail's database backend: SQLite FTS5 or PostgreSQL full-text with German config."""
    return {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "german",
    }


def elasticsearch_backend(url, index_prefix=""):
    """The Elasticsearch 9 backend for production (the client major version is 9 too)."""
    return {
        "BACKEND": "wagtail.search.backends.elasticsearch9",
        "URLS": [url],
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": 10,
        "ATOMIC_REBUILD": True,
        "INDEX_SETTINGS": index_settings(),
    }
