"""The policy library's commands: add a document (from .txt/.docx/.pdf/.html), remove one, list them.

`add_document` reads the file, checks it has an article structure, reads its metadata from the text
(title, 文号, issuer, date, status, consultation period, contact, effective dates), lets explicit
`--meta KEY=VALUE` pairs override them, links a final version to the draft it replaces, and writes
`<doc_id>.txt` and `<doc_id>.meta.json` into the corpus. Syncing the index afterwards embeds only
the new document's chunks.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import CorpusError, ParseError
from ..lang.cues import data as cue_data
from ..lang.cues import pattern
from ..lang.text import book_title
from ..models import DocumentMeta
from .corpus import Corpus, document_paths, fsync_dir, meta_path, vocab_path, write_synced
from .metadata import DRAFT_STATUSES, is_org, read_metadata, status_and_reason
from .parsing import _is_title_like as title_like
from .parsing import parse_policy
from .site import load_site
from .sources import read_source

LIST_FIELDS = ("jurisdiction", "aliases", "supersedes", "basis")
"""`--meta` keys whose value is a comma-separated list."""
_TITLE_STATUS = pattern("title_status_bracket")


@dataclass(frozen=True)
class Added:
    """What `add_document` wrote."""

    doc_id: str
    text_path: Path
    meta: DocumentMeta
    articles: int
    replaced: bool
    """A document with this doc_id was already in the library (it was updated)."""
    warnings: tuple[str, ...] = ()
    """What the reading could not represent (said to whoever added it)."""


class DocumentExistsError(CorpusError):
    """An upload would update a document already in the library, and replacing was not confirmed."""

    def __init__(self, doc_id: str, title: str) -> None:
        super().__init__(f"the library already has this document: {book_title(title)} ({doc_id}); "
                         "confirm to update it (it keeps its doc_id)")
        self.doc_id = doc_id
        self.title = title


def parse_meta_options(pairs: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """`KEY=VALUE` pairs (lists comma-separated) → metadata fields; CorpusError when malformed."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise CorpusError(f"--meta {pair!r}: expected KEY=VALUE")
        if key in ("consultation_start", "consultation_end"):
            out.setdefault("consultation", {})[key.split("_")[1]] = value.strip()
            continue
        if key not in DocumentMeta.model_fields:
            raise CorpusError(f"--meta {key}: unknown field (fields: {', '.join(DocumentMeta.model_fields)}, "
                              "consultation_start, consultation_end)")
        value = value.strip()
        if key in LIST_FIELDS:
            out[key] = [v.strip() for v in re.split(r"[,，、]", value) if v.strip()]
        else:
            out[key] = value
    return out


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._").lower()
    return slug[:60]


def _doc_id(source: Path, meta: dict[str, Any]) -> str:
    """A stable id: `--meta doc_id=…`, else the file name when it is ASCII, else a hash of the
    title (`doc-3f2a9c1b`)."""
    if meta.get("doc_id"):
        return str(meta["doc_id"])
    slug = _slug(source.stem)
    if len(re.sub(r"[^a-z0-9]", "", slug)) >= 3:
        return slug
    title = str(meta.get("title") or source.stem)
    return "doc-" + hashlib.sha256(title.encode()).hexdigest()[:8]


_PURPOSE_TITLE = pattern("purpose_title")
_PAGE_LABEL = pattern("page_label_line")
_OWN_AREA = pattern("own_jurisdiction_word")
_OWN_AREA_WORD = pattern("our_area")


