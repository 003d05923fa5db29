"""The NLU cross-validation summary against the quality bar."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.designer import nlu_report


def write_report(folder: Path, name: str, macro: float, **intents: float) -> None:
    rows = {key: {"f1-score": f1, "support": 10} for key, f1 in intents.items()}
    rows["macro avg"] = {"f1-score": macro, "support": 10 * len(intents)}
    (folder / name).write_text(json.dumps(rows), encoding="utf-8")


def test_figures_below_the_bar_fail_and_name_the_weakest_intents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_report(tmp_path, "intent_report.json", 0.90, greet=0.99, inform=0.81)
    write_report(tmp_path, "DIETClassifier_report.json", 0.95, email=0.95)
    assert nlu_report.main(str(tmp_path)) == 1
    out = capsys.readouterr().out
    assert "intent macro F1: 0.900 (bar 0.95)" in out
    assert out.index("inform") < out.index("greet")


def test_the_entity_extractors_report_counts_whatever_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_report(tmp_path, "intent_report.json", 0.97, greet=0.97)
    write_report(
        tmp_path, "StoredCrfEntityExtractor_report.json", 0.80, email=0.9, country=0.7
    )
    assert nlu_report.main(str(tmp_path)) == 1
    out = capsys.readouterr().out
    assert "entity macro F1: 0.800 (bar 0.9)" in out
    assert out.index("lowest entity: country") < out.index("lowest entity: email")


def test_both_bars_met_pass(tmp_path: Path) -> None:
    write_report(tmp_path, "intent_report.json", 0.96, greet=0.96)
    write_report(tmp_path, "DIETClassifier_report.json", 0.91, email=0.91)
    assert nlu_report.main(str(tmp_path)) == 0


def test_a_missing_run_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert nlu_report.main(str(tmp_path)) == 1
    assert "make test-bot" in capsys.readouterr().out
