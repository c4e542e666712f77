"""Article structure of a policy text: `parse_policy(text) -> ParsedDocument`.

Pure functions over a string with one paragraph per line (see `ingest.read_source`). The parser
finds the numbered units from line-start markers and decides which level is "the article":

* `第一条` articles (chapters `第一章 总则` become sections);
* `一、` / `一.` / `一．` items, with the body on the same line or on the lines after a heading;
* `(一)` items under `一、`/`一.` part headings (numbering continuing across parts or restarting
  per part): heading-only parts become sections, a part with its own body text is the article and
  its `(一)` items stay in its text;
* `1、` / `1.` items (the seed) and `(1)` items;
* `附件…` lines after the last article start appendices.

Everything before the first article (issuing notice, announcement, title, preamble) is article 0.
Article texts are the source lines (stripped) joined with "\n", so every quote taken from an
article is a substring of the source.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

from ..errors import ParseError
from ..lang.cues import data, pattern, pattern_source
from ..lang.numerals import NUMERAL_CHARS, chinese_int
from ..lang.reading import quoted_titles

ArticleKind = Literal["preamble", "article", "appendix"]
Style = Literal["tiao", "cn", "paren", "arabic", "paren_arabic", "none"]

TITLE_MAX = 30
"""A first clause longer than this (or containing , ;) is a sentence, not a heading."""
SENTENCE_TITLE = 16
"""Characters kept from a sentence used as a title (then …)."""
_HEADING_MAX = 40

_CN = f"[{NUMERAL_CHARS}]+"
_WORDS = data("document_text.json")

# Line-start markers, tried in this order (one marker per line).
_CHAPTER = pattern("chapter_marker")
_PATTERNS: tuple[tuple[Style, re.Pattern[str]], ...] = (
    ("tiao", pattern("article_marker")),
    ("paren", re.compile(rf"^([(（]\s*({_CN})\s*[)）])[\s、.．]*")),
    ("paren_arabic", re.compile(r"^([(（]\s*(\d{1,3})\s*[)）])[\s、.．]*")),
    ("cn", re.compile(rf"^(({_CN})\s*(?:、|[.．](?!\d)))\s*")),  # (一、2022年…项目: a year may open the heading)
    ("arabic", re.compile(r"^((\d{1,3})\s*[、.．])(?!\d)\s*")),
)
MAX_ARTICLE = 999
_BEYOND = pattern("article_beyond_limit")
"""An article marker numbered beyond MAX_ARTICLE: not recognised, so its text joins the article before."""
_LEVELS: tuple[Style, ...] = ("tiao", "cn", "paren", "arabic", "paren_arabic")
_APPENDIX = pattern("appendix_line")

_ROLE = pattern("department_role")
_LEAD_ROLES = tuple(_WORDS["lead_roles"])
_COUNTY = pattern("county_with_city")
_DEPT_SPLIT = re.compile(r"[、,，/\s]+")
_DEPT_NOISE = tuple(_WORDS["department_noise"])
_SAME_BELOW = pattern("same_below_note")

_DOC_TYPES = tuple(_WORDS["document_kinds"])
_ISSUING_KINDS = tuple(_WORDS["issuing_heading_kinds"])
_TRAILING_PARENS = re.compile(r"(?:[(（][^()（）]{1,20}[)）]\s*)+$")
_DOC_NUMBER_LINE = pattern("line_starting_with_document_number")
_DATE_LINE = pattern("date_line")
_WRAPPER = pattern("issuing_verb")
_WRAPPED_NAME = pattern("wrapped_name")
_WRAPPER_KINDS = tuple(_WORDS["issuing_heading_kinds"])


@dataclass(frozen=True)
class ParsedArticle:
    """One unit of a policy document: the preamble, a numbered article or an appendix."""

    number: int
    """Position in the document: 0 = everything before the first article, 1..N the articles in
    order, then the appendices."""
    label: str
    """The number as written: `第三条`, `三、`, `二、(三)`, `3、`, `(五)`, `附件1` ('' for 0)."""
    title: str
    """The heading: a heading line, else the text before the first 。 (shortened with … when it is
    a long sentence)."""
    text: str
    """Verbatim source lines of the article without its number marker, joined with "\\n"."""
    departments: tuple[str, ...] = ()
    """Responsible departments (责任单位/牵头单位 first, then 配合单位), without repeats."""
    section: str = ""
    """Enclosing chapter/part heading as written, e.g. `第二章 创新支持` or `二.重点任务`."""
    kind: ArticleKind = "article"
    """`preamble` (number 0), `article` or `appendix`."""


@dataclass(frozen=True)
class ParsedDocument:
    """The article structure of one policy text."""

    path: str
    """Where the text came from (used in error messages)."""
    title: str
    """The document title found in the text ('' if none)."""
    style: Style
    """Which marker numbers the articles: `tiao` 第一条, `cn` 一、, `paren` (一), `arabic` 1、,
    `paren_arabic` (1); `none` when the text has no numbered item (one unit)."""
    articles: list[ParsedArticle] = field(default_factory=list)
    """Preamble (when there is text before the first article), articles, appendices, in order."""
    warnings: tuple[str, ...] = ()
    """What the parse could not represent (e.g., articles numbered beyond 999)."""

    def article(self, number: int) -> ParsedArticle | None:
        """The article at that position, or None."""
        for art in self.articles:
            if art.number == number:
                return art
        return None

    @property
    def body(self) -> list[ParsedArticle]:
        """The numbered articles (no preamble, no appendices)."""
        return [a for a in self.articles if a.kind == "article"]


@dataclass(frozen=True)
class _Mark:
    line: int
    kind: Style
    number: int
    label: str
    rest: str


# --------------------------------------------------------------------------- small helpers


DOUBLED_MIN = 16
"""A line this long that is one text written twice (关于…的通知关于…的通知) is that text once."""
FLATTENED_LINE = 400
"""A line this long that holds numbered items after spaces is a page printed as one line."""
_INLINE_ITEM = pattern("inline_item")
_NUMERAL_SPACE = pattern("numeral_before_comma")
_LOST_INDENT = re.compile(r"^[\s?\ufffd]*[?\ufffd](?=[^\x00-\x7f])")
"""Question marks (or U+FFFD) opening a line before Chinese text: its full-width indent spaces,
lost when the page was converted to an encoding without them (`??第一条 为了…`)."""


_FIELD_BULLET = re.compile(r"^\s*[•▪●◆■]\s+")
"""A page's round list bullet before a line (`• 发文字号:…`); a dash (`- 二.做强…`, a sub-item a page
rendered as a list) is kept, as it is no item marker of the text's own."""
_MARKED_ITEM = pattern("marked_item")
"""A mark a page sets before a numbered item (`★（四）鼓励企业…`, ★ for a measure newly added): the
item starts after it."""


def clean_lines(text: str) -> list[str]:
    """The non-empty lines of a text, stripped (a BOM and full-width spaces included, the
    question marks a lost full-width indent left, a round list bullet (`• 发文字号:…`), a mark before a
    numbered item). A page printed as one long line (paragraphs
    joined by spaces: `… 一、总体要求 (一)指导思想。…`) is cut before each numbered item, so its
    structure is found as in any other document."""
    text = _NUMERAL_SPACE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    run = [0]  # the last article number cut out of a line (第三条 in one line, 第四条 in the next)
    for ln in text.split("\n"):
        parts = [p for piece in _INLINE_ITEM.split(ln) for p in _numbered_run(piece)] \
            if len(ln) > FLATTENED_LINE else _spaced_run(ln)
        if len(ln) > FLATTENED_LINE and parts and len(out) <= HEAD_LINES_MAX and not any("。" in o for o in out):
            parts = _head_lines(parts[0]) + parts[1:]  # a line of the page's head (no sentence above it)
        for part in [p for piece in parts for p in _articles_run(piece, run)]:
            part = _LOST_INDENT.sub("", part.strip().strip("\ufeff").strip()).strip()
            part = _MARKED_ITEM.sub("", _FIELD_BULLET.sub("", part))
            half = len(part) // 2
            if len(part) >= DOUBLED_MIN and len(part) % 2 == 0 and part[:half] == part[half:]:
                part = part[:half]  # a page's heading printed twice in one line (breadcrumb and <h1>)
            if part:
                out.append(part)
    return _bare_numbers_joined(out)