def _title_from_file(read: Any, source: Path) -> tuple[str, str]:
    """A title when the text has no title line: what the file states (HTML <h1>/<title>, docx
    Title style), else the first line when it reads as a heading (unless it reads as no title —
    官网截图 — and the body says what the text is), else what the body says, else the file name."""
    from .parsing import (
        _DATE_LINE,
        _DOC_NUMBER_LINE,
        _FIELD_ROW,
        _PAREN_LINE,
        _TOC,
        _is_title_like,
        _is_wrapper,
        _wrapped_name,
    )

    # (a docx whose Title is its file's name: 杭州市人民政府办公厅关于印发…的通知.docx)
    hint = _FILE_EXTENSION.sub("", read.title_hint).strip() if read.title_hint else read.title_hint

    if hint and re.search(r"[!！:：,，。]", hint):
        # a headline (东至县:通过…的企业,给予5万元一次性奖励!) over a body whose own line names
        # the document (《东至县推动制造业高质量发展若干政策》): that name
        for line in read.text.split("\n")[:HEADLINE_BODY_LINES]:
            m = re.fullmatch(r"\s*《([^《》]{4,80})》\s*", line)
            if m and _is_title_like(m.group(1)):
                return m.group(1), "a line of the body naming the document in 《》 (the page's heading is a headline)"
    hint_names = re.findall(r"《([^《》]{4,80})》", hint or "")
    if len(hint_names) == 1 and _is_title_like(hint_names[0]) and re.search(r"[:：]", hint):
        # 【规范性文件意见征集】繁昌区经信局:《关于…若干政策》 (征求意见稿): a consultation page's
        # heading, the document it names with the version after it
        after = re.sub(r"\s+", "", hint.split("》", 1)[1])
        return hint_names[0] + (after if _PAREN_LINE.match(after) else ""), \
            f"{read.title_source} (the document it names in 《》)"
    if hint and (is_org(hint) or len(hint) <= CAPTION_MAX
                            and not _is_title_like(hint)
                            and _body_title(read.text, "") is not None):
        # <title>深圳市工业和信息化局</title> (the site's owner), <h1>新闻详情</h1> (the page's
        # label): no title, when the body says what the text is
        said = _body_title(read.text, "")
        if said is not None:
            return said
    if hint:
        inner = _wrapped_name(hint) if _is_wrapper(hint) else ""
        if inner:
            return inner, f"{read.title_source} (关于印发《…》的通知)"
        lines = [line.strip() for line in read.text.split("\n")]
        at = next((i for i, line in enumerate(lines) if line == hint.strip()), -1)
        if 0 <= at < len(lines) - 1 and _PAREN_LINE.match(lines[at + 1]):
            # <h1>…促进条例</h1> then (草案修改征求意见稿): the version is part of its title
            return hint + lines[at + 1], f"{read.title_source} and the bracketed line under it"
        return hint, read.title_source
    lines = read.text.split("\n")
    bracket = lines[0].strip() if _PAREN_LINE.match(lines[0].strip()) \
        and not _PAGE_LABEL.match(lines[0].strip()[1:]) else ""  # ((来源:湖州日报) labels the page)
    # (转自江西省教育厅:…, 创建时间:… above a repost's headline: the page's labels, not its title)
    heads = [ln for ln in lines if ln.strip() and not _PAGE_LABEL.match(ln.strip())] if _PAGE_LABEL.match(
        lines[0].strip()) else lines
    for first in heads[:3]:
        first = first.strip()
        if _DOC_NUMBER_LINE.match(first) or _DATE_LINE.match(first) or _PAREN_LINE.match(first) \
                or _FIELD_ROW.match(first) or re.fullmatch(r"[(（][^()（）]*[)）]", first) \
                or len(re.findall(r"[\u4e00-\u9fffA-Za-z]", first)) < 2:
            continue  # (a line of symbols, ▵, is a page's decoration)
        if _NUMBERED_HEADING.match(first):
            break  # 一、制定背景: the text starts with its first item; it states no title
        if is_org(first):
            continue  # 山东省人民政府 over its 文号: the issuer's heading, not a title
        heading = _RUN_TOGETHER.match(first)
        if heading and len(first) > len(heading.group(0)) and _is_title_like(heading.group(1)):
            return heading.group(1), "the heading a page ran together with its labels and body"
        heading = _TITLE_BEFORE_PREAMBLE.match(first)
        if heading and _is_title_like(heading.group(1)):
            return heading.group(1), "the title a page ran together with its preamble (…方案(征求意见稿)为深入…)"
        # A repost's headline: `账号 | 申报通知!2024年度…奖励` → its longest piece, with the kind
        # of document the headline's label names after it (…奖励申报通知).
        first = _FILE_EXTENSION.sub("", first)  # 杭州市数字经济政策精华汇编2024.docx: a file's name
        pieces = [p for p in re.split(r"\s*[|｜!！]\s*", first) if p]
        piece = max(pieces, key=len) if pieces else ""
        if piece and len(piece) <= 60 and not re.search(r"[。？?,，;；:：]", piece) \
                and not _TOC.match(piece):
            label = next((p for p in pieces[:-1] if p is not piece and len(p) <= HEADLINE_LABEL
                          and p.endswith(_HEADLINE_KINDS) and not piece.endswith(_HEADLINE_KINDS)), "")
            if label and pieces.index(label) + 1 == pieces.index(piece):
                return piece + label, "first line of the text (a repost's headline and its label)"
            said = _body_title(read.text, bracket) if not _is_title_like(piece) and len(piece) <= CAPTION_MAX else None
            # (官网截图 over a notice that says what it gives notice of: a page's caption, no title)
            return said if said is not None else (piece, "first line of the text")
        break
    said = _body_title(read.text, bracket)
    return said if said is not None else (source.stem, "file name (the text states no title)")


SOURCE_LINES = 3
"""The opening lines where a page labels where it was taken from (来源:…, 转自:…)."""


