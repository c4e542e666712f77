"""What a library says about itself to the people who use it: `corpus/site.json`, beside the
documents. The package holds mechanisms only; the words that belong to one library — the page's
title and heading, the placeholders and example questions of the web app, the assistant's persona
for a language model, the example of what a 政策体检 needs, and the local short forms of its places
(在杭 for 杭州) — are data of the library, read with it.

Every key is optional, and the file itself may be absent: what it leaves out is derived from the
library (the title from the first document's title) or is a neutral text naming no place, product or
measure. A key `_doc` documents the file and is ignored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import CorpusError
from ..models import Document

SITE_FILE = "site.json"
"""The library-level file in the corpus directory."""

_NEUTRAL = {
    "title": "政策助手",
    "persona": "政策咨询助手",
    "chat_placeholder": "请输入政策问题",
    "question_placeholder": "请输入问题",
    "lookup_placeholder": "例如:关键词 / 责任单位",
    "location_label": "企业注册地",
    "description_placeholder": "例如:企业所在地、主营产品和有关金额……",
    "checkup_hint": "所在地、主营产品和有关金额",
}
"""Texts for what a library's site.json does not say (none names a place, product or measure)."""


class Site(BaseModel):
    """The texts of one library's pages and answers; "" (or empty) where the file says nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    doc: str = Field("", alias="_doc")
    """What the file is (for whoever edits it)."""
    title: str = ""
    """The page title (browser tab)."""
    heading: str = ""
    """The heading over the page (the title when not given)."""
    persona: str = ""
    """Who the language model is told it is (你是{persona}。)."""
    chat_placeholder: str = ""
    """Shown in the empty chat."""
    question_placeholder: str = ""
    """The question box's placeholder (an example question)."""
    lookup_placeholder: str = ""
    """The 条文检索 box's placeholder."""
    location_label: str = ""
    """The 政策体检 form's label of the enterprise's place (with an example place)."""
    description_placeholder: str = ""
    """The 政策体检 form's placeholder of a description in words."""
    checkup_hint: str = ""
    """What a description should state when nothing could be matched (例如:…)."""
    examples: tuple[str, ...] = ()
    """Example questions under the chat."""
    short_forms: dict[str, tuple[str, ...]] = {}
    """Place → the local short forms of a jurisdiction there (杭州 → 在杭): a document whose places
    start with the key applies to whoever says one of them."""

    def filled(self, documents: Iterable[Document]) -> "Site":
        """This site with what it leaves out derived from the library's documents or neutral."""
        first = next(iter(documents), None)
        derived = first.short_title if first is not None else ""
        title = self.title or derived or _NEUTRAL["title"]
        given = self.model_dump(exclude_defaults=True)
        return Site.model_validate({**_NEUTRAL, "title": title, "heading": self.heading or title, **given})


def load_site(corpus_dir: Path | None) -> Site:
    """The library's `site.json` as written (an empty Site when there is none)."""
    if corpus_dir is None:
        return Site()
    path = corpus_dir / SITE_FILE
    if not path.is_file():
        return Site()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusError(f"{path}: invalid site file ({exc})") from exc
    try:
        return Site.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ())) or "file"
        raise CorpusError(f"{path}: invalid site file ({where}: {err.get('msg')})") from exc