HEAD_LINES_MAX = 6
"""A page printed as one line may start after this many short lines (its heading, 时间:, a site's bar)."""
HEADING_ONLY_MAX = 80
"""A page's head this short with no sentence in it (附件 1 湖南省数字经济促进条例 (草案·送审稿)) is
all heading lines."""


def _head_lines(head: str) -> list[str]:
    """The part of a page printed as one line before its first item, its heading lines set apart
    where it shows them: a head with a 文号 (`…关于进一步推进企业技术改造工作的意见 浙政办发[2015]77号
    2015-6-30 各市、县(市、区)人民政府,省政府直属各单位: 近年来…`: the title before it (its pieces
    joined), the 文号, then the date and the addressee up to its colon, then the rest whole), or a short
    head with no sentence (附件 1 / 湖南省…条例 / (草案·送审稿)). Any other head stays whole."""
    words = head.split()
    at = next((k for k, w in enumerate(words[:HEAD_WORDS]) if _DOC_NUMBER_LINE.match(w)), -1)
    if at < 0 and (len(head) > HEADING_ONLY_MAX or "。" in head):
        return [head]
    lines: list[str] = []
    for word in words[:max(at, 0)]:  # the title's pieces joined; a labelled piece (时间:2018-01-04) apart
        if lines and not re.search(r"[:：\d]", word) and not re.search(r"[:：]", lines[-1]):
            lines[-1] += word
        else:
            lines.append(word)
    for i in range(max(at, 0), len(words)):
        word = words[i]
        if lines and (word.isdigit() or _open_bracket(lines[-1])):
            lines[-1] += word  # 附件 1: one label; 《徐汇区关于 / 建设…实施意见》, (2022 年9 月…通过): one piece
        else:
            lines.append(word)
        if word.endswith((":", "：")) or "。" in word:
            rest = " ".join(words[i + 1:])
            return [*lines, rest] if rest else lines
    return lines


def _open_bracket(text: str) -> bool:
    """A bracket or title mark opened and not closed (a piece of a page's line cut at a space inside it)."""
    return text.count("《") > text.count("》") or text.count("(") + text.count("（") > text.count(")") + text.count("）")


HEAD_WORDS = 6
"""A 文号 within this many space-separated pieces of a page's first line is its header's."""


_NUMBERED_LINE = re.compile(rf"(?:\d{{1,2}}|{_CN})、")
"""A line starting with an item's number and 、 (3、建设路径及措施): an item's heading, never the
title (a list of issued documents, `2.工业机器人行业规范条件…(2024版)`, may name it)."""
BARE_HEADING_MAX = 24
"""A heading under a line holding only its number (`3` / `建设路径及措施`) is at most this long."""


def _bare_numbers_joined(lines: list[str]) -> list[str]:
    """A line holding only a number, the next a short heading of no sentence and no number of its
    own (`3` / `建设路径及措施`, a page that set the number apart): one numbered heading, `3、…`."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if re.fullmatch(r"\d{1,2}", ln) and nxt and len(nxt) <= BARE_HEADING_MAX \
                and not re.search(r"[。！？!?,，;；:：]", nxt) and re.match(r"[\u4e00-\u9fff]", nxt) \
                and not _CN_ITEM.match(nxt):
            out.append(f"{ln}、{nxt}")
            i += 2
            continue
        out.append(ln)
        i += 1
    return out


_ARABIC_ITEM = re.compile(r"(\d{1,2})\s*[.．、](?=[\u4e00-\u9fff《“\"])")
_CN_ITEM = re.compile(rf"{_CN}、")
RUN_MIN = 3
"""Items `1.` `2.` `3.` … numbered in sequence inside a flattened line, at least this many, are a list
even without spaces or a full stop before each."""


def _numbered_run(line: str) -> list[str]:
    """A flattened line cut before each item of the longest run of Arabic-numbered items 1, 2, 3 …
    in order (…涉及政策1 .杭州市…(…有效期三年)2 .关于…); the line whole when there is none."""
    if _CN_ITEM.search(line):
        return [line]  # 一、起草背景…二、…依据1.…2.…: items of a higher level hold the numbered ones
    bracketed = _bracketed_run(line)
    if bracketed:
        return bracketed
    # (a number right after a digit is part of a figure, not an item: 2.5亿)
    marks = [(m.start(), int(m.group(1))) for m in _ARABIC_ITEM.finditer(line)
             if not (m.start() and line[m.start() - 1].isdigit())]
    best = _longest_run(marks, first=1)
    if len(best) < RUN_MIN and not _introduced_list(line, best):
        return [line]
    return _cut_before(line, best)


_BRACKET_ITEM = re.compile(rf"[(（]({_CN})[)）](?=[\u4e00-\u9fff“])")


def _bracketed_run(line: str) -> list[str]:
    """A flattened line cut before each bracketed item of the longest run in order — (三)(四)(五)
    with no space before them (…各乡镇)(三)实施专精特新特色园区建设行动…(四)实施…): at least
    RUN_MIN; [] when there is none."""
    from ..lang.numerals import chinese_int

    marks = []
    for m in _BRACKET_ITEM.finditer(line):
        try:
            marks.append((m.start(), chinese_int(m.group(1))))
        except ValueError:
            continue
    best = _longest_run(marks)
    return _cut_before(line, best) if len(best) >= RUN_MIN else []


def _longest_run(marks: list[tuple[int, int]], first: int | None = None) -> list[int]:
    """The offsets of the longest run of numbers in sequence (n, n+1, n+2 …) among (offset, number)
    marks in text order, starting at `first` when given, else at any number."""
    best: list[int] = []
    for i, (at, n) in enumerate(marks):
        if first is not None and n != first:
            continue
        run, expected = [at], n + 1
        for at2, n2 in marks[i + 1:]:
            if n2 == expected:
                run.append(at2)
                expected += 1
        if len(run) > len(best):
            best = run
    return best


def _cut_before(line: str, offsets: list[int]) -> list[str]:
    """The line cut before each offset (its lead, if any, first)."""
    cuts = [0, *offsets, len(line)]
    return [line[a:b] for a, b in zip(cuts, cuts[1:]) if line[a:b].strip()]


def _introduced_list(line: str, run: list[int]) -> bool:
    """Two or more items after a colon that introduces them, each after a space (…可另外申请以下产业
    扶持: 1.销售奖励。… 2.市场推广奖励。…): a list, though shorter than RUN_MIN."""
    if len(run) < 2:
        return False
    before = line[:run[0]]
    return before.rstrip()[-1:] in (":", "：") and all(at and line[at - 1].isspace() for at in run)


_ARTICLE_IN_LINE = pattern("article_in_line")
CHAPTER_HEADING_RUN = 12
"""Characters of a chapter's heading (第一章 总 则) before an article run into its line."""


def _articles_run(line: str, run: list[int] | None = None) -> list[str]:
    """A line cut before each article a page ran into it (…制定本条例。第二条 本省…; 第一章 总 则第一条
    为了…): an article's number with a space after it, right after a sentence's end or its chapter's
    heading; the line whole otherwise. A chapter's heading run into the line after a sentence's end
    (…服务工作。第二章申报条件及支持范围第三条申请…) is cut before too, when an article follows it."""
    heads = _chapters_in_line(line)
    found = [m for m in _ARTICLE_IN_LINE.finditer(line) if m.start() > 0 and (
        line[m.start() - 1] in "。;；)）"  # (…第四十六次会议通过)第一条 为了…: after the adoption note
        or any(m.start() - end <= CHAPTER_HEADING_RUN and "。" not in line[end:m.start()] and m.start() >= end
               for _, end in heads))]
    # (第二条本条例…: without a space after it, a number only as the next of the line's run)
    numbers = [_article_number(m.group(0)) for m in found]
    kept = [i for i, m in enumerate(found)
            if m.group(0)[-1] in " \u3000" or _next_in_run(numbers, i, run[0] if run is not None else 0)]
    cuts = [found[i].start() for i in kept]
    # (the chapter's heading before a kept article is a line of its own)
    cuts += [start for start, end in heads if start > 0 and any(
        0 <= c - end <= CHAPTER_HEADING_RUN and "。" not in line[end:c] for c in cuts)]
    cut_numbers = [n for i in kept if (n := numbers[i]) is not None]
    if run is not None and cut_numbers:
        run[0] = max(cut_numbers)
    if not cuts:
        return [line]
    bounds = [0, *sorted(set(cuts)), len(line)]
    return [line[a:b] for a, b in zip(bounds, bounds[1:]) if line[a:b].strip()]


_CHAPTER_ANYWHERE = re.compile(pattern_source("chapter_marker").removeprefix("^"))


