"""`dmql scoring fit` and `predict` on awkward input: one line, exit 2, early.

The input problems here used to end in a traceback (some after a minute of
fitting) or, worse, in scores that were quietly wrong. The checks that must
run before the long work are tested with the fit replaced by a trap.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner, Result

import scoring.fit
from bot.scoring_cli import app
from bot.settings import PROJECT_ROOT
from scoring.config import load_rules
from scoring.fit import FitOptions

MAPPING_YAML = """\
outcome: won
identifiers: [lead_id]
leaky: [sales_note]
left_blank: {values: [Select]}
profile: [role, Base, budget]
engagement: [minutes_on_site]
"""

CARD_YAML = """\
version: inline-card
fit:
  rules:
    - id: role
      field: role
      points: {vp: 18, manager: 8, student: 0}
      default: 22
      missing: 0
"""


def make_export(path: Path, n: int = 300, seed: int = 0) -> Path:
    """Leads whose outcome follows role; 'Base' is a real column name too."""
    rng = np.random.default_rng(seed)
    role = rng.choice(["vp", "manager", "student"], n)
    rate = pd.Series(role).map({"vp": 0.7, "manager": 0.4, "student": 0.1})
    won = (rng.random(n) < rate.to_numpy()).astype(int)
    pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n)],
            "role": role,
            "Base": np.where(won == 1, "gold", rng.choice(["gold", "tin"], n)),
            "budget": [""] * n,
            "minutes_on_site": np.where(rng.random(n) < 0.05, np.inf, 1.0 + won),
            "sales_note": np.where(won == 1, "signed", "lost"),
            "won": won,
        }
    ).to_csv(path, index=False)
    return path


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    make_export(tmp_path / "leads.csv")
    (tmp_path / "mapping.yml").write_text(MAPPING_YAML)
    (tmp_path / "card.yml").write_text(CARD_YAML)
    return tmp_path


@pytest.fixture
def no_fitting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any fit or backtest fails the test: the error must come before them."""

    def trap(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the fit started before the input was checked")

    monkeypatch.setattr(scoring.fit, "fit_scorecard", trap)
    monkeypatch.setattr(scoring.fit, "backtest", trap)


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def fit(workdir: Path, *extra: str, out: Path | None = None) -> Result:
    return run(
        "fit", str(workdir / "leads.csv"), "--mapping", str(workdir / "mapping.yml"),
        "--out", str(out or workdir / "out"), "--folds", "2", *extra,
    )  # fmt: skip


def predict(
    workdir: Path, *, out: Path | None = None, card: str = "card.yml"
) -> Result:
    return run(
        "predict", str(workdir / "leads.csv"), "--scorecard", str(workdir / card),
        "--mapping", str(workdir / "mapping.yml"),
        "--out", str(out or workdir / "scored.csv"),
    )  # fmt: skip


def one_error_line(result: Result) -> str:
    """The output is a single 'error:' line and the exit code 2."""
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """One real fit of the awkward export (an empty column, 'Base', inf)."""
    workdir = tmp_path_factory.mktemp("fit")
    make_export(workdir / "leads.csv")
    (workdir / "mapping.yml").write_text(MAPPING_YAML)
    return fit(workdir), workdir / "out"


def test_an_empty_column_is_left_out_and_said_so(fitted: tuple[Result, Path]) -> None:
    result, out = fitted
    assert result.exit_code == 0, result.output
    assert "left out: budget (no values)" in result.output
    assert "Left out: budget (no values)" in (out / "report.md").read_text()


def test_a_column_named_base_gets_a_rule_id_the_engine_accepts(
    fitted: tuple[Result, Path],
) -> None:
    result, out = fitted
    assert result.exit_code == 0, result.output
    rules = load_rules(out / "scorecard.yml")
    ids = {rule.field: rule.id for rule in rules.fit_rules}
    assert ids["Base"] == "base_rule"


def test_infinite_numbers_are_named_and_read_as_not_answered(
    fitted: tuple[Result, Path],
) -> None:
    result, _ = fitted
    assert "warning: 'minutes_on_site' holds" in result.output
    assert "infinite number(s), read as not answered" in result.output


def test_out_pointing_at_a_file_fails_before_fitting(
    workdir: Path, no_fitting: None
) -> None:
    (workdir / "taken").write_text("not a directory")
    line = one_error_line(fit(workdir, out=workdir / "taken"))
    assert "is a file; give a directory" in line


def test_too_many_folds_fail_before_fitting(workdir: Path, no_fitting: None) -> None:
    line = one_error_line(fit(workdir, "--folds", "400"))
    assert "a 400-fold backtest needs at least 400 won and 400 lost" in line


def test_blank_outcomes_are_counted_and_located(
    workdir: Path, no_fitting: None
) -> None:
    leads = pd.read_csv(workdir / "leads.csv")
    leads["won"] = leads["won"].astype(object)
    leads.loc[[0, 9], "won"] = None
    leads.to_csv(workdir / "leads.csv", index=False)
    line = one_error_line(fit(workdir))
    assert "'won' is blank in 2 row(s) (rows 2, 11" in line
    assert "nan" not in line


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            MAPPING_YAML.replace("[role,", "[sales_note, role,"),
            "'sales_note' is listed as leaky and as profile: remove it from profile",
        ),
        (
            MAPPING_YAML.replace("profile:", "profle:"),
            "unknown key 'profle' in mapping; did you mean 'profile'?",
        ),
    ],
)
def test_a_contradicting_mapping_is_refused(
    workdir: Path, no_fitting: None, mapping: str, message: str
) -> None:
    (workdir / "mapping.yml").write_text(mapping)
    assert one_error_line(fit(workdir)) == f"error: {message}"


