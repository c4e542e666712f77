"""Traditional characters → simplified: `simplified(text) -> Simplified`.

Many policy texts found on the web are mainland documents that the hosting site converted to
traditional characters (嘉興市…實施方案, 第二條), sometimes leaving a pinyin annotation in brackets
after a character (高質(zhì)量發(fā)展). The readers know simplified text only, so such a text is turned
back before anything reads it (`ingest.sources.read_source`), and so is a question typed in
traditional characters.

* A text is **traditional** when at least TRADITIONAL_SHARE of its CJK characters are characters
  the table writes otherwise. Measured on the fixtures: every simplified text (seed policy, the
  real rounds, the shapes) has none at all; the traditional reposts (real-r4, real-r6) have
  25–38 %. Only a traditional text is converted, character by character; any other text is left
  exactly as it is.
* A **pinyin annotation** is a bracketed run of latin letters with at least one tone mark right
  after a CJK character (`(zhì)`, `（fā）`); it is removed from any text. Brackets without a tone
  mark (`(LPR)`, `(MaaS)`) stay.

Data, not code: `data/t2s.tsv` (traditional, simplified; from OpenCC's character table, generated
by `scripts/make_t2s.py`, which says which entries are left out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .cues import DATA

TRADITIONAL_SHARE = 0.03
"""The share of a text's CJK characters written otherwise in simplified characters from which the
text is taken to be traditional (simplified texts: 0; traditional reposts: 0.25 and more)."""

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = re.compile(rf"(?<=[\u3400-\u4dbf\u4e00-\u9fff])[(（]\s*[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*\s*[)）]")


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """Traditional character → its simplified form, from `data/t2s.tsv`."""
    out = {}
    for line in (DATA / "t2s.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            traditional, simple = line.split("\t")
            out[traditional] = simple
    return out


@dataclass(frozen=True)
class Simplified:
    """A text as the readers read it, and what was changed to get it."""

    text: str
    converted: int = 0
    """Characters written in simplified form (0: the text was not traditional)."""
    share: float = 0.0
    """The share of the CJK characters the table writes otherwise."""
    pinyin: int = 0
    """Pinyin annotations removed."""

    @property
    def note(self) -> str:
        """What was changed, in words ('' when nothing was)."""
        parts = []
        if self.converted:
            parts.append(f"converted from traditional characters to simplified ({self.converted} characters, "
                         f"{self.share:.0%} of the Chinese characters)")
        if self.pinyin:
            parts.append(f"{self.pinyin} pinyin annotations in brackets removed")
        return "; ".join(parts)

    def alike(self, other: str) -> str:
        """Another text of the same source (a page's <title>) changed the same way."""
        plain = _PINYIN.sub("", other)
        return "".join(table().get(c, c) for c in plain) if self.converted else plain


def traditional_share(text: str) -> float:
    """The share of the text's CJK characters that the table writes otherwise (0 without any)."""
    cjk = _CJK.findall(text)
    t2s = table()
    return sum(c in t2s for c in cjk) / len(cjk) if cjk else 0.0


_BARE_PINYIN = re.compile(r"(?<=([\u3400-\u4dbf\u4e00-\u9fff]))[(（]\s*([a-z]{1,6})\s*[)）]")
"""A bracketed run of lower-case latin letters right after a CJK character: a pinyin annotation
without tone marks when it is a reading of that character (关(guan), 企业(ye)); else a bracket of
its own ((ai) after 爱 is one; (LPR) never matches)."""


@lru_cache(maxsize=1)
def reading_table() -> dict[str, str]:
    """Character → its toneless readings, space-separated (`data/readings.txt`, generated from
    pypinyin; a line is split only when its character is looked up)."""
    lines = (DATA / "readings.txt").read_text(encoding="utf-8").splitlines()
    return {line[0]: line[1:] for line in lines if line and not line.startswith("#")}


def _without_bare_pinyin(text: str) -> tuple[str, int]:
    """The text without toneless pinyin annotations (关(guan) 于(yu)), and how many were removed."""
    if _BARE_PINYIN.search(text) is None:
        return text, 0
    readings = reading_table()
    removed = 0

    def drop(m: re.Match[str]) -> str:
        nonlocal removed
        if m.group(2) in readings.get(m.group(1), "").split():
            removed += 1
            return ""
        return m.group(0)

    return _BARE_PINYIN.sub(drop, text), removed


def simplified(text: str) -> Simplified:
    """The text without pinyin annotations, in simplified characters when it is traditional."""
    plain, pinyin = _PINYIN.subn("", text)
    plain, bare = _without_bare_pinyin(plain)
    pinyin += bare
    share = traditional_share(plain)
    if share < TRADITIONAL_SHARE:
        return Simplified(plain, 0, share, pinyin)
    t2s = table()
    converted = sum(c in t2s for c in plain)
    return Simplified("".join(t2s.get(c, c) for c in plain), converted, share, pinyin)
