"""The public directory search: filters, free text with synonyms, facet counts.

Why not only Wagtail's search backend? The admin listing uses it (``search_fields``). For the
public, people type their own words ("mein Mann trinkt") and expect the addiction groups for
relatives; that needs the controlled vocabulary (topic synonyms, related terms, audience
words) more than full-text ranking, and the facet counts need a plain queryset. So a query is
*interpreted* first: each word is matched against the topic vocabulary (with German word
forms and compounds, see :mod:`directory.text`) and against audience words; what matches
becomes a structured condition, and every word may also match the group's public search
document (stems of name, description, place and topic names; never internal fields). The
same code runs on SQLite and PostgreSQL and costs a fixed number of queries per page, however
many groups there are.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Case, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from django.utils.translation import gettext as _

from sites.cache_version import CacheVersion, versioned

from . import lexicon, search_terms, text
from .models import (
    LANGUAGE_CHOICES,
    AgeBand,
    Audience,
    Format,
    SelfHelpGroup,
    Status,
    Topic,
    default_locale_id,
    topic_token,
)

EVENING = datetime.time(17, 0)
PAGE_SIZE = 20
VOCABULARY_CACHE_KEY = "directory:vocabulary:v3"
#: Changes whenever a group, topic or locale changes; part of every cached count's key.
COUNTS_VERSION_KEY = "directory:counts:version"
#: Cached counts expire anyway after this many seconds (a safety net, not the mechanism).
COUNTS_TIMEOUT = 600


#: Words that say who a group is for, in every language (``search_terms``). Relatives'
#: words also find groups for "both".
def _phrases(by_language):
    return [phrase for phrases in by_language.values() for phrase in phrases]


def _stem_set(phrases):
    return {s for phrase in phrases for s in text.stems(phrase)}


AUDIENCE_STEMS = {
    Audience.RELATIVES: _stem_set(_phrases(search_terms.RELATIVES_WORDS)),
    Audience.AFFECTED: _stem_set(_phrases(search_terms.AFFECTED_WORDS)),
}
AGE_STEMS = {
    AgeBand.YOUNG_ADULTS: _stem_set(_phrases(search_terms.YOUNG_ADULT_WORDS)),
    AgeBand.SENIORS: _stem_set(_phrases(search_terms.SENIOR_WORDS)),
    AgeBand.YOUTH: _stem_set(_phrases(search_terms.YOUTH_WORDS)),
}
#: Every audience and age phrase (for the search lexicon, see ``directory.lexicon``).
AUDIENCE_PHRASES = [
    *_phrases(search_terms.RELATIVES_WORDS),
    *_phrases(search_terms.AFFECTED_WORDS),
    *_phrases(search_terms.YOUNG_ADULT_WORDS),
    *_phrases(search_terms.SENIOR_WORDS),
    *_phrases(search_terms.YOUTH_WORDS),
]


def word_matches(query_stem, term_stem):
    """Whether a query word means a vocabulary word: same stem, a compound that starts or
    ends with it ("Alkoholsucht", "Suchterkrankung"), or a typed beginning ("alko")."""
    if query_stem == term_stem:
        return True
    if len(term_stem) >= 4 and (query_stem.startswith(term_stem) or query_stem.endswith(term_stem)):
        return True
    return len(query_stem) >= 4 and term_stem.startswith(query_stem)


# --- vocabulary -------------------------------------------------------------------------


#: This process's copy of the cached vocabulary, with the version it was stored under:
#: unpickling the whole vocabulary from the cache cost ~0.4 ms, up to three times a page.
_vocabulary_copy = {"token": None, "vocabulary": None}


def load_vocabulary():
    """Topic terms of every locale, keyed to the source topic, plus each topic's
    descendants; cached until a topic changes (see ``signals``).

    Kept under the directory's counts version, which a search reads anyway and which
    every topic, group or locale change replaces (``forget_vocabulary`` calls
    ``forget_counts``): a warm search reads no token of its own from the shared cache."""
    token = counts_version()
    if _vocabulary_copy["token"] == token:
        return _vocabulary_copy["vocabulary"]
    key = f"{VOCABULARY_CACHE_KEY}:{token}"
    vocabulary = cache.get(key)
    if vocabulary is None:
        vocabulary = build_vocabulary()
        cache.set(key, vocabulary, 3600)
    _vocabulary_copy.update(token=token, vocabulary=vocabulary)
    return vocabulary


def build_vocabulary():
    """Every phrase that names a topic, in every language: the German name, synonyms and
    related terms, each translation's name, and the search terms per language kept on the
    source topic. Each entry is ``(source topic pk, stems, phrase, language code)``."""
    default_locale = default_locale_id()
    topics = list(
        Topic.objects.values(
            "pk",
            "translation_key",
            "locale_id",
            "locale__language_code",
            "parent_id",
            "name",
            "slug",
            "synonyms",
            "related_terms",
            "search_terms",
        )
    )
    source = {t["translation_key"]: t for t in topics if t["locale_id"] == default_locale}
    children = {}
    for topic in source.values():
        children.setdefault(topic["parent_id"], []).append(topic["pk"])
    names = {t["pk"]: t["name"] for t in source.values()}
    localized_names = {}
    entries = []  # (source topic pk, tuple of stems, phrase, language)

    def add(pk, phrase, language):
        stems = tuple(text.stems(phrase, drop_stop_words=True))
        if stems:
            entries.append((pk, stems, phrase.strip(), language))

    for topic in topics:
        origin = source.get(topic["translation_key"])
        if origin is None:
            continue
        language = topic["locale__language_code"]
        add(origin["pk"], topic["name"], language)
        if topic is not origin:
            localized_names.setdefault(language, {})[origin["pk"]] = topic["name"]
            continue
        for phrase in [*topic["synonyms"].splitlines(), *topic["related_terms"].splitlines()]:
            add(origin["pk"], phrase, language)
        for code, phrases in (topic["search_terms"] or {}).items():
            for phrase in phrases if isinstance(phrases, list) else []:
                if isinstance(phrase, str):
                    add(origin["pk"], phrase, code)

    def descendants(pk):
        result, todo = [], [pk]
        while todo:
            current = todo.pop()
            result.append(current)
            todo.extend(children.get(current, []))
        return result

    vocabulary = {
        "entries": entries,
        "descendants": {pk: descendants(pk) for pk in names},
        "names": names,
        "localized_names": localized_names,
        "slugs": {t["slug"]: t["pk"] for t in source.values()},
        "pk_slugs": {t["pk"]: t["slug"] for t in source.values()},
    }
    return vocabulary


def topic_name(vocabulary, pk, language=None):
    """The topic's name in ``language`` where it is translated, German otherwise."""
    language = language or translation.get_language() or ""
    names = vocabulary["localized_names"].get(language) or vocabulary["localized_names"].get(
        language.split("-")[0], {}
    )
    return names.get(pk) or vocabulary["names"][pk]