def test_the_cli_default_of_max_attributes_is_the_fit_default() -> None:
    result = run("fit", "--help")
    assert f"[default: {FitOptions().max_attributes}]" in result.output


def test_predict_refuses_a_card_whose_fields_the_csv_lacks(workdir: Path) -> None:
    (workdir / "bot.yml").write_text((PROJECT_ROOT / "scoring.yml").read_text())
    line = one_error_line(predict(workdir, card="bot.yml"))
    assert "the scorecard reads 'seniority'" in line
    assert "fit a scorecard on this CSV first" in line
    assert not (workdir / "scored.csv").exists()


def test_predict_refuses_a_count_as_card_with_a_mapping_without_it(
    workdir: Path,
) -> None:
    card = CARD_YAML + (
        "    - id: blanks\n      field: questions left blank\n"
        "      bands: [{max: 1, points: 5}, {min: 1, points: 0}]\n"
    )
    (workdir / "card.yml").write_text(card)
    line = one_error_line(predict(workdir))
    assert "reads 'questions left blank'" in line
    assert "the mapping the scorecard was fitted with" in line


def test_predict_names_a_column_the_mapping_leaves_out(workdir: Path) -> None:
    (workdir / "card.yml").write_text(CARD_YAML.replace("field: role", "field: won"))
    line = one_error_line(predict(workdir))
    assert "add 'won' to the mapping's profile or engagement" in line


def test_predict_warns_about_values_the_card_does_not_list(workdir: Path) -> None:
    leads = pd.read_csv(workdir / "leads.csv")
    leads.loc[[3, 4], "role"] = "Studnet"
    leads.to_csv(workdir / "leads.csv", index=False)
    result = predict(workdir)
    assert result.exit_code == 0, result.output
    assert (
        "warning: role: 2 lead(s) have a value the scorecard does not list "
        "(e.g. 'Studnet'); each gets its 'other' points (22)"
    ) in result.output
    scored = pd.read_csv(workdir / "scored.csv")
    assert scored["score"].iloc[3] == 22  # the fitted points are unchanged


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("nowhere/x.csv", "the directory '{dir}/nowhere' for 'x.csv' does not exist"),
        ("leads.csv", "is the input CSV; writing there would overwrite the leads"),
        (".", "is a directory; give the path of a CSV file to write"),
    ],
)
def test_predict_checks_out_before_scoring(
    workdir: Path, out: str, message: str
) -> None:
    before = (workdir / "leads.csv").read_bytes()
    line = one_error_line(predict(workdir, out=workdir / out))
    assert message.format(dir=workdir) in line
    assert (workdir / "leads.csv").read_bytes() == before
