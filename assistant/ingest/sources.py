"""Reading policy files: `read_source(path) -> SourceText`, one paragraph per line.

Formats:

* `.txt`: UTF-8 (with or without BOM), else GB18030.
* `.docx` (python-docx): paragraphs and table cells in document order (merged cells once), Word's
  automatic list numbers rendered (`1.`, `一、`, `第一章`); headers and footers left out.
* `.pdf`: the text layer (pdfplumber, with line positions; pypdf without them when pdfplumber is
  missing); lines wrapped by the page layout re-flowed into paragraphs, page numbers and
  headers/footers repeated on every page dropped; no text layer → "no text layer (scanned?)".
* `.html`: a saved government page, the article body only. A government CMS body (`id="zoom"`,
  `TRS_Editor`, …) is read as it is (verbatim, a line per block and <br>); otherwise trafilatura,
  with the densest BeautifulSoup block as fallback (navigation, breadcrumbs, sidebars, footers,
  share bars and scripts removed). The page's <h1> is kept as the title line when the body lacks it.

A text in traditional characters (a mainland document reposted by a site that converted it) is
turned back into simplified ones, and pinyin annotations in brackets are removed, before anything
reads it (`lang.script`); `SourceText.changed` says so.

Every failure is a `ParseError` naming the file and what is wrong.
"""

from __future__ import annotations

import importlib.util
import io
import os
import re
import stat
import statistics
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Callable, Literal

from ..errors import ParseError
from ..lang.cues import data as cue_data, pattern
from ..lang.script import simplified
from .parsing import _PAREN_LINE, clean_lines

SourceFormat = Literal["txt", "docx", "pdf", "html"]

SUFFIXES: dict[str, SourceFormat] = {
    ".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
}
"""File name endings read_source understands, and the format each means."""

MAX_FILE_BYTES: dict[SourceFormat, int] = {"txt": 10 * 2**20, "html": 10 * 2**20,
                                           "docx": 50 * 2**20, "pdf": 50 * 2**20}
"""The largest file of each format read (a policy text is well under 1 MB)."""
MAX_DOCX_XML_BYTES = 64 * 2**20
"""The XML parts of a .docx together, inflated (a long policy's document.xml is a few MB)."""
MAX_DOCX_BYTES = 256 * 2**20
"""Every part of a .docx together, inflated (images included)."""
MAX_PDF_INFLATED = 128 * 2**20
"""Every Flate stream of a PDF together, inflated (fonts included)."""


@dataclass(frozen=True)
class SourceText:
    """The text of a policy file, one paragraph per line."""

    path: str
    """The file it was read from."""
    format: SourceFormat
    """What kind of file it was."""
    text: str
    """Paragraphs in reading order, one per line (stripped, no empty lines)."""
    title_hint: str = ""
    """A title the file itself states outside the text: the HTML <title>/<h1>, the paragraph in
    the docx Title (or first heading) style ('' when none)."""
    title_source: str = ""
    """Where `title_hint` comes from (`HTML <h1>`, `HTML <title>`, `docx Title style`)."""
    changed: str = ""
    """How the text was changed from what the file holds (`converted from traditional characters…`,
    pinyin annotations removed; see `lang.script`), '' when it is read as written."""

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def read_source(path: Path | str) -> SourceText:
    """Read a `.txt`, `.docx`, `.pdf` or `.html` policy file into paragraphs.

    Raises ParseError (naming the file) for an unknown extension, a missing, unreadable, empty or
    damaged file, a PDF without a text layer, or a file with no text in it.
    """
    path = Path(path)
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        advice = " (save it as .docx)" if path.suffix.lower() in (".doc", ".wps", ".rtf") else ""
        raise ParseError(str(path), f"unsupported file type {path.suffix or '(no extension)'!r}"
                                    f"{advice}; expected .txt, .docx, .pdf or .html")
    data = _read_regular(path, MAX_FILE_BYTES[fmt])
    if not data.strip():
        raise ParseError(str(path), "the file is empty")
    hint: list[tuple[str, str]] = []  # (title, where it was found), filled by the docx and HTML readers
    readers: dict[SourceFormat, Callable[[Path, bytes], list[str]]] = {
        "txt": _read_txt, "pdf": _read_pdf,
        "docx": partial(_read_docx, hint=hint), "html": partial(_read_html, hint=hint)}
    try:
        paragraphs = readers[fmt](path, data)
    except ParseError:
        raise
    except Exception as exc:  # a damaged file makes the libraries raise anything
        raise ParseError(str(path), f"cannot read the {fmt} file ({type(exc).__name__}: {exc})") from exc
    read = simplified(_MARKERS.sub("", "\n".join(paragraphs)))  # (第@@一@@条@@: a page's markup markers)
    lines = drop_page_noise(clean_lines(read.text))
    if not lines:
        raise ParseError(str(path), "no text found in the file")
    title, source = hint[0] if hint else ("", "")
    return SourceText(path=str(path), format=fmt, text="\n".join(lines), title_hint=read.alike(title),
                      title_source=source, changed=read.note)


