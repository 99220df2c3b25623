"""Which search backend each configuration selects, and that the Elasticsearch mapping of
every page model builds (no Elasticsearch server is needed or faked for that)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from wagtail.models import get_page_models
from wagtail.search.backends import get_search_backend

from config.search import GERMAN_INDEX_SETTINGS, elasticsearch_backend

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ELASTICSEARCH_", "DATABASE_", "REDIS_"))
    }
    for line in (ROOT / "platform" / "env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value.strip('"')
    env.update(extra)
    return env


def settings_of(env, *names):
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class TestBackendSelection:
    def test_the_embedded_default_uses_the_database_backend(self):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
        env.pop("DATABASE_URL", None)
        backends = settings_of(env, "WAGTAILSEARCH_BACKENDS")["WAGTAILSEARCH_BACKENDS"]
        assert backends["default"]["BACKEND"] == "wagtail.search.backends.database"
        assert backends["default"]["SEARCH_CONFIG"] == "german"

    def test_production_with_elasticsearch_url_uses_elasticsearch9_with_prefix(self):
        env = production_env(
            ELASTICSEARCH_URL="https://user:pw@search.internal:9200",
            ELASTICSEARCH_INDEX_PREFIX="berlin_",
        )
        values = settings_of(env, "WAGTAILSEARCH_BACKENDS", "CACHES")
        backend = values["WAGTAILSEARCH_BACKENDS"]["default"]
        assert backend["BACKEND"] == "wagtail.search.backends.elasticsearch9"
        assert backend["URLS"] == ["https://user:pw@search.internal:9200"]
        assert backend["INDEX_PREFIX"] == "berlin_"
        assert "INDEX" not in backend  # ignored silently by modelsearch: never set it
        analyzer = backend["INDEX_SETTINGS"]["settings"]["analysis"]["analyzer"]["default"]
        assert "german_stemmer" in analyzer["filter"]
        assert values["CACHES"]["default"]["BACKEND"].endswith("RedisCache")

    def test_production_without_elasticsearch_url_uses_postgres_full_text(self):
        env = production_env(ELASTICSEARCH_URL="", REDIS_URL="")
        values = settings_of(env, "WAGTAILSEARCH_BACKENDS", "CACHES", "UNKNOWN_HOST_POLICY")
        backend = values["WAGTAILSEARCH_BACKENDS"]["default"]
        assert backend["BACKEND"] == "wagtail.search.backends.database"
        # Without Redis the cache is still shared between workers (database cache).
        assert values["CACHES"]["default"]["BACKEND"].endswith("DatabaseCache")
        assert values["UNKNOWN_HOST_POLICY"] == "reject"

    def test_production_refuses_to_start_without_a_secret_key(self):
        env = production_env(DJANGO_SECRET_KEY="")
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY" in result.stderr


class TestElasticsearchMapping:
    @pytest.fixture
    def backend(self):
        params = elasticsearch_backend("http://127.0.0.1:9200", "test_")
        dotted = params.pop("BACKEND")
        return get_search_backend(dotted, **params)

    def test_the_client_is_the_elasticsearch_9_client(self, backend):
        import elasticsearch

        assert elasticsearch.__version__[0] == 9
        assert backend.es.__class__.__module__.startswith("elasticsearch")

    def test_page_indexes_are_prefixed(self, backend):
        from home.models import HomePage

        assert backend.get_index_for_model(HomePage).name == "test_wagtailcore_page"

    def test_the_index_uses_german_analysis(self, backend):
        analysis = backend.settings["settings"]["analysis"]
        assert (
            analysis["analyzer"]["default"]
            == (GERMAN_INDEX_SETTINGS["settings"]["analysis"]["analyzer"]["default"])
        )
        assert analysis["filter"]["german_stemmer"]["language"] == "light_german"
        # Wagtail's own autocomplete analyzers survive the merge.
        assert "edgengram_analyzer" in analysis["analyzer"]

    def test_the_mapping_of_every_page_model_builds(self, backend):
        for model in get_page_models():
            mapping = backend.mapping_class(model).get_mapping()
            assert mapping["properties"], model
            json.dumps(mapping)

    @pytest.mark.django_db
    def test_documents_of_real_pages_build(self, backend, offices):
        from wagtail.models import Page

        for page in Page.objects.filter(depth__gt=1).specific()[:20]:
            document = backend.mapping_class(page.__class__).get_document(page)
            assert document["title"] == page.title
            json.dumps(document, default=str)
