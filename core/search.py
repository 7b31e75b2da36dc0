"""Search that forgives how people type: one normaliser for documents and queries, and the matching.

Every searchable record has a ``SearchEntry`` (``core.search_index`` keeps them current) whose
``document`` is the normalised text of its names and the names of what it is tied to. A query
matches when every normalised term is a substring of the document, so word order, case, accents,
punctuation and dash style do not matter, and Chinese (written without spaces) matches as a
substring. On PostgreSQL a pg_trgm GIN index serves the ``LIKE '%term%'`` tests.
"""
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import Case, F, FloatField, OuterRef, Q, Subquery, Value, When
from django.utils.functional import cached_property
from django.utils.translation import gettext as _, ngettext

MAX_QUERY_LENGTH = 200
MAX_TERMS = 20
# Relevance is worked out row by row; past this many hits (a query like "university") the listing keeps
# its own order, which its indexes serve, instead of ranking tens of thousands of rows.
RANKED_AT_MOST = 1000
SEPARATOR = "|"  # between names in a document; the normaliser never outputs it

# Han, kana, Hangul and CJK compatibility blocks: scripts written without spaces between words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff"
_SCRIPT_BOUNDARY = re.compile(rf"(?<=[{_CJK}])(?=[^\s{_CJK}])|(?<=[^\s{_CJK}])(?=[{_CJK}])")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()  # full-width forms, ligatures, case
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)  # a host's or discipline's names recur in thousands of documents
def normalise(text: str) -> str:
    """Lower-case words without accents, punctuation or dashes, separated by single spaces.

    ``"CQUPT–FEFU"``, ``"cqupt-fefu"`` and ``"ＣＱＵＰＴ　ＦＥＦＵ"`` all become ``"cqupt fefu"``;
    a run of Chinese is kept whole but parted from Latin letters beside it (``"CQUPT重庆"``).
    """
    folded = _fold(text or "")
    folded = _fold(folded)  # a second pass settles the few characters whose case fold is not yet folded
    words = "".join(char if char.isalnum() else " " for char in folded)
    return " ".join(_SCRIPT_BOUNDARY.sub(" ", words).split())


def document(*names: str) -> str:
    """The searchable text of ``names``: each normalised, kept apart by ``SEPARATOR`` (also at both ends,
    so a rank can tell a whole name or its start from a match inside it)."""
    seen = dict.fromkeys(name for name in map(normalise, filter(None, names)) if name)
    return f"{SEPARATOR}{SEPARATOR.join(seen)}{SEPARATOR}" if seen else ""


class SearchQueryError(ValueError):
    """A query the search will not run, with a message for the person who typed it."""


def query_terms(text: str, *, strict: bool = True) -> list[str]:
    """The distinct normalised terms of ``text``, longest first, each needed for a match.

    A term inside another term adds nothing (``"fe fefu"`` needs only ``fefu``). Too long a text
    or too many terms raise ``SearchQueryError`` when ``strict``, else are cut short.
    """
    text = text or ""
    if len(text) > MAX_QUERY_LENGTH:
        if strict:
            raise SearchQueryError(ngettext(
                "The search text is too long: use at most %(limit)d character.",
                "The search text is too long: use at most %(limit)d characters.", MAX_QUERY_LENGTH,
            ) % {"limit": MAX_QUERY_LENGTH})
        text = text[:MAX_QUERY_LENGTH]
    terms = sorted(dict.fromkeys(normalise(text).split()), key=len, reverse=True)
    terms = [term for i, term in enumerate(terms) if not any(term in longer for longer in terms[:i])]
    if len(terms) > MAX_TERMS:
        if strict:
            raise SearchQueryError(ngettext(
                "Too many words to search for: use at most %(limit)d word.",
                "Too many words to search for: use at most %(limit)d words.", MAX_TERMS,
            ) % {"limit": MAX_TERMS})
        terms = terms[:MAX_TERMS]
    return terms


def _index():
    from .search_index import search_index  # which imports this module's document()

    return search_index


def empty_query_message() -> str:
    return _("Type a name, an abbreviation or a discipline to search for.")


@dataclass
class Match:
    """One query against one kind of record: the condition (an uncorrelated ``pk IN (…)`` subquery,
    built once and reused by a listing's count, page and facets) and the relevance rank."""

    model: type
    text: str

    def __post_init__(self):
        self.kind = _index().kind_for(self.model)
        self.terms = query_terms(self.text, strict=False)
        self.phrase = normalise(self.text[:MAX_QUERY_LENGTH])
        self.condition = self._condition() if self.terms else Q()

    def _matching_entries(self, model):
        entries = _index().entries(model)
        for term in self.terms:
            entries = entries.filter(document__contains=term)
        return entries

    def _condition(self) -> Q:
        def matching_ids(model):
            return self._matching_entries(model).values("object_id")

        condition = Q(pk__in=matching_ids(self.model))
        for via in self.kind.via:
            condition |= Q(pk__in=via(matching_ids))
        return condition

    @cached_property
    def ranked(self) -> bool:
        """Whether the hits are few enough to order by relevance (one bounded count, once per Match)."""
        return self._matching_entries(self.model)[: RANKED_AT_MOST + 1].count() <= RANKED_AT_MOST

    def rank(self):
        """Higher first: the whole name, then a name's start, a word's start, all terms in the names;
        on PostgreSQL plus pg_trgm's word similarity of the query to the names."""
        phrase, terms = self.phrase, self.terms
        score = Case(
            When(names__contains=f"{SEPARATOR}{phrase}{SEPARATOR}", then=Value(8.0)),
            When(names__contains=f"{SEPARATOR}{phrase}", then=Value(6.0)),
            When(names__contains=f" {phrase}", then=Value(4.0)),
            When(names__contains=phrase, then=Value(3.0)),
            default=Value(0.0), output_field=FloatField(),
        ) + Case(
            When(Q(*[Q(names__contains=term) for term in terms]), then=Value(2.0)),
            default=Value(0.0), output_field=FloatField(),
        )
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import TrigramWordSimilarity

            score = score + TrigramWordSimilarity(Value(phrase), "names")
        entry = _index().entries(self.model).filter(object_id=OuterRef("pk"))
        return Subquery(entry.annotate(score=score).values("score")[:1], output_field=FloatField())

    def apply(self, queryset):
        """``queryset`` narrowed to the matches, most relevant first (a ``sort`` chosen later overrides it)."""
        if not self.terms:
            return queryset
        found = queryset.filter(self.condition)
        if not self.ranked:
            return found
        ordering = [F("search_rank").desc(nulls_last=True), *queryset.model._meta.ordering, "pk"]
        return found.alias(search_rank=self.rank()).order_by(*ordering)


def search(queryset, text: str):
    """``queryset`` narrowed to what ``text`` finds, most relevant first (QuerySet ``search()`` methods)."""
    return Match(queryset.model, text or "").apply(queryset)
