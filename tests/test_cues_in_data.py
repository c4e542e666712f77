"""One source for every cue: no Chinese word the code reads text with lives in the package's code.

The rule, checked on the syntax tree of every module of `assistant/` and `ui/` (outside
`assistant/migrations/`, which holds no reader). A string constant holding a Chinese character (CJK ideograph) is a **cue** — and so
belongs in `assistant/data/*.json` (read through `assistant/lang/cues.py`) or the library's files —
when it is

1. a piece of a regular expression: the pattern argument (first, or `pattern=`) of a `re`
   function (`compile`, `search`, `match`, `fullmatch`, `findall`, `finditer`, `sub`, `subn`,
   `split`), including the pieces of a `+` concatenation or an f-string there;
2. an element of a list, tuple or set literal (also nested), or the characters of a string given
   to `set()`/`frozenset()`, that reads text: the right side of
   `in`/`not in`; an argument of `startswith`/`endswith`/`set()`/`frozenset()`; the iterable of a
   `for` or a comprehension whose variable reads text (compared with `in`, or given to a method
   that reads or cuts text: `startswith`, `find`, `replace`, `removesuffix`, `re.escape`, a `re`
   function…) — or a literal bound to a module- or class-level name that the module uses in one
   of these places;
3. a key of a dict literal (a lookup keyed by Chinese text reads text).

Not cues: docstrings; messages and labels the code writes (a dict's values, an f-string or
argument that is output, a list of lines or table headers that is joined or shown, a loop over
labels that only writes them); a `Literal[...]` type and a tuple annotated `tuple[Status, ...]` (values of the
metadata model, not words read from text); a single value compared with `==`.

`assistant/ingest/` is checked like the rest: its parsing cues (article and item markers, 文号, 落款,
dates, status and contact words of the text, page numbers…) are patterns of `data/patterns.json`
and word lists of `data/document_text.json`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
RE_FUNCS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
READ_CALLS = {"startswith", "endswith", "set", "frozenset"}
READ_METHODS = {"startswith", "endswith", "find", "rfind", "index", "count", "removeprefix", "removesuffix", "replace",
                "split", "rsplit", "partition", "strip", "lstrip", "rstrip", "escape"} | RE_FUNCS
EXCLUDED = ("assistant/migrations/",)


def _modules() -> list[Path]:
    return sorted(p for base in ("assistant", "ui") for p in (ROOT / base).rglob("*.py")
                  if not str(p.relative_to(ROOT)).startswith(EXCLUDED))


def _strings(node: ast.AST) -> list[str]:
    """The CJK string constants in an expression (f-string pieces included)."""
    return [n.value for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and CJK.search(n.value)]


def _re_call(node: ast.Call, re_names: set[str]) -> bool:
    f = node.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "re":
        return f.attr in RE_FUNCS
    return isinstance(f, ast.Name) and f.id in re_names


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def cues_in(source: str) -> list[str]:
    """The cue strings of a module's source, by the rule of this file's docstring."""
    tree = ast.parse(source)
    re_names = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "re"
                for a in n.names if a.name in RE_FUNCS}
    parents: dict[ast.AST, ast.AST] = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
    read_names = {_name(n) for n in ast.walk(tree) if isinstance(n, (ast.Name, ast.Attribute))
                  and _reads_text(n, parents)}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _re_call(node, re_names):
            pattern = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "pattern"), None)
            if pattern is not None:
                found += _strings(pattern)
        elif isinstance(node, ast.Dict):
            found += [k.value for k in node.keys
                      if isinstance(k, ast.Constant) and isinstance(k.value, str) and CJK.search(k.value)]
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)) and _outermost(node, parents)[0] is node:
            if _bound_name(node, parents) in read_names - {""}:
                found += _strings(node)
            elif (read := _reads_text(node, parents)):
                found += _strings(node) if read is True else [
                    s for row in node.elts if isinstance(row, ast.Tuple)
                    for i, e in enumerate(row.elts) if i in read for s in _strings(e)]
        elif isinstance(node, ast.Call) and _call_name(node) in {"set", "frozenset"} and node.args \
                and isinstance(node.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp)):
            found += _strings(node.args[0])  # a set of characters
    return found


def _name(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def _outermost(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> tuple[ast.AST, ast.AST | None]:
    child, parent = node, parents.get(node)
    while isinstance(parent, (ast.List, ast.Tuple, ast.Set)):  # nested: the outermost decides
        child, parent = parent, parents.get(parent)
    return child, parent


def _bound_name(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str:
    """The module- or class-level name a literal is bound to ("" if none, or typed as Status values)."""
    _, parent = _outermost(node, parents)
    if not isinstance(parent, (ast.Assign, ast.AnnAssign)) or not isinstance(
            parents.get(parent), (ast.Module, ast.ClassDef)):
        return ""
    if isinstance(parent, ast.AnnAssign) and "Status" in ast.unparse(parent.annotation):
        return ""
    targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
    return next((_name(t) for t in targets if _name(t)), "")


def _reads_text(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool | set[int]:
    """Whether an expression (a literal, or a name bound to one) is used to read text (rule 2);
    for a loop over pairs unpacked (`for root, label in …`), the positions that read."""
    child, parent = _outermost(node, parents)
    if isinstance(parent, ast.Compare):
        return child in parent.comparators and any(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops)
    if isinstance(parent, ast.comprehension) and parent.iter is child:
        return _reads_with(parent.target, parents.get(parent))  # the comprehension's whole expression
    if isinstance(parent, ast.For) and parent.iter is child:
        return _reads_with(parent.target, parent)
    if isinstance(parent, ast.Call):
        return child in parent.args and _call_name(parent) in READ_CALLS
    return False


def _reads_with(target: ast.AST, scope: ast.AST | None) -> bool | set[int]:
    if isinstance(target, ast.Tuple):
        return {i for i, t in enumerate(target.elts) if _reads_with(t, scope)}
    return _reads_with_name(target, scope)


def _reads_with_name(target: ast.AST, scope: ast.AST | None) -> bool:
    """Whether a loop's variable reads text in its loop: compared with `in`/`not in`, or passed as
    the first argument to (or called as) a method that reads text (`startswith`, `find`, the
    searched text of `replace`, `re.escape`, …)."""
    names = {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}

    def uses(node: ast.AST) -> bool:
        return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))

    for node in ast.walk(scope) if scope is not None else ():
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) \
                and uses(node):
            return True
        if isinstance(node, ast.Call) and _call_name(node) in READ_METHODS and (
                any(uses(a) for a in node.args[:1]) or isinstance(node.func, ast.Attribute) and uses(node.func.value)):
            return True
    return False


def test_the_rule_finds_each_kind_of_cue_and_passes_messages() -> None:
    source = '''
import re
from re import search as find
"""模块说明"""
WORDS = ("补贴", "奖励")
class C:
    KEYS = ["首台套"]
OTHER = ["认定"]
CURRENCY = [("美元", "USD")]
HEAD = ("状态", "文件")
DRAFT: tuple[Status, ...] = ("草案",)
PAT = re.compile(r"第(\\d+)条|" + "附件")
def f(text: str, status: str) -> str:
    if status in DRAFT or any(w in text for w in WORDS):
        pass
    """说明"""
    if find("通知$", text) or re.sub(pattern="办法", repl="", string=text):
        pass
    if any(w in text for w in ("没有", "不是")) or text.endswith(("区", "县")) or text in {"是"}:
        return f"已找到{text}"
    for label in ("已解答", "未覆盖"):
        text += label
    for suffix in ("自治县", "旗"):
        text = text.removesuffix(suffix)
    for root, label in (("/tmp", "临时目录"),):
        text = text.replace(root, label)
    stops = frozenset("的了")
    alternation = "|".join(re.escape(w) for w, _ in CURRENCY)
    if text in C.KEYS or any(text.startswith(w) for w in OTHER):
        return "".join(HEAD)
    table = {"零": 0}
    labels = {"found": "已解答"}
    headers = ["状态", "金额"]
    if status == "正式":
        return "、".join(headers) + labels["found"] + str(table)
    return "\\n".join(["# 报告", "结果:" + text])
'''
    assert sorted(cues_in(source)) == sorted(
        ["补贴", "奖励", "首台套", "认定", "第(\\d+)条|", "附件", "通知$", "办法", "没有", "不是", "区", "县", "是", "零", "自治县", "旗", "美元", "的了"])


def test_no_cue_in_code() -> None:
    found = {str(p.relative_to(ROOT)): sorted(cues_in(p.read_text(encoding="utf-8"))) for p in _modules()}
    assert {path: words for path, words in found.items() if words} == {}
    assert len(found) > 50  # every module was read


def test_every_pattern_of_the_data_compiles_with_its_placeholders_filled() -> None:
    from assistant.lang.cues import data, numerals, pattern, pattern_source

    names = [k for k in data("patterns.json") if not k.startswith("_")]
    assert len(names) == 226  # tiao_written (R46), title_number, drafter_role_tail, own_body, reply_received, site_name_line, breadcrumb_line (R45), tiao_line, title_end, notice_of_aim (R44), venue_after_place (web round 28), bought_from_before, amount_pointed_back (AV), title_before_preamble (R43), figure_unit_asked, figure_with_unit (R27 again), same_below_note (web round 27), figure_in_words, cited_aside (R42), run_together_heading (R41), elliptic_kind, modal_bare_verb, ceiling_asked (AS), reposted_document (web round 25), title_field, implements_kind (R40), made_on_topic (R41), document_number_opening_bracket (R38), issued_titles (R36 near misses), inline_markers (R36), bare_ne_follow_up (AK), field_table_row (web round 22), consulted_drafts (R35), count_asked, locative_place (AN), approaching_mark (AM), site_label (review), issuing_notice_named, cited_title (R33), forwarded_to_you, carried_out_plan, notice_to_do_work, our_area, article_in_line, cited_short_name (R32), short_of, short_of_after (AK), not_made (AJ), issued_to_you (web round 18), ratio_asked, marked_item (session 5 of 2026-12-07), text_tail_closing (review), figure_character, own_jurisdiction_word (R29, R30), page_field_label (R29), reported_source (R28), comparison_before_place, comparison_after_place (AG), title_then_document_number, page_label_line (R28), source_organisation (web round 16), kind_after_example, own_ownership, event_name (AF), notice_on_matters (R26), from_seller, rate_applied, supplied_customer (AE), zone_after_place (R25), published_document (R23), venue_name, relative_that (AB), question_of_its_own (web rounds 8, 11), implemented_guidance, report_on, spaced_item (R22), example_kind (Z, AA), scenario_heading (web rounds), promulgation, explained_title (R21), part_after, part_before_fillers (Z); first_numbered_item_line, addressee_span, default_document_name (R19), pending_object (Y), english_verb_object (Y); about_heading_start (R18), document_number_after_title, making_sentence, numeral_before_comma (R17), unit_label, sold_to (V), local_reality (R16); drafted_document, numbered_heading_start, notice_of_work, policy_kind (rounds R13, R14); asks_which_articles, proper_name (round O), notice_heading_inline, explanation_of (R11), file_extension (R12); forwarding_notice, replies_sent_to, adopted_by_congress (real R8); issued_by, which_after, item_start (issue 17); asked_unit, figure_before_unit;
    # the parser's, metadata reader's and library's 69 (issue 20)
    for name in names:
        assert "⟨" not in pattern_source(name) and pattern(name).pattern == pattern_source(name), name
    # the placeholders stand for the numeral tables, in their order
    assert pattern_source("cited_article") == "第\\s*(\\d{1,3}|[零〇一二两三四五六七八九十百千]{1,4})\\s*条"
    assert numerals().chars("financial_big_units") == "萬億" and numerals().financial_digits["壹"] == 1
    # ⟨pattern:NAME⟩ stands for another pattern of the file: one source for a date in every dated sentence
    assert pattern_source("full_date") in pattern_source("effective_from_date")
