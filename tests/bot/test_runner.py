"""`dmql run`: command lines, the token, and one dying process stopping all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot import runner
from bot.errors import ConfigError
from bot.settings import Settings


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": tmp_path / "var", "models_dir": tmp_path}
    values.update(overrides)
    return Settings.model_validate(values)


def test_every_process_binds_to_the_configured_host_and_port(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, host="127.0.0.2", rasa_port=6005, web_port=9000)
    procs = {
        p.name: p for p in runner.processes(settings, "tok", tmp_path / "m.tar.gz")
    }
    assert set(procs) == {"rasa", "actions", "web", "rescore"}
    rasa = procs["rasa"].argv
    assert rasa[rasa.index("--interface") + 1] == "127.0.0.2"
    assert rasa[rasa.index("--port") + 1] == "6005"
    assert rasa[rasa.index("--auth-token") + 1] == "tok"
    assert "--enable-api" in rasa
    assert procs["actions"].env["SANIC_HOST"] == "127.0.0.2"
    web = procs["web"].argv
    assert web[web.index("--host") + 1 :][:3] == ["127.0.0.2", "--port", "9000"]
    assert procs["rasa"].env["DMQL_TRACKER_DB"].startswith(str(tmp_path / "var"))


def test_the_daily_rescore_runs_unless_it_is_off(tmp_path: Path) -> None:
    on = runner.processes(make_settings(tmp_path), "tok", tmp_path / "m.tar.gz")
    daily = next(p for p in on if p.name == "rescore")
    assert daily.argv[-2:] == ["rescore", "--daily"]
    off = runner.processes(
        make_settings(tmp_path, rescore_at=None), "tok", tmp_path / "m.tar.gz"
    )
    assert "rescore" not in {p.name for p in off}


def test_a_token_is_generated_only_when_none_is_set(tmp_path: Path) -> None:
    token, generated = runner.rasa_token(make_settings(tmp_path))
    assert generated
    assert len(token) >= 24
    assert runner.rasa_token(make_settings(tmp_path, rasa_token="fixed")) == (
        "fixed",
        False,
    )


def test_no_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no trained model"):
        runner.latest_model(tmp_path)


def test_a_broken_rules_file_stops_start_up_naming_file_and_line(
    tmp_path: Path,
) -> None:
    rules = tmp_path / "scoring.yml"
    rules.write_text('version: "v1"\nfit:\n  rules:\n    - id: x\n      points: high\n')
    with pytest.raises(ConfigError, match=r"scoring\.yml.*line"):
        runner.run(make_settings(tmp_path, rules_path=rules))


def test_a_process_that_dies_stops_the_others(tmp_path: Path) -> None:
    marker = tmp_path / "survivor-finished"
    procs = [
        runner.Process("dies", [sys.executable, "-c", "import sys; sys.exit(3)"], {}),
        runner.Process(
            "sleeper",
            [
                sys.executable,
                "-c",
                "import time, pathlib, sys; time.sleep(30); "
                "pathlib.Path(sys.argv[1]).touch()",
                str(marker),
            ],
            {},
        ),
    ]
    assert runner.supervise(procs, {}) == 3
    assert not marker.exists()
