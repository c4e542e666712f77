"""Lexical evidence: jieba tokens and a small BM25 index that serialises to JSON."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

# Multi-character terms jieba would otherwise split; policy vocabulary, not question wording.
DOMAIN_WORDS = (
    "专精特新", "首台套", "首版次", "人形机器人", "智能机器人", "四足机器人", "工业机器人",
    "服务机器人", "特种机器人", "手术机器人", "康复机器人", "外骨骼机器人", "护理服务机器人",
    "协作机器人", "配送机器人", "工业移动机器人", "讲解引导机器人", "个人消费机器人",
    "小巨人", "大模型", "云脑平台", "仿真开发平台", "运动控制算法库", "揭榜挂帅", "择优委托",
    "概念验证中心", "创新联合体", "工作专班", "产业图谱", "非关联方", "灵巧手", "一体化关节",
    "减速器", "力传感器", "触觉传感器", "姿态传感器", "智能芯片", "类脑", "仿生肌肉",
    "类人皮肤", "机器视觉", "自动码垛机", "智能分拣机", "自动导引车", "物流无人机",
    "示范应用场景", "应用场景", "新质生产力", "以旧换新", "融资租赁", "紧缺人才", "出海",
    "危化品", "防爆巡检", "治安巡逻", "消防救援", "后市场", "文旅教娱", "医疗康养",
    "数字化车间", "智能工厂", "新技改", "产业化", "实际投资总额", "责任单位", "征求意见",
    "征求意见稿", "经信局", "科技局", "商务局", "投资促进局", "卫健委", "民政局", "教育局",
    "发改委", "建委", "公安局", "执法局", "应急管理局", "交通运输局", "人才办",
    "市场监管局", "文广旅游局", "消防救援支队",
)

_JIEBA_LOCK = threading.Lock()
_JIEBA: Any = None
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)


def _jieba() -> Any:
    global _JIEBA
    with _JIEBA_LOCK:
        if _JIEBA is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            for word in DOMAIN_WORDS:
                tok.add_word(word, freq=2000)
            tok.initialize()
            _JIEBA = tok
        return _JIEBA


def tokenize(text: str, *, search: bool = True) -> list[str]:
    """Lower-cased jieba tokens without punctuation or whitespace.

    With `search`, long words also yield their sub-words (jieba's search mode), which gives
    questions and articles phrased a little differently a shared token.
    """
    tok = _jieba()
    words: Iterable[str] = tok.cut_for_search(text) if search else tok.cut(text)
    out = []
    for w in words:
        w = w.strip().lower()
        if w and not _PUNCT.match(w):
            out.append(w)
    return out


@dataclass
class BM25:
    """Okapi BM25 over pre-tokenised documents."""

    doc_ids: list[str]
    doc_tokens: list[list[str]]
    k1: float = 1.5
    b: float = 0.75
    idf: dict[str, float] = field(init=False)
    _tf: list[Counter] = field(init=False, repr=False)
    _len: list[int] = field(init=False, repr=False)
    _avg: float = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.doc_tokens)
        df: Counter = Counter()
        for toks in self.doc_tokens:
            df.update(set(toks))
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self._tf = [Counter(toks) for toks in self.doc_tokens]
        self._len = [len(toks) for toks in self.doc_tokens]
        self._avg = (sum(self._len) / n) if n else 0.0

    def scores(self, query_tokens: list[str]) -> list[float]:
        """One BM25 score per document, in index order."""
        out = []
        for tf, length in zip(self._tf, self._len):
            s = 0.0
            norm = self.k1 * (1 - self.b + self.b * length / (self._avg or 1))
            for t in query_tokens:
                f = tf.get(t)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + norm)
            out.append(s)
        return out

    @property
    def vocabulary(self) -> set[str]:
        return set(self.idf)

    def to_json(self) -> dict[str, Any]:
        return {"doc_ids": self.doc_ids, "doc_tokens": self.doc_tokens, "k1": self.k1, "b": self.b}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "BM25":
        return cls(data["doc_ids"], data["doc_tokens"], data.get("k1", 1.5), data.get("b", 0.75))