@lru_cache(maxsize=1)
def _page_noise() -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str], int]:
    """(line starts, line parts, whole lines, longest line) of web-page furniture, from
    `data/page_noise.json`."""
    noise = cue_data("page_noise.json")
    return (tuple(noise["line_starts"]), tuple(noise["line_contains"]),
            frozenset(noise["whole_lines"]), int(noise["max_chars"]))


_BREADCRUMB_LINE = pattern("breadcrumb_line")
_SITE_NAME_LINE = pattern("site_name_line")


def drop_page_noise(lines: list[str]) -> list[str]:
    """The lines without web-page furniture copied with the body (当前位置/首页 > …, 字号 大 中 小,
    打印本页, 关闭窗口, 分享到, 扫一扫…, 上一篇/下一篇, ICP备…): short lines the data file names."""
    starts, parts, whole, longest = _page_noise()
    out = []
    for ln in lines:
        key = re.sub(r"\s+", "", ln)
        if len(key) <= longest and (key in whole or key.startswith(starts)
                                    or any(p in key for p in parts) or _BREADCRUMB_LINE.match(key)
                                    or _SITE_NAME_LINE.match(key)):
            continue
        out.append(ln)
    return out


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. A FIFO, a device (also through a
    symlink), a directory or a larger file is refused before it is opened or read."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ParseError(str(path), f"cannot read the file ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(info.st_mode):
        kind = ("a directory" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise ParseError(str(path), f"cannot read the file: not a regular file ({kind})")
    if info.st_size > limit:
        raise ParseError(str(path), f"the file is too large ({info.st_size / 2**20:.1f} MB; "
                                    f"at most {limit // 2**20} MB for this type)")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ParseError(str(path), f"cannot read the file ({exc.strerror or exc})") from exc
    if len(data) > limit:
        raise ParseError(str(path), f"the file is too large (at most {limit // 2**20} MB for this type)")
    return data


def _need(module: str, package: str, path: Path) -> Any:
    try:
        return __import__(module, fromlist=["_"])
    except ImportError as exc:
        raise ParseError(str(path), f"reading this file needs the '{package}' package: install it "
                                    f"with `pip install {package}`") from exc


# --------------------------------------------------------------------------- txt


def _looks_utf16(data: bytes) -> bool:
    """Text in UTF-16 without a BOM: every other byte of its first characters is zero."""
    head = data[:400]
    return len(head) >= 4 and (head[1::2].count(0) > 0.4 * len(head) / 2
                               or head[0::2].count(0) > 0.4 * len(head) / 2)


def decode_text(data: bytes, path: str = "<bytes>") -> str:
    """UTF-8 (a BOM is dropped), UTF-16 with a BOM, else GB18030; ParseError when it is neither
    (naming UTF-16 without a BOM when it looks like that) or looks binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ParseError(path, "not a text file: its byte-order mark says UTF-16, but the "
                                   "bytes do not decode as UTF-16") from exc
        return _check_text(text, path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if _looks_utf16(data):
            raise ParseError(path, "UTF-16 text without a byte-order mark: save it as UTF-8 "
                                   "(or UTF-16 with a BOM)") from None
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ParseError(path, "not a text file in UTF-8, UTF-16 or GB18030 "
                                   f"(undecodable byte at offset {exc.start})") from exc
    if _looks_utf16(data):
        raise ParseError(path, "UTF-16 text without a byte-order mark: save it as UTF-8 "
                               "(or UTF-16 with a BOM)")
    return _check_text(text, path)


def _check_text(text: str, path: str) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise ParseError(path, "not a text file (binary content)")
    return text


def _read_txt(path: Path, data: bytes) -> list[str]:
    text = decode_text(data, str(path))
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --------------------------------------------------------------------------- docx

_NUM_FORMATS = ("decimal", "chineseCounting", "chineseCountingThousand", "ideographTraditional",
                "decimalFullWidth", "decimalEnclosedParen", "decimalEnclosedCircle",
                "ideographDigital", "japaneseCounting")
_CN_DIGITS = "零一二三四五六七八九"


def _cn_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "ideographDigital"):
        return _cn_number(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    return str(n)


class _DocxNumbering:
    """Renders Word automatic list numbers (`一、`, `(一)`, `1.`) that are not in the text."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, AttributeError, NotImplementedError):
            return
        ns = numbering.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        w = "{%s}" % ns
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in numbering.findall(f"{w}abstractNum"):
            lvls = {}
            for lvl in an.findall(f"{w}lvl"):
                ilvl = int(lvl.get(f"{w}ilvl", "0"))
                fmt = lvl.find(f"{w}numFmt")
                text = lvl.find(f"{w}lvlText")
                start = lvl.find(f"{w}start")
                lvls[ilvl] = (fmt.get(f"{w}val") if fmt is not None else "decimal",
                              text.get(f"{w}val") if text is not None else "",
                              int(start.get(f"{w}val")) if start is not None else 1)
            abstract[an.get(f"{w}abstractNumId", "")] = lvls
        for num in numbering.findall(f"{w}num"):
            ref = num.find(f"{w}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{w}val", ""), {}).items():
                self.levels[(num.get(f"{w}numId", ""), ilvl)] = spec
        self.w = w

    def marker(self, paragraph: Any) -> str:
        if not self.levels:
            return ""
        w = self.w
        nid, ilvl = "", 0
        # The paragraph's own numbering, else its style's (List Number), else a base style's.
        elements = [paragraph._p]
        style = paragraph.style
        while style is not None and len(elements) < 6:
            elements.append(style.element)
            style = style.base_style
        for el in elements:
            ppr = el.find(f"{w}pPr")
            numpr = ppr.find(f"{w}numPr") if ppr is not None else None
            if numpr is None:
                continue
            num_id = numpr.find(f"{w}numId")
            ilvl_el = numpr.find(f"{w}ilvl")
            if num_id is not None and not nid:
                nid = num_id.get(f"{w}val", "")
            if ilvl_el is not None:
                ilvl = int(ilvl_el.get(f"{w}val", "0"))
            if nid:
                break
        if not nid or nid == "0":
            return ""
        spec = self.levels.get((nid, ilvl))
        if spec is None or spec[0] not in _NUM_FORMATS or not spec[1]:
            return ""
        key = (nid, ilvl)
        self.counters[key] = self.counters.get(key, spec[2] - 1) + 1
        for (other, lvl) in list(self.counters):
            if other == nid and lvl > ilvl:
                del self.counters[(other, lvl)]

        def fill(m: re.Match[str]) -> str:
            lvl = int(m.group(1)) - 1
            lspec = self.levels.get((nid, lvl), spec)
            value = self.counters.get((nid, lvl), lspec[2])
            return _format_number(value, lspec[0])

        return re.sub(r"%(\d)", fill, spec[1])