def _source_place(text: str) -> str:
    """The place a page's source label starts with (转自:湖州日报 → 湖州市), when the text says 本市 or
    本省 and names no place of its own in its purpose clause: the government the text is of. ''
    otherwise."""
    from ..lang.places import find_places

    if not _OWN_AREA.search(text[:2000]):
        return ""
    for line in text.strip().split("\n")[:SOURCE_LINES]:
        label = _PAGE_LABEL.match(line.strip())
        if not label:
            continue
        rest = line.strip()[label.end():].strip()
        mentions = [m for m in find_places(rest) if m.start == 0 and m.places]
        if mentions:
            return mentions[0].places[0].name
    return ""


def _body_title(text: str, bracket: str) -> tuple[str, str] | None:
    """(title, how) from what the body of a text without a title line says it is; None if nothing."""
    m = _PURPOSE_TITLE.search(text)
    if m:  # 为了促进…发展,…制定本条例 → 促进…发展条例
        place = _source_place(text)  # (转自:湖州日报 over a 本市 regulation: 湖州市…)
        how = "purpose clause (为了…制定本条例)" + (", the place of the page's source" if place else "")
        return place + m.group(1) + m.group(2) + bracket, how
    interpreted = _interpreted_title(text)
    if interpreted:
        return interpreted, "not stated in the text: the document its opening says it interprets (解读如下)"
    announced = _announced_title(text)
    if announced:
        return announced, "not stated in the text: the document its news lead announces (《…》正式发布)"
    forwarded = _FORWARDED.search(text[:ISSUED_REACH])
    if forwarded:
        return (f"关于转发《{forwarded.group(1)}》的通知",
                "not stated in the text: the notice its opening forwards (现将《…》转发给你们)")
    issued = _ISSUED.search(text[:ISSUED_REACH])
    if issued:
        return issued.group(1), "not stated in the text: the document its opening issues (《…》…现印发给你们)"
    consulted = _CONSULTED.search(text[:ISSUED_REACH])
    if consulted:
        drafts = "".join(re.findall(r"《[^《》]+》", consulted.group(1)))
        return (f"关于公开征求{drafts}意见的公告",
                "not stated in the text: the drafts its opening puts out for comment (草拟了《…》,现向社会公开征求意见)")
    reply = _REPLY.search(text[:ISSUED_REACH])
    if reply:
        return f"关于《{reply.group(1)}》的答复", "not stated in the text: the proposal its opening says it answers (《…》收悉)"
    notice = _notice_title(text)
    if notice:
        return notice, "not stated in the text: the work its opening says it gives notice of (组织开展…工作 / 现就…有关事项通知如下)"
    described = _described_title(text)
    if described:
        return described, "not stated in the text: what it does, from its preamble (关于…, 特制定以下…)"
    return None


_ISSUED = pattern("issued_to_you")
_CONSULTED = pattern("consulted_drafts")
_FORWARDED = pattern("forwarded_to_you")
ISSUED_REACH = 600
"""Characters of a text's opening where a notice without a title line issues its document."""
_FILE_EXTENSION = pattern("file_extension")
_SITE_LABEL = pattern("site_label")
HEADLINE_BODY_LINES = 15
"""How far into a page's body a line naming the document may be when its heading is a headline."""
CAPTION_MAX = 8
"""A first line this short that names no kind of document (官网截图) is a page's caption, not a title,
when the body says what the text is; a longer one (a repost's headline) is kept."""
HEADLINE_LABEL = 6
"""A repost headline's label (`申报通知!…`) is at most this long."""
_HEADLINE_KINDS = tuple(cue_data("document_text.json")["headline_kinds"])
_MADE = pattern("made_here")
_ABOUT = pattern("about_decision")
_AIM = pattern("aim_phrase")
_ON_TOPIC = pattern("made_on_topic")
_RUN_TOGETHER = pattern("run_together_heading")
_TITLE_BEFORE_PREAMBLE = pattern("title_before_preamble")
_GUIDANCE = pattern("implemented_guidance")
_CARRIED_OUT = pattern("carried_out_plan")


def _interpreted_title(text: str, *, outright: bool = False) -> str:
    """A text that opens by saying it interprets a document (…就有关内容解读如下, or an opening
    section 一、制定背景): 《that document's title》解读 — the first document its opening lines
    name. '' otherwise. `outright`: only when it says so in more than the kind word (a repost's
    headline (附全文+政策解读) leaves the page the document)."""
    opening = "\n".join(text.strip().split("\n")[:INTERPRETATION_LINES])
    cues = _INTERPRETATION_CUES[:-1] if outright else _INTERPRETATION_CUES
    if not any(w in opening for w in cues):
        return ""
    # the document it was drafted as (…牵头起草《…工作方案》), else the first one it names
    named = _DRAFTED.search(opening) or re.search(r"《([^《》]{4,80})》", opening)
    return f"《{named.group(1)}》{_INTERPRETATION_CUES[-1]}" if named else ""


