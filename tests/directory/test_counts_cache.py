"""Cached result and facet counts: reused for the same search, never stale after a change."""

import pickle
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.exchange import import_groups
from directory.models import SelfHelpGroup
from directory.search import COUNTS_VERSION_KEY

from .conftest import INTERNAL_VALUES, group, public_get

pytestmark = pytest.mark.django_db

DIRECTORY = "/gruppen/"


def names(response):
    return re.findall(r'<h3><a href="[^"]+"[^>]*>([^<]+)</a></h3>', response.content.decode())


def found(response):
    match = re.search(r"(\d+) Gruppen? gefunden", response.content.decode())
    return int(match.group(1))


def counting_queries(captured):
    """The queries that count results and facets (not the page of results)."""
    return [q["sql"] for q in captured if "GROUP BY" in q["sql"] and "selfhelpgroup" in q["sql"]]


def test_the_same_search_again_is_counted_from_the_cache(visitor):
    params = {"q": "Alkohol", "district": "Moabit"}
    with CaptureQueriesContext(connection) as first:
        first_response = public_get(visitor, DIRECTORY, data=params)
    with CaptureQueriesContext(connection) as second:
        second_response = public_get(visitor, DIRECTORY, data=params)
    assert counting_queries(first.captured_queries)
    assert counting_queries(second.captured_queries) == []
    # Equal but for the per-response CSP nonce.
    assert without_nonce(second_response.content) == without_nonce(first_response.content)
    other_page = public_get(visitor, DIRECTORY, data={**params, "district": "Wedding"})
    assert names(other_page) == ["Trockene Alkoholiker Wedding"]  # another key, not reused


def test_an_edit_shows_at_once_in_results_and_counts(visitor):
    html = public_get(visitor, DIRECTORY).content.decode()
    assert "Moabit (2)" in html and "Wedding (1)" in html
    moved = group("Trockene Alkoholiker Wedding")
    moved.district = "Moabit"
    moved.save()
    response = public_get(visitor, DIRECTORY)
    assert "Moabit (3)" in response.content.decode()
    assert "Wedding (1)" not in response.content.decode()
    moabit = public_get(visitor, DIRECTORY, data={"district": "Moabit"})
    assert "Trockene Alkoholiker Wedding" in names(moabit)
    assert found(moabit) == 3


def test_unpublishing_a_group_removes_it_from_results_and_counts_at_once(visitor):
    before = public_get(visitor, DIRECTORY, data={"q": "Alkohol"})
    assert found(before) == 2
    assert "Wedding (1)" in before.content.decode()
    group("Trockene Alkoholiker Wedding").unpublish()
    after = public_get(visitor, DIRECTORY, data={"q": "Alkohol"})
    assert names(after) == ["Angehörigengruppe Alkohol Moabit"]
    assert found(after) == 1
    assert "Wedding (1)" not in after.content.decode()


def test_publishing_a_group_adds_it_to_results_and_counts_at_once(visitor):
    assert "Moabit (2)" in public_get(visitor, DIRECTORY).content.decode()
    draft = group("Entwurf Geheimgruppe")
    draft.save_revision().publish()
    response = public_get(visitor, DIRECTORY)
    assert "Entwurf Geheimgruppe" in names(response)
    assert "Moabit (3)" in response.content.decode()
    assert found(response) == 4


def test_changing_a_group_s_topics_shows_at_once(visitor):
    from directory.models import Topic

    assert found(public_get(visitor, DIRECTORY, data={"topic": "depression"})) == 1
    changed = group("Trockene Alkoholiker Wedding")
    changed.topics.set([Topic.objects.get(slug="depression")])
    changed.save()
    response = public_get(visitor, DIRECTORY, data={"topic": "depression"})
    assert found(response) == 2
    assert "Trockene Alkoholiker Wedding" in names(response)


def test_deleting_a_group_shows_at_once(visitor):
    assert found(public_get(visitor, DIRECTORY, data={"q": "Alkohol"})) == 2
    group("Trockene Alkoholiker Wedding").delete()
    assert found(public_get(visitor, DIRECTORY, data={"q": "Alkohol"})) == 1