def _chapters_in_line(line: str) -> list[tuple[int, int]]:
    """The chapter headings' marks (第一章, 第二节) of a line — at its start, or run in after a
    sentence's end or a closing bracket —, as (start, end of the mark)."""
    return [(m.start(), m.end()) for m in _CHAPTER_ANYWHERE.finditer(line)
            if m.start() == 0 or line[m.start() - 1] in "。;；)）"]


def _next_in_run(numbers: list[int | None], i: int, last: int = 0) -> bool:
    """The i-th article number of a line is one more than the one before it (or than `last`, the
    last one cut out of a line before), or one less than the one after it (第一条…第二条…第三条)."""
    before = numbers[i - 1] if i > 0 else (last or None)
    n = numbers[i]
    return n is not None and ((before is not None and n == before + 1)
                              or (i + 1 < len(numbers) and numbers[i + 1] == n + 1))


def _article_number(mark: str) -> int | None:
    try:
        return chinese_int(mark.strip()[1:-1])
    except ValueError:
        return None


_SPACED_ITEM = pattern("spaced_item")


def _spaced_run(line: str) -> list[str]:
    """A line that starts with an Arabic-numbered item and holds the next ones in sequence after
    spaces (4. 产品数字化设计 … 5. 产品虚拟验证 …), or a lead that introduces them with a colon
    (以下产业扶持: 1.… 2.…): cut before each; the line whole otherwise."""
    marks = [(m.start(), int(m.group(1))) for m in _SPACED_ITEM.finditer(line)]
    lead = 0
    if len(marks) >= 2 and marks[0][0] and marks[0][1] == 1 and _introduced_list(line, [at for at, _ in marks]):
        lead = marks[0][0]  # 以下产业扶持: 1.销售奖励。… 2.…: the lead, then the items
    if len(marks) < 2 or marks[0][0] != lead:
        return [line]
    run = [marks[0][0]]
    expected = marks[0][1] + 1
    for at, n in marks[1:]:
        if n == expected:
            run.append(at)
            expected += 1
    if len(run) < 2:
        return [line]
    return _cut_before(line, run)


_BRACKET_HEADING = re.compile(r"^【([^【】\n]{2,16})】")
"""An article's heading in 【】 at its start (第一条【立法目的】…)."""


def split_title(text: str) -> tuple[str, str]:
    """(title, rest): the heading phrase before the first 。, shortened when it is a sentence."""
    bracketed = _BRACKET_HEADING.match(text.strip())
    if bracketed:  # 第一条【立法目的】为了…: the heading a draft regulation gives each article
        return bracketed.group(1), text.strip()[bracketed.end():]
    head, sep, rest = text.partition("。")
    if not sep:
        head = text
    head = head.strip()
    if re.search(r"[,，;；]", head) or len(head) > TITLE_MAX:
        # A sentence, not a heading (regulations often have none): its opening words.
        head = re.split(r"[,，;；]", head)[0][:SENTENCE_TITLE] + "…"
    else:
        head = head.rstrip(":：、")
    return head, rest


