"""The search index: built once per content load, queried per message in the user's locale chain.

Words are matched exactly, or (for words of 4+ letters) within a small edit distance found through a
trigram index of the vocabulary. Runs of scripts written without spaces are matched by character
bigrams and trigrams. Scores are BM25-like: inverse document frequency times saturated field-weighted
term frequency (title and keywords weigh more than the body).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bot.content.model import ROOT_ID, Content, NodeText
from bot.search.text import SPACELESS_RE, Segments, ngrams, normalize, segment

TITLE_WEIGHT = 3.0
KEYWORD_WEIGHT = 3.0
BODY_WEIGHT = 1.0
SATURATION = 1.2  # BM25's k1
TYPO_MIN_LENGTH = 4  # shorter words must match exactly
TYPO_WEIGHT = 0.7  # a near match counts less than an exact one
TRIGRAM_WEIGHT = 1.5  # a shared trigram of a spaceless run says more than a bigram
MIN_SCORE = 2.0  # below this a page is not offered
MIN_COVERAGE = 0.5  # of a spaceless query's trigram mass, this much must match in the best page
RESULTS = 5

Posting = tuple[int, float]


def _word_grams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def within_distance(a: str, b: str, limit: int) -> bool:
    """True when the Levenshtein distance of a and b is at most `limit` (banded, stops early)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        low = max(1, i - limit)
        high = min(len(b), i + limit)
        if low > 1:
            current[low - 1] = limit + 1
        for j in range(low, high + 1):
            cost = 0 if char_a == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if high < len(b):
            current[high + 1 :] = [limit + 1] * (len(b) - high)
        if min(current[low - 1 : high + 1]) > limit:
            return False
        previous = current
    return previous[len(b)] <= limit


@dataclass(frozen=True, slots=True)
class LocaleIndex:
    """The index of the texts written in one locale."""

    node_ids: tuple[str, ...]
    postings: Mapping[str, tuple[Posting, ...]]
    grams: Mapping[str, tuple[str, ...]]  # word trigram -> vocabulary words containing it

    @classmethod
    def build(cls, texts: Iterable[tuple[str, NodeText]]) -> LocaleIndex:
        """Index (node id, text) pairs."""
        node_ids: list[str] = []
        weighted: dict[str, list[Posting]] = defaultdict(list)
        for doc, (node_id, text) in enumerate(texts):
            node_ids.append(node_id)
            counts: Counter[str] = Counter()
            for field_text, weight in (
                (text.title, TITLE_WEIGHT),
                (" ".join(text.keywords), KEYWORD_WEIGHT),
                (text.plain, BODY_WEIGHT),
            ):
                terms = _terms(segment(normalize(field_text, zawgyi=False)))
                for term, count in Counter(terms).items():
                    counts[term] += count * weight
            for term, tf in counts.items():
                weighted[term].append((doc, tf))
        total = max(1, len(node_ids))
        postings: dict[str, tuple[Posting, ...]] = {}
        for term, items in weighted.items():
            idf = math.log(1 + (total - len(items) + 0.5) / (len(items) + 0.5))
            postings[term] = tuple((doc, idf * tf * (SATURATION + 1) / (tf + SATURATION)) for doc, tf in items)
        grams: dict[str, list[str]] = defaultdict(list)
        for term in postings:
            if len(term) >= TYPO_MIN_LENGTH and term.isalpha() and not SPACELESS_RE.search(term):
                for gram in _word_grams(term):
                    grams[gram].append(term)
        return cls(
            tuple(node_ids),
            MappingProxyType(postings),
            MappingProxyType({gram: tuple(words) for gram, words in grams.items()}),
        )

    def near(self, word: str) -> list[str]:
        """Vocabulary words within a small edit distance of `word` (1, or 2 for words of 8+ letters)."""
        wanted = _word_grams(word)
        shared: Counter[str] = Counter()
        for gram in wanted:
            shared.update(self.grams.get(gram, ()))
        limit = 1 if len(word) < 8 else 2
        found = []
        for candidate, common in shared.most_common(30):
            dice = 2 * common / (len(wanted) + len(candidate) + 2 - 2)
            if dice >= 0.4 and within_distance(word, candidate, limit):
                found.append(candidate)
        return found

    def score(self, query: Segments) -> dict[int, float]:
        """Page scores for a query (page index -> score); pages that match too little are left out."""
        scores: dict[int, float] = defaultdict(float)
        for word in dict.fromkeys(query.words):
            matches = [(word, 1.0)] if word in self.postings else []
            if not matches and len(word) >= TYPO_MIN_LENGTH:
                matches = [(near, TYPO_WEIGHT) for near in self.near(word)]
            for term, factor in matches:
                for doc, weight in self.postings[term]:
                    scores[doc] += weight * factor
        # Query runs are cut into trigrams only (bigrams of a sentence match nearly every page).
        grams = {gram for run in query.runs for gram in ngrams(run, (3,) if len(run) >= 3 else (2,))}
        if grams:
            run_scores: dict[int, float] = defaultdict(float)
            wanted_mass = 0.0
            matched_mass: dict[int, float] = defaultdict(float)
            for gram in grams:
                factor = TRIGRAM_WEIGHT if len(gram) >= 3 else 1.0
                postings = self.postings.get(gram)
                if postings is None:
                    wanted_mass += factor * 2.0  # an unknown gram: as rare as it gets
                    continue
                idf = max(weight for _, weight in postings)
                wanted_mass += factor * idf
                for doc, weight in postings:
                    run_scores[doc] += weight * factor
                    matched_mass[doc] += idf * factor
            # A page must share a good part of what is distinctive in the query, not just common syllables.
            for doc, value in run_scores.items():
                if wanted_mass and matched_mass[doc] / wanted_mass >= MIN_COVERAGE * _coverage_slack(len(grams)):
                    scores[doc] += value / math.sqrt(len(grams))
        return {doc: value for doc, value in scores.items() if value >= MIN_SCORE}