INTERPRETATION_LINES = 3
"""The opening lines where an interpretation says what it is and names what it interprets."""
_NUMBERED_HEADING = pattern("numbered_heading_start")
_DRAFTED = pattern("drafted_document")
_NOTICE = pattern("notice_of_work")
_NOTICE_ON = pattern("notice_on_matters")
_NOTICE_FOR = pattern("notice_to_do_work")
_NOTICE_AIM = pattern("notice_of_aim")
_REPLY = pattern("reply_received")
_CITED_ASIDE = pattern("cited_aside")


def _notice_title(text: str) -> str:
    """A notice that states no title but what it organises (…拟组织开展我市高端装备“揭榜挂帅”工作,
    …现将有关工作通知如下): 关于开展…工作的通知; or on what it gives notice (现就…工作有关事项通知
    如下): 关于…的通知. '' otherwise."""
    opening = re.sub(r"(?<=[\d\u4e00-\u9fff])\s+(?=[\d\u4e00-\u9fff])", "", text[:800])
    m = _NOTICE.search(opening)
    if m:  # (…遴选认定工作,有关事项通告如下: a 通告)
        return f"关于开展{m.group(1)}的{m.group(2)}"
    m = _NOTICE_ON.search(opening)  # 现就2024年…申报工作有关事项通知如下
    if m:
        return f"关于{m.group(1)}的通知"
    m = _NOTICE_FOR.search(opening) or _NOTICE_AIM.search(opening)
    # 为做好2021年我市…遴选推荐工作,现就有关事项通知如下; …,加快布局建设一批…中试验证平台,…,现将有关工作通知如下
    return f"关于{_CITED_ASIDE.sub('', _OWN_AREA_WORD.sub('', m.group(1)))}的{m.group(2)}" if m else ""


_INTERPRETATION_CUES = tuple(cue_data("document_text.json")["interpretation_cues"])
_REPORT_KINDS = tuple(cue_data("document_text.json")["report_kinds"])
"""What an interpretation's opening says it does, the last being the kind word its title gets."""


ANNOUNCEMENT_PARAGRAPHS = 2
"""Prose paragraphs of a news page's opening where the document it announces is looked for."""
ANNOUNCEMENT_LINES = 4
"""The opening lines where a news lead's first paragraph is looked for."""
ANNOUNCEMENT_REACH = 12
"""Characters between a 《title》 and the words announcing it (》近日正式发布) at most."""


def _announced_title(text: str) -> str:
    """A text whose opening paragraph is a news lead announcing a document (…会上《武汉市2025年人工智能
    产业发展行动方案》(以下简称《行动方案》)正式发布): that document's title; '' otherwise."""
    # its first paragraphs: the first lines that are prose, under the 文号 and the addressee (a news
    # page's lead may come second, after a sentence of context)
    lines = text.strip().split("\n")
    prose = [ln for ln in lines[:ANNOUNCEMENT_LINES] if re.search(r"[,，。]", ln)
             and not ln.rstrip().endswith((":", "："))]
    opening = "\n".join(prose[:ANNOUNCEMENT_PARAGRAPHS]) or lines[0]
    for named in re.finditer(r"《([^《》]{4,80})》", opening):
        after = opening[named.end():named.end() + ANNOUNCEMENT_REACH + 8]
        if any(0 <= after.find(c) <= ANNOUNCEMENT_REACH for c in _ANNOUNCEMENT_CUES):
            return named.group(1)
    return ""


_ANNOUNCEMENT_CUES = tuple(cue_data("document_text.json")["announcement_cues"])


def _described_title(text: str) -> str:
    """A title for a text that states none, saying what it does: its preamble's making sentence
    (`…,特制定以下意见。`) gives the kind, the subject of the decisions it carries out
    (`贯彻落实…关于发展新一代人工智能重大决策部署`) or its last aim (`打造…高地`) the subject:
    `关于发展新一代人工智能的意见`. '' when the text has no such sentence."""
    for sentence in re.split(r"[。\n]", text[:3000]):
        made = _MADE.search(sentence)
        if not made:
            continue
        local = _local_version(sentence[:made.start()], made.group(1))
        if local:
            # 为全面贯彻落实《…四川省新一代人工智能发展实施方案的通知》…结合眉山实际,制定本实施方案:
            # the place's own version of the higher document of its kind
            return local
        carried = _CARRIED_OUT.search(sentence[:made.start()])
        if carried and made.group(1).endswith("意见"):
            # 为贯彻落实《国务院关于印发新一代人工智能发展规划的通知》…提出以下实施意见
            return f"关于贯彻落实{carried.group(1)}的{made.group(1)}"
        guidance = _GUIDANCE.search(sentence[:made.start()])
        if guidance and made.group(1).endswith("意见"):
            # 根据《国务院关于积极推进“互联网+”行动的指导意见》…特制定本意见: its 实施意见
            return f"关于{guidance.group(1)}的实施意见"
        topic = _ON_TOPIC.search(sentence[:made.start()])
        if topic:  # …,现就加快发展智能制造提出如下措施: what the measures are on (我市 left out:
            # a title names its place, or none)
            return f"关于{_OWN_AREA_WORD.sub('', topic.group(1))}的{made.group(1)}"
        about = _ABOUT.search(sentence[:made.start()])
        if about:
            return f"关于{about.group(1)}的{made.group(1)}"
        aims = [c.strip() for c in re.split(r"[,，;；]", sentence[:made.start()]) if _AIM.match(c.strip())
                and c.count("“") == c.count("”")]  # not half a quotation cut at its comma
        if aims:
            return f"关于{aims[-1]}的{made.group(1)}"
    return ""