def departments_of(text: str) -> tuple[str, ...]:
    """Departments named in 责任单位/牵头单位/配合单位 clauses: lead units first, in order, no repeats.

    `(责任单位:市科技局、市经信局。列第一位的为牵头单位,下同。)` → (市科技局, 市经信局);
    `牵头单位:区经信局;配合单位:区科技局、区财政局` → (区经信局, 区科技局, 区财政局).
    """
    lead: list[str] = []
    other: list[str] = []
    matches = list(_ROLE.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = _clause_value(text[m.end():end])
        target = lead if m.group(1).startswith(_LEAD_ROLES) else other
        value = _COUNTY.sub(lambda c: c.group(0).replace("、", "\x00"), value)
        # (各区人民政府〈含开发区、长江新区、风景区管委会,下同〉: one name with what it includes)
        value = re.sub(r"[〈(（][^〈〉()（）]*[〉)）]",
                       lambda c: re.sub(r"[、,，]", "\x00", _SAME_BELOW.sub("", c.group(0))), value)
        for name in _DEPT_SPLIT.split(value):
            name = name.replace("\x00", "、").strip(" ,，、:：")
            if 2 <= len(name) <= 30 and not any(n in name for n in _DEPT_NOISE):
                target.append(name)
    out: list[str] = []
    for name in lead + other:
        if name not in out:
            out.append(name)
    return tuple(out)


def _clause_value(value: str) -> str:
    """The names after `责任单位:`, up to the bracket that closes the clause, ; or 。"""
    depth = 0
    for j, ch in enumerate(value):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            if depth == 0:
                return value[:j]
            depth -= 1
        elif ch in ";；。\n":
            return value[:j]
    return value


def _is_heading(text: str, limit: int = TITLE_MAX) -> bool:
    """A heading alone on its line: short, no sentence punctuation."""
    return bool(text) and len(text) <= limit and not re.search(r"[。！？!?,，;；]", text)


_TOC = pattern("table_of_contents_line")
_ITEM_START = pattern("item_start")


def toc_lines(lines: list[str]) -> set[int]:
    """The lines of a 目录 block: the `目录` line and the headings listed under it, up to the
    first heading written a second time (where the body starts). A 目录 is not article structure."""
    out: set[int] = set()
    for i, line in enumerate(lines):
        if not _TOC.match(line):
            continue
        listed: set[str] = set()
        j = i + 1
        while j < len(lines):
            key = _toc_key(lines[j])
            if key in listed or not _toc_entry(lines[j]):
                break
            listed.add(key)
            j += 1
        # a 目录 of numbered items (一、, (一)) whose headings the stored text never reaches (a page
        # cut after it) is all the structure there is: its headings are the items (a 目录 of
        # chapters stays one: the chapters are read from it)
        chapters = any(_CHAPTER.match(lines[k]) for k in range(i + 1, j))
        if listed and j < len(lines) and (chapters or any(_toc_key(ln) in listed for ln in lines[j:])):
            out.update(range(i, j))
    return out | _unlabelled_toc(lines, out)


def _toc_key(line: str) -> str:
    return re.sub(r"[\s.．…·]+|\d+$", "", line)


def _toc_entry(line: str) -> bool:
    """A line a 目录 lists: a heading, or a numbered heading with a comma (六、…(一)实施“产业聚能”行动,
    提升数字经济硬实力), never a sentence."""
    return _is_heading(line, _HEADING_MAX) or bool(
        _ITEM_START.match(line) and len(line) <= _HEADING_MAX and not re.search(r"[。！？!?;；]", line))


UNLABELLED_TOC_RUN = 3
"""Chapter headings in a row, with no 目录 line, that make a 目录 when the first comes again right after."""


def chapter_heading_runs(lines: list[str], skip: set[int] = frozenset()) -> list[tuple[int, int]]:  # type: ignore[assignment]
    """(start, end) of each run of chapter-heading lines in a row (第一章 总则 / 第二章 … ), a run
    ending where its first heading is written again (the body after a 目录); lines in `skip` break
    runs."""
    key = [re.sub(r"\s+", "", ln) for ln in lines]
    heading = [i not in skip and bool(_CHAPTER.match(ln.strip())) and _is_heading(ln.strip(), _HEADING_MAX)
               for i, ln in enumerate(lines)]
    runs, i = [], 0
    while i < len(lines):
        if not heading[i]:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and heading[j] and key[j] != key[i]:
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _unlabelled_toc(lines: list[str], taken: set[int]) -> set[int]:
    """A 目录 printed without its 目录 line (第一章 总则 / … / 第八章 附则 / 第一章 总则 / 第一条…): a run
    of chapter headings whose first is written again right after it, where the body starts."""
    key = [re.sub(r"\s+", "", ln) for ln in lines]
    for i, j in chapter_heading_runs(lines, taken):
        if j - i >= UNLABELLED_TOC_RUN and j < len(lines) and key[j] == key[i]:
            return set(range(i, j))
    return set()


def _marks(lines: list[str], skip: set[int] = frozenset()) -> tuple[dict[Style, list[_Mark]], list[int]]:  # type: ignore[assignment]
    """Markers by kind, and the lines that are chapter/section headings (第一章 …); lines in
    `skip` (a 目录) are neither."""
    by_kind: dict[Style, list[_Mark]] = {k: [] for k in _LEVELS}
    chapters: list[int] = []
    for i, line in enumerate(lines):
        if i in skip:
            continue
        if _CHAPTER.match(line) and _is_heading(line, _HEADING_MAX):
            chapters.append(i)
            continue
        for kind, pat in _PATTERNS:
            m = pat.match(line)
            if not m:
                continue
            try:
                number = chinese_int(m.group(2))
            except ValueError:
                continue
            label = re.sub(r"\s+", "", m.group(1))
            by_kind[kind].append(_Mark(i, kind, number, label, line[m.end():].strip()))
            break
    return by_kind, chapters


def _is_jie(line: str) -> bool:
    m = _CHAPTER.match(line)
    return m is not None and m.group(2) == "节"


def _between(boundaries: list[int], lo: int, hi: int) -> bool:
    """Is there a boundary line strictly between lines lo and hi?"""
    j = bisect.bisect_right(boundaries, lo)
    return j < len(boundaries) and boundaries[j] < hi


def _best_run(marks: list[_Mark], boundaries: list[int], cut_at: int | None = None) -> list[_Mark]:
    """The longest sequence numbered 1, 2, 3, … (restarting at 1 only after a boundary line),
    preferring the one that skips the fewest markers of the same kind. `cut_at`: the line of the
    text's first numbered item — a page cut before its first items (it opens at (四)) numbers on
    from there."""
    best: list[_Mark] = []
    best_key = (0, 0)
    for i, first in enumerate(marks):
        if first.number != 1 and first.line != cut_at:
            continue
        run = [first]
        expected, skipped, pending = first.number + 1, 0, 0
        for mk in marks[i + 1:]:
            if mk.number == expected:
                run.append(mk)
                expected += 1
            elif mk.number == 1 and _between(boundaries, run[-1].line, mk.line):
                run.append(mk)
                expected = 2
            else:
                pending += 1
                continue
            skipped += pending
            pending = 0
        key = (len(run), -skipped)
        if key > best_key:
            best, best_key = run, key
    return best


def _separator(mk: _Mark) -> str:
    return "、" if mk.label.endswith("、") else "." if mk.label.endswith((".", "．")) else ""


def _consistent_run(marks: list[_Mark], boundaries: list[int], cut_at: int | None = None) -> list[_Mark]:
    """The best run, preferring one written with a single separator (1、 2、 3、 over a run that
    borrows a `2.` from a sub-list) unless mixing separators numbers clearly more units."""
    best = _best_run(marks, boundaries, cut_at)
    mixed = True
    for sep in sorted({_separator(mk) for mk in marks}):
        same = [mk for mk in marks if _separator(mk) == sep]
        if len(same) < len(marks):
            run = _best_run(same, boundaries, cut_at)
            if len(run) > len(best) or (len(run) == len(best) and mixed):
                best, mixed = run, False
    return best


def _top_level(by_kind: dict[Style, list[_Mark]], chapters: list[int], limit: int,
               appendix_lines: list[int]) -> tuple[Style, list[_Mark]] | None:
    """The highest marker kind numbering at least two units (1, 2, …) before `limit`.

    A kind whose numbering only starts inside an appendix (an appended 办法 with its own 第一条)
    gives way to a kind numbered before that appendix."""
    runs: dict[Style, list[_Mark]] = {}
    single: dict[Style, list[_Mark]] = {}
    cut_at = min((mk.line for marks in by_kind.values() for mk in marks), default=None)
    if cut_at is not None and chapters and chapters[0] < cut_at:
        cut_at = None  # under a chapter heading the numbering starts again
    for kind in _LEVELS:
        run = _consistent_run([mk for mk in by_kind[kind] if mk.line < limit], chapters, cut_at)
        if len(run) >= 2:
            runs[kind] = run
        elif run and not single:
            single[kind] = run
    if not runs:
        # A document with one numbered unit (a short or partial text) is still a document.
        return next(iter(single.items()), None)
    # One heading of a higher level over a numbered run (`一、分担创新成本` then (一)(二)…): the
    # heading is the top level, its items are the units (labelled 一、(一)).
    first_kind, first_run = next(iter(runs.items()))
    for kind, run in single.items():
        mk = run[0]
        if (_LEVELS.index(kind) < _LEVELS.index(first_kind) and kind != "tiao"
                and _heading_first(mk.rest) and mk.line < first_run[0].line):
            return kind, run
    for kind, run in runs.items():
        in_appendix = any(
            a < run[0].line and any(other[-1].line < a and other[0].line < a
                                    for k, other in runs.items() if k != kind)
            for a in appendix_lines)
        if not in_appendix and not any(_nested_in(run, other) for k, other in runs.items() if k != kind):
            return kind, run
    return next(iter(runs.items()), None)


def _nested_in(run: list[_Mark], other: list[_Mark]) -> bool:
    """The whole run stands inside one unit of the other run, between two of its consecutive
    marks (a 政策解读's 二、主要内容 listing 第一条…第四条 of the document it explains, between 二、
    and 三、): it is that unit's list, not the text's own numbering."""
    return any(a.line < run[0].line and run[-1].line < b.line for a, b in zip(other, other[1:]))


def _appendix(line: str) -> tuple[str, str] | None:
    """(label, rest) of an appendix line: `附件`, `附件1`, `附件:标题`, `附件2 标题`."""
    m = _APPENDIX.match(line)
    if m is None:
        return None
    rest = m.group(2) if m.group(2) is not None else (m.group(3) or "")
    return re.sub(r"\s+", "", m.group(1)), rest.strip()


def _appendix_start(lines: list[str], run: list[_Mark]) -> int | None:
    """First `附件…` line after the articles (one that the article numbering does not continue past)."""
    first = run[0].line
    for i in range(first + 1, len(lines)):
        if _appendix(lines[i]) is None:
            continue
        later = [mk for mk in run if mk.line > i]
        before = [mk for mk in run if mk.line < i]
        if later and before and later[0].number == before[-1].number + 1:
            continue  # the articles go on after it: a line inside an article
        return i
    return None


# --------------------------------------------------------------------------- titles


def _strip_parens(line: str) -> str:
    return _TRAILING_PARENS.sub("", line).strip()


def _is_wrapper(line: str) -> bool:
    """An issuing-notice or announcement heading (关于印发《…》的通知, …征求…意见的公告)."""
    core = _strip_parens(line)
    return (core.endswith(_WRAPPER_KINDS)
            and bool(_WRAPPER.search(line)) and ("《" in line or "关于" in line))


def _is_title_like(line: str) -> bool:
    if len(line) > 100 or re.search(r"[。！？!?,，;；:：]", line):
        return False
    if re.sub(r"\s+", "", _strip_parens(line)) in _DOC_TYPES:  # 目录, 通知: a heading, not a title
        return False
    if _DOC_NUMBER_LINE.match(line) or _DATE_LINE.match(line):
        return False
    return _strip_parens(line).endswith(_DOC_TYPES)


def _unbalanced_close(line: str) -> bool:
    """A line closing more brackets than it opens (`2019-2021)的通知`): the tail of a heading broken
    over lines, not a title of its own."""
    return line.count(")") + line.count("）") > line.count("(") + line.count("（")


def _wrapped_name(line: str) -> str:
    m = _WRAPPED_NAME.search(line)
    if m:
        return m.group(1) + (m.group(2) or "")
    m = pattern("consultation_wrapped_name").search(line) or pattern("issued_wrapped_name").search(line)
    return m.group(1) if m else ""


_PAREN_LINE = re.compile(r"^(?:[(（][^()（）]{1,20}[)）])+$")
_NUMBER_CELL = pattern("document_number_cell")
SPLIT_TITLE_TAIL = 8
"""A title line whose words (brackets left out) are this short (`实施方案`, `行动计划`) continues
the heading line above it: a title broken over two lines."""


CELL_LABEL_MAX = 6
"""A table row's label cell (`内容概述 | 无锡市数字化转型促进条例 |`) is at most this long."""


def _cell(line: str) -> str:
    """A line without the table rules a page copied around it (`标题 |`, `| 标题 |`); of a row of a
    short label and its value (`内容概述 | 无锡市数字化转型促进条例 |`), the value; of a heading
    with its 文号 after it on the same line, the heading."""
    pieces = [p.strip() for p in re.split(r"[|｜]", line) if p.strip()]
    if len(pieces) == 2 and len(pieces[0]) <= CELL_LABEL_MAX:
        return pieces[1]
    line = line.strip().strip("|｜").strip()
    line = _FIELD_LABEL.sub("", line)  # 内容概述 对区政协…答复函: the value, not its label
    numbered = _TITLE_THEN_NUMBER.match(line)  # …的实施意见 七政发〔2021〕5号: the heading, its 文号 after it
    return numbered.group(1) if numbered and _is_title_like(numbered.group(1)) else line


_TITLE_THEN_NUMBER = pattern("title_then_document_number")
_FIELD_LABEL = pattern("page_field_label")


def _compact(title: str) -> str:
    """A title without the spaces a page put between its characters (`2025 年版` → `2025年版`) and
    without a list bullet in front (`- 浙江省…的通知`, a page's list item)."""
    title = _BULLET.sub("", title)
    return re.sub(r"(?<=[\d\u4e00-\u9fff(（)）])\s+(?=[\d\u4e00-\u9fff(（)）])", "", title).strip()


_BULLET = re.compile(r"^\s*[-–•·▪●◆■□▵▲△*]\s+")
"""A list bullet before a line's text (`- `, `• `)."""


FIELD_LABEL_MAX = 4
"""A line this short (扶持标准, 申报材料) that no heading line above continues is a page's field label."""


def _field_label(cells: list[str], i: int, usable: list[int]) -> bool:
    """The line is a page's field label (扶持标准 over the text of its standard), not a title: a
    kind word with one word before it, not the last half of a heading the line above begins."""
    return len(_strip_parens(cells[i]).strip()) <= FIELD_LABEL_MAX and not (
        i >= 1 and (i - 1) in usable and _continues(cells[i - 1]))


def _placed(title: str) -> bool:
    """The title starts with a place's name (吉林省大数据条例 under a page's 条例全文 tab): a whole
    title of its own, not the last half of a heading broken in two."""
    from ..lang.places import find_places

    return any(m.start == 0 for m in find_places(title))


def _continues(above: str) -> bool:
    """Can this line be the first half of a title broken over two lines?"""
    return (_is_heading(above, _HEADING_MAX) and not _is_title_like(above) and not _is_wrapper(above)
            and not _DOC_NUMBER_LINE.match(above) and not _DATE_LINE.match(above)
            and not _PAREN_LINE.match(above) and not _TOC.match(above) and not _CHAPTER.match(above)
            and not above.endswith(_ISSUER_ENDINGS))


_ISSUER_ENDINGS = tuple(_WORDS["signature_endings"])
_ABOUT_HEAD = pattern("about_heading_start")
_TITLE_JOINERS = tuple(_WORDS["title_joiners"])
_REPORT_KINDS = tuple(_WORDS["report_kinds"])
"""Words that end the first line of a heading broken in two (…设备更新和)."""


_ISSUES_SEVERAL = pattern("issues_several")
"""A notice heading that issues several documents: `关于印发…专项政策等五个政策的通知`."""


def _menu_item(lines: list[str], i: int) -> bool:
    """Whether line i is one of a page's menu (- 征集公告 / - 起草说明 / - 我要留言): a list item
    beside another, never a document's title."""
    def item(j: int) -> bool:
        return 0 <= j < len(lines) and bool(_BULLET.match(lines[j]))
    return item(i) and (item(i - 1) or item(i + 1))


def find_title(pre: list[str], skip: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    """The document title among the lines before the first article ('' if none); a line of its
    own right under it that is only a bracket (`(征求意见稿)`, `(2024—2027年)`) belongs to it, and
    a short last half (`实施方案(2025 年版)`) joins the heading line above it. Lines in `skip` (a
    目录) and chapter headings are never the title. A notice issuing several documents (…等五个
    政策的通知) is the document. An issuing notice's heading (关于印发…的通知)
    names the document inside it (《…》), unless the notice carries the 文号 and names no
    document in 《》: then the notice is the document (its heading is the title)."""
    cells = [_cell(ln) for ln in pre]
    usable = [i for i in range(len(cells)) if i not in skip and not _CHAPTER.match(cells[i])]
    several = [cells[i] for i in usable if _is_wrapper(cells[i]) and _ISSUES_SEVERAL.search(cells[i])
               and len(cells[i]) <= 100]
    if several:
        # A notice issuing several documents (…等五个政策的通知) is itself the document: the text
        # holds the notice and what it issues, not one of them.
        return _compact(several[0])
    published = next((m for m in map(_PROMULGATION.search, cells) if m), None)
    if published and _is_title_like(published.group(1)):
        # 北京市人民代表大会常务委员会公告 / 《北京市数字经济促进条例》已由…通过,现予公布: the
        # announcement publishes the document the text is
        return _compact(published.group(1))
    fielded = [cells[i] for i in usable if _TITLE_FIELD.match(pre[i]) and _is_title_like(cells[i])]
    if fielded:  # 标题 广州市数字经济促进条例 (草案): the page's field for the title (an issuing
        # notice's, the document it issues, as for a heading)
        return _compact((_is_wrapper(fielded[0]) and _wrapped_name(fielded[0])) or fielded[0])
    candidates = [i for i in usable if _is_title_like(cells[i]) and not _is_wrapper(cells[i])
                  and not _unbalanced_close(cells[i]) and not _NUMBERED_LINE.match(cells[i])
                  and not _field_label(cells, i, usable) and not _menu_item(pre, i)]
    if candidates:
        i = candidates[-1]
        title = cells[i]
        heading = next((named[0] for j in usable if j < i for named in [quoted_titles(cells[j])]
                        if len(named) == 1 and _is_title_like(named[0])
                        and not re.search(r"[。！？!?,，;；:：]", cells[j])), "")  # (a page's heading, no prose)
        if heading and _strip_parens(title).endswith(_ISSUING_KINDS):
            # 《浙江省公共数据条例》全文公布 over 浙江省第十三届人民代表大会第六次会议公告 / 第3号 / 目录:
            # the page names the document its announcement carries
            return _compact(heading)
        # (the name an issuing heading gives, 关于印发厦门市进一步推动人工智能产业高质量发展若干措施的
        # 通知, printed again over two lines: 厦门市进一步推动人工智能产业 / 高质量发展若干措施)
        issued = {_compact(_wrapped_name(c)) for c in cells if _is_wrapper(c)} - {""}
        # (现将《广东省深化…发展工业互联网的实施方案》…印发给你们, over the heading broken in two)
        issued |= {_compact(t) for c in cells for t in quoted_titles(c)}
        if i >= 1 and (i - 1) in usable and (
                _compact(cells[i - 1] + title) in issued and _continues(cells[i - 1])
                or len(_strip_parens(title)) <= SPLIT_TITLE_TAIL and _continues(cells[i - 1])
                and not _placed(title)
                or _placed(cells[i - 1]) and not _placed(title) and _continues(cells[i - 1])
                or cells[i - 1].endswith(_TITLE_JOINERS) and len(cells[i - 1]) <= TITLE_MAX
                or _ABOUT_HEAD.match(cells[i - 1]) and _continues(cells[i - 1])):
            # (关于进一步加大企业技术改造力度 / 促进机器换人的实施意见: a 关于 heading lacks its kind;
            # 广德经济开发区以数字化转型推动 PCB / 产业转型升级的若干政策: a place opens the line above)
            # 关于印发浦江县推动大规模设备更新和 / 消费品以旧换新若干举措的通知: a heading whose first
            # line ends in a joining word goes on in the next (an issuing notice names its document)
            title = cells[i - 1] + title
            if _is_wrapper(title) and _wrapped_name(title):
                title = _wrapped_name(title)
        while i + 1 < len(cells) and _PAREN_LINE.match(cells[i + 1]) and len(title) <= 100:
            title += cells[i + 1]
            i += 1
        return _compact(title)
    for i in usable[:3]:
        # a page's heading naming the document in 《》 with words of its own around it
        # (2020《浙江省培育建设“未来工厂”试行方案》全文一览(2)): the document named
        named = quoted_titles(cells[i])
        around = _strip_parens(re.sub(r"《[^《》]*》", "", cells[i])).strip()
        if len(named) == 1 and not re.search(r"[。！？!?,，;；:：]", cells[i]) and _is_title_like(named[0]) \
                and not around.startswith("关于") and not around.endswith((*_DOC_TYPES, *_REPORT_KINDS)):
            # (关于《…(草案)》的审议报告 is a report of its own, titled so)
            return _compact(named[0])
        if len(named) == 1 and not re.search(r"[。！？!?,，;；:：]", cells[i]) and _is_title_like(named[0]) \
                and _strip_parens(around).endswith(_REPORT_KINDS):
            return _compact(cells[i])  # 《…的意见》政策解读: an explanation of its own, titled so
    numbered = any(_DOC_NUMBER_LINE.match(c) or _NUMBER_CELL.search(c) for c in cells)
    for i in usable:
        ln = cells[i]
        if _is_title_like(ln) and _is_wrapper(ln):
            if numbered and "《" not in ln:
                return _compact(ln)
            name = _wrapped_name(ln)
            if name:
                return _compact(name)
    for ln in cells[:3]:
        if _is_wrapper(ln):
            name = _wrapped_name(ln)
            if name:
                return _compact(name)
    inline = _INLINE_HEADING.match(cells[0]) if cells else None
    if inline:  # a notice printed as one line: its heading before its 文号 or addressees —
        # an issuing notice's, the document it issues (关于印发…实施细则的通知 → …实施细则)
        return _compact(_wrapped_name(inline.group(1)) or inline.group(1))
    explained = next((m for m in map(_EXPLANATION_OF.search, cells) if m), None)
    if explained:  # 对提请审议的《…(草案)》作如下说明: a speech explaining that draft
        return f"关于{explained.group(1)}的说明"
    reported = _REPORT_ON.search("\n".join(cells))
    if reported:  # …关于《…(草案)》的论证任务后…现提出本《论证报告》: a report on that draft
        return f"关于{reported.group(1)}的{reported.group(2)}"
    reposted = _REPOSTED.search("".join(cells))
    if reposted:  # …特制定《…若干政策》。以下是该政策具体内容: a page reposting that document
        return _compact(reposted.group(1) or reposted.group(2))
    return ""


_INLINE_HEADING = pattern("notice_heading_inline")
_PROMULGATION = pattern("promulgation")
_EXPLANATION_OF = pattern("explanation_of")
_REPORT_ON = pattern("report_on")
_REPOSTED = pattern("reposted_document")
_TITLE_FIELD = pattern("title_field")


_FIELD_ROW = pattern("field_table_row")


def _preamble_title(pre: list[str], doc_title: str) -> str:
    for ln in map(_cell, pre):
        if _is_wrapper(ln) and len(ln) <= 100 and "。" not in ln:
            return ln
    if doc_title and doc_title in pre:
        return doc_title
    for ln in pre:
        if "。" not in ln and len(ln) <= 80 and not _DOC_NUMBER_LINE.match(ln) \
                and not _PAREN_LINE.match(ln) and not _TOC.match(ln) and not _CHAPTER.match(ln) \
                and not _FIELD_ROW.match(ln):  # (索引号: | 002489401/… | 公开方式: |: the page's fields)
            return ln
    return "前言"


# --------------------------------------------------------------------------- structure
#
# parse_policy runs five named stages, each a pure function of the one before:
#   _read_lines → _outline → _frame → _units → _assemble
# (or, for a text with no numbered item at all, _read_lines → _outline → _single_unit).


def _is_heading_line(text: str) -> bool:
    """A numbered item's words that are only a heading: short, no sentence-ending punctuation and
    no lead-in colon (`聚力招大引强,打造链式产业集群` is a heading; a sentence or `…的:` is not)."""
    return bool(text) and len(text) <= _HEADING_MAX and not re.search(r"[。！？!?;；:：]", text)


def _heading_first(text: str) -> bool:
    """A numbered item's words that start with a heading: a heading alone, or one then a space and
    its body (一、梳理现状 自2019年…, a page printed as one line)."""
    head = re.split(r"[ \u3000]", text.strip(), maxsplit=1)[0]
    return _is_heading_line(text) or (head != text.strip() and _is_heading_line(head))


@dataclass(frozen=True)
class _Outline:
    """Stage 2: every line-start marker of the text, by kind, and the lines that are not units."""

    lines: list[str]
    toc: set[int]
    """The lines of a 目录 block."""
    by_kind: dict[Style, list[_Mark]]
    chapters: list[int]
    """第一章/第一节 heading lines."""
    appendix_lines: list[int]
    at: dict[int, _Mark]
    """The marker starting each numbered line."""


@dataclass(frozen=True)
class _Frame:
    """Stage 3: the top-level numbering and where the body ends."""

    top: Style
    run: list[_Mark]
    end: int
    """The first line after the body (an appendix, or the end of the text)."""
    appendix: int | None


@dataclass
class _Unit:
    """An article-to-be: where it starts and how it is named."""

    line: int
    label: str
    rest: str
    section: str
    kind: ArticleKind = "article"


def _read_lines(text: str, path: str) -> list[str]:
    """Stage 1: the text's non-empty lines (see `clean_lines`); ParseError when there are none."""
    lines = clean_lines(text)
    if not lines:
        raise ParseError(path, "the text is empty")
    return _lost_first_numeral(lines)


def _lost_first_numeral(lines: list[str]) -> list[str]:
    """A heading whose numeral the page lost (、主要目标), before the text's first 二、 and with no
    一、 anywhere before that: it is 一、 (a web page that dropped the character)."""
    headings = [(i, _numeral_value(m.group(1))) for i, ln in enumerate(lines) for m in [_CN_HEADING.match(ln)] if m]
    second = next((i for i, n in headings if n == 2), None)
    if second is None or any(n == 1 and i < second for i, n in headings):
        return lines
    bare = [i for i, ln in enumerate(lines[:second]) if ln.startswith("、") and len(ln) > 1]
    if len(bare) != 1:
        return lines
    out = list(lines)
    out[bare[0]] = next(ch for ch in NUMERAL_CHARS if _numeral_value(ch) == 1) + out[bare[0]]
    return out


def _numeral_value(numeral: str) -> int | None:
    try:
        return chinese_int(numeral)
    except ValueError:
        return None


_CN_HEADING = re.compile(rf"^([{NUMERAL_CHARS}]{{1,3}})、")


def _outline(lines: list[str]) -> _Outline:
    """Stage 2: markers, 目录, chapter headings and appendix lines."""
    toc = toc_lines(lines)
    by_kind, chapters = _marks(lines, toc)
    listed = _attachment_list(lines)
    body = _issued_body(lines)
    if body and any(mk.line > body for marks in by_kind.values() for mk in marks):
        # the notice's own numbered lines (how to send comments: 1.信函 2.邮件) are its preamble
        listed |= {mk.line for marks in by_kind.values() for mk in marks if mk.line < body}
    by_kind = {kind: [mk for mk in marks if mk.line not in listed] for kind, marks in by_kind.items()}
    appendix_lines = [i for i, ln in enumerate(lines) if _appendix(ln) is not None and i not in listed]
    at = {mk.line: mk for marks in by_kind.values() for mk in marks}
    return _Outline(lines, toc, by_kind, chapters, appendix_lines, at)


ISSUED_HEADING_LINES = 3
"""A heading of the issued document may be broken over this many lines (关于推进…智能制造 / 三年行动计划
/ (征求意见稿))."""
ISSUED_HEADING_SHARE = 0.7
"""… and holds at least this share of the character pairs of the name its notice gives it."""
WRAPPER_REACH = 8
"""The notice's heading naming the document in 《》 is among the text's first lines."""


def title_bigrams(title: str) -> set[str]:
    """The character pairs of a title without what names no policy (brackets with their status
    or years, 关于, 印发, 的通知, the seed's city: `title_noise`)."""
    text = pattern("title_noise").sub("", title)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _issued_body(lines: list[str]) -> int:
    """Where the document a notice issues or asks comments on begins, when the notice names it in
    《》 in its heading (…关于《金华市重点细分行业智能制造三年行动计划》公开征求意见的公告) and a heading
    after the notice's own lines gives that name again: that heading's line; 0 otherwise."""
    named = ""
    start = 0
    for i, line in enumerate(lines[:WRAPPER_REACH]):
        m = re.search(r"《([^《》]{4,80})》", line)
        if m and _is_wrapper(line):
            named, start = m.group(1), i + 1
            break
    grams = title_bigrams(named)
    if len(grams) < 4:
        return 0
    for i in range(start + 1, len(lines)):
        if re.search(r"[。；;,，:：]", lines[i]) or len(lines[i]) > TITLE_MAX:
            continue
        joined = ""
        for j in range(i, min(i + ISSUED_HEADING_LINES, len(lines))):
            if re.search(r"[。；;,，:：]", lines[j]):
                break
            joined += lines[j].strip()
            if len(grams & title_bigrams(joined)) / len(grams) >= ISSUED_HEADING_SHARE:
                return i
    return 0


ATTACHMENT_TITLE_MAX = 60
"""An attachment listed under a bare `附件:` line is named by a title line at most this long."""


def _attachment_list(lines: list[str]) -> set[int]:
    """The lines of a notice's list of attachments: numbered title lines (`1.工业机器人行业规范条件
    (2024版)`) right after a bare `附件:` line — they name what is attached, they are not articles
    of the notice (the attachments' own text follows under `附件1`)."""
    out: set[int] = set()
    for i, line in enumerate(lines):
        found = _appendix(line)
        if found is None or found[1] or any(ch.isdigit() or ch in NUMERAL_CHARS for ch in found[0]):
            continue  # 附件1, 附件:标题: an attachment itself, not the list
        j = i + 1
        while j < len(lines) and _NUMBERED_TITLE.match(lines[j]) and len(lines[j]) <= ATTACHMENT_TITLE_MAX \
                and not re.search(r"[。;；,，]", lines[j]):
            out.add(j)
            j += 1
    return out


_NUMBERED_TITLE = re.compile(r"^\d{1,2}\s*[、.．]\s*\S")


def _frame(outline: _Outline) -> _Frame | None:
    """Stage 3: the top-level kind and its run (re-chosen before the appendix when there is one);
    None when the text has no numbered item at all."""
    found = _top_level(outline.by_kind, outline.chapters, len(outline.lines), outline.appendix_lines)
    if found is None:
        return None
    top, run = found
    appendix = _appendix_start(outline.lines, run)
    end = len(outline.lines)
    if appendix is not None:
        inner = _wrapped_document(outline, appendix, run)
        if inner is not None:  # the document a notice wraps, appended: its 第…条 are the articles
            later = _appendix_start(outline.lines, inner)
            return _Frame("tiao", inner, later if later is not None else end, later)
        end = appendix
        found = _top_level(outline.by_kind, outline.chapters, end, outline.appendix_lines)
        if found is None:
            return None
        top, run = found
    return _Frame(top, run, end, appendix)


WRAPPER_ITEMS_MAX = 5
"""A notice's own numbered list before an appendix (how to send comments: 1.网站 2.邮件 3.信函 —
a list, not 一、二、 sections) is at most this long when the document it wraps is appended."""
WRAPPED_TITLE_LINES = 3
"""Lines after an appendix label that may hold the appended document's title."""
WRAPPED_TITLE_MIN = 6
"""Characters of that title (brackets and spaces left out) that must match a name the notice gives."""


def _wrapped_document(outline: _Outline, appendix: int, run: list[_Mark]) -> list[_Mark] | None:
    """The 第…条 of a document a notice wraps and appends (现将…《济南市数字经济促进条例(征求意见
    稿)》…公开征求意见, then 附件1 / 济南市数字经济促进条例 / (征求意见稿) / 第一条…): the
    appended document, named in the notice, is what the text is; the notice's own short list is
    its header. None when the appendix is another document (an 办法 appended to a 通知's own 第…条)."""
    if len(run) > WRAPPER_ITEMS_MAX or run and run[0].kind in ("tiao", "cn"):
        return None  # (a notice in 一、二、三、 sections has content of its own to cite)
    lines = outline.lines
    squash = lambda t: re.sub(r"[\s()（）《》〈〉]", "", t)  # noqa: E731
    named = {squash(n) for ln in lines[:appendix] for n in re.findall(r"《([^《》]+)》", ln)}
    for a in (i for i in outline.appendix_lines if i >= appendix):
        label = _appendix(lines[a])
        title = label[1] if label else ""
        for k in range(a + 1, min(len(lines), a + 1 + WRAPPED_TITLE_LINES)):
            if k in outline.at:
                break  # a numbered line: the title (if any) is over
            title += lines[k]
            core = squash(title)
            if len(core) >= WRAPPED_TITLE_MIN and any(core in n or n in core for n in named):
                marks = [mk for mk in outline.by_kind["tiao"] if mk.line > a]
                inner = _consistent_run(marks, [c for c in outline.chapters if c > a])
                return inner if len(inner) >= 2 and inner[0].number == 1 else None
    return None


def _section_name(mk: _Mark) -> str:
    if not mk.rest:
        return mk.label
    return mk.label + (mk.rest if _is_heading_line(mk.rest) else split_title(mk.rest)[0])


def _direct_kind(parts: list[_Mark], top: Style, at: dict[int, _Mark]) -> Style | None:
    """The lower kind written on the line right after a heading-only part (`一、…` then `(一)…`)."""
    for part in parts:
        below = at.get(part.line + 1)
        if (below is not None and _is_heading_line(part.rest)
                and _LEVELS.index(below.kind) > _LEVELS.index(top)):
            return below.kind
    return None


def _parts_and_items(frame: _Frame, outline: _Outline) -> tuple[list[_Mark], list[tuple[_Mark, _Mark]], set[int]]:
    """Split top-level parts into articles and sections whose sub-items are the articles.

    Returns (parts that are articles, [(section part, item)], section heading lines)."""
    top, run, end = frame.top, frame.run, frame.end
    if top == "tiao":
        return run, [], set()
    spans = []
    for idx, part in enumerate(run):
        stop = run[idx + 1].line if idx + 1 < len(run) else end
        spans.append((part, part.line, stop))
    below = _LEVELS[_LEVELS.index(top) + 1:]
    candidates = {sub: [mk for mk in outline.by_kind[sub] if run[0].line < mk.line < end] for sub in below}
    direct = _direct_kind(run, top, outline.at)
    if direct is not None:
        inside = candidates[direct]
    else:
        inside = (next((c for c in candidates.values() if len(c) >= 2), [])
                  or next((c for c in candidates.values() if c), []))
    if not inside:
        return run, [], set()

    def part_of(mk: _Mark) -> int:
        for j, (_, lo, hi) in enumerate(spans):
            if lo < mk.line < hi:
                return j
        return -1

    # Numbering that continues across parts: the items are the articles of every part that has some.
    glob = _best_run(inside, [])
    in_parts = {part_of(mk) for mk in glob}
    lo_line, hi_line = (glob[0].line, glob[-1].line) if glob else (0, -1)
    skipped = [mk for mk in inside if lo_line <= mk.line <= hi_line and mk not in glob]
    section_parts: dict[int, list[_Mark]] = {}
    if len(glob) >= 2 and len(in_parts) >= 2 and not skipped:
        for mk in glob:
            section_parts.setdefault(part_of(mk), []).append(mk)
    else:
        # Numbering restarting per part: a heading-only part whose items follow it directly.
        for j, (part, lo, hi) in enumerate(spans):
            local = _best_run([mk for mk in inside if lo < mk.line < hi], [])
            if local and _is_heading_line(part.rest) and _leads_into(lo, local[0].line, outline):
                section_parts[j] = local
    articles: list[_Mark] = []
    items: list[tuple[_Mark, _Mark]] = []
    heading_lines: set[int] = set()
    for j, (part, _, _) in enumerate(spans):
        if j in section_parts:
            items.extend((part, mk) for mk in section_parts[j])
            if _leads_into(part.line, section_parts[j][0].line, outline):
                heading_lines.add(part.line)
            else:
                # 一、明确目标与主攻方向 / targets…主攻方向如下: / (一)…: a heading with text of its own
                # before its items (a lead ending in a colon, or longer than a line) is a unit too
                articles.append(part)
        else:
            articles.append(part)
    return articles, items, heading_lines


LEAD_LINES = 1
"""Unnumbered lines a heading may have before its first item (`(四)产业生态优化工程`, one sentence
introducing the work, then `1.…2.…`): the heading is still a section; the lead belongs to its
first item, as a chapter's introduction does."""


def _leads_into(heading: int, first_item: int, outline: _Outline) -> bool:
    """The heading's items start right after it, or after at most LEAD_LINES unnumbered lines that
    do not end in a colon (`分以下方向推进:` lists what one measure covers: the list is its text)."""
    between = range(heading + 1, first_item)
    return len(between) <= LEAD_LINES and not any(
        j in outline.at or outline.lines[j].rstrip().endswith((":", "：")) for j in between)


def _descend(unit: _Unit, mk: _Mark, stop: int, outline: _Outline, headings: set[int]) -> list[_Unit]:
    """The one rule below the top level: an item whose line is only a heading, directly followed
    by items of a lower kind (`(一)大力招引先进制造业` then `1.…2.…`), is a section; each of those
    items is a unit (recursively), labelled with the full path (`一、(一)1.`). Any other item is
    the unit, and what is numbered below it stays in its text."""
    below = next((outline.at[j] for j in range(mk.line + 1, min(stop, mk.line + 2 + LEAD_LINES))
                  if j in outline.at), None)
    if (below is None or mk.kind == "tiao" or not _is_heading_line(mk.rest)
            or _LEVELS.index(below.kind) <= _LEVELS.index(mk.kind) or mk.line + 1 >= stop):
        return [unit]
    children = _best_run([c for c in outline.by_kind[below.kind] if mk.line < c.line < stop], []) \
        or [below]
    if not _leads_into(mk.line, children[0].line, outline):
        return [unit]
    headings.add(mk.line)
    section = " ".join(s for s in (unit.section, _section_name(mk)) if s)
    out: list[_Unit] = []
    for k, child in enumerate(children):
        child_stop = children[k + 1].line if k + 1 < len(children) else stop
        sub = _Unit(child.line, unit.label + child.label, child.rest, section)
        out.extend(_descend(sub, child, child_stop, outline, headings))
    return out


def _units(frame: _Frame, outline: _Outline) -> tuple[list[_Unit], set[int]]:
    """Stage 4: the citable units in order (appendices last) and the section heading lines."""
    lines = outline.lines
    part_articles, items, headings = _parts_and_items(frame, outline)
    chapter_lines = [c for c in outline.chapters if c < frame.end]

    def chapter_of(line: int) -> str:
        j = bisect.bisect_left(chapter_lines, line) - 1
        if j < 0:
            return ""
        # A 节 belongs to the 章 (编, 部分) before it.
        name = lines[chapter_lines[j]]
        if _is_jie(name):
            for k in range(j - 1, -1, -1):
                if not _is_jie(lines[chapter_lines[k]]):
                    return lines[chapter_lines[k]] + " " + name
        return name

    # Chapters over numbered items that are no 第N条 (第一章 总则 in paragraphs, then 第二章 with its
    # (一)(二)): each chapter's own paragraphs are a unit, its items are labelled under it (第二章(一))
    chaptered = frame.top != "tiao" and len(chapter_lines) >= CHAPTERS_AS_UNITS_MIN
    within = (lambda line: _chapter_label(chapter_of(line))) if chaptered else (lambda line: "")
    placed: list[tuple[_Unit, _Mark]] = [
        (_Unit(mk.line, within(mk.line) + mk.label, mk.rest, chapter_of(mk.line)), mk) for mk in part_articles]
    for part, mk in items:
        section = " ".join(s for s in (chapter_of(part.line), _section_name(part)) if s)
        placed.append((_Unit(mk.line, within(part.line) + part.label + mk.label, mk.rest, section), mk))
    placed.sort(key=lambda p: p[0].line)
    bounds = sorted({p[0].line for p in placed} | set(chapter_lines) | set(headings) | {frame.end})
    units: list[_Unit] = []
    for unit, mk in placed:
        stop = bounds[bisect.bisect_right(bounds, unit.line)]
        units.extend(_descend(unit, mk, stop, outline, headings))
    if chaptered:
        units = sorted(units + _chapter_units(chapter_lines, bounds, lines, headings), key=lambda u: u.line)
    if frame.appendix is not None:
        for i in range(frame.appendix, len(lines)):
            found_appendix = _appendix(lines[i])
            if found_appendix is not None:
                units.append(_Unit(i, found_appendix[0], found_appendix[1], "", kind="appendix"))
    return units, set(chapter_lines) | headings


CHAPTERS_AS_UNITS_MIN = 2
"""Chapter headings (第一章, 第二章) a text without 第N条 needs for its chapters to be units."""
_CHAPTER_HEADING = pattern("chapter_heading")


def _chapter_label(heading: str) -> str:
    """第二章 of `第二章 管理职责` ('' for no chapter)."""
    m = _CHAPTER_HEADING.match(heading.split(" ")[0] if heading else "")
    return m.group(1) if m else ""


def _chapter_units(chapter_lines: list[int], bounds: list[int], lines: list[str], headings: set[int]) -> list[_Unit]:
    """A unit for each chapter with paragraphs of its own before its first item (第一章 总则 / 为加强…)."""
    out = []
    for c in chapter_lines:
        stop = bounds[bisect.bisect_right(bounds, c)]
        if any(j not in headings for j in range(c + 1, stop)):
            m = _CHAPTER_HEADING.match(lines[c])
            if m:
                out.append(_Unit(c, m.group(1), m.group(2).strip(), lines[c]))
    return out


def _preamble(lines: list[str], outline: _Outline, kept: list[int]) -> tuple[str, ParsedArticle | None]:
    """The document title and unit 0 (everything before the first unit but section headings)."""
    pre = [lines[j] for j in kept]
    doc_title = find_title(pre, {k for k, j in enumerate(kept) if j in outline.toc})
    if not pre:
        return doc_title, None
    body = "\n".join(pre)
    return doc_title, ParsedArticle(0, "", _preamble_title(pre, doc_title), body,
                                    departments_of(body), "", "preamble")


def _assemble(units: list[_Unit], section_lines: set[int], outline: _Outline, frame: _Frame,
              path: str) -> ParsedDocument:
    """Stage 5: unit 0, each unit's verbatim lines, and the warnings."""
    lines = outline.lines
    first = units[0].line
    # Lines after the first unit's section heading (a cut page's `(四)产业生态优化工程` and its
    # lead sentence) are that unit's, not the preamble's.
    opening = min((h for h in section_lines if h < first), default=first)
    doc_title, preamble = _preamble(lines, outline, [j for j in range(opening) if j not in section_lines])
    articles: list[ParsedArticle] = [preamble] if preamble is not None else []
    # Text between a section heading and its first item belongs to that item (except before the
    # first article, where it is preamble).
    starts = [u.line for u in units]
    for idx, unit in enumerate(units):
        stop = starts[idx + 1] if idx + 1 < len(units) else len(lines)
        own = [j for j in range(unit.line + 1, stop) if j not in section_lines]
        # Lines after a section heading (a chapter's or part's introduction) go to the next unit.
        heads = [h for h in section_lines if unit.line < h < stop]
        if heads and idx + 1 < len(units):
            own = [j for j in own if j < min(heads)]
        lead: list[int] = []
        heads_before = [h for h in section_lines if (starts[idx - 1] if idx else -1) < h < unit.line]
        if heads_before:
            lead = [j for j in range(min(heads_before) + 1, unit.line) if j not in section_lines]
        body_lines = [lines[j] for j in lead]
        if unit.rest:
            body_lines.append(unit.rest)
        body_lines += [lines[j] for j in own]
        first_line = unit.rest or (lines[own[0]] if own else "")
        title = split_title(first_line)[0] if first_line else unit.label
        body = "\n".join(body_lines)
        articles.append(ParsedArticle(len(articles) if preamble else len(articles) + 1, unit.label,
                                      title, body, departments_of(body), unit.section, unit.kind))
    beyond = sum(1 for a in articles for ln in a.text.split("\n") if _BEYOND.match(ln))
    warnings = (f"{beyond} article markers beyond 第{MAX_ARTICLE}条 are not recognised: their text "
                f"is part of the article before them (split the document into parts)",) if beyond else ()
    return ParsedDocument(path=path, title=doc_title, style=frame.top, articles=articles, warnings=warnings)


NO_NUMBERED_ITEM = ("no numbered item (lines starting with `1、`, `一、`, `第一条` or `(一)`): the whole "
                    "text is one unit, cited as 公告与前言")


def _single_unit(outline: _Outline, path: str) -> ParsedDocument:
    """A text with no numbered item (a notice, a short or cut text) is still a document: one
    citable unit (unit 0), with a warning."""
    lines = outline.lines
    doc_title, preamble = _preamble(lines, outline, list(range(len(lines))))
    assert preamble is not None  # _read_lines never returns no line
    return ParsedDocument(path=path, title=doc_title, style="none", articles=[preamble],
                          warnings=(NO_NUMBERED_ITEM,))


def parse_policy(text: str, path: str = "<text>") -> ParsedDocument:
    """Parse a policy text into its preamble, articles and appendices (the stages above).

    Raises ParseError (naming `path`) when the text is empty. A text without any numbered item
    is one unit (unit 0) with a warning."""
    lines = _read_lines(text, path)
    outline = _outline(lines)
    frame = _frame(outline)
    if frame is None:
        return _single_unit(outline, path)
    units, section_lines = _units(frame, outline)
    return _assemble(units, section_lines, outline, frame, path)
