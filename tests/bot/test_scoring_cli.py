"""`dmql scoring fit` and `predict` end to end on a synthetic export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from bot.scoring_cli import app
from scoring.config import load_rules

MAPPING_YAML = """\
outcome: won
identifiers: [lead_id]
leaky: [sales_note]
missing_values: [Select]
profile: [role, company_size]
engagement: [minutes_on_site]
"""


def make_export(path: Path, n: int = 800, seed: int = 0) -> Path:
    """A CSV export whose outcome depends on role and minutes on site."""
    rng = np.random.default_rng(seed)
    minutes = rng.exponential(20.0, n).round()
    role = rng.choice(["vp", "manager", "student"], n)
    logit = -1 + (minutes >= 30) * 2.0 + (role == "vp") * 1.5 - (role == "student")
    won = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n)],
            "role": np.where(rng.random(n) < 0.1, "Select", role),
            "company_size": rng.integers(1, 5000, n),
            "minutes_on_site": minutes,
            "sales_note": np.where(won == 1, "signed", "lost"),
            "won": won,
        }
    ).to_csv(path, index=False)
    return path


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    make_export(tmp_path / "leads.csv")
    (tmp_path / "mapping.yml").write_text(MAPPING_YAML)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_fit_writes_scorecard_report_and_charts(workdir: Path) -> None:
    out = workdir / "out"
    result = run(
        "fit", str(workdir / "leads.csv"), "--mapping", str(workdir / "mapping.yml"),
        "--out", str(out), "--version", "test-fit", "--folds", "3",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "ROC AUC" in result.output
    assert "Top factors" in result.output
    for name in ("scorecard.yml", "report.md", "calibration.png", "factors.png"):
        assert (out / name).stat().st_size > 0
    rules = load_rules(out / "scorecard.yml")
    assert rules.version == "test-fit"
    assert {r.field for r in rules.fit_rules} >= {"role", "minutes_on_site"}
    report = (out / "report.md").read_text()
    assert "gradient-boosted trees" in report
    assert "| 10 |" in report


def test_predict_scores_every_lead_with_reasons(workdir: Path) -> None:
    out = workdir / "out"
    fit = run(
        "fit", str(workdir / "leads.csv"), "--mapping", str(workdir / "mapping.yml"),
        "--out", str(out), "--folds", "2",
    )  # fmt: skip
    assert fit.exit_code == 0, fit.output
    scored = workdir / "scored.csv"
    result = run(
        "predict", str(workdir / "leads.csv"), "--scorecard",
        str(out / "scorecard.yml"), "--mapping", str(workdir / "mapping.yml"),
        "--out", str(scored),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(scored)
    assert len(table) == 800
    assert table["score"].between(0, 100).all()
    assert table["probability"].between(0, 1).all()
    leads = pd.read_csv(workdir / "leads.csv")
    vp_long = (leads["role"] == "vp") & (leads["minutes_on_site"] >= 30)
    student_short = (leads["role"] == "student") & (leads["minutes_on_site"] < 5)
    assert table["score"][vp_long].mean() > table["score"][student_short].mean()
    assert table["contributions"].str.contains("role: VP").any()


def test_missing_column_is_a_one_line_error(workdir: Path) -> None:
    (workdir / "mapping.yml").write_text(MAPPING_YAML.replace("role,", "budget,"))
    result = run(
        "fit", str(workdir / "leads.csv"), "--mapping", str(workdir / "mapping.yml"),
        "--out", str(workdir / "out"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "column 'budget'" in result.output


def test_outcome_not_zero_or_one_is_rejected(workdir: Path) -> None:
    leads = pd.read_csv(workdir / "leads.csv")
    leads["won"] = leads["won"].map({1: "won", 0: "lost"})
    leads.to_csv(workdir / "leads.csv", index=False)
    result = run(
        "fit", str(workdir / "leads.csv"), "--mapping", str(workdir / "mapping.yml"),
        "--out", str(workdir / "out"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "only 0 or 1" in result.output


def test_unreadable_csv_names_the_file(workdir: Path) -> None:
    result = run(
        "fit", str(workdir / "nope.csv"), "--mapping", str(workdir / "mapping.yml"),
        "--out", str(workdir / "out"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "nope.csv" in result.output


def test_predict_with_a_broken_scorecard_exits_2(workdir: Path) -> None:
    (workdir / "card.yml").write_text("fit: [\n")
    result = run(
        "predict", str(workdir / "leads.csv"), "--scorecard",
        str(workdir / "card.yml"), "--mapping", str(workdir / "mapping.yml"),
        "--out", str(workdir / "scored.csv"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "card.yml" in result.output