def _local_version(preamble: str, kind: str) -> str:
    """The title of a place's own version of a higher document of the same kind its preamble
    carries out (…《四川省人民政府关于印发四川省新一代人工智能发展实施方案的通知》…结合眉山实际 →
    眉山市新一代人工智能发展实施方案); '' otherwise."""
    from ..lang.places import find_places

    local = _LOCAL_REALITY.search(preamble)
    higher = [name for m in _ISSUING_NAMED.finditer(preamble) if (name := m.group(1) or m.group(2))
              and _VERSION_TAIL.sub("", name).endswith(kind)]
    if not local or not higher:
        return ""
    named = find_places(higher[-1])
    if _OWN_AREA_WORD.fullmatch(local.group(1)):
        # 根据《浙江省人民政府印发关于推动经济高质量发展若干政策(2025年版)的通知》…结合我市实际,
        # 制定以下政策: the city's own version, whose place its text does not name
        return higher[-1] if not named or named[0].start != 0 else higher[-1][named[0].end:]
    here = [m for m in find_places(local.group(1)) if len(m.places) == 1]
    if not here or not named or named[0].start != 0:
        return ""
    return here[0].places[0].name + higher[-1][named[0].end:]


_ISSUING_NAMED = pattern("issuing_notice_named")
_VERSION_TAIL = re.compile(r"[(（][^()（）]{2,12}[)）]$")
"""A version in brackets ending a title ((2025年版)): the kind word stands before it."""


def _bare_title(title: str) -> str:
    return _TITLE_STATUS.sub("", title or "").strip()


_PLACE_LEVELS = tuple(cue_data("document_text.json")["place_levels"])
"""The level words that complete a district's short name (滨江 → 滨江区)."""


_LOCAL_REALITY = pattern("local_reality")
"""`结合新昌县实际,制定如下意见`: the place a document is made for, named in its preamble."""


def _jurisdiction(meta: dict[str, Any], short_forms: dict[str, tuple[str, ...]], body: str = "",
                  file_name: str = "", label: str = "") -> list[str]:
    """Places the document applies to, from the place its page's heading is labelled with when it
    is a district or the rest names none (【余杭区】关于开展…浙江省首版次软件…的通知: 余杭区 first), its issuer and title (gazetteer
    names) — or, when none names one, from its preamble's 结合…实际, the one place its opening keeps
    naming, the place its purpose clause makes it for, or the place its file name gives —, with the
    local short forms the library's `site.json` gives for them (杭州 → 在杭)."""
    from ..lang.places import gazetteer

    gaz = gazetteer()
    text = f"{meta.get('issuer') or ''} {meta.get('title') or ''}"
    labelled = label if label in gaz and (not _names_in(text, gaz) or any(
        p.level == "county" for p in gaz[label])) else ""  # (【浙江】宁波市…规划: the site's section)
    text = f"{labelled} {text}"
    if not _names_in(text, gaz):
        text += " " + " ".join(m.group(1) for m in _LOCAL_REALITY.finditer(body[:3000]))
    if not _names_in(text, gaz):
        text += " " + _sole_place(body[:PREAMBLE_PLACE_CHARS], gaz)
    if not _names_in(text, gaz):
        text += " " + _heading_issuer(body)
    if not _names_in(text, gaz):
        text += " " + _purpose_place(body[:3000], gaz)
    if not _names_in(text, gaz):
        text += " " + _number_place(meta.get("doc_number") or "")
    if not _names_in(text, gaz):
        text += " " + _file_place(file_name, gaz)
    from ..lang.places import find_places

    found: list[str] = [labelled] if labelled else []
    found += [m for m in pattern("district_after_city").findall(text) if m not in found]
    # 杭州富阳发布…: a district's short name right after its city's
    found += [m.places[0].name for m in find_places(text) if len(m.places) == 1
              and m.places[0].level == "county" and m.text != m.places[0].name and m.places[0].name not in found]
    found += [d for d in dict.fromkeys(_bracketed_districts(text, gaz)) if d not in found]
    for name in sorted(gaz, key=len, reverse=True):
        if len(name) >= 2 and not name.isascii() and name in text \
                and not any(name in f for f in found):
            found.append(name)
    out: list[str] = []
    for name in found:
        for variant in [name] + [p.name for p in gaz.get(name, ())]:
            if variant not in out:
                out.append(variant)
    for place, forms in short_forms.items():
        if any(n.startswith(place) for n in out):
            out += [f for f in forms if f not in out]
    return out + _pinyin_names(out)