def forget_vocabulary(**kwargs):
    """A topic changed: a new counts version, under which the vocabulary is built anew."""
    forget_counts()


COUNTS_VERSION = CacheVersion(COUNTS_VERSION_KEY)


def counts_version():
    return COUNTS_VERSION.current()


def forget_counts(**kwargs):
    """Make every cached result count and facet count stale (signal receiver; also called
    by the bulk import): now, and again when the transaction commits."""
    COUNTS_VERSION.replace()


# --- interpreting a query ---------------------------------------------------------------


@dataclass
class Term:
    """One word of the query and what it was understood as."""

    word: str
    stem: str
    topic_ids: set = field(default_factory=set)
    topic_names: list = field(default_factory=list)
    audience: str = ""
    age_band: str = ""
    #: The known word a mistyped word was taken for ("alkohol" for "Alkohl"), if any.
    corrected: str = ""
    #: Stems of ``corrected`` searched for besides the word's own.
    extra_stems: list = field(default_factory=list)

    @property
    def understood(self):
        return bool(self.topic_ids or self.audience or self.age_band)

    def tokens(self):
        """Marker tokens this word stands for (see ``models.build_search_document``)."""
        tokens = [topic_token(pk) for pk in sorted(self.topic_ids)]
        if self.audience:
            tokens.append(f"zzaud{self.audience}")
        if self.age_band:
            tokens.append(f"zzage{self.age_band}")
        return tokens

    @property
    def shown(self):
        """Whether the page should say how the word was taken."""
        return self.understood or bool(self.corrected)

    def stems(self):
        return [self.stem, *(s for s in self.extra_stems if s != self.stem)]

    def condition(self):
        """The word itself (as the beginning of a word), the word it was corrected to, or
        any topic/audience it means."""
        if connection.vendor == "postgresql":
            query = " | ".join([*(f"{s}:*" for s in self.stems()), *self.tokens()])
            return Q(search_document__tsmatch=query)
        condition = Q()
        for stem in self.stems():
            condition |= Q(search_document__contains=" " + stem)
        for token in self.tokens():
            condition |= Q(search_document__contains=f" {token} ")
        return condition

    def explanation(self):
        parts = []
        if self.corrected and not self.understood:
            # A group's word it was taken for; a topic word shows as its topic's name.
            parts.append(_("ähnlich: %(word)s") % {"word": self.corrected})
        if self.topic_names:
            parts.append(_("Thema %(topics)s") % {"topics": ", ".join(self.topic_names)})
        if self.audience:
            parts.append(str(Audience(self.audience).label))
        if self.age_band:
            parts.append(str(AgeBand(self.age_band).label))
        return "; ".join(parts)


