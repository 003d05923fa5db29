"""Exports as they come: empty columns, odd names, infinities, blank outcomes.

Each history here once crashed the fit with a traceback (or worse, fitted
without a word); now it fits, or fails at once with one sentence and the fix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from scoring.config import parse_rules
from scoring.fit import (
    FitInputError,
    FitOptions,
    backtest,
    fit_scorecard,
    mapping_from_dict,
    outcome_vector,
    prepare,
)
from scoring.fit.backtest import check_folds
from scoring.fit.fitter import rule_ids


def make_history(n: int = 600, seed: int = 0, **extra: object) -> pd.DataFrame:
    """Leads whose conversion depends on role; extra columns as given."""
    rng = np.random.default_rng(seed)
    role = rng.choice(["vp", "manager", "student"], n)
    rate = pd.Series(role).map({"vp": 0.7, "manager": 0.4, "student": 0.1})
    won = (rng.random(n) < rate.to_numpy()).astype(int)
    visits = rng.poisson(3, n).astype(float)
    return pd.DataFrame({"role": role, "visits": visits, **extra, "won": won})


def prepared(history: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    mapping = mapping_from_dict({"outcome": "won"})
    return prepare(history, mapping), outcome_vector(history, mapping)


@pytest.mark.parametrize("empty", [np.nan, "", None])
def test_an_empty_column_is_left_out_of_the_fit(empty: object) -> None:
    frame, y = prepared(make_history(city=[empty] * 600))
    fitted = fit_scorecard(frame, y, mapping_from_dict({"outcome": "won"}))
    assert fitted.left_out == ("city",)
    assert "city" not in {rule.field for rule in fitted.scorecard.rules}


def test_the_backtest_runs_with_an_empty_column() -> None:
    """The trees of the baseline used to crash on a column of numbers, all NaN."""
    frame, y = prepared(make_history(300, budget=[np.nan] * 300))
    assert pd.api.types.is_numeric_dtype(frame["budget"])
    mapping = mapping_from_dict({"outcome": "won"})
    result = backtest(frame, y, mapping, FitOptions(), folds=2)
    assert result.baseline.roc_auc > 0.6


def test_only_empty_columns_is_a_clear_error() -> None:
    history = pd.DataFrame({"city": [None] * 40, "won": [0, 1] * 20})
    frame, y = prepared(history)
    with pytest.raises(FitInputError, match="every candidate column is empty"):
        fit_scorecard(frame, y, mapping_from_dict({"outcome": "won"}))


def test_rule_ids_are_never_reserved_and_never_repeat() -> None:
    ids = rule_ids(["Base", "Lead Source", "lead_source", "fit cap", "!!", "base"])
    assert ids == [
        "base_rule", "lead_source", "lead_source_2", "fit_cap_rule", "attribute",
        "base_rule_2",
    ]  # fmt: skip


def test_a_column_named_base_fits_a_card_the_engine_loads() -> None:
    history = make_history()
    history = history.rename(columns={"role": "Base"})
    history["base"] = history["Base"]
    frame, y = prepared(history)
    card = fit_scorecard(frame, y, mapping_from_dict({"outcome": "won"})).scorecard
    assert {r.field for r in card.rules} >= {"Base"}
    rules = parse_rules(yaml.safe_dump(card.to_dict()), "fitted")
    assert "base" not in {rule.id for rule in rules.fit_rules}


def test_infinite_numbers_read_as_not_answered() -> None:
    visits = [np.inf, -np.inf, 3.0, 4.0]
    history = pd.DataFrame({"visits": visits, "ratio": ["inf", "2", "1", ""]})
    frame = prepare(history, mapping_from_dict({"outcome": "won"}))
    assert frame["visits"].isna().tolist() == [True, True, False, False]
    assert frame["ratio"].isna().tolist() == [True, False, False, True]


def test_a_fit_on_infinite_numbers_runs() -> None:
    history = make_history()
    history.loc[::7, "visits"] = np.inf
    frame, y = prepared(history)
    fitted = fit_scorecard(frame, y, mapping_from_dict({"outcome": "won"}))
    assert fitted.scorecard.rules


def test_blank_outcomes_say_how_many_and_where() -> None:
    history = make_history(40)
    history["won"] = history["won"].astype(object)
    history.loc[[1, 5, 6], "won"] = [np.nan, "", " "]
    with pytest.raises(FitInputError) as caught:
        outcome_vector(history, mapping_from_dict({"outcome": "won"}))
    message = str(caught.value)
    assert "is blank in 3 row(s) (rows 3, 7, 8, counting the header" in message
    assert "nan" not in message
    assert "fill in 1 (won) or 0 (lost)" in message


def test_a_wrong_outcome_shows_the_value_as_written() -> None:
    history = make_history(40)
    history.loc[4, "won"] = 2
    with pytest.raises(FitInputError, match=r"found '2' \(rows 6, counting"):
        outcome_vector(history, mapping_from_dict({"outcome": "won"}))


def test_more_folds_than_won_leads_are_refused_before_any_fitting() -> None:
    y = np.array([1] * 8 + [0] * 50)
    with pytest.raises(FitInputError) as caught:
        check_folds(y, 10, FitOptions())
    assert str(caught.value) == (
        "a 10-fold backtest needs at least 10 won and 10 lost leads; the history "
        "has 8 won and 50 lost: use at most 8 folds"
    )
    check_folds(y, 8, FitOptions())


@pytest.mark.parametrize(("won", "fix"), [(5, "use 3 folds or more"), (3, "more")])
def test_folds_must_leave_enough_to_fit_on(won: int, fix: str) -> None:
    y = np.array([1] * won + [0] * 50)
    with pytest.raises(FitInputError, match=f"too few won or lost .*{fix}"):
        check_folds(y, 2, FitOptions())


def test_spellings_that_differ_in_capitals_are_one_category() -> None:
    """The engine matches 'VP' and 'vp' alike, so the fit must learn them as one."""
    history = make_history()
    history.loc[::2, "role"] = history.loc[::2, "role"].str.upper()
    frame, y = prepared(history)
    card = fit_scorecard(frame, y, mapping_from_dict({"outcome": "won"})).scorecard
    role = next(rule for rule in card.rules if rule.field == "role")
    assert sorted(key.casefold() for key in role.points) == ["manager", "student", "vp"]
    rules = parse_rules(yaml.safe_dump(card.to_dict()), "fitted")
    assert rules.fit_rules