PREAMBLE_PLACE_CHARS = 400
"""How much of a text's opening is read for the one place it keeps naming."""
SOLE_PLACE_MIN = 2
"""Times the opening must name that place."""


def _names_in(text: str, gaz: dict[str, Any]) -> list[str]:
    """The gazetteer's Chinese names (two characters or more) the text holds."""
    return [n for n in gaz if len(n) >= 2 and not n.isascii() and n in text]


def _bracketed_districts(text: str, gaz: dict[str, Any]) -> list[str]:
    """Districts named in brackets by their short names (杭州高新区(滨江) → 滨江区)."""
    out = []
    for short in re.findall(r"[(（]([\u4e00-\u9fff]{2,3})[)）]", text):
        full = next((short + s for s in _PLACE_LEVELS if short + s in gaz), "")
        if full:
            out.append(full)
    return out


def _number_place(doc_number: str) -> str:
    """The province a 文号 starts with the one-character name of (闽政〔2015〕36号: 福建省), when
    the text names no place of its own; '' otherwise."""
    return cue_data("document_text.json")["province_abbreviations"].get(doc_number[:1], "")


FILE_PLACE_MIN = 4
"""Letters of a pinyin place name in a file name (foshan, hunan; not ai)."""


def _file_place(file_name: str, gaz: dict[str, Any]) -> str:
    """The one place a document's file name names, when its text names none (佛山人工智能措施.docx,
    foshan-ai-robot.docx — the name the person adding it gave): '' when it names none or a pinyin
    several places share (taizhou)."""
    chinese = _names_in(file_name, gaz)
    if chinese:
        return max(chinese, key=len)
    found = [gaz[t] for t in re.split(r"[^a-z]+", file_name.lower())
             if len(t) >= FILE_PLACE_MIN and len(gaz.get(t, ())) == 1]
    return found[0][0].name if len(found) == 1 else ""


_PURPOSE = pattern("purpose_clause")


def _purpose_place(opening: str, gaz: dict[str, Any]) -> str:
    """The place a document's purpose clause makes it for (为…推动东莞成为…,按照《广东省…》等文件
    精神,制定本行动计划 → 东莞), the documents it cites left out: '' unless its places lie in one
    another (the most specific then)."""
    from ..lang.places import parents

    m = _PURPOSE.search(opening)
    if m is None:
        return ""
    clause = re.sub(r"《[^《》]*》|[(（][^()（）]*[)）]", "", m.group(1))
    found = {p for n in _names_in(clause, gaz) for p in gaz[n]}
    if not found:
        return ""
    deepest = [p for p in found if not any(q is not p and p in parents(q) for q in found)]
    if len(deepest) != 1 or not all(q is deepest[0] or q in parents(deepest[0]) for q in found):
        return ""
    return deepest[0].name


def _sole_place(opening: str, gaz: dict[str, Any]) -> str:
    """The one place an untitled opening keeps naming (`“泉州制造2025”…推动泉州制造业`): a document
    that names no place in its title or issuer is that place's, when its opening names it at least
    SOLE_PLACE_MIN times and names no place outside it — the most specific of places lying in one
    another (杭州高新区(滨江) and 杭州市 → 滨江区); '' otherwise."""
    from ..lang.places import parents

    # Its own words before the first item: not the addressees (各省…新疆生产建设兵团…:) nor the
    # names of documents it cites (《浙江省…》)
    opening = pattern("first_numbered_item_line").split(opening)[0]
    opening = pattern("addressee_span").sub("", opening)
    opening = re.sub(r"《[^《》]*》", "", opening)
    counts: dict[str, int] = {}
    places: dict[str, Any] = {}
    names = [*_names_in(opening, gaz), *_bracketed_districts(opening, gaz)]
    for name in names:
        for place in gaz[name]:  # (泉州 counts the 泉州 of 泉州市 too: one place)
            seen = opening.count(name) or opening.count(name[:-1])
            counts[place.name] = max(counts.get(place.name, 0), seen)
            places[place.name] = place
    if not counts:
        return ""
    inner = max(places.values(), key=lambda p: len(parents(p)))
    chain = {inner.name, *(p.name for p in parents(inner))}
    # (…提升我省装备制造业…开展2019年度浙江省…: 我省 names the province the opening names once)
    own = sum(1 for m in [*pattern("our_area").finditer(opening), *pattern("own_jurisdiction_word").finditer(opening)]
              if _LEVEL_OF_AREA.get(m.group()[-1]) == inner.level)
    if set(counts) - chain or sum(counts.values()) + own < SOLE_PLACE_MIN:
        return ""
    return inner.name