def _topics_for(stem, query_stems, vocabulary):
    """Source topic pks whose vocabulary (any language) ``stem`` matches, in order."""
    found = []
    for topic_pk, stems, _phrase, _language in vocabulary["entries"]:
        if len(stems) == 1:
            hit = word_matches(stem, stems[0])
        else:
            hit = stem in stems and all(any(word_matches(q, s) for q in query_stems) for s in stems)
        if hit and topic_pk not in found:
            found.append(topic_pk)
    # A compound names its specific topic and, by its tail, the general one above it
    # ("Tablettensucht": Medikamente and Sucht): keep the specific one only, or every
    # addiction group would be listed for it.
    descendants = vocabulary["descendants"]
    return [
        pk
        for pk in found
        if not any(other != pk and other in descendants.get(pk, ()) for other in found)
    ]


def _understand(term, stem, query_stems, vocabulary):
    """Fill ``term``'s topics, audience and age band from ``stem``; whether any matched."""
    topics = _topics_for(stem, query_stems, vocabulary)
    for pk in topics:
        if pk not in term.topic_ids:
            term.topic_ids.add(pk)
            term.topic_names.append(topic_name(vocabulary, pk))
    for audience, words in AUDIENCE_STEMS.items():
        if stem in words:
            term.audience = audience
    for band, words in AGE_STEMS.items():
        if stem in words:
            term.age_band = band
    return term.understood


#: A query word as typed: anything between blanks, hyphens and slashes (``text.words``
#: then folds it, so that diacritics inside a word, "اكتِئاب", and apostrophes, "п'є",
#: do not split it).
QUERY_WORD = re.compile(r"[^\s\-/]+")
MAX_TERMS = 8