def check_zip(data: bytes, path: str) -> None:
    """Refuse a zip (a .docx) whose parts would inflate beyond what a document needs (a
    decompression bomb), judged from its directory before anything is inflated. The sizes it
    declares bind: `zipfile` never inflates a part beyond its declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ParseError(path, f"not a valid .docx file ({exc})") from exc
    xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
    total = sum(i.file_size for i in infos)
    if xml > MAX_DOCX_XML_BYTES or total > MAX_DOCX_BYTES or len(infos) > 10_000:
        raise ParseError(path, f"the .docx inflates to {total / 2**20:.0f} MB ({xml / 2**20:.0f} MB "
                               "of XML): too large for a policy document (a decompression bomb?)")


_DOCX_TITLE_STYLES = tuple(cue_data("document_text.json")["docx_title_styles"])
"""docx paragraph styles that hold a document title (Title, 标题; else the first Heading 1/标题 1)."""
_DOCX_HEADING_STYLES = tuple(cue_data("document_text.json")["docx_heading_styles"])
"""docx paragraph styles of a first-level heading (Heading 1, 标题 1)."""


DOCX_PROPERTY_TITLE_MIN = 6
"""Chinese characters a docx title property needs to name the document."""


def _docx_title(document: Any) -> tuple[str, str]:
    first_heading = ""
    for para in document.paragraphs:
        text = para.text.strip()
        name = (para.style.name if para.style is not None else "").strip().lower()
        if not text:
            continue
        if name in _DOCX_TITLE_STYLES:
            return text, "docx Title style"
        if not first_heading and name in _DOCX_HEADING_STYLES:
            first_heading = text
    if first_heading:
        return first_heading, "docx Heading 1 style"
    # The file's own title property (a body that starts with its first part, `01.` 总体要求, names
    # no document): when it is a Chinese name, not a program's default (Document, 文档1).
    prop = (getattr(document.core_properties, "title", "") or "").strip()
    if len(re.findall(r"[\u4e00-\u9fff]", prop)) >= DOCX_PROPERTY_TITLE_MIN and not pattern("default_document_name").fullmatch(prop):
        return prop, "docx title property"
    return "", ""


_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def check_pdf_streams(data: bytes, path: str, limit: int | None = None) -> None:
    """Refuse a PDF whose Flate streams together inflate beyond `limit` bytes, measured by
    inflating them piece by piece into nothing (memory stays flat) before the PDF is read."""
    limit = MAX_PDF_INFLATED if limit is None else limit
    total, pos = 0, 0
    while True:
        m = _STREAM.search(data, pos)
        if m is None:
            return
        end = data.find(b"endstream", m.end())
        end = len(data) if end < 0 else end
        pos = end + 1
        inflater = zlib.decompressobj()
        chunk = data[m.end():end]
        try:
            while chunk and total <= limit and not inflater.eof:
                total += len(inflater.decompress(chunk, 1 << 20))
                chunk = inflater.unconsumed_tail
        except zlib.error:
            continue  # not Flate (or damaged): the reader judges it
        if total > limit:
            raise ParseError(path, f"the PDF's streams inflate to more than {limit // 2**20} MB: "
                                   "too large for a policy document (a decompression bomb?)")


def _read_docx(path: Path, data: bytes, hint: list[tuple[str, str]] | None = None) -> list[str]:
    docx = _need("docx", "python-docx", path)
    check_zip(data, str(path))
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ParseError(str(path), f"not a valid .docx file ({type(exc).__name__}: {exc})") from exc
    numbering = _DocxNumbering(document)
    if hint is not None:
        found = _docx_title(document)
        if found[0]:
            hint.append(found)
    out: list[str] = []

    def walk(container: Any) -> None:
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):  # a table: each cell's content, merged cells once
                # Keyed by id, holding the element: lxml reuses the proxy of a live element,
                # so a merged cell seen again has the same id (and no id is recycled).
                seen: dict[int, Any] = {}
                for row in block.rows:
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue
                        seen[id(cell._tc)] = cell._tc
                        walk(cell)
            else:
                text = block.text
                if text.strip():
                    out.append(numbering.marker(block) + text)

    walk(document)
    return out


# --------------------------------------------------------------------------- pdf

# A paragraph starts at one of these (the parser's markers, plus chapters and appendices).
_MARKERS = pattern("inline_markers")
_STRUCTURE = pattern("paragraph_start")
_TERMINAL_END = tuple("。；;：:！!？?)）")
_PAGE_NUMBER = pattern("page_number_line")


@dataclass(frozen=True)
class PdfLine:
    """One text line of a PDF page with its position (points; x grows right, top grows down)."""

    text: str
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0
    """Font size (character height)."""


def _drop_page_furniture(lines: list[list[PdfLine]]) -> list[list[PdfLine]]:
    """Drop page numbers and headers/footers repeated on most pages (first/last two lines)."""
    n = len(lines)
    edge = Counter[str]()

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))

    for page in lines:
        keys = {key(ln.text) for ln in page[:2] + page[-2:]}
        edge.update(keys)
    repeated = {k for k, c in edge.items() if n >= 2 and c >= max(2, 0.6 * n)}
    sizes = [ln.size for page in lines for ln in page if ln.size > 0]
    body_size = statistics.median(sizes) if sizes else 0.0
    out = []
    for page in lines:
        kept = []
        for i, ln in enumerate(page):
            at_edge = i < 2 or i >= len(page) - 2
            # On two pages a line in body type could repeat by chance; a header is set smaller.
            header = key(ln.text) in repeated and (n >= 3 or not body_size
                                                   or ln.size < 0.95 * body_size)
            if at_edge and (_PAGE_NUMBER.match(ln.text.strip()) or header):
                continue
            kept.append(ln)
        out.append(kept)
    return out


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return a + " " + b
    return a + b


def reflow(pages: list[list[PdfLine]]) -> list[str]:
    """Paragraphs from page lines: lines wrapped by the layout are joined again.

    A new paragraph starts at a structural marker (第一条, 一、, (一), 1., 附件…), after a line that
    does not reach the right margin (a heading or a paragraph's last line), at an indented line
    when the document indents its paragraphs, else after a line ending in 。;:！？).
    Page numbers and headers/footers repeated on every page are dropped first.
    Lines without positions (x1 == 0) are measured by their length in characters instead.
    """
    pages = _drop_page_furniture(pages)
    lines = [ln for page in pages for ln in page if ln.text.strip()]
    if not lines:
        return []
    positioned = all(ln.x1 > 0 for ln in lines)
    if positioned:
        size = statistics.median(ln.size for ln in lines) or 10.0
        left = min(ln.x0 for ln in lines)
        right = max(ln.x1 for ln in lines)
        ends = [right - ln.x1 for ln in lines]
        starts = [ln.x0 - left for ln in lines]
        slack = 1.5 * size
    else:
        # Widths in characters (ASCII counts half); a first-line indent cannot be seen, so a
        # line within two and a half characters of the usual full width counts as full.
        size, slack = 1.0, 2.5
        widths = sorted(sum(2 if ord(c) > 0x2E80 else 1 for c in ln.text.strip()) / 2
                        for ln in lines)
        right = widths[int(0.9 * (len(widths) - 1))] if len(widths) >= 10 else widths[-1]
        ends = [right - sum(2 if ord(c) > 0x2E80 else 1 for c in ln.text.strip()) / 2
                for ln in lines]
        starts = [0.0 for _ in lines]
    full = [e <= slack for e in ends]
    # Centred, right-aligned (落款, dates) or deeply indented lines stand alone; a first-line
    # indent of about two characters marks a paragraph start when the document uses it.
    alone = [s >= 3 * size for s in starts]
    indented = [1.5 * size <= s < 3 * size for s in starts]
    uses_indent = sum(indented) >= 2

    paragraphs: list[str] = []
    current = ""
    for i, ln in enumerate(lines):
        text = ln.text.strip()
        if i == 0:
            current = text
            continue
        prev = lines[i - 1].text.strip()
        new = (bool(_STRUCTURE.match(text)) or not full[i - 1] or alone[i] or alone[i - 1]
               or (uses_indent and indented[i])
               or (not uses_indent and prev.endswith(_TERMINAL_END)))
        if new:
            paragraphs.append(current)
            current = text
        else:
            current = _join(current, text)
    paragraphs.append(current)
    return paragraphs


def _pdf_pages_pdfplumber(path: Path, data: bytes) -> list[list[PdfLine]]:
    pdfplumber = _need("pdfplumber", "pdfplumber", path)
    pages: list[list[PdfLine]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page_lines = []
            for ln in page.extract_text_lines(layout=False, strip=True, return_chars=True):
                chars = ln.get("chars") or []
                size = statistics.median(c.get("size", 0) for c in chars) if chars else 0.0
                if ln["text"].strip():
                    page_lines.append(PdfLine(ln["text"], float(ln["x0"]), float(ln["x1"]),
                                              float(size)))
            pages.append(page_lines)
    return pages


def _pdf_pages_pypdf(path: Path, data: bytes) -> list[list[PdfLine]]:
    """Lines without positions (pypdf), when pdfplumber is not installed."""
    pypdf = _need("pypdf", "pdfplumber", path)
    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    return [[PdfLine(ln) for ln in (page.extract_text() or "").splitlines() if ln.strip()]
            for page in reader.pages]


def _read_pdf(path: Path, data: bytes) -> list[str]:
    if not data.lstrip().startswith(b"%PDF"):
        raise ParseError(str(path), "not a PDF file (no %PDF header)")
    check_pdf_streams(data, str(path))
    try:
        try:
            pages = _pdf_pages_pdfplumber(path, data)
        except ParseError:
            if importlib.util.find_spec("pypdf") is None:
                raise
            pages = _pdf_pages_pypdf(path, data)
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(str(path), f"cannot read the PDF ({type(exc).__name__}: {exc})") from exc
    if not any(pages):
        raise ParseError(str(path), "no text layer (scanned?): the PDF has no extractable text; "
                                    "run OCR on it first")
    return reflow(pages)


# --------------------------------------------------------------------------- html

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|bread|position|location|sidebar|side|"
    r"aside|footer|foot|header|head|top|share|print|toolbar|tools|related|relate|links?|"
    r"copyright|search|banner|logo|pager|pagination|comment|qrcode|ewm|fxd?|dqwz)(?:$|[\s_-])",
    re.IGNORECASE)
_CONTENT_IDS = ("zoom", "Zoom", "TRS_Editor", "TRS_UEDITOR", "trs_editor", "article-content",
                "article_content", "zwnr", "wznr", "xxgk_content", "Custom_UnionStyle",
                "pages_content", "content_text")
"""ids/classes government CMSs give the article body; such a body is read as it is."""
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
           "section", "article", "blockquote", "pre", "td")


def decode_html(data: bytes, path: str = "<bytes>") -> str:
    """The page as text: its BOM or <meta charset>, else UTF-8, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        if name in ("gb2312", "gbk", "gb18030", "x-gbk"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _soup(html: str) -> Any:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "iframe", "form", "nav", "header", "footer",
                     "aside", "button", "select", "input", "svg", "template"]):
        tag.decompose()
    return soup


