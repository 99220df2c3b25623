"""The directory search forgives: typos, word forms, colloquial words, relatives' questions,
and words in every content language find the right groups; a page without results names
the nearest topics. Runs on SQLite and on PostgreSQL (``DATABASE_URL``): the lexicon's
corrections come from ``pg_trgm`` there and from the in-memory trigram index here."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import lexicon, text
from directory.models import SearchWord, Topic
from directory.search import interpret

from .conftest import _make_group, public_get

pytestmark = pytest.mark.django_db

DIRECTORY = "/gruppen/"
ADDICTION_GROUPS = {"Angehörigengruppe Alkohol Moabit", "Trockene Alkoholiker Wedding"}


def names(response):
    return re.findall(r'<h3><a href="[^"]+"[^>]*>([^<]+)</a></h3>', response.content.decode())


# --- normalisation per language (no database) --------------------------------------------


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("اكتِئاب", "اكتياب"),  # kasra removed, hamza on ya folded
        ("الـكـحـول", "الكحول"),  # tatweel removed
        ("أمي", "امي"),  # alef with hamza -> alef
        ("إدمان", "ادمان"),
        ("مستشفى", "مستشفي"),  # alef maksura -> ya
        ("كحولية", "كحوليه"),  # ta marbuta -> ha
        ("İÇKİ", "icki"),  # Turkish dotted capital I
        ("IŞIK", "isik"),  # dotless capital I
        ("ışık", "isik"),  # dotless small i
        ("пьёт", "пьет"),  # Cyrillic yo
        ("п'є", "пє"),  # apostrophe inside a Ukrainian word
        ("Angehörige", "angehorige"),
    ],
)
def test_words_are_folded_the_same_way_whatever_the_keyboard(typed, folded):
    assert text.words(typed) == [folded]


def test_each_script_gets_its_light_stemmer():
    assert text.stems("الكحول وزوجي") == ["كحول", "زوج"]  # article, "and", possessive
    assert text.stems("алкоголика мужа") == ["алкоголик", "муж"]
    assert text.stems("Depressionen Angehörigen drinks") == ["depression", "angehorig", "drink"]


def test_the_trigram_measure_is_pg_trgm_s():
    # similarity('alkohl', 'alkohol') is 0.5 in PostgreSQL's pg_trgm.
    assert text.similarity("alkohl", "alkohol") == 0.5
    assert text.trigrams("ab") == {"  a", " ab", "ab "}
    assert text.edit_distance("anxeity", "anxiety") == 1  # swapped neighbours: one edit
    assert text.sound_key("cannabis") == text.sound_key("kanabis")


# --- forgiving ---------------------------------------------------------------------------


@pytest.mark.parametrize("words", ["Alkohl", "Alkhol", "alkoholl", "ALKOHOLIKR"])
def test_a_mistyped_topic_word_finds_the_addiction_groups(visitor, words):
    response = public_get(visitor, DIRECTORY, data={"q": words})
    assert set(names(response)) == ADDICTION_GROUPS
    html = response.content.decode()
    assert f"„{words}“ (Thema Alkohol)" in html  # says what it searched for


def test_a_word_form_finds_the_topic(visitor):
    assert names(public_get(visitor, DIRECTORY, data={"q": "depressiv"})) == [
        "Depression gemeinsam tragen"
    ]


def test_a_mistyped_group_word_finds_the_group_by_its_name(visitor):
    response = public_get(visitor, DIRECTORY, data={"q": "Weding", "scope": "land"})
    assert names(response) == ["Trockene Alkoholiker Wedding"]
    assert "„Weding“ (ähnlich: wedding)" in response.content.decode()


def test_a_short_or_unrelated_word_is_not_corrected(visitor):
    terms = interpret("Kino Xylophon")
    assert [t.corrected for t in terms] == ["", ""]
    assert names(public_get(visitor, DIRECTORY, data={"q": "Kino Xylophon"})) == []


def test_a_relative_s_colloquial_question_finds_the_relatives_group(
    visitor, offices, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the lexicon follows the topic
        drugs = Topic.objects.create(
            slug="drogen", name="Drogen", synonyms="Cannabis\nkiffen\nGras", parent=None
        )
    _make_group(
        [drugs],
        name="Eltern von Kiffern Moabit",
        office=offices["alpha"],
        description="Für Eltern, deren Kinder Cannabis oder andere Drogen nehmen.",
        audience="relatives",
        district="Moabit",
        rhythm="weekly",
        weekday=2,
    )
    _make_group(
        [drugs],
        name="Clean bleiben Moabit",
        office=offices["alpha"],
        audience="affected",
        district="Moabit",
        rhythm="weekly",
        weekday=4,
    )
    response = public_get(visitor, DIRECTORY, data={"q": "mein Sohn kifft"})
    assert names(response) == ["Eltern von Kiffern Moabit"]
    assert names(public_get(visitor, DIRECTORY, data={"q": "Kanabis"})) == [
        "Clean bleiben Moabit",
        "Eltern von Kiffern Moabit",
    ]


# --- the visitor's language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("alcohol", ADDICTION_GROUPS),
        ("my husband drinks", {"Angehörigengruppe Alkohol Moabit"}),
        ("alkol", ADDICTION_GROUPS),
        ("kocam içki içiyor", {"Angehörigengruppe Alkohol Moabit"}),
        ("KOCAM İÇKİ İÇİYOR", {"Angehörigengruppe Alkohol Moabit"}),
        ("алкоголь", ADDICTION_GROUPS),
        ("муж пьёт", {"Angehörigengruppe Alkohol Moabit"}),
        ("чоловік п'є", {"Angehörigengruppe Alkohol Moabit"}),
        ("كحول", ADDICTION_GROUPS),
        ("زوجي يشرب الخمر", {"Angehörigengruppe Alkohol Moabit"}),
        ("الـكـحـولِ", ADDICTION_GROUPS),
        ("zu viel Alkohol trinken", ADDICTION_GROUPS),
    ],
)
def test_words_in_every_content_language_find_the_addiction_groups(visitor, words, expected):
    for page in (DIRECTORY, "/en" + DIRECTORY):
        assert set(names(public_get(visitor, page, data={"q": words}))) == expected, page


def test_english_words_are_understood_on_the_english_page_and_say_so(visitor):
    html = public_get(visitor, "/en" + DIRECTORY, data={"q": "my husband drinks"}).content
    assert "„husband“ (" in html.decode()
    assert "„drinks“ (" in html.decode()


# --- the coordinators' search terms ----------------------------------------------------------


def _topic_form_data(topic, **terms):
    data = {
        "name": topic.name,
        "slug": topic.slug,
        "parent": topic.parent_id or "",
        "synonyms": topic.synonyms,
        "related_terms": topic.related_terms,
    }
    for code, _label in __import__("directory.forms").forms.search_term_languages():
        name = "search_terms_" + code.replace("-", "_")
        data[name] = "\n".join(topic.terms_in(code))
    data.update(terms)
    return data


def test_a_coordinator_adds_a_search_term_in_a_language_and_visitors_find_with_it(
    coordinator_client, client
):
    from directory.search import forget_vocabulary

    topic = Topic.objects.get(slug="trauer", locale__language_code="de")
    url = f"/admin/directory/topics/edit/{topic.pk}/"
    assert "search_terms_tr" in coordinator_client.get(url).content.decode()
    response = coordinator_client.post(
        url,
        _topic_form_data(topic, search_terms_tr="yas\nyas tutmak\n  Yas  \nbaş sağlığı"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    topic.refresh_from_db()
    assert topic.search_terms["tr"] == ["yas", "yas tutmak", "baş sağlığı"]  # duplicates out
    assert topic.search_terms["en"] == Topic.objects.get(pk=topic.pk).terms_in("en")
    forget_vocabulary()
    lexicon.rebuild()  # the signal does it on commit; the test runs in one transaction
    assert SearchWord.objects.filter(word="saglıgı".replace("ı", "i")).exists()
    client.defaults["HTTP_HOST"] = "land.localhost"
    assert "Trauercafé Beta" in names(public_get(client, DIRECTORY, data={"q": "baş sağlığı"}))


def test_an_overlong_search_term_is_refused_with_a_message_and_nothing_changes(
    coordinator_client,
):
    topic = Topic.objects.get(slug="trauer", locale__language_code="de")
    before = dict(topic.search_terms)
    response = coordinator_client.post(
        f"/admin/directory/topics/edit/{topic.pk}/",
        _topic_form_data(topic, search_terms_ar="x" * 101),
    )
    assert response.status_code == 200
    assert "ist zu lang" in response.content.decode()
    topic.refresh_from_db()
    assert topic.search_terms == before


def test_an_office_editor_cannot_change_search_terms(editor_a):
    from tests.conftest import assert_refused

    topic = Topic.objects.get(slug="alkohol", locale__language_code="de")
    before = dict(topic.search_terms)
    response = editor_a.post(
        f"/admin/directory/topics/edit/{topic.pk}/",
        _topic_form_data(topic, search_terms_en="beer"),
    )
    assert_refused(response)
    topic.refresh_from_db()
    assert topic.search_terms == before


def test_shipped_search_terms_are_merged_without_touching_the_coordinators(db):
    from directory.search_terms import TOPIC_SEARCH_TERMS, merge_into_topics

    topic = Topic.objects.get(slug="alkohol", locale__language_code="de")
    topic.search_terms = {"en": ["Alcohol", "liquor"], "ru": []}
    topic.save()
    assert merge_into_topics([topic]) == 1
    topic.refresh_from_db()
    assert topic.search_terms["en"][:2] == ["Alcohol", "liquor"]
    assert "alcohol" not in topic.search_terms["en"]  # the same word, other case: kept once
    assert set(TOPIC_SEARCH_TERMS["alkohol"]["ar"]) <= set(topic.search_terms["ar"])
    assert merge_into_topics([topic]) == 0


# --- no result ---------------------------------------------------------------------------------


def test_a_page_without_results_suggests_the_nearest_topics(visitor):
    response = public_get(visitor, DIRECTORY, data={"q": "Depri"})
    html = response.content.decode()
    assert names(response) == []
    assert "Vielleicht suchen Sie eines dieser Themen:" in html
    assert 'href="?topic=depression&amp;scope=land">Depression</a>' in html


def test_a_topic_without_groups_of_the_office_is_suggested_state_wide(visitor):
    response = public_get(visitor, DIRECTORY, data={"q": "Spielsucht"})
    assert names(response) == []
    html = response.content.decode()
    assert 'href="?topic=gluecksspiel&amp;scope=land">Glücksspiel</a>' in html
    found = public_get(visitor, DIRECTORY, data={"topic": "gluecksspiel", "scope": "land"})
    assert names(found) == ["Spielerselbsthilfe Beta"]


@pytest.mark.parametrize("words", ["%", "'; DROP TABLE x; --", "a" * 500, "\u0000", "ـــ"])
def test_odd_input_gets_a_page_not_an_error(visitor, words):
    response = public_get(visitor, DIRECTORY, data={"q": words})
    # A NUL character is refused as a bad request by Django's form validation.
    assert response.status_code == (400 if "\x00" in words else 200)


# --- the lexicon on both databases ---------------------------------------------------------------


def test_the_lexicon_holds_vocabulary_and_public_group_words_but_no_draft_s(db):
    lexicon.rebuild()
    words = dict(SearchWord.objects.values_list("word", "vocabulary"))
    assert words["alkohol"] is True
    assert words["كحول"] is True and words["алкоголь"] is True
    assert words["wedding"] is False  # a group's place
    assert "geheimgruppe" not in words  # a draft's name


def test_the_nearest_word_is_the_same_on_either_database(db):
    lexicon.rebuild()
    with CaptureQueriesContext(connection) as queries:
        near = lexicon.nearest(["alkohl", "depresion", "alcholism", "xylophon"])
    assert near["alkohl"][0][0] == "alkohol"  # spelling first, then the sound ("alkol")
    assert near["depresion"][0][0] == "depression"
    assert near["alcholism"][0][0] == "alcoholism"
    assert "xylophon" not in near
    if connection.vendor == "postgresql":
        assert len(queries) == 1  # one pg_trgm query for every word
        assert "similarity(" in queries[0]["sql"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone()


def test_a_new_live_group_s_name_joins_the_lexicon(offices):
    topic = Topic.objects.get(slug="trauer", locale__language_code="de")
    _make_group(
        [topic],
        name="Sternenkinder Moabit",
        office=offices["alpha"],
        district="Moabit",
        rhythm="weekly",
        weekday=2,
    )
    assert SearchWord.objects.filter(word="sternenkinder").exists()