def interpret(query):
    """Split ``query`` into terms and match each against the vocabulary of every language;
    a word that matches nothing is compared with the search lexicon and taken for the
    nearest known word ("Alkohl" → "alkohol", see :mod:`directory.lexicon`)."""
    vocabulary = load_vocabulary()
    triples = []  # (word as typed, folded word)
    for typed in QUERY_WORD.findall(query or ""):
        shown = typed.strip(".,;:!?()[]{}\"'«»„“”‚‘’*+&|<>=#@%~^")
        triples.extend((shown or typed, folded) for folded in text.words(typed))
    triples = [(typed, folded) for typed, folded in triples if folded not in text.STOP_WORDS]
    triples = triples[:MAX_TERMS]
    query_stems = [text.stem(folded) for _typed, folded in triples]
    terms, unknown = [], []
    for index, ((typed, folded), stem) in enumerate(zip(triples, query_stems, strict=True)):
        term = Term(word=typed, stem=stem)
        if not _understand(term, stem, query_stems, vocabulary):
            unknown.append((index, folded, term))
        term.topic_ids = _expand(term.topic_ids, vocabulary)
        terms.append(term)
    if unknown:
        near = lexicon.nearest([folded for _index, folded, _term in unknown])
        for index, folded, term in unknown:
            for other, _score, is_vocabulary in near.get(folded, []):
                if other == folded:
                    break  # a known word as typed (a group's name or place)
                other_stem = text.stem(other)
                stems = [*query_stems[:index], other_stem, *query_stems[index + 1 :]]
                if is_vocabulary and not _understand(term, other_stem, stems, vocabulary):
                    continue
                term.corrected = other
                term.extra_stems.append(other_stem)
                term.topic_ids = _expand(term.topic_ids, vocabulary)
                break
    return terms


def _expand(topic_ids, vocabulary):
    expanded = set()
    for pk in topic_ids:
        expanded.update(vocabulary["descendants"].get(pk, [pk]))
    return expanded


#: Below this similarity a topic is not suggested on a page without results.
SUGGESTION_THRESHOLD = 0.3
_suggestion_index = {"vocabulary": None, "index": None}


def _vocabulary_word_index(vocabulary):
    """``{trigram: {word: {topic pk, ...}}}`` of the vocabulary's words, per process."""
    if _suggestion_index["vocabulary"] is not vocabulary:
        index = {}
        for pk, _stems, phrase, _language in vocabulary["entries"]:
            for word in lexicon.words_of(phrase):
                for trigram in text.trigrams(word):
                    index.setdefault(trigram, {}).setdefault(word, set()).add(pk)
        _suggestion_index.update(vocabulary=vocabulary, index=index)
    return _suggestion_index["index"]


def suggest_topics(query, terms, limit=5):
    """The topics nearest to ``query`` for a page without results: the topics the words were
    understood as, then those whose words (any language) are most similar to a query word.
    Each as ``{"slug", "name"}`` in the active language."""
    vocabulary = load_vocabulary()
    scores = {}
    for term in terms:
        for pk in term.topic_ids:
            scores[pk] = max(scores.get(pk, 0), 2.0)
    index = _vocabulary_word_index(vocabulary)
    for folded in {w for w in text.words(query) if w not in text.STOP_WORDS and len(w) >= 3}:
        candidates = {}
        for trigram in text.trigrams(folded):
            for word, pks in index.get(trigram, {}).items():
                candidates[word] = pks
        for word, pks in candidates.items():
            score = text.similarity(folded, word)
            if score >= SUGGESTION_THRESHOLD:
                for pk in pks:
                    scores[pk] = max(scores.get(pk, 0), score)
    ranked = sorted(scores, key=lambda pk: (-scores[pk], vocabulary["names"].get(pk, "")))
    return [
        {"slug": vocabulary["pk_slugs"][pk], "name": topic_name(vocabulary, pk)}
        for pk in ranked[:limit]
        if pk in vocabulary["pk_slugs"]
    ]


# --- filters and facets -----------------------------------------------------------------


def _language_q(code):
    return (
        Q(languages=code)
        | Q(languages__startswith=code + " ")
        | Q(languages__endswith=" " + code)
        | Q(languages__contains=" " + code + " ")
    )


