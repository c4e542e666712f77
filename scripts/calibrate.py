"""Calibrate the fusion weight and the coverage threshold on question files.

    python scripts/calibrate.py ../shared/eval/dev.jsonl tests/data/calibration.jsonl

Prints hit@1 / hit@3 per lexical weight, and the coverage of in-scope and out-of-scope questions
(the threshold belongs in the gap between them). The chosen values live in
`assistant/retrieve/retrieval.py` (LEXICAL_WEIGHT, COVERAGE_THRESHOLD) and in the README.
"""

from __future__ import annotations

import sys

from assistant.config import load_settings
from assistant.index.embeddings import make_embeddings
from assistant.ops.evaluation import load_questions
from assistant.index.policy_index import open_index
from assistant.retrieve.langchain_retriever import PolicyRetriever


def main(paths: list[str]) -> None:
    settings = load_settings()
    embeddings = make_embeddings(settings)
    index = open_index(settings, embeddings)
    questions = [q for p in paths for q in load_questions(p)]
    print(f"{len(questions)} questions from {', '.join(paths)}")
    for weight in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0):
        r = PolicyRetriever(index=index, embeddings=embeddings, lexical_weight=weight)
        h1 = h3 = n = 0
        for q in questions:
            if q.kind == "out_of_scope":
                continue
            top = [h.article.number for h in r.retrieve(q.question, 3).hits]
            n += 1
            h1 += bool(top) and top[0] in q.articles
            h3 += any(t in q.articles for t in top)
        print(f"lexical weight {weight:.1f}: hit@1 {h1 / n:.3f}  hit@3 {h3 / n:.3f}  (n={n})")
    r = PolicyRetriever(index=index, embeddings=embeddings)
    inside, outside = [], []
    for q in questions:
        res = r.retrieve(q.question)
        if res.evidence["references"] or res.evidence["other_places"]:
            continue  # decided by other evidence than coverage
        (outside if q.kind == "out_of_scope" else inside).append((res.evidence["coverage"], q.id))
    inside.sort()
    outside.sort(reverse=True)
    print("lowest in-scope coverage:   ", inside[:5])
    print("highest out-of-scope coverage:", outside[:5])
    if inside and outside:
        lo, hi = outside[0][0], inside[0][0]
        print(f"gap: ({lo:.3f}, {hi:.3f}); midpoint {(lo + hi) / 2:.3f}"
              + ("" if hi > lo else "  (no gap: the sets overlap)"))


if __name__ == "__main__":
    main(sys.argv[1:] or ["../shared/eval/dev.jsonl", "tests/data/calibration.jsonl"])
