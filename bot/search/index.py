"""The search index: built once per content load, queried per message in the user's locale chain.

Words are matched exactly, or (for words of 4+ letters) within a small edit distance found through a
trigram index of the vocabulary. Runs of scripts written without spaces are matched by character
bigrams and trigrams. Scores are BM25-like: inverse document frequency times saturated field-weighted
term frequency (title and keywords weigh more than the body).

Who a page is for is part of the ranking. Pages of a track written for professionals (`audience: officers`
on its menu) never outrank the pages for the people the bot serves: a person's search offers them only when
no other page matches, unless the person came in through that audience's track (a campaign landing on it).
Both are decided from what is already in memory: the audiences are read once per content load, and the
campaign travels in the person's header.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from types import MappingProxyType

from bot.campaigns.model import campaigns_of
from bot.content.model import ROOT_ID, Content, NodeText
from bot.search.text import SPACELESS_RE, Segments, ngrams, normalize, segment

TITLE_WEIGHT = 3.0
SATURATION = 1.2  # BM25's k1
TYPO_MIN_LENGTH = 4  # shorter words must match exactly
TYPO_WEIGHT = 0.7  # a near match counts less than an exact one
MAX_QUERY_GRAMS = 16  # the rarest trigrams of a spaceless query that are scored
COMMON_SHARE = 0.6  # a word on more than this share of a locale's pages is not scored ...
COMMON_MIN_PAGES = 12  # ... unless the locale has few pages
MIN_SCORE = 2.0  # below this a page is not offered
MIN_COVERAGE = 0.5  # of a spaceless query's trigram mass, this much must match in the best page
RESULTS = 5


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
    """The index of the texts written in one locale: term -> (page numbers, field-weighted frequencies)."""

    node_ids: tuple[str, ...]
    postings: Mapping[str, tuple[array[int], array[float]]]
    grams: Mapping[str, tuple[str, ...]]  # word trigram -> vocabulary words containing it

    @classmethod
    def build(cls, texts: Iterable[tuple[str, NodeText]]) -> LocaleIndex:
        """Index (node id, text) pairs."""
        node_ids: list[str] = []
        docs: dict[str, list[int]] = {}
        weights: dict[str, list[float]] = {}
        for doc, (node_id, text) in enumerate(texts):
            node_ids.append(node_id)
            counts: dict[str, float] = dict(Counter(_terms(text.plain, (3,))))  # the plain text includes the title
            for extra in (text.title, *text.keywords):
                for term in _terms(extra, (2, 3)):
                    counts[term] = counts.get(term, 0.0) + TITLE_WEIGHT
            for term, tf in counts.items():
                weight = tf * (SATURATION + 1) / (tf + SATURATION)  # BM25's saturated term frequency
                found = docs.get(term)
                if found is None:
                    docs[term] = [doc]
                    weights[term] = [weight]
                else:
                    found.append(doc)
                    weights[term].append(weight)
        grams: dict[str, list[str]] = defaultdict(list)
        for term in docs:
            if len(term) >= TYPO_MIN_LENGTH and term.isalpha() and not SPACELESS_RE.search(term):
                for gram in _word_grams(term):
                    grams[gram].append(term)
        return cls(
            tuple(node_ids),
            MappingProxyType({term: (array("I", found), array("f", weights[term])) for term, found in docs.items()}),
            MappingProxyType({gram: tuple(words) for gram, words in grams.items()}),
        )

    def idf(self, term: str) -> float:
        """How rare a term is among this locale's pages (0 for an unknown term)."""
        found = self.postings.get(term)
        if found is None:
            return 0.0
        total, df = len(self.node_ids), len(found[0])
        return math.log(1 + (total - df + 0.5) / (df + 0.5))

    def _add(self, scores: dict[int, float], term: str, factor: float) -> None:
        docs, weights = self.postings[term]
        idf = self.idf(term) * factor
        for doc, weight in zip(docs, weights, strict=True):
            scores[doc] += idf * weight

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
        total = len(self.node_ids)
        common = max(COMMON_MIN_PAGES, COMMON_SHARE * total)
        common_idf = math.log(1 + (total - common + 0.5) / (common + 0.5))
        for word in dict.fromkeys(query.words):
            matches = [(word, 1.0)] if word in self.postings else []
            if not matches and len(word) >= TYPO_MIN_LENGTH:
                matches = [(near, TYPO_WEIGHT) for near in self.near(word)]
            for term, factor in matches:
                if len(self.postings[term][0]) <= common:  # words on most pages say nothing
                    self._add(scores, term, factor)
        # Query runs are cut into trigrams only (bigrams of a sentence match nearly every page); only the
        # most distinctive grams are scored, which bounds the work for long sentences.
        grams = {gram for run in query.runs for gram in ngrams(run, (3,) if len(run) >= 3 else (2,))}
        if grams:
            rarity = sorted(((self.idf(gram), gram) for gram in grams if gram in self.postings), reverse=True)
            chosen = [(idf, gram) for idf, gram in rarity if idf >= common_idf][:MAX_QUERY_GRAMS]
            wanted_mass = sum(idf for idf, _ in chosen)
            run_scores: dict[int, float] = defaultdict(float)
            matched_mass: dict[int, float] = defaultdict(float)
            for idf, gram in chosen:
                found = self.postings.get(gram)
                if found is None:
                    continue
                for doc, weight in zip(found[0], found[1], strict=True):
                    run_scores[doc] += idf * weight
                    matched_mass[doc] += idf
            # A page must share a good part of what is distinctive in the query, not just common syllables.
            needed = MIN_COVERAGE * _coverage_slack(len(grams))
            for doc, value in run_scores.items():
                if wanted_mass and matched_mass[doc] / wanted_mass >= needed:
                    scores[doc] += value / math.sqrt(len(chosen))
        return {doc: value for doc, value in scores.items() if value >= MIN_SCORE}