def filter_conditions(data, topic_ids_for_slug):
    """The Q object of every active filter, keyed by facet name."""
    conditions = {}
    if data.get("topic"):
        conditions["topic"] = Q(
            pk__in=SelfHelpGroup.topics.through.objects.filter(
                topic_id__in=topic_ids_for_slug
            ).values("selfhelpgroup_id")
        )
    if data.get("district"):
        conditions["district"] = Q(district__iexact=data["district"])
    if data.get("audience"):
        conditions["audience"] = Q(audience__in=[data["audience"], Audience.BOTH])
    if data.get("format"):
        conditions["format"] = Q(format=data["format"])
    if data.get("language"):
        conditions["language"] = _language_q(data["language"])
    if data.get("weekday") is not None:
        conditions["weekday"] = Q(weekday=data["weekday"])
    if data.get("evening"):
        conditions["evening"] = Q(starts_at__gte=EVENING)
    if data.get("step_free"):
        conditions["step_free"] = Q(step_free_access=True)
    if data.get("new_members"):
        conditions["new_members"] = Q(new_members_welcome=True)
    if data.get("founding"):
        conditions["founding"] = Q(status=Status.FOUNDING)
    return conditions


def _all_except(conditions, name):
    combined = Q()
    for key, condition in conditions.items():
        if key != name:
            combined &= condition
    return combined


#: Facets with a fixed set of options, counted in one aggregate query.
def _choice_options():
    from sites.models import Weekday

    return {
        "audience": [
            (Audience.AFFECTED.value, Q(audience__in=[Audience.AFFECTED, Audience.BOTH])),
            (Audience.RELATIVES.value, Q(audience__in=[Audience.RELATIVES, Audience.BOTH])),
        ],
        "format": [(value, Q(format=value)) for value, _label in Format.choices],
        "language": [(code, _language_q(code)) for code, _label in LANGUAGE_CHOICES],
        "weekday": [(value, Q(weekday=value)) for value, _label in Weekday.choices],
        "evening": [(True, Q(starts_at__gte=EVENING))],
        "step_free": [(True, Q(step_free_access=True))],
        "new_members": [(True, Q(new_members_welcome=True))],
        "founding": [(True, Q(status=Status.FOUNDING))],
    }


@dataclass
class DirectoryResult:
    groups: list
    total: int
    page: int
    num_pages: int
    terms: list
    facets: dict
    relaxed_words: list
    scope_office: object
    #: Nearest topics (``{"slug", "name"}``) when nothing was found for the words.
    suggestions: list = field(default_factory=list)


#: Columns the result list shows (see ``directory_page.html`` and ``views.localize``):
#: loading only these keeps the row narrow and internal fields out of the page's objects.
LIST_FIELDS = (
    "pk",
    "translation_key",
    "locale_id",
    "name",
    "slug",
    "office_id",
    "description",
    "status",
    "audience",
    "rhythm",
    "interval_weeks",
    "nth_of_month",
    "weekday",
    "starts_at",
    "ends_at",
    "format",
    "venue",
    "district",
)


