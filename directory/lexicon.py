"""The search lexicon: nearest known word for a mistyped one ("Alkohl" → "alkohol").

Every word a query could sensibly contain is in ``SearchWord``: the topic vocabulary in
every language (names, synonyms, related terms, search terms, audience words) and the words
of the public groups' names and places. A query word that matches nothing exactly is
compared with it by trigram similarity, the measure of PostgreSQL's ``pg_trgm``:

- on PostgreSQL, one query with the ``%`` operator on a trigram GIN index (migration 0005
  creates the extension and the index), whatever the number of words;
- on SQLite, the same rows held in memory in this process with an inverted trigram index
  and :func:`directory.text.similarity`, rebuilt when the table changes (a token in the
  shared cache says when).

Both return the same nearest words for the same table, which the tests check on both
databases. The table is rebuilt when a topic changes (``signals``), extended when a group
is saved, and rebuilt by ``manage.py rebuild_search_words`` (e.g. after a bulk import).
"""

import uuid

from django.core.cache import cache
from django.db import connection, transaction

from . import text

#: Known words at least this similar (``pg_trgm``'s default threshold of its ``%``
#: operator) are candidates; a candidate is taken if it shares at least ``THRESHOLD`` of
#: its trigrams (by spelling or by sound key, see ``text.sound_key``) or is at most
#: ``allowed_distance`` edits away. 0.3 alone lets "Kind" become "Wind"; the second test
#: keeps corrections to typos, missing, doubled or swapped letters ("Alkohl", "Depresion",
#: "Kanabis", "anxeity").
CANDIDATE_THRESHOLD = 0.3
THRESHOLD = 0.4
CANDIDATES = 10
#: Words shorter than this are never corrected: a short word has too few trigrams for a
#: similarity to mean anything ("Kino" would become "Kind").
MIN_LENGTH = 5
MAX_WORD_LENGTH = 100
TOKEN_KEY = "directory:lexicon:token"

_memory = {"token": None, "words": None, "index": None}


def words_of(*texts):
    """The folded words of ``texts`` worth keeping in the lexicon."""
    return {
        word
        for value in texts
        for word in text.words(value)
        if len(word) >= 3 and len(word) <= MAX_WORD_LENGTH and not word.isdigit()
    }


def vocabulary_words(vocabulary):
    from .search import AUDIENCE_PHRASES

    found = set()
    for _pk, _stems, phrase, _language in vocabulary["entries"]:
        found |= words_of(phrase)
    for phrase in AUDIENCE_PHRASES:
        found |= words_of(phrase)
    return found


def group_words(rows):
    found = set()
    for row in rows:
        found |= words_of(*row)
    return found


GROUP_WORD_FIELDS = ("name", "district", "venue", "city")


def rebuild(vocabulary=None, SearchWord=None, SelfHelpGroup=None):
    """Replace the lexicon with the current vocabulary and the public groups' words.
    Models may be passed in (the data migration passes its historical ones)."""
    if SearchWord is None:
        from .models import SearchWord, SelfHelpGroup
    if vocabulary is None:
        from .search import build_vocabulary

        vocabulary = build_vocabulary()
    known = vocabulary_words(vocabulary)
    groups = group_words(
        SelfHelpGroup.objects.filter(live=True).values_list(*GROUP_WORD_FIELDS).iterator()
    )
    with transaction.atomic():
        SearchWord.objects.all().delete()
        SearchWord.objects.bulk_create(
            [
                SearchWord(word=word, key=text.sound_key(word), vocabulary=True)
                for word in sorted(known)
            ]
            + [
                SearchWord(word=word, key=text.sound_key(word), vocabulary=False)
                for word in sorted(groups - known)
            ],
            batch_size=2000,
        )
    changed()


def add_group(group):
    """Add the words of one group's name and place (a save of a group)."""
    from .models import SearchWord

    new = words_of(*(getattr(group, name) for name in GROUP_WORD_FIELDS))
    if not new:
        return
    existing = set(SearchWord.objects.filter(word__in=new).values_list("word", flat=True))
    if new - existing:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word, key=text.sound_key(word)) for word in sorted(new - existing)],
            ignore_conflicts=True,
        )
        changed()


