"""One source for every cue: no Chinese word the code reads text with lives in the package's code.

The rule, checked on the syntax tree of every module of `assistant/` and `ui/` (outside
`assistant/ingest/`, whose parsing cues another change moves; `assistant/migrations/`, which holds
no reader). A string constant holding a Chinese character (CJK ideograph) is a **cue** — and so
belongs in `assistant/data/*.json` (read through `assistant/lang/cues.py`) or the library's files —
when it is

1. a piece of a regular expression: the pattern argument (first, or `pattern=`) of a `re`
   function (`compile`, `search`, `match`, `fullmatch`, `findall`, `finditer`, `sub`, `subn`,
   `split`), including the pieces of a `+` concatenation or an f-string there;
2. an element of a list, tuple or set literal (also nested) that reads text: the right side of
   `in`/`not in`, the iterable of a comprehension inside `any()`/`all()`, an argument of
   `startswith`/`endswith`/`set()`/`frozenset()` — or a literal bound to a module- or class-level
   name that the module uses in one of these places;
3. a key of a dict literal (a lookup keyed by Chinese text reads text).

Not cues: docstrings; messages and labels the code writes (a dict's values, an f-string or
argument that is output, a list of lines or table headers that is joined or shown, a `for` loop
over labels); a `Literal[...]` type and a tuple annotated `tuple[Status, ...]` (values of the
metadata model, not words read from text); a single value compared with `==`.

What is still in code is listed, exactly, in `tests/data/cues-left-in-code.json`: the test fails on
a new cue and on a listed one that is gone (then the list shrinks with the change).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEFT = ROOT / "tests" / "data" / "cues-left-in-code.json"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
RE_FUNCS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
READ_CALLS = {"startswith", "endswith", "set", "frozenset"}
EXCLUDED = ("assistant/ingest/", "assistant/migrations/")


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
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)) and (
                _reads_text(node, parents) or _bound_name(node, parents) in read_names - {""}):
            found += _strings(node)
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


def _reads_text(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether an expression (a literal, or a name bound to one) is used to read text (rule 2)."""
    child, parent = _outermost(node, parents)
    if isinstance(parent, ast.Compare):
        return child in parent.comparators and any(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops)
    if isinstance(parent, ast.comprehension) and parent.iter is child:
        outer = parents.get(parents.get(parent))  # comprehension → generator → call
        return isinstance(outer, ast.Call) and _call_name(outer) in {"any", "all"}
    if isinstance(parent, ast.Call):
        return child in parent.args and _call_name(parent) in READ_CALLS
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
        ["补贴", "奖励", "首台套", "认定", "第(\\d+)条|", "附件", "通知$", "办法", "没有", "不是", "区", "县", "是", "零"])


def test_no_cue_in_code_beyond_the_listed_ones() -> None:
    found = {str(p.relative_to(ROOT)): sorted(cues_in(p.read_text(encoding="utf-8"))) for p in _modules()}
    found = {path: words for path, words in found.items() if words}
    left = {k: v for k, v in json.loads(LEFT.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    assert found == left