def test_an_import_shows_at_once_although_it_sends_no_signals(visitor):
    assert found(public_get(visitor, DIRECTORY, data={"q": "Alkohol"})) == 2
    report = import_groups(
        "name,office,topics,audience,weekday,starts_at\n"
        "Alkohol Nachtgruppe,alpha.localhost,alkohol,affected,2,20:00\n",
        "csv",
        dry_run=False,
    )
    assert report.ok
    assert found(public_get(visitor, DIRECTORY, data={"q": "Alkohol"})) == 3


def test_a_change_in_the_same_transaction_is_forgotten_again_on_commit(
    django_capture_on_commit_callbacks,
):
    version = cache.get(COUNTS_VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        moved = group("Trockene Alkoholiker Wedding")
        moved.district = "Moabit"
        moved.save()
        during = cache.get(COUNTS_VERSION_KEY)
    assert during != version
    assert callbacks
    assert cache.get(COUNTS_VERSION_KEY) not in (version, during)


def test_cached_counts_hold_no_internal_contact_data(visitor):
    for params in ({}, {"q": "Alkohol"}, {"q": "Angehörige", "district": "Moabit"}):
        public_get(visitor, DIRECTORY, data=params)
    stored = [pickle.loads(value) for key, value in cache._cache.items() if "counts" in key]
    assert stored
    dumped = repr(stored)
    for value in INTERNAL_VALUES.values():
        assert value not in dumped


def test_the_result_list_does_not_load_internal_fields(visitor):
    response = public_get(visitor, DIRECTORY, data={"q": "Alkohol"})
    groups = response.context["result"].groups
    assert groups
    for shown in groups:
        assert isinstance(shown, SelfHelpGroup)
        assert {"internal_contact_name", "internal_phone", "internal_email", "internal_notes"} <= (
            shown.get_deferred_fields()
        )


def test_a_new_topic_can_be_filtered_by_at_once(visitor):
    from directory.models import Topic

    html = public_get(visitor, DIRECTORY, data={"topic": "einsamkeit"}).content.decode()
    assert "Dieses Thema gibt es nicht." in html
    lonely = Topic.objects.create(slug="einsamkeit", name="Einsamkeit")
    changed = group("Trockene Alkoholiker Wedding")
    changed.topics.add(lonely)
    changed.save()
    response = public_get(visitor, DIRECTORY, data={"topic": "einsamkeit"})
    assert "Dieses Thema gibt es nicht." not in response.content.decode()
    assert names(response) == ["Trockene Alkoholiker Wedding"]


def without_nonce(content):
    import re

    return re.sub(rb' nonce="[^"]*"', b"", content)


def test_a_warm_search_and_group_page_cost_the_same_queries_with_many_more_groups(visitor):
    """The directory search and a group's page: the same number of queries (and no
    more than two) after twenty more groups of the same topic, so that the gains of
    issue #14 stay."""
    import uuid

    params = {"q": "Alkohol"}

    def counts():
        html = public_get(visitor, DIRECTORY, data=params).content.decode()
        group_url = re.search(r'href="(/gruppen/\d+-[^"/]+/)"', html).group(1)
        result = []
        for url, data in ((DIRECTORY, params), (group_url, None)):
            public_get(visitor, url, data=data)  # warm
            with CaptureQueriesContext(connection) as captured:
                public_get(visitor, url, data=data)
            result.append(len(captured.captured_queries))
        return result

    small = counts()
    source = group("Angehörigengruppe Alkohol Moabit")
    topics = list(source.topics.all())
    for n in range(20):
        copy = SelfHelpGroup.objects.get(pk=source.pk)
        copy.pk = copy.id = None
        copy.translation_key = uuid.uuid4()
        copy.name = f"Alkohol Gesprächskreis {n}"
        copy.slug = f"alkohol-gespraechskreis-{n}"
        copy.save()
        copy.topics.set(topics)
        copy.save()
    assert counts() == small
    assert max(small) <= 2
