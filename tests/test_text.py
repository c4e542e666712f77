from __future__ import annotations

import pytest

from assistant.lang.text import loads, well_formed


def test_lone_surrogates_are_dropped_everywhere() -> None:
    assert well_formed("\ud800人形\udfff机器人") == "人形机器人"
    assert well_formed({"a\udc80": ["x\ud800", 1, None]}) == {"a": ["x", 1, None]}
    assert well_formed("😀 ok") == "😀 ok"  # a real astral character is kept


def test_loads_turns_every_bad_input_into_value_error() -> None:
    assert loads('{"q": "\\ud800机器人"}') == {"q": "机器人"}
    for bad in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000, "{nope"):
        with pytest.raises(ValueError):
            loads(bad)