def changed():
    """Tell every process that its in-memory copy (SQLite) is stale."""
    cache.set(TOKEN_KEY, uuid.uuid4().hex, None)


def _in_memory():
    from .models import SearchWord

    token = cache.get(TOKEN_KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.set(TOKEN_KEY, token, None)
    if _memory["token"] != token:
        rows = list(SearchWord.objects.values_list("word", "key", "vocabulary"))
        words = {word: (key, vocabulary) for word, key, vocabulary in rows}
        index = {}
        for word, key, _vocabulary in rows:
            for trigram in text.trigrams(word):
                index.setdefault(("w", trigram), []).append(word)
            for trigram in text.trigrams(key):
                index.setdefault(("k", trigram), []).append(word)
        _memory.update(token=token, words=words, index=index)
    return _memory["words"], _memory["index"]


def allowed_distance(word):
    return 2 if len(word) >= 8 else 1 if len(word) >= 5 else 0


def _accept(word, candidates):
    """The accepted candidates of ``word`` (``[(other, spelling similarity, sound
    similarity, vocabulary)]``, the ``CANDIDATES`` most similar by either), best first: the
    same rule on both databases. The spelling ranks first ("Alkohl" is "Alkohol" before it
    is the Turkish "alkol", which sounds the same)."""
    accepted = []
    for other, spelling, sound, vocabulary in candidates:
        distance = text.edit_distance(word, other)
        if max(spelling, sound) >= THRESHOLD or distance <= allowed_distance(word):
            accepted.append((other, spelling, sound, vocabulary, distance))
    accepted.sort(
        key=lambda item: (-round(item[1], 5), -round(item[2], 5), item[4], not item[3], item[0])
    )
    return [
        (other, max(spelling, sound), vocabulary)
        for other, spelling, sound, vocabulary, _d in accepted
    ]


def nearest(words, limit=3):
    """``{word: [(known word, similarity, is vocabulary), ...]}`` best first, for each of
    ``words`` (folded) that is long enough; only candidates ``_accept`` takes."""
    words = sorted({w for w in words if len(w) >= MIN_LENGTH and len(w) <= MAX_WORD_LENGTH})
    if not words:
        return {}
    if connection.vendor == "postgresql":
        found = _candidates_postgresql(words)
    else:
        found = _candidates_in_memory(words)
    result = {}
    for word, candidates in found.items():
        accepted = _accept(word, candidates)
        if accepted:
            result[word] = accepted[:limit]
    return result


def _candidates_in_memory(words):
    known, index = _in_memory()
    found = {}
    for word in words:
        key = text.sound_key(word)
        others = set()
        for trigram in text.trigrams(word):
            others.update(index.get(("w", trigram), ()))
        for trigram in text.trigrams(key):
            others.update(index.get(("k", trigram), ()))
        scored = []
        for other in others:
            other_key, vocabulary = known[other]
            spelling = text.similarity(word, other)
            sound = text.similarity(key, other_key)
            if max(spelling, sound) >= CANDIDATE_THRESHOLD:
                scored.append((other, spelling, sound, vocabulary))
        scored.sort(key=lambda item: (-round(max(item[1], item[2]), 5), item[0]))
        if scored:
            found[word] = scored[:CANDIDATES]
    return found


def _candidates_postgresql(words):
    from .models import SearchWord

    table = connection.ops.quote_name(SearchWord._meta.db_table)
    sql = (
        "SELECT q.word, w.word, w.spelling, w.sound, w.vocabulary "
        "FROM unnest(%s::text[], %s::text[]) AS q(word, key) CROSS JOIN LATERAL ("
        "  SELECT s.word, s.vocabulary, similarity(s.word, q.word) AS spelling, "
        "  similarity(s.key, q.key) AS sound "
        f"  FROM {table} s WHERE s.word %% q.word OR s.key %% q.key "
        "  ORDER BY GREATEST(similarity(s.word, q.word), similarity(s.key, q.key)) DESC, "
        "  s.word LIMIT %s"
        ") AS w"
    )
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [words, [text.sound_key(w) for w in words], CANDIDATES])
        for word, other, spelling, sound, vocabulary in cursor.fetchall():
            found.setdefault(word, []).append((other, float(spelling), float(sound), vocabulary))
    return found
