"""Text normalisation shared by search and emergency words: Zawgyi repair, case, marks, and segmentation.

Scripts written without spaces between words (Thai, Lao, Burmese, Khmer, Chinese, Japanese) come out as
*runs* that are matched by character n-grams; everything else comes out as word tokens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from myanmartools import ZawgyiDetector
from para import zg_to_unicode

ZAWGYI_THRESHOLD = 0.95  # myanmartools' probability above which Burmese text is treated as Zawgyi

_SPACELESS = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f"  # Myanmar and its extensions
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"  # Japanese kana, CJK ideographs
)
_MYANMAR = re.compile("[\u1000-\u109f]")
SPACELESS_RE = re.compile(f"[{_SPACELESS}]")
# Anything that is not space or common punctuation belongs to a token (combining marks included, unlike \w).
_PUNCTUATION = (
    r"\s!-/:-@\[-`{-~\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\u060c\u061b\u061f\u066a-\u066d\u06d4"
    r"\u0964\u0965\u104a\u104b\u17d4-\u17da\u0e2f\u0e5a\u0e5b\u0e46"
)
# A token splits into runs of a spaceless script and words of other letters. One pattern finds both in a
# single pass: a run is spaceless-script characters that are not punctuation (the punctuation of those
# scripts lies inside their blocks), a word is token characters of no spaceless script.
_RUN_CHARS = (
    "\u0e00-\u0e2e\u0e30-\u0e45\u0e47-\u0e59\u0e5c-\u0eff"  # Thai, Lao without ฯ ๆ ๚ ๛
    "\u1000-\u1049\u104c-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f"  # Myanmar without ၊ ။
    "\u1780-\u17d3\u17db-\u17ff\u19e0-\u19ff"  # Khmer without its sentence marks
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
)
_SEGMENTS = re.compile(f"([{_RUN_CHARS}]+)|([^{_PUNCTUATION}{_SPACELESS}]+)")
_WORDS = re.compile(f"[^{_PUNCTUATION}]+")  # the tokens of a text with no spaceless script: all words
_INVISIBLE: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "\u200b\u200d\u2060\ufeff\u00ad"), None),
    0x200C: " ",  # ZWNJ separates Persian word parts people also type with a space
    ord("\u0111"): "d",  # Vietnamese đ, often typed as d
}
_ARABIC = {
    **{ord(c): None for c in "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"},
    ord("\u064a"): "\u06cc",  # Arabic yeh -> Persian yeh
    ord("\u0649"): "\u06cc",
    ord("\u0643"): "\u06a9",  # Arabic kaf -> Persian kaf
}
_LATIN_MARKS = re.compile("[\u0300-\u036f]")
# str.translate looks every character up in its table; a regex search first skips texts with nothing to change.
_INVISIBLE_RE = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")
_ARABIC_RE = re.compile("[" + "".join(map(chr, _ARABIC)) + "]")


@dataclass(frozen=True, slots=True)
class Segments:
    """A normalised text cut into word tokens and runs of a script written without spaces."""

    words: tuple[str, ...]
    runs: tuple[str, ...]


@cache
def _detector() -> ZawgyiDetector:
    return ZawgyiDetector()


def zawgyi_probability(text: str) -> float:
    """How likely Burmese text is Zawgyi-encoded (0 for text with no Burmese)."""
    if not _MYANMAR.search(text):
        return 0.0
    return float(_detector().get_zawgyi_probability(text))


def to_unicode(text: str) -> str:
    """The text with Burmese typed in Zawgyi converted to Unicode; anything else unchanged."""
    if zawgyi_probability(text) > ZAWGYI_THRESHOLD:
        return str(zg_to_unicode(text, force=True))
    return text


def normalize(text: str, *, zawgyi: bool = True) -> str:
    """Case-folded NFKC text without invisible characters, Latin accents or Arabic vowel marks."""
    if zawgyi:
        text = to_unicode(text)
    text = unicodedata.normalize("NFKC", text).casefold()
    if _INVISIBLE_RE.search(text):
        text = text.translate(_INVISIBLE)
    if _ARABIC_RE.search(text):
        text = text.translate(_ARABIC)
    if _LATIN_MARKS.search(unicodedata.normalize("NFD", text)):
        text = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text)))
    return text


def segment(normalized: str) -> Segments:
    """Word tokens and spaceless-script runs of normalised text, in order."""
    if not SPACELESS_RE.search(normalized):
        return Segments(tuple(_WORDS.findall(normalized)), ())
    words: list[str] = []
    runs: list[str] = []
    for run, word in _SEGMENTS.findall(normalized):
        if run:
            runs.append(run)
        else:
            words.append(word)
    return Segments(tuple(words), tuple(runs))


def spans(normalized: str) -> list[tuple[str, int, int, bool]]:
    """The tokens of normalised text with where they are: (token, start, end, is a spaceless-script run)."""
    pattern = _SEGMENTS if SPACELESS_RE.search(normalized) else _WORDS
    found: list[tuple[str, int, int, bool]] = []
    for match in pattern.finditer(normalized):
        run = match.lastindex == 1 if pattern is _SEGMENTS else False
        found.append((match.group(), match.start(), match.end(), run))
    return found


def ngrams(run: str, sizes: tuple[int, ...] = (2, 3)) -> list[str]:
    """The character n-grams of a run (the run itself when shorter than the smallest size)."""
    if len(run) < min(sizes):
        return [run]
    grams: list[str] = []
    for size in sizes:
        grams += [run[i : i + size] for i in range(len(run) - size + 1)]
    return grams