def _coverage_slack(grams: int) -> float:
    """Long sentences need only part of their grams in a page: the word sought is a small part of them."""
    return 1.0 if grams <= 8 else max(0.35, 8 / grams)


def _terms(segments: Segments) -> list[str]:
    terms = list(segments.words)
    for run in segments.runs:
        terms.extend(ngrams(run))
    return terms


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """Every locale's index, and the fallback chains to walk."""

    locales: Mapping[str, LocaleIndex]
    chains: Mapping[str, tuple[str, ...]]
    default_locale: str

    @classmethod
    def build(cls, content: Content) -> SearchIndex:
        """Index the menus and pages of every locale (links and the home menu are left out)."""
        searchable = {node_id for node_id, node in content.nodes.items() if node_id != ROOT_ID and node.type != "link"}
        locales = {
            locale: LocaleIndex.build(
                (node_id, text) for node_id, text in sorted(texts.items()) if node_id in searchable
            )
            for locale, texts in content.texts.items()
        }
        return cls(MappingProxyType(locales), content.chains, content.default_locale)

    def search(self, text: str, locale: str, limit: int = RESULTS) -> tuple[str, ...]:
        """The ids of the best pages for `text`: the user's locale first, then its fallbacks."""
        query = segment(normalize(text))
        if not query.words and not query.runs:
            return ()
        found: list[str] = []
        for candidate in self.chains.get(locale, (self.default_locale,)):
            index = self.locales.get(candidate)
            if index is None:
                continue
            ranked = sorted(index.score(query).items(), key=lambda item: (-item[1], item[0]))
            for doc, _ in ranked:
                node_id = index.node_ids[doc]
                if node_id not in found:
                    found.append(node_id)
                if len(found) >= limit:
                    return tuple(found)
        return tuple(found)
