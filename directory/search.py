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
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from . import text
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
VOCABULARY_CACHE_KEY = "directory:vocabulary:v1"

#: Words that say who a group is for. Relatives' words also find groups for "both".
AUDIENCE_WORDS = {
    Audience.RELATIVES: {
        "angehorig",
        "mann",
        "frau",
        "kind",
        "kinder",
        "partner",
        "partnerin",
        "ehepartner",
        "ehefrau",
        "ehemann",
        "eltern",
        "elter",
        "mutter",
        "vater",
        "sohn",
        "tochter",
        "geschwister",
        "familie",
        "relativ",
        "relative",
        "family",
        "spous",
        "parent",
        "co-abhangig",
        "coabhangig",
        "mitbetroffen",
    },
    Audience.AFFECTED: {"betroffen", "selbstbetroffen", "affected"},
}
AGE_WORDS = {
    AgeBand.YOUNG_ADULTS: {"jung", "junge", "junger", "young", "student", "studierend"},
    AgeBand.SENIORS: {"senior", "seniorin", "alter", "alt", "alteren"},
    AgeBand.YOUTH: {"jugendlich", "teenager", "youth"},
}


def _stem_set(words):
    return {text.stem(text.fold(word)) for word in words}


AUDIENCE_STEMS = {key: _stem_set(words) for key, words in AUDIENCE_WORDS.items()}
AGE_STEMS = {key: _stem_set(words) for key, words in AGE_WORDS.items()}


def word_matches(query_stem, term_stem):
    """Whether a query word means a vocabulary word: same stem, a compound that starts or
    ends with it ("Alkoholsucht", "Suchterkrankung"), or a typed beginning ("alko")."""
    if query_stem == term_stem:
        return True
    if len(term_stem) >= 4 and (query_stem.startswith(term_stem) or query_stem.endswith(term_stem)):
        return True
    return len(query_stem) >= 4 and term_stem.startswith(query_stem)


# --- vocabulary -------------------------------------------------------------------------


def load_vocabulary():
    """Topic terms of every locale, keyed to the source topic, plus each topic's
    descendants; cached until a topic changes (see ``signals``)."""
    vocabulary = cache.get(VOCABULARY_CACHE_KEY)
    if vocabulary is not None:
        return vocabulary
    default_locale = default_locale_id()
    topics = list(
        Topic.objects.values(
            "pk", "translation_key", "locale_id", "parent_id", "name", "synonyms", "related_terms"
        )
    )
    source = {t["translation_key"]: t for t in topics if t["locale_id"] == default_locale}
    children = {}
    for topic in source.values():
        children.setdefault(topic["parent_id"], []).append(topic["pk"])
    names = {t["pk"]: t["name"] for t in source.values()}
    entries = []  # (source topic pk, tuple of stems, phrase)
    for topic in topics:
        origin = source.get(topic["translation_key"])
        if origin is None:
            continue
        phrases = [
            topic["name"],
            *topic["synonyms"].splitlines(),
            *topic["related_terms"].splitlines(),
        ]
        for phrase in phrases:
            stems = tuple(text.stems(phrase, drop_stop_words=True))
            if stems:
                entries.append((origin["pk"], stems, phrase.strip()))

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
    }
    cache.set(VOCABULARY_CACHE_KEY, vocabulary, 3600)
    return vocabulary


def forget_vocabulary(**kwargs):
    cache.delete(VOCABULARY_CACHE_KEY)


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

    def condition(self):
        """The word itself (as the beginning of a word) or any topic/audience it means."""
        if connection.vendor == "postgresql":
            query = " | ".join([f"{self.stem}:*", *self.tokens()])
            return Q(search_document__tsmatch=query)
        condition = Q(search_document__contains=" " + self.stem)
        for token in self.tokens():
            condition |= Q(search_document__contains=f" {token} ")
        return condition

    def explanation(self):
        parts = []
        if self.topic_names:
            parts.append(_("Thema %(topics)s") % {"topics": ", ".join(self.topic_names)})
        if self.audience:
            parts.append(str(Audience(self.audience).label))
        if self.age_band:
            parts.append(str(AgeBand(self.age_band).label))
        return "; ".join(parts)