def _coverage_slack(grams: int) -> float:
    """Long sentences need only part of their grams in a page: the word sought is a small part of them."""
    return 1.0 if grams <= 8 else max(0.35, 8 / grams)


def _terms(text: str, sizes: tuple[int, ...]) -> list[str]:
    """The words of a text, and the n-grams of its spaceless runs (the run itself when short)."""
    segments = segment(normalize(text, zawgyi=False))
    terms = list(segments.words)
    for run in segments.runs:
        terms.extend(ngrams(run, sizes if len(run) >= 3 else (2,)))
    return terms


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """Every locale's index, the fallback chains to walk, and who the pages are for."""

    locales: Mapping[str, LocaleIndex]
    chains: Mapping[str, tuple[str, ...]]
    default_locale: str
    # node id -> its audience ("officers"), only for pages written for professionals rather than for workers
    audiences: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # campaign code -> the audience of the track it lands on, only for campaigns landing in such a track
    campaign_audiences: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

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
        audiences = {
            node_id: content.nodes[node_id].audience for node_id in searchable if content.nodes[node_id].audience
        }
        campaign_audiences = {}
        for campaign in campaigns_of(content).items:
            landing = content.nodes.get(campaign.landing or "")
            if landing is not None and landing.audience:
                campaign_audiences[campaign.code] = landing.audience
        return cls(
            MappingProxyType(locales),
            content.chains,
            content.default_locale,
            MappingProxyType(audiences),
            MappingProxyType(campaign_audiences),
        )

    def search(self, text: str, locale: str, limit: int = RESULTS) -> tuple[str, ...]:
        """The ids of the best pages for `text`, whoever they are written for: the user's locale first, then its
        fallbacks. What a person is offered is `offer`."""
        return tuple(islice(self._ranked(text, locale), limit))

    def offer(self, text: str, locale: str, campaign: str = "", limit: int = RESULTS) -> tuple[str, ...]:
        """The pages offered to a person who wrote `text`: `search`, with pages written for another audience
        (officers) left out whenever a page for the person matches, and shown only when nothing else does.

        `campaign` is the code the person came in through (their header's): a campaign landing on an
        audience's track (the officers') makes that audience's pages theirs, ranked like any other.
        """
        if not self.audiences:
            return self.search(text, locale, limit)
        reader = self.reader(campaign)
        theirs: list[str] = []
        others: list[str] = []
        for node_id in self._ranked(text, locale):
            audience = self.audiences.get(node_id, "")
            if not audience or audience == reader:
                theirs.append(node_id)
                if len(theirs) >= limit:
                    break
            elif len(others) < limit:
                others.append(node_id)
        return tuple(theirs or others)

    def reader(self, campaign: str) -> str:
        """The audience of a person who came in through `campaign`: "" for the people the bot serves."""
        return self.campaign_audiences.get(campaign.lower(), "") if campaign else ""

    def _ranked(self, text: str, locale: str) -> Iterator[str]:
        """Every page matching `text`, best first: the user's locale, then its fallbacks (each page once)."""
        query = segment(normalize(text))
        if not query.words and not query.runs:
            return
        seen: set[str] = set()
        for candidate in self.chains.get(locale, (self.default_locale,)):
            index = self.locales.get(candidate)
            if index is None:
                continue
            ranked = sorted(index.score(query).items(), key=lambda item: (-item[1], item[0]))
            for doc, _ in ranked:
                node_id = index.node_ids[doc]
                if node_id not in seen:
                    seen.add(node_id)
                    yield node_id