class DirectorySearch:
    """One search: ``data`` is the cleaned filter data, ``office`` the office whose own
    groups come first (None on the state site), ``own_only`` limits to that office.

    A page costs a fixed number of queries: one grouped aggregate for the total and every
    facet but the topics, one for the topic facet, one for the page of results and one for
    their topics (plus one more aggregate when unknown words are dropped)."""

    def __init__(
        self,
        data,
        office=None,
        own_only=False,
        page_size=PAGE_SIZE,
        fields=LIST_FIELDS,
        related=(),
        topic_ids=False,
    ):
        self.data = data
        self.office = office
        self.own_only = own_only and office is not None
        self.page_size = page_size
        self.fields = fields
        self.related = related
        #: List each group's topics as ``topic_ids`` only (the public page), not as
        #: prefetched topic objects (the API).
        self.topic_ids = topic_ids

    def base_queryset(self):
        queryset = SelfHelpGroup.objects.public()
        if self.own_only:
            queryset = queryset.filter(office=self.office)
        return queryset

    def topic_ids_for_slug(self):
        slug = self.data.get("topic")
        if not slug:
            return []
        vocabulary = load_vocabulary()
        pk = vocabulary["slugs"].get(slug)
        if pk is None:
            return []
        return vocabulary["descendants"].get(pk, [pk])

    def counts_key(self, terms, with_facets):
        """The cache key of this search's counts: scope, language, the words as understood
        and the filters (not the page), under the current ``counts_version``."""
        filters = sorted(
            (name, str(value))
            for name, value in self.data.items()
            if name not in ("q", "page", "scope") and value not in (None, "", False)
        )
        words = [(tuple(term.stems()), tuple(term.tokens())) for term in terms]
        scope = (self.office.pk if self.office else None, self.own_only, with_facets)
        language = translation.get_language()
        digest = hashlib.sha256(repr((scope, language, words, filters)).encode()).hexdigest()
        return f"directory:counts:{counts_version()}:{digest}"

    def counts(self, base, terms, conditions, with_facets):
        """Total, facets and whether unknown words had to be dropped; cached until any
        group, topic or locale changes (see ``forget_counts``)."""
        key = self.counts_key(terms, with_facets)
        # The key carries the counts version, so this process may keep its own copy too
        # (a repeated search reads nothing from the shared cache).
        return versioned(
            key,
            lambda: self._count(base, terms, conditions, with_facets),
            COUNTS_TIMEOUT,
        )

    def _count(self, base, terms, conditions, with_facets):
        total, facets = self.summary(base.filter(_text_condition(terms)), conditions, with_facets)
        relaxed = False
        understood = [t for t in terms if t.understood]
        if total == 0 and understood and len(understood) < len(terms):
            # Forgive words we do not know ("mein Mann trinkt zu viel") when the words we do
            # understand find something; say so on the page.
            relaxed = True
            total, facets = self.summary(
                base.filter(_text_condition(understood)), conditions, with_facets
            )
        return total, facets, relaxed

    def run(self, with_facets=True):
        terms = interpret(self.data.get("q") or "")
        conditions = filter_conditions(self.data, self.topic_ids_for_slug())
        base = self.base_queryset()
        total, facets, relax = self.counts(base, terms, conditions, with_facets)
        relaxed = []
        if relax:
            relaxed = [t.word for t in terms if not t.understood]
            terms = [t for t in terms if t.understood]
        text_q = _text_condition(terms)
        num_pages = max(1, -(-total // self.page_size))
        page = min(self.data.get("page") or 1, num_pages)
        # The page of results is kept like the counts (under the counts version, per
        # process too): a repeated search asks the database nothing.
        shape = hashlib.sha256(
            repr((self.fields, self.related, self.topic_ids, self.page_size, page)).encode()
        ).hexdigest()[:16]
        groups = versioned(
            f"{self.counts_key(terms, with_facets)}:page:{shape}",
            lambda: self.page_of_groups(
                base.filter(text_q).filter(_all_except(conditions, None)), total, page
            ),
            COUNTS_TIMEOUT,
        )
        query = self.data.get("q") or ""
        suggestions = suggest_topics(query, terms) if not total and query.strip() else []
        return DirectoryResult(
            groups=groups,
            total=total,
            page=page,
            num_pages=num_pages,
            terms=terms,
            facets=facets,
            relaxed_words=relaxed,
            scope_office=self.office if self.own_only else None,
            suggestions=suggestions,
        )

    def page_of_groups(self, queryset, total, page):
        if not total:
            return []
        ordering = ["name", "pk"]
        if self.office is not None and not self.own_only:
            queryset = queryset.annotate(
                own=Case(
                    When(office=self.office, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            ordering = ["own", *ordering]
        if self.related:
            queryset = queryset.select_related(*self.related)
        else:
            # The office's short name for "betreut von …", without building an office
            # object per listed group.
            queryset = queryset.annotate(
                office_label=Coalesce(NullIf("office__short_name", Value("")), "office__name")
            )
        if self.fields:
            queryset = queryset.only(*self.fields)
        start = (page - 1) * self.page_size
        # Translations come in the same query (``localize`` swaps them in).
        queryset = queryset.with_translation().order_by(*ordering)
        if not self.topic_ids:
            return list(queryset.prefetch_related("topics")[start : start + self.page_size])
        # Only the topics' ids, named from the cached vocabulary (``views.localize``): no
        # topic objects, and on PostgreSQL no query of their own.
        links = SelfHelpGroup.topics.through.objects
        if connection.vendor == "postgresql":
            from django.contrib.postgres.expressions import ArraySubquery

            ids = links.filter(selfhelpgroup_id=OuterRef("pk")).values("topic_id")
            return list(
                queryset.annotate(topic_ids=ArraySubquery(ids))[start : start + self.page_size]
            )
        groups = list(queryset[start : start + self.page_size])
        found = {}
        for group_id, topic_id in links.filter(
            selfhelpgroup_id__in=[group.pk for group in groups]
        ).values_list("selfhelpgroup_id", "topic_id"):
            found.setdefault(group_id, []).append(topic_id)
        for group in groups:
            group.topic_ids = found.get(group.pk, [])
        return groups

    def summary(self, queryset, conditions, with_facets=True):
        """The number of results and the facet counts. Each facet counts with every *other*
        active filter applied, so that a visitor sees how many groups another choice would
        give.

        Two queries whatever the data: the total, the fixed-choice facets and the district
        facet come from one pass over the groups that match the words, grouped by district
        and language list (a few hundred rows); the topic facet needs the topic links. Both are
        written from SQL fragments of the same ``Q`` objects the result list filters with
        (see ``_where``), because building some thirty filtered aggregates through the ORM
        cost more time per request than running them."""
        everything = _all_except(conditions, None)
        if not with_facets:
            return queryset.filter(everything).count(), {}
        vendor = connection.vendor
        base_sql, base_params = _where(queryset)
        active = {name: _where_q(condition) for name, condition in conditions.items()}

        def others(name):
            parts = [sql for key, (sql, _p) in active.items() if key != name]
            params = [p for key, (_s, ps) in active.items() if key != name for p in ps]
            return " AND ".join(f"({sql})" for sql in parts) or "1=1", params

        columns, params, keys = [], [], []
        filter_clause = connection.features.supports_aggregate_filter_clause

        def count(key, condition_sql, condition_params):
            if filter_clause:
                columns.append(f"COUNT(*) FILTER (WHERE {condition_sql})")
            else:
                columns.append(f"SUM(CASE WHEN {condition_sql} THEN 1 ELSE 0 END)")
            params.extend(condition_params)
            keys.append(key)

        count(("total", ""), *others(None))
        for name, options in _option_sql(vendor).items():
            other_sql, other_params = others(name)
            if name == "language":
                # Counted per stored language list (few distinct values) and split below:
                # one aggregate instead of one pattern match per language and row.
                count(("language", ""), other_sql, other_params)
                continue
            for value, option_sql, option_params in options:
                count(
                    (name, value), f"({other_sql}) AND ({option_sql})", other_params + option_params
                )
        count(("district", ""), *others("district"))
        qn = connection.ops.quote_name
        table = qn(SelfHelpGroup._meta.db_table)
        district = f"{table}.{qn('district')}"
        languages = f"{table}.{qn('languages')}"
        sql = (
            f"SELECT {district}, {languages}, {', '.join(columns)} FROM {table} "
            f"WHERE {base_sql} GROUP BY {district}, {languages} ORDER BY {district}"
        )
        total = 0
        facets = {
            name: {value: 0 for value, _sql, _params in options}
            for name, options in _option_sql(vendor).items()
        }
        districts = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *base_params])
            rows = cursor.fetchall()
        # Column sums for the counts that do not depend on the group key (a state-wide
        # search returns several hundred rows; summing columns beats a loop per cell).
        columns = list(zip(*rows, strict=True))[2:] if rows else [()] * len(keys)
        sums = [sum(filter(None, column)) for column in columns]
        for (name, value), number in zip(keys, sums, strict=True):
            if name == "total":
                total = number
            elif name not in ("district", "language"):
                facets[name][value] = number
        district_at = 2 + keys.index(("district", ""))
        language_at = 2 + keys.index(("language", ""))
        for row in rows:
            number = int(row[district_at] or 0)
            if number and row[0]:
                districts[row[0]] = districts.get(row[0], 0) + number
            number = int(row[language_at] or 0)
            if number:
                for code in set((row[1] or "").split(" ")):
                    if code in facets["language"]:
                        facets["language"][code] += number
        facets["district"] = [{"district": name, "n": n} for name, n in districts.items()]
        facets["topic"] = self.topic_facet(table, base_sql, base_params, *others("topic"))
        return total, facets

    def topic_facet(self, table, base_sql, base_params, other_sql, other_params):
        """The 60 topics with most matching groups (counted without the topic filter)."""
        qn = connection.ops.quote_name
        links = qn(SelfHelpGroup.topics.through._meta.db_table)
        topics = qn(Topic._meta.db_table)
        groups = f"SELECT {table}.{qn('id')} FROM {table} WHERE ({base_sql}) AND ({other_sql})"
        if connection.vendor == "postgresql":
            # Look the few matching groups' links up by index; with IN (...) the planner
            # tends to hash-join a scan of every link (4x slower for a topic word).
            matching = f"= ANY(ARRAY({groups}))"
        else:
            matching = f"IN ({groups})"
        sql = (
            f"SELECT l.{qn('topic_id')}, t.{qn('slug')}, t.{qn('name')}, t.{qn('parent_id')}, "
            f"COUNT(*) FROM {links} l INNER JOIN {topics} t ON (l.{qn('topic_id')} = t.{qn('id')}) "
            f"WHERE l.{qn('selfhelpgroup_id')} {matching} "
            f"GROUP BY l.{qn('topic_id')}, t.{qn('slug')}, t.{qn('name')}, t.{qn('parent_id')} "
            f"ORDER BY 5 DESC, 3 ASC LIMIT 60"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*base_params, *other_params])
            rows = cursor.fetchall()
        return [
            {
                "topic_id": topic_id,
                "topic__slug": slug,
                "topic__name": name,
                "topic__parent_id": parent_id,
                "n": number,
            }
            for topic_id, slug, name, parent_id, number in rows
        ]


def _where(queryset):
    """The WHERE clause of a single-table ``queryset`` of groups as (sql, params)."""
    query = queryset.query
    used = {alias for alias in query.alias_map if query.alias_refcount[alias]}
    if used - {SelfHelpGroup._meta.db_table}:
        raise ValueError(f"Only queries of the group table alone, not {sorted(used)}.")
    compiler = query.get_compiler(connection=connection)
    try:
        sql, params = compiler.compile(query.where)
    except FullResultSet:
        return "1=1", []
    except EmptyResultSet:
        return "1=0", []
    return sql or "1=1", list(params)


def _where_q(condition):
    return _where(SelfHelpGroup.objects.filter(condition))


_OPTION_SQL = {}


def _option_sql(vendor):
    """SQL of every facet option's condition, compiled once per process (they are fixed)."""
    if vendor not in _OPTION_SQL:
        _OPTION_SQL[vendor] = {
            name: [(str(value), *_where_q(condition)) for value, condition in options]
            for name, options in _choice_options().items()
        }
    return _OPTION_SQL[vendor]


def _text_condition(terms):
    condition = Q()
    for term in terms:
        condition &= term.condition()
    return condition