def _known_container(soup: Any) -> Any:
    """The article body of a government CMS page (id="zoom", class="TRS_Editor", …), if any
    (the first element with each hint, by id before class, found in one pass over the page)."""
    by_id: dict[str, Any] = {}
    by_class: dict[str, Any] = {}
    hints = set(_CONTENT_IDS)
    for tag in soup.find_all(True):
        attrs = tag.attrs or {}
        ident = attrs.get("id")
        if isinstance(ident, str) and ident in hints:
            by_id.setdefault(ident, tag)
        classes = attrs.get("class") or []
        for name in classes if isinstance(classes, list) else [str(classes)]:
            if name in hints:
                by_class.setdefault(name, tag)
    for hint in _CONTENT_IDS:
        for found in (by_id.get(hint), by_class.get(hint)):
            if found is not None and len(found.get_text(strip=True)) > 50:
                return found
    return None


def _densest_block(soup: Any) -> Any:
    """Without a known container: the block with the most paragraph text, boilerplate removed."""
    _drop_boilerplate(soup)
    best, best_len = None, 0
    for tag in soup.find_all(["div", "article", "section", "td", "main", "body"]):
        length = sum(len(p.get_text(strip=True)) for p in tag.find_all(["p", "br"], recursive=False))
        length += sum(len(s) for s in tag.find_all(string=True, recursive=False) if s.strip())
        if length > best_len:
            best, best_len = tag, length
    return best or soup.body or soup


