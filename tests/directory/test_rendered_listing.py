"""The directory page keeps its rendered search form, filters and results per search
(issue #14): a search asked again renders only the page around them and asks the
database nothing, yet every change that could alter them shows at once."""

import re

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from directory.models import DirectoryPage

from .conftest import group, public_get

pytestmark = pytest.mark.django_db

DIRECTORY = "/gruppen/"
LISTING = "directory/includes/listing.html"


def names(response):
    return re.findall(r'<h3><a href="[^"]+"[^>]*>([^<]+)</a></h3>', response.content.decode())


def rendered(response):
    return [template.name for template in response.templates]


def without_nonce(content):
    return re.sub(rb' nonce="[^"]*"', b"", content)


def test_a_search_asked_again_renders_only_the_page_around_its_listing(visitor):
    params = {"q": "Alkohol", "district": "Moabit"}
    first = public_get(visitor, DIRECTORY, data=params)
    assert LISTING in rendered(first)
    with CaptureQueriesContext(connection) as queries:
        again = public_get(visitor, DIRECTORY, data=params)
    assert LISTING not in rendered(again)
    assert "directory/directory_page.html" in rendered(again)
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    assert without_nonce(again.content) == without_nonce(first.content)


def test_other_parameters_get_their_own_listing(visitor):
    own = public_get(visitor, DIRECTORY, data={"q": "Alkohol"}).content.decode()
    state = public_get(visitor, DIRECTORY, data={"q": "Alkohol", "scope": "land"})
    assert LISTING in rendered(state)
    assert "im ganzen Land" in state.content.decode() and "im ganzen Land" not in own
    # A parameter the form does not know is carried on in the links, so it is part of
    # the key too.
    tagged = public_get(visitor, DIRECTORY, data={"q": "Alkohol", "utm_source": "flyer"})
    assert LISTING in rendered(tagged)


def test_a_renamed_group_shows_at_once_in_a_search_asked_before(visitor):
    params = {"q": "Alkohol"}
    public_get(visitor, DIRECTORY, data=params)
    assert "Trockene Alkoholiker Wedding" in names(public_get(visitor, DIRECTORY, data=params))
    renamed = group("Trockene Alkoholiker Wedding")
    renamed.name = "Trockene Alkoholiker Wedding-Nord"
    renamed.save()
    response = public_get(visitor, DIRECTORY, data=params)
    assert LISTING in rendered(response)
    assert "Trockene Alkoholiker Wedding-Nord" in names(response)


def test_a_published_directory_page_shows_at_once_in_the_kept_listing(visitor):
    from sites.models import Office

    home = Office.objects.get(site__hostname="alpha.localhost").site.root_page
    page = DirectoryPage.objects.child_of(home).get()
    public_get(visitor, DIRECTORY)
    assert "Neue Einleitung zum Verzeichnis" not in public_get(visitor, DIRECTORY).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.intro = "<p>Neue Einleitung zum Verzeichnis</p>"
        page.save_revision().publish()
    assert "Neue Einleitung zum Verzeichnis" in public_get(visitor, DIRECTORY).content.decode()


def test_a_changed_office_phone_shows_at_once_on_a_page_without_results(visitor):
    from sites.models import Office

    params = {"q": "Xylophonorchester"}
    assert "Wir haben keine passende Gruppe gefunden." in (
        public_get(visitor, DIRECTORY, data=params).content.decode()
    )
    office = Office.objects.get(site__hostname="alpha.localhost")
    with TestCase.captureOnCommitCallbacks(execute=True):
        office.phone = "030 98765432"
        office.save()
    assert "030 98765432" in public_get(visitor, DIRECTORY, data=params).content.decode()


def test_a_search_not_asked_yet_costs_the_same_queries_with_many_more_groups(visitor):
    """Counts, the page of results and its topics: a fixed number of queries for a new
    search, however many groups it lists (the topics come with the page, never one query
    per group)."""
    import uuid

    from directory.models import SelfHelpGroup
    from directory.search import forget_counts

    params = {"q": "Alkohol", "scope": "land"}

    def new_search_queries():
        public_get(visitor, DIRECTORY, data={"q": "Trauer"})  # chrome and vocabulary warm
        forget_counts()
        public_get(visitor, DIRECTORY, data={"q": "Trauer"})  # the new vocabulary
        with CaptureQueriesContext(connection) as captured:
            response = public_get(visitor, DIRECTORY, data=params)
        assert LISTING in rendered(response)
        return len(captured.captured_queries), len(names(response))

    small, listed = new_search_queries()
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
    many, listed_many = new_search_queries()
    assert listed_many > listed
    assert many == small
    assert small <= 4
