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
        "INDEX_SETTINGS": GERMAN_INDEX_SETTINGS,
    }