_LEVEL_OF_AREA: dict[str, str] = cue_data("document_text.json")["area_levels"]
"""The level of the area a text calls its own (我省, 本市)."""


def _site_label(title: str) -> str:
    """The site's label in front of a title (【余杭区】关于… → 余杭区); '' when there is none."""
    m = _SITE_LABEL.match(title)
    return m.group(1).strip() if m else ""


def _without_site_label(title: str) -> str:
    """A title without a site's label in front (【浙江】宁波市…规划 → 宁波市…规划); a label naming
    the issuers in front of 关于… is the title's own issuer part (【浙江省经信厅浙江省财政厅】关于…的通知
    → 浙江省经信厅浙江省财政厅关于…的通知)."""
    m = _SITE_LABEL.match(title)
    if not m:
        return title
    rest = title[m.end():]
    return m.group(1) + rest if rest.startswith("关于") and is_org(m.group(1)) else rest


def _heading_issuer(body: str) -> str:
    """The body that a page's heading names before the document (【规范性文件意见征集】繁昌区经信局:
    《…》(征求意见稿)): its issuer or drafter, whose place the document is of; '' otherwise."""
    first = _SITE_LABEL.sub("", body.strip().split("\n", 1)[0])
    head = re.split(r"[:：]\s*《", first, maxsplit=1)
    return head[0].strip() if len(head) == 2 and is_org(head[0].strip()) else ""


def _pinyin_names(names: list[str]) -> list[str]:
    """English spellings of the places (Qiantang, Hangzhou), for English questions."""
    from pypinyin import lazy_pinyin

    out: list[str] = []
    for name in names:
        core = pattern("place_level_ending").sub("", name)
        if name.startswith("在"):
            continue
        if len(core) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", core):
            spelled = "".join(lazy_pinyin(core)).capitalize()
            if spelled not in out:
                out.append(spelled)
    return out


