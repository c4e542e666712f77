"""Reading policy files: `assistant.ingest.sources.read_source` for .txt, .docx, .html and .pdf.

The .docx and .html files are generated here from the text fixtures (python-docx; a saved
government page with navigation, breadcrumb, sidebar, share bar, footer and scripts); the PDF is
the checked-in `tests/fixtures/styles/headings.pdf` (regenerate it with
`python tests/fixtures/styles/make_pdf.py`). Each must give the same articles as the .txt.
"""

from __future__ import annotations

import html as html_lib
import importlib.util
from pathlib import Path

import pytest

from assistant.ingest import sources as ingest
from assistant.errors import CorpusError, ParseError
from assistant.ingest.sources import PdfLine, read_source, reflow
from assistant.ingest.parsing import parse_policy

from .conftest import FIXTURES

STYLES = FIXTURES / "styles"
LIBRARY = FIXTURES / "library"
PDF = STYLES / "headings.pdf"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def lines_of(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def same_articles(text_a: str, path_b: Path) -> None:
    a = parse_policy(text_a).articles
    b = parse_policy(path_b.read_text(encoding="utf-8")).articles
    assert [x.number for x in a] == [y.number for y in b]
    for x, y in zip(a, b):
        assert x == y, (x, y)


# --------------------------------------------------------------------------- txt


def test_txt_encodings_give_the_same_text(tmp_path: Path) -> None:
    src = LIBRARY / "qt-robots-2025-measures.txt"
    text = src.read_text(encoding="utf-8")
    expected = "\n".join(lines_of(src))
    variants = {
        "plain.txt": text.encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "gbk.txt": text.encode("gb18030"),
        "crlf.txt": text.replace("\n", "\r\n\r\n").encode("utf-8"),
        "indented.TXT": "\n".join("\u3000\u3000" + ln for ln in text.splitlines()).encode("utf-8"),
    }
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        source = read_source(tmp_path / name)
        assert source.format == "txt" and source.path.endswith(name)
        assert source.text == expected, name
    same_articles(read_source(tmp_path / "gbk.txt").text, src)


@pytest.mark.parametrize("name, data, reason", [
    ("policy.xyz", b"1\xe3\x80\x81\xe7\x94\xb2", "unsupported file type '.xyz'"),
    ("policy.doc", b"\xd0\xcf\x11\xe0", "save it as .docx"),
    ("README", b"text", "unsupported file type '(no extension)'"),
    ("empty.txt", b"", "the file is empty"),
    ("blank.txt", b"  \r\n\t\n", "the file is empty"),
    ("binary.txt", b"\x00\x01\x02abc\x00" * 20, "binary"),
    ("bad.txt", b"\xff\xfe\x00garbag", "not a text file"),
    ("bad.docx", b"PK\x03\x04 this is not really a zip", "not a valid .docx"),
    ("bad.pdf", b"%PDF-1.7\n garbage without objects", "cannot read the PDF"),
    ("fake.pdf", b"<html>not a pdf</html>", "not a PDF"),
    ("empty.html", b"<html><body><script>var a=1;</script></body></html>", "no text found"),
])
def test_bad_files_fail_naming_the_file(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ParseError) as exc:
        read_source(path)
    assert str(path) in str(exc.value) and reason in str(exc.value)
    assert isinstance(exc.value, CorpusError)


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="nope.txt: cannot read the file"):
        read_source(tmp_path / "nope.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(ParseError, match="dir.txt: cannot read the file"):
        read_source(tmp_path / "dir.txt")


# --------------------------------------------------------------------------- docx


def make_docx(lines: list[str], path: Path) -> Path:
    """A Word file as a clerk would make it: paragraphs split into formatted runs, blank
    paragraphs, a running header and page-number footer, the appendix list in a table."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "杭州市人民政府办公厅文件(页眉)"
    section.footer.paragraphs[0].text = "- 1 -"
    appendix_at = next((i for i, ln in enumerate(lines) if ln.startswith("附件")), len(lines))
    for i, line in enumerate(lines[:appendix_at + 1]):
        p = document.add_paragraph()
        if i < 8 and len(line) < 40:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        half = len(line) // 2
        p.add_run(line[:half]).bold = line.endswith("攻关") or i == 0
        p.add_run(line[half:])
        if i % 5 == 0:
            document.add_paragraph("")
    if appendix_at < len(lines) - 1:
        table = document.add_table(rows=0, cols=1)
        for line in lines[appendix_at + 1:]:
            table.add_row().cells[0].text = line
    document.add_paragraph("   ")
    document.save(str(path))
    return path


def test_docx_gives_the_same_articles_as_the_text(tmp_path: Path) -> None:
    src = LIBRARY / "hz-robots-2025-final.txt"
    path = make_docx(lines_of(src), tmp_path / "final.docx")
    source = read_source(path)
    assert source.format == "docx"
    assert source.text == "\n".join(lines_of(src))
    assert "页眉" not in source.text and "- 1 -" not in source.text
    same_articles(source.text, src)


def test_docx_table_cells_and_merged_cells_are_lines(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("关于某某的若干措施")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "一、支持研发。给予补助。"
    table.cell(1, 0).text = "二、支持应用。"
    table.cell(1, 1).text = "给予奖励。"
    table.cell(1, 2).text = ""
    document.add_paragraph("三、支持人才。")
    document.save(str(tmp_path / "t.docx"))
    text = read_source(tmp_path / "t.docx").text
    assert text == "关于某某的若干措施\n一、支持研发。给予补助。\n二、支持应用。\n给予奖励。\n三、支持人才。"


def test_docx_automatic_numbering_is_rendered(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("关于某某的若干措施")
    for line in ("支持研发。给予补助。", "支持应用。给予奖励。", "支持人才。"):
        document.add_paragraph(line, style="List Number")
    document.save(str(tmp_path / "n.docx"))
    doc = parse_policy(read_source(tmp_path / "n.docx").text)
    assert [(a.label, a.title) for a in doc.body] == [("1.", "支持研发"), ("2.", "支持应用"),
                                                      ("3.", "支持人才")]


# --------------------------------------------------------------------------- html

NAV = """<div class="header"><div class="logo"><img src="logo.png" alt="杭州市人民政府门户网站"></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/bs/">政务服务</a></li><li><a href="/hd/">政民互动</a></li><li><a href="/hz/">走进杭州</a></li></ul>
<form class="search"><input name="q" placeholder="请输入关键字"><button>搜索</button></form></div>
<div class="breadcrumb">当前位置:<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
<a href="/zwgk/wj/">政策文件</a> &gt; 正文</div>"""
SIDEBAR = """<div class="sidebar"><h3>相关文件</h3><ul>
<li><a href="/a">关于印发杭州市数字经济发展规划的通知</a></li>
<li><a href="/b">杭州市人民政府办公厅关于加快推进低空经济发展的实施意见</a></li>
<li><a href="/c">政策解读:一图读懂智能机器人产业政策</a></li></ul></div>"""
FOOTER = """<div class="share">分享到:<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="print"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div></div>
<div class="footer"><p>主办单位:杭州市人民政府办公厅 承办单位:杭州市数据资源管理局</p>
<p>网站标识码:3301000001 浙ICP备00000000号 浙公网安备 33010002000000号</p><p>版权所有 © 杭州市人民政府</p></div>
<script>document.getElementById('zoom') && (document.getElementById('zoom').style.fontSize='16px');</script>"""
BOILERPLATE = ["首页", "政务公开", "当前位置", "相关文件", "一图读懂", "分享到", "打印本页", "版权所有",
               "网站标识码", "_hmt", "fontSize", "发布日期", "浏览次数"]


def make_html(lines: list[str], title: str, body_attrs: str = 'id="zoom" class="TRS_Editor"',
              charset: str = "utf-8", br_every: int = 0) -> str:
    """A saved government page: the document's lines as <p> paragraphs (some joined by <br>,
    some with inline <span>s) inside the article body, surrounded by the site's furniture."""
    paras = []
    i = 0
    while i < len(lines):
        line = html_lib.escape(lines[i])
        if br_every and i % br_every == 1 and i + 1 < len(lines):
            paras.append(f"<p>{line}<br/>{html_lib.escape(lines[i + 1])}</p>")
            i += 2
            continue
        if len(line) > 20 and i % 3 == 0:
            line = f'<span style="font-family:仿宋_GB2312">{line[:10]}</span>{line[10:]}'
        paras.append(f'<p style="text-indent:2em">{line}</p>')
        i += 1
    body = "\n".join(paras)
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="{charset}">
<title>{title}_杭州市人民政府门户网站</title>
<script>var _hmt = _hmt || []; (function(){{ var hm = document.createElement("script"); hm.src = "https://example.invalid/hm.js"; }})();</script>
<style>.nav li{{display:inline}} p{{line-height:2}}</style></head><body>
{NAV}
<div class="main"><div class="con-left">{SIDEBAR}</div>
<div class="con-right"><div class="article"><h1 class="title">{title}</h1>
<div class="info">发布日期:2025-08-04 来源:市经信局 浏览次数:1234 字号:[大 中 小]</div>
<div {body_attrs}>
{body}
</div>
{FOOTER}
</body></html>"""


@pytest.mark.parametrize("body_attrs, br_every", [
    ('id="zoom" class="TRS_Editor"', 0),   # a known government CMS body
    ('id="zoom"', 4),                      # paragraphs joined by <br>
    ('class="article-text"', 0),           # an unknown container: trafilatura
])
def test_html_gives_the_same_articles_as_the_text(tmp_path: Path, body_attrs: str,
                                                   br_every: int) -> None:
    src = LIBRARY / "hz-embodied-2025-draft.txt"
    lines = lines_of(src)
    page = make_html(lines, lines[10], body_attrs, br_every=br_every)
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    source = read_source(path)
    assert source.format == "html"
    for word in BOILERPLATE:
        assert word not in source.text, word
    assert source.text == "\n".join(lines)
    same_articles(source.text, src)


def test_html_beautifulsoup_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "_trafilatura_body", lambda html: None)
    src = LIBRARY / "hz-robots-2025-final.txt"
    lines = lines_of(src)
    path = tmp_path / "page.htm"
    path.write_text(make_html(lines, lines[7], 'class="article-text"'), encoding="utf-8")
    source = read_source(path)
    for word in BOILERPLATE:
        assert word not in source.text, word
    same_articles(source.text, src)


def test_html_in_gb2312_with_title_only_in_h1(tmp_path: Path) -> None:
    src = FIXTURES / "tiao.txt"
    lines = lines_of(src)
    page = make_html(lines[1:], lines[0], charset="gb2312")
    (tmp_path / "page.shtml").write_bytes(page.encode("gb18030"))
    source = read_source(tmp_path / "page.shtml")
    assert source.text == "\n".join(lines)  # the <h1> is the title line
    same_articles(source.text, src)


# --------------------------------------------------------------------------- pdf


def test_pdf_fixture_gives_the_same_articles_as_the_text() -> None:
    assert PDF.stat().st_size < 150_000
    source = read_source(PDF)
    assert source.format == "pdf"
    assert "- 1 -" not in source.text and "- 2 -" not in source.text
    # The running head appears once (the title line), not on every page.
    assert source.text.count("杭州市支持人工智能产业发展若干措施(示例)") == 2  # notice + title
    assert source.text == "\n".join(lines_of(STYLES / "headings.txt"))
    same_articles(source.text, STYLES / "headings.txt")


def test_pdf_fixture_has_wrapped_lines_and_a_page_break() -> None:
    import pdfplumber

    with pdfplumber.open(PDF) as pdf:
        pages = [[ln["text"] for ln in page.extract_text_lines()] for page in pdf.pages]
    assert len(pages) == 2
    assert len(pages[0]) + len(pages[1]) > len(lines_of(STYLES / "headings.txt")) + 8
    assert not any(ln.endswith("。") for ln in pages[0][-2:-1])  # a paragraph runs on to page 2


@pytest.mark.skipif(not FONT.exists() or importlib.util.find_spec("fpdf") is None,
                    reason="needs fpdf2 and the WenQuanYi Micro Hei font")
@pytest.mark.slow
def test_pdf_fixture_can_be_regenerated(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_pdf", STYLES / "make_pdf.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.build_pdf(STYLES / "headings.txt", tmp_path / "headings.pdf")
    assert read_source(out).text == read_source(PDF).text


@pytest.mark.skipif(importlib.util.find_spec("fpdf") is None, reason="needs fpdf2")
def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(200, 200, 200)
    pdf.rect(20, 20, 150, 200, style="F")  # a scanned page: pixels, no text
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(ParseError, match=r"scan.pdf: no text layer \(scanned\?\)"):
        read_source(tmp_path / "scan.pdf")


def test_reflow_without_positions_uses_line_length_and_punctuation() -> None:
    page1 = [PdfLine("关于某某的若干措施"), PdfLine("一、支持研发"),
             PdfLine("对企业研发投入给予补助,补助比例为研发费用"), PdfLine("的10%,最高不超过100万元。"),
             PdfLine("二、支持应用。对首次采购本地产品的企业给"), PdfLine("第 1 页")]
    page2 = [PdfLine("予奖励。支持示范应用场景建设,每年评选10个"), PdfLine("示范场景。"),
             PdfLine("(责任单位:市经信局)"), PdfLine("第 2 页")]
    assert reflow([page1, page2]) == [
        "关于某某的若干措施", "一、支持研发", "对企业研发投入给予补助,补助比例为研发费用的10%,最高不超过100万元。",
        "二、支持应用。对首次采购本地产品的企业给予奖励。支持示范应用场景建设,每年评选10个示范场景。",
        "(责任单位:市经信局)"]


def test_reflow_flush_left_paragraphs_break_after_sentence_ends_and_drops_furniture() -> None:
    head = PdfLine("某某局文件", 150, 250, 9)
    full = 500.0

    def page(*lines: PdfLine, n: int) -> list[PdfLine]:
        return [head, *lines, PdfLine(f"- {n} -", 290, 310, 9)]

    pages = [
        page(PdfLine("第一条 为了促进产业发展,根据有关规定,结合本市实", 50, full, 12),
             PdfLine("际,制定本办法。", 50, 150, 12),
             PdfLine("第二条 支持企业研发。对企业研发投入给予补助,比例为", 50, full, 12), n=1),
        page(PdfLine("10%。", 50, full - 5, 12),  # ends with 。 at the margin: paragraph ends
             PdfLine("补助资金由市财政承担。Robot", 50, full, 12),
             PdfLine("Arm 项目除外。", 50, 200, 12), n=2),
    ]
    assert reflow(pages) == [
        "第一条 为了促进产业发展,根据有关规定,结合本市实际,制定本办法。",
        "第二条 支持企业研发。对企业研发投入给予补助,比例为10%。",
        "补助资金由市财政承担。Robot Arm 项目除外。"]


def test_reflow_indented_paragraphs_and_standalone_lines() -> None:
    s = 12.0
    lines = [
        PdfLine("某某措施", 200, 300, 16),                         # centred title
        PdfLine("为加快发展,制定本措施。对企业研发投入给予补助,补", 50 + 2 * s, 500, s),
        PdfLine("助比例为10%。", 50, 500, s),                          # full line ending 。, no indent
        PdfLine("继续说明补助的申报流程和审核要求。", 50, 300, s),
        PdfLine("另起一段说明资金来源。", 50 + 2 * s, 260, s),
        PdfLine("某某局", 420, 500, s),                              # right-aligned 落款
        PdfLine("2025年1月1日", 400, 500, s),
    ]
    assert reflow([lines]) == [
        "某某措施", "为加快发展,制定本措施。对企业研发投入给予补助,补助比例为10%。继续说明补助的申报流程和审核要求。",
        "另起一段说明资金来源。", "某某局", "2025年1月1日"]


def test_pdf_without_pdfplumber_falls_back_to_pypdf(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pypdf")

    def missing(path: Path, data: bytes) -> list[list[PdfLine]]:
        raise ParseError(str(path), "reading this file needs the 'pdfplumber' package")

    monkeypatch.setattr(ingest, "_pdf_pages_pdfplumber", missing)
    source = read_source(PDF)
    assert source.text == "\n".join(lines_of(STYLES / "headings.txt"))