def interpret(query):
    """Split ``query`` into terms and match each against the vocabulary."""
    vocabulary = load_vocabulary()
    pairs = []  # (word as typed, folded word)
    for typed in re.findall(r"[^\W_]+", query or ""):
        pairs.extend((typed, folded) for folded in text.words(typed))
    pairs = [(typed, folded) for typed, folded in pairs if folded not in text.STOP_WORDS][:8]
    query_stems = [text.stem(folded) for _typed, folded in pairs]
    terms = []
    for (typed, _folded), stem in zip(pairs, query_stems, strict=True):
        term = Term(word=typed, stem=stem)
        for topic_pk, stems, _phrase in vocabulary["entries"]:
            if len(stems) == 1:
                hit = word_matches(stem, stems[0])
            else:
                hit = stem in stems and all(
                    any(word_matches(q, s) for q in query_stems) for s in stems
                )
            if hit and topic_pk not in term.topic_ids:
                term.topic_ids.add(topic_pk)
                term.topic_names.append(vocabulary["names"][topic_pk])
        expanded = set()
        for pk in term.topic_ids:
            expanded.update(vocabulary["descendants"].get(pk, [pk]))
        term.topic_ids = expanded
        for audience, words in AUDIENCE_STEMS.items():
            if stem in words:
                term.audience = audience
        for band, words in AGE_STEMS.items():
            if stem in words:
                term.age_band = band
        terms.append(term)
    return terms


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


class DirectorySearch:
    """One search: ``data`` is the cleaned filter data, ``office`` the office whose own
    groups come first (None on the state site), ``own_only`` limits to that office."""

    def __init__(self, data, office=None, own_only=False, page_size=PAGE_SIZE):
        self.data = data
        self.office = office
        self.own_only = own_only and office is not None
        self.page_size = page_size

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
        topic = Topic.objects.filter(slug=slug, locale_id=default_locale_id()).values("pk").first()
        if topic is None:
            return []
        return vocabulary["descendants"].get(topic["pk"], [topic["pk"]])

    def run(self, with_facets=True):
        terms = interpret(self.data.get("q") or "")
        conditions = filter_conditions(self.data, self.topic_ids_for_slug())
        base = self.base_queryset()
        text_q = Q()
        for term in terms:
            text_q &= term.condition()
        queryset = base.filter(text_q).filter(_all_except(conditions, None))
        total = queryset.count()
        relaxed = []
        understood = [t for t in terms if t.understood]
        if total == 0 and understood and len(understood) < len(terms):
            # Forgive words we do not know ("mein Mann trinkt zu viel") when the words we do
            # understand find something; say so on the page.
            kept = understood
            relaxed = [t.word for t in terms if not t.understood]
            text_q = Q()
            for term in kept:
                text_q &= term.condition()
            queryset = base.filter(text_q).filter(_all_except(conditions, None))
            total = queryset.count()
            terms = kept
        num_pages = max(1, -(-total // self.page_size))
        page = min(self.data.get("page") or 1, num_pages)
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
        start = (page - 1) * self.page_size
        groups = list(
            queryset.select_related("office")
            .prefetch_related("topics")
            .order_by(*ordering)[start : start + self.page_size]
        )
        facets = self.facets(base.filter(text_q), conditions) if with_facets else {}
        return DirectoryResult(
            groups=groups,
            total=total,
            page=page,
            num_pages=num_pages,
            terms=terms,
            facets=facets,
            relaxed_words=relaxed,
            scope_office=self.office if self.own_only else None,
        )

    def facets(self, queryset, conditions):
        """Counts per option; each facet counts with every *other* active filter applied, so
        that a visitor sees how many groups another choice would give."""
        aggregates = {}
        for name, options in _choice_options().items():
            others = _all_except(conditions, name)
            for value, condition in options:
                aggregates[f"{name}__{value}"] = Count("pk", filter=others & condition)
        raw = queryset.aggregate(**aggregates)
        facets = {}
        for key, count in raw.items():
            name, value = key.split("__", 1)
            facets.setdefault(name, {})[value] = count
        topic_rows = (
            SelfHelpGroup.topics.through.objects.filter(
                selfhelpgroup__in=queryset.filter(_all_except(conditions, "topic"))
            )
            .values("topic_id", "topic__slug", "topic__name", "topic__parent_id")
            .annotate(n=Count("selfhelpgroup_id"))
            .order_by("-n", "topic__name")[:60]
        )
        facets["topic"] = list(topic_rows)
        facets["district"] = list(
            queryset.filter(_all_except(conditions, "district"))
            .exclude(district="")
            .values("district")
            .annotate(n=Count("pk"))
            .order_by("district")
        )
        return facets