def _existing_meta(text_path: Path) -> dict[str, Any] | None:
    """The metadata of the document already stored at `text_path` (None when there is none)."""
    if not text_path.exists():
        return None
    try:
        data = json.loads(meta_path(text_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data = data if isinstance(data, dict) else {}
    data.setdefault("doc_id", text_path.stem)
    return data


def add_document(corpus_dir: Path, source: Path, overrides: dict[str, Any] | None = None,
                 cache: Path | None = None, replace: bool = True) -> Added:
    """Add (or update) one document in the corpus directory; nothing is written when it fails.
    `cache`: the index's parsed documents (the library is read without parsing it all again).

    A file named like a document already in the library updates it: the document keeps its
    doc_id (so its rules, tags and vocabulary still apply), its stored metadata is kept where the
    new text does not state a field, and `--meta` overrides both. With `replace=False` such an
    update raises DocumentExistsError instead (the web form asks first)."""
    given: dict[str, Any] = overrides or {}
    source = Path(source)
    if not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir}: corpus directory not found")
    read = read_source(source)
    parsed = parse_policy(read.text, str(source))
    found = read_metadata(read.text, parsed).to_meta_dict()
    found_by: dict[str, str] = dict(found.pop("found_by", {}))
    label = _site_label(found.get("title") or "")
    if found.get("title"):
        found["title"] = _without_site_label(found["title"])
    if label and is_org(label) and not found.get("issuer"):  # 【台州市经信局】关于…的通知
        found["issuer"], found_by["issuer"] = label, "the 【label】 before the page's heading"
    if found.get("title") and len(found["title"]) <= CAPTION_MAX and not title_like(found["title"]):
        body = _body_title(read.text, "")  # (立即查看, a page's link over a consultation notice)
        if body is not None:
            found["title"], found_by["title"] = body
    interpreted = _interpreted_title(read.text, outright=True) if found.get("title") else ""
    if interpreted and interpreted.startswith(f"《{found['title']}》") and not any(
            k in found["title"] for k in _REPORT_KINDS):
        # 政策原文:…关于印发《…实施细则》的通知 over …现将文件解读如下: the page explains that
        # document; its heading names what it explains
        found["title"] = interpreted
        found_by["title"] = "the document its heading names and its opening says it interprets (解读如下)"
    if not found.get("title"):
        found["title"], found_by["title"] = _title_from_file(read, source)
        status, reason = status_and_reason(read.text, found["title"], False, found.get("doc_number"))
        if reason.endswith("in the title") and found.get("status") != "废止":
            found["status"], found_by["status"] = status, reason
    found = {k: v for k, v in found.items() if v not in (None, "", [], {})}
    data: dict[str, Any] = {**found, **given}
    for key in given:
        found_by[key] = "--meta"
    doc_id = _doc_id(source, data)
    text_path = corpus_dir / f"{doc_id}.txt"
    existing = _existing_meta(text_path)
    if existing is not None:
        if given.get("doc_id") not in (None, existing["doc_id"]):
            raise CorpusError(f"{source.name}: the file {doc_id}.txt holds document "
                              f"{existing['doc_id']!r}; it cannot be renamed to {given['doc_id']!r}")
        if not replace:
            raise DocumentExistsError(existing["doc_id"], str(existing.get("title") or existing["doc_id"]))
        kept = {k: v for k, v in existing.items() if k not in ("source", "found_by", "text_changed")}
        data = {**kept, **found, **given}
        found_by = {**(existing.get("found_by") or {}), **found_by}
        doc_id = existing["doc_id"]
    data["found_by"] = {k: v for k, v in found_by.items() if data.get(k)}
    data.setdefault("jurisdiction", _jurisdiction(data, load_site(corpus_dir).short_forms, read.text, source.stem,
                                                  label))
    data["doc_id"] = doc_id
    data.setdefault("source", source.name)
    if read.changed:
        data["text_changed"] = read.changed
    try:
        corpus = Corpus.load(corpus_dir, cache) if any(corpus_dir.glob("*.txt")) else None
    except (CorpusError, ParseError):
        corpus = None
    if corpus is not None and "supersedes" not in given and data.get("status") == "正式":
        data["supersedes"] = [d.doc_id for d in corpus.documents
                              if d.doc_id != doc_id and d.meta.status in DRAFT_STATUSES
                              and _bare_title(d.title) == _bare_title(str(data["title"]))]
    if not data.get("supersedes"):
        data.pop("supersedes", None)
    else:
        known = {d.doc_id for d in corpus.documents} if corpus is not None else set()
        for target in data["supersedes"]:
            if target == doc_id:
                raise CorpusError(f"{source.name}: supersedes names the document itself ({doc_id})")
            if target not in known:
                raise CorpusError(f"{source.name}: supersedes names {target!r}, which is not in the "
                                  f"library (documents: {', '.join(sorted(known)) or 'none'})")
    try:
        meta = DocumentMeta.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        raise CorpusError(f"{source}: invalid metadata {where}: {err.get('msg')}") from exc
    replaced = existing is not None
    others = [p for p in document_paths(corpus_dir) if p != text_path] if corpus is not None else []
    for other in others:
        try:
            other_id = json.loads(meta_path(other).read_text(encoding="utf-8")).get("doc_id") \
                if meta_path(other).exists() else other.stem
        except (OSError, ValueError):
            other_id = other.stem
        if other_id == doc_id:
            raise CorpusError(f"{source}: doc_id {doc_id!r} is already used by {other.name}")
    tmp_text = text_path.with_suffix(".txt.tmp")
    tmp_meta = meta_path(text_path).with_suffix(".tmp")
    try:
        write_synced(tmp_text, read.text.rstrip("\n") + "\n")
        write_synced(tmp_meta, json.dumps(meta.model_dump(mode="json", exclude_none=True, exclude_defaults=True),
                                           ensure_ascii=False, indent=2) + "\n")
        tmp_text.replace(text_path)
        tmp_meta.replace(meta_path(text_path))
        fsync_dir(corpus_dir)
    except OSError as exc:
        tmp_text.unlink(missing_ok=True)
        tmp_meta.unlink(missing_ok=True)
        raise CorpusError(f"{corpus_dir}: cannot write the document ({exc.strerror or exc})") from exc
    said = (f"the text was {read.changed}",) if read.changed else ()
    return Added(doc_id, text_path, meta, len(parsed.body), replaced, said + parsed.warnings)


def remove_document(corpus_dir: Path, doc_id: str) -> list[Path]:
    """Remove a document (text, metadata, vocabulary and rules); returns the files removed."""
    corpus = Corpus.load(corpus_dir)
    doc = corpus.document(doc_id)
    if doc is None:
        raise CorpusError(f"no document {doc_id!r}; documents: "
                          f"{', '.join(d.doc_id for d in corpus.documents)}")
    text = Path(doc.path)
    if len(corpus.documents) == 1:
        raise CorpusError(f"{doc_id} is the only document; the library cannot be empty")
    rules = text.with_name(text.stem + ".rules.json")
    removed = []
    for path in (text, meta_path(text), vocab_path(text), rules):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed
