"""The Elasticsearch index of the directory has an analyzer per content language: built
with Wagtail's (modelsearch's) Elasticsearch 9 backend and serialised with the
elasticsearch 9 client's own serializer. No Elasticsearch server is needed or faked."""

import pytest
from elasticsearch.serializer import JsonSerializer
from wagtail.search.backends import get_search_backend

from config.search import LANGUAGE_ANALYZERS, elasticsearch_backend

pytestmark = pytest.mark.django_db  # the directory's fixtures reset cached counts

#: Token filters and char filters Elasticsearch provides by name (no definition needed).
BUILT_IN = {"lowercase", "asciifolding", "decimal_digit", "arabic_normalization"}
BUILT_IN |= {"german_normalization", "ngram", "edgengram"}


@pytest.fixture
def backend():
    params = elasticsearch_backend("http://127.0.0.1:9200", "test_")
    return get_search_backend(params.pop("BACKEND"), **params)


def test_every_content_language_has_an_analyzer_whose_parts_are_defined(backend):
    analysis = backend.settings["settings"]["analysis"]
    assert set(LANGUAGE_ANALYZERS) == {"de", "de-x-ls", "en", "tr", "ar", "ru", "uk"}
    for code, name in LANGUAGE_ANALYZERS.items():
        analyzer = analysis["analyzer"][name]
        for token_filter in analyzer["filter"]:
            assert token_filter in analysis["filter"] or token_filter in BUILT_IN, (
                code,
                token_filter,
            )
        for char_filter in analyzer.get("char_filter", []):
            assert char_filter in analysis["char_filter"], (code, char_filter)
    assert "arabic_normalization" in analysis["analyzer"]["language_ar"]["filter"]
    assert analysis["filter"]["turkish_lowercase"]["language"] == "turkish"
    assert "ё => е" in analysis["char_filter"]["cyrillic_folding"]["mappings"]
    # German stays the default, and Wagtail's own autocomplete analyzers survive the merge.
    assert "german_stemmer" in analysis["analyzer"]["default"]["filter"]
    assert "edgengram_analyzer" in analysis["analyzer"]
    JsonSerializer().dumps(backend.settings)


def test_the_group_mapping_has_a_sub_field_per_language_and_a_real_document_fits(backend):
    from directory.models import SelfHelpGroup

    mapping = backend.mapping_class(SelfHelpGroup)
    properties = mapping.get_mapping()["properties"]
    name = next(value for key, value in properties.items() if key.endswith("name"))
    assert {key: value["analyzer"] for key, value in name["fields"].items()} == {
        "en": "language_en",
        "tr": "language_tr",
        "ar": "language_ar",
        "ru": "language_ru",
        "uk": "language_uk",
    }
    topics = next(value for key, value in properties.items() if key.endswith("topics"))
    topic_name = next(v for k, v in topics["properties"].items() if k.endswith("name"))
    assert topic_name["fields"]["ar"]["analyzer"] == "language_ar"
    group = SelfHelpGroup.objects.public().first()
    document = mapping.get_document(group)
    JsonSerializer().dumps({"mappings": mapping.get_mapping(), "document": document})