def _block_lines(container: Any) -> list[str]:
    """The text of an element, a line per block element and <br>, verbatim otherwise. One
    iterative walk (inserting line breaks into the tree costs a walk of the subtree per element:
    quadratic in nesting depth, minutes for a page of unclosed <p>)."""
    from bs4 import CData, NavigableString, Tag

    _drop_boilerplate(container)
    end = object()
    out: list[str] = []
    stack: list[Any] = [container]
    while stack:
        node = stack.pop()
        if node is end:
            out.append("\n")
        elif isinstance(node, Tag):
            if node.name == "br":
                out.append("\n")
                continue
            if node.name in _BLOCKS:
                out.append("\n")
                stack.append(end)
            stack.extend(reversed(node.contents))
        elif type(node) in (NavigableString, CData):
            out.append(str(node))
    return clean_lines("".join(out))


def _drop_boilerplate(root: Any) -> None:
    """Remove navigation, breadcrumbs, sidebars, footers, share and print bars under root."""
    doomed = []
    for tag in root.find_all(True):
        attrs = tag.attrs or {}
        classes = attrs.get("class") or []
        names = " ".join(classes if isinstance(classes, list) else [str(classes)])
        names = f"{names} {attrs.get('id', '') or ''}".strip()
        if names and _BOILERPLATE.search(names):
            doomed.append(tag)
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()


