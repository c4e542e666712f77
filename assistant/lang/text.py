"""Untrusted text and JSON made safe to handle: lone surrogates dropped, nesting bounded.

Text reaching the assistant can hold lone UTF-16 surrogates (`"\\ud800"` in a JSON body, or the
surrogate-escaped bytes of invalid UTF-8 in a command-line argument). They are not characters: they
cannot be encoded, embedded, logged or stored, so they are dropped at the boundary.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["well_formed", "loads", "inert"]

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def well_formed(value: Any) -> Any:
    """`value` with every lone surrogate removed from its strings (recursing into lists and dicts)."""
    if isinstance(value, str):
        return _SURROGATE.sub("", value) if _SURROGATE.search(value) else value
    if isinstance(value, list):
        return [well_formed(v) for v in value]
    if isinstance(value, dict):
        return {well_formed(k): well_formed(v) for k, v in value.items()}
    return value


def loads(raw: str | bytes) -> Any:
    """json.loads with well-formed strings; ValueError (never RecursionError) for any bad input,
    including arrays or objects nested thousands deep."""
    try:
        return well_formed(json.loads(raw))
    except RecursionError as exc:
        raise ValueError("the JSON is nested too deeply") from exc


_INERT = str.maketrans({"&": "&amp;", "<": "&lt;", "[": "&#91;", "]": "&#93;"})


def inert(text: Any) -> str:
    """Document-derived text made inert inside Markdown that a browser renders: no tag can open
    (`<` and `&` become entities) and no link or image can form (`[`/`]` become entities, and so
    do the `:` of `http://` and the `.` of `www.`, which GFM would link), while it reads the same. `>` is kept, so a quote built around it (`> …`) stays a quote."""
    text = str(text or "").translate(_INERT)
    # Bare addresses would be linked by GFM's autolinker: written with an entity they read the same.
    return text.replace("://", "&#58;//").replace("www.", "www&#46;")


def book_title(title: str) -> str:
    """A document's title in book-title marks, a title inside it in the inner marks, as Chinese
    typesetting nests them: 《〈青岛市…若干政策措施〉政策解读》, never 《《…》政策解读》."""
    return f"《{title.replace('《', '〈').replace('》', '〉')}》"