def _trafilatura_body(html: str) -> list[str] | None:
    try:
        import trafilatura
    except ImportError:
        return None
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True,
                                   include_links=False, include_images=False, deduplicate=False)
    except Exception:  # trafilatura failing on odd markup: use the fallback
        return None
    return clean_lines(text) if text else None


_TITLE_SEPARATOR = re.compile(r"\s*(?:[_|｜]|\s[-—–]\s|--)\s*")


def page_title(title: str) -> str:
    """The document's name in an HTML <title>: the longest piece between the site's separators
    (`关于印发…的通知_通知公告_杭州市人民政府门户网站` → `关于印发…的通知`)."""
    pieces = [p.strip() for p in _TITLE_SEPARATOR.split(title or "") if p.strip()]
    return max(pieces, key=len) if pieces else ""


def _read_html(path: Path, data: bytes, hint: list[tuple[str, str]] | None = None) -> list[str]:
    _need("bs4", "beautifulsoup4", path)
    html = decode_html(data, str(path))
    soup = _soup(html)
    h1 = soup.find("h1")
    heading = h1.get_text("", strip=True) if h1 else ""
    title_tag = soup.find("title")
    named = page_title(title_tag.get_text("", strip=True)) if title_tag else ""
    if hint is not None:
        if heading and len(heading) <= 100:
            hint.append((heading, "HTML <h1>"))
        elif named and len(named) <= 100:
            hint.append((named, "HTML <title>"))
    container = _known_container(soup)
    if container is not None:
        lines = _block_lines(container)
    else:
        fallback = _block_lines(_densest_block(soup))
        body = _trafilatura_body(html)
        # trafilatura may drop short lines: keep the fallback when it found much more text.
        lines = fallback if body is None or sum(map(len, body)) < 0.6 * sum(map(len, fallback)) else body
    if heading and len(heading) <= 100 and "。" not in heading and heading not in lines[:15]:
        after = h1.find_next_sibling() if h1 is not None else None
        tail = after.get_text("", strip=True) if after is not None else ""
        if _PAREN_LINE.match(tail) and tail in lines:
            # <h1>…条例</h1><p>(草案修改征求意见稿)</p>: the bracket line goes with its heading
            lines = [heading, tail] + [ln for i, ln in enumerate(lines) if i != lines.index(tail)]
        else:
            lines = [heading] + lines
    return _drop_repeated_heading(lines)



def _drop_repeated_heading(lines: list[str]) -> list[str]:
    """The page heading (<h1>) repeated as the document's own title line: keep one (the later)."""
    if len(lines) > 1 and lines[0] in lines[1:15]:
        return lines[1:]
    return lines
