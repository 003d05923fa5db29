"""Fitting recovers a known signal from a synthetic lead history.

The histories are generated here with a planted truth (time on site and role
drive conversion; colour is noise; a sales note leaks the outcome), so the
tests need no real data and fail if the fit stops finding the signal.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.config import parse_rules
from scoring.engine import score
from scoring.fit import (
    FitInputError,
    FitOptions,
    FitResult,
    backtest,
    fit_scorecard,
    mapping_from_dict,
    outcome_vector,
    prepare,
    scorecard_from_dict,
)
from scoring.fit.explain import factors
from scoring.model import LeadInput

ROLES = ("vp", "manager", "analyst", "student")
ROLE_EFFECT = {"vp": 1.5, "manager": 0.5, "analyst": -0.5, "student": -2.0}
MAPPING = {
    "outcome": "won",
    "identifiers": ["lead_id"],
    "leaky": ["sales_note"],
    "missing_values": ["Select"],
}


def make_history(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    """Leads whose conversion depends on minutes on site and role only."""
    rng = np.random.default_rng(seed)
    minutes = rng.exponential(20.0, n).round()
    role = rng.choice(ROLES, n)
    logit = (
        -1.0 + np.where(minutes >= 30, 1.8, 0.0) + np.vectorize(ROLE_EFFECT.get)(role)
    )
    won = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    shown_role = np.where(rng.random(n) < 0.1, "Select", role)
    return pd.DataFrame(
        {
            "lead_id": np.arange(n),
            "minutes_on_site": minutes,
            "role": shown_role,
            "favourite_colour": rng.choice(["red", "green", "blue"], n),
            "sales_note": np.where(won == 1, "signed", "lost"),
            "won": won,
        }
    )


def fitted(
    history: pd.DataFrame, max_attributes: int = 7
) -> tuple[FitResult, pd.DataFrame, np.ndarray]:
    """Fit the synthetic history; also return its attributes and outcomes."""
    mapping = mapping_from_dict(MAPPING)
    frame = prepare(history, mapping)
    y = outcome_vector(history, mapping)
    return (
        fit_scorecard(frame, y, mapping, FitOptions(max_attributes=max_attributes)),
        frame,
        y,
    )


def test_fit_finds_the_planted_attributes_and_ignores_leaks() -> None:
    result, _, _ = fitted(make_history())
    fields = [rule.field for rule in result.scorecard.rules]
    assert set(fields[:2]) == {"minutes_on_site", "role"}
    assert "sales_note" not in fields
    assert "lead_id" not in fields


def test_points_follow_the_planted_effects() -> None:
    result, _, _ = fitted(make_history())
    rules = {rule.field: rule for rule in result.scorecard.rules}
    role = rules["role"]
    assert role.points["vp"] > role.points["manager"] > role.points["student"]
    minutes = rules["minutes_on_site"]
    assert minutes.points_for(45.0) > minutes.points_for(5.0)


def test_totals_span_zero_to_hundred_and_probability_is_calibrated() -> None:
    history = make_history()
    result, frame, y = fitted(history)
    totals = result.scorecard.totals(frame)
    assert totals.min() >= 0
    assert totals.max() <= 100
    probability = result.scorecard.probability(totals)
    assert abs(probability.mean() - y.mean()) < 0.02


def test_max_attributes_caps_the_rules() -> None:
    result, _, _ = fitted(make_history(), max_attributes=1)
    assert len(result.scorecard.rules) == 1


def test_backtest_is_close_to_the_truth_and_reports_the_baseline() -> None:
    history = make_history(2000, seed=1)
    mapping = mapping_from_dict(MAPPING)
    frame = prepare(history, mapping)
    y = outcome_vector(history, mapping)
    result = backtest(frame, y, mapping, FitOptions(), folds=3)
    assert result.scorecard.roc_auc > 0.75
    assert result.baseline.roc_auc > 0.7
    assert result.max_contributions <= 8
    assert [row.decile for row in result.lift] == list(range(1, 11))
    assert result.lift[0].rate > result.lift[-1].rate


def test_scorecard_round_trips_through_yaml_and_the_engine() -> None:
    result, frame, _ = fitted(make_history())
    text = yaml.safe_dump(result.scorecard.to_dict(), sort_keys=False)
    again = scorecard_from_dict(yaml.safe_load(text))
    assert np.array_equal(again.totals(frame), result.scorecard.totals(frame))
    rules = parse_rules(text, "fitted")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for row in frame.head(200).to_dict(orient="records"):
        attributes = {k: (None if pd.isna(v) else v) for k, v in row.items()}
        card = score(rules, LeadInput(attributes=attributes), now)
        mine = result.scorecard.explain(attributes)
        assert card.total == round(sum(c.points for c in mine))
        assert card.probability == pytest.approx(
            float(again.probability(np.array([card.total]))[0])
        )


def test_explanation_adds_up_to_the_total() -> None:
    result, frame, _ = fitted(make_history())
    row = frame.iloc[0].to_dict()
    contributions = result.scorecard.explain(row)
    assert len(contributions) <= 8
    total = result.scorecard.totals(frame.iloc[[0]])[0]
    assert sum(c.points for c in contributions) == pytest.approx(total)


def test_factors_name_the_strongest_rule_first_in_words() -> None:
    result, frame, y = fitted(make_history())
    top = factors(result.scorecard, frame, y)
    assert top[0].spread >= top[-1].spread
    assert "points" in top[0].sentence
    assert "converted" in top[0].sentence


def test_outcome_must_be_zero_or_one() -> None:
    history = make_history(50)
    history["won"] = history["won"].map({1: "yes", 0: "no"})
    with pytest.raises(FitInputError, match="only 0 or 1"):
        outcome_vector(history, mapping_from_dict(MAPPING))


def test_missing_listed_column_is_named() -> None:
    mapping = mapping_from_dict({**MAPPING, "profile": ["role", "budget"]})
    with pytest.raises(FitInputError, match="'budget'"):
        prepare(make_history(50), mapping)


def test_mapping_without_outcome_says_how_to_fix_it() -> None:
    with pytest.raises(FitInputError, match="outcome"):
        mapping_from_dict({"identifiers": ["lead_id"]})


def test_derived_attribute_captures_an_interaction() -> None:
    rng = np.random.default_rng(3)
    n = 2000
    a = rng.choice(["x", "y"], n)
    b = rng.choice(["x", "y"], n)
    won = (rng.random(n) < np.where(a == b, 0.8, 0.2)).astype(int)
    history = pd.DataFrame({"a": a, "b": b, "won": won})
    raw = {"outcome": "won", "derived": [{"name": "a and b", "columns": ["a", "b"]}]}
    mapping = mapping_from_dict(raw)
    frame = prepare(history, mapping)
    result = fit_scorecard(frame, outcome_vector(history, mapping), mapping)
    assert result.scorecard.rules[0].field == "a and b"
    rule = result.scorecard.rules[0]
    assert rule.points["x & x"] > rule.points["x & y"]


@pytest.fixture(scope="module")
def shared_fit() -> FitResult:
    """One fit for all of the property's examples (fitting is the slow part)."""
    return fitted(make_history())[0]


@settings(max_examples=40, deadline=None)
@given(
    minutes=st.one_of(st.none(), st.floats(-1e6, 1e6)),
    role=st.one_of(st.none(), st.text(max_size=12)),
)
def test_any_lead_scores_within_zero_and_hundred(
    shared_fit: FitResult,
    minutes: float | None,
    role: str | None,
) -> None:
    lead = {"minutes_on_site": minutes, "role": role, "favourite_colour": None}
    total = sum(c.points for c in shared_fit.scorecard.explain(lead))
    assert 0 <= total <= 100


@pytest.mark.parametrize("select_by", ["log_loss", "roc_auc"])
def test_selection_improves_its_figure_at_every_step(select_by: str) -> None:
    mapping = mapping_from_dict(MAPPING)
    history = make_history()
    frame, y = prepare(history, mapping), outcome_vector(history, mapping)
    options = FitOptions(select_by=select_by)  # type: ignore[arg-type]
    result = fit_scorecard(frame, y, mapping, options)
    assert result.selected_by == select_by
    planted = {s.attribute for s in result.steps[:2]}
    assert planted == {"minutes_on_site", "role"}
    figures = [
        s.cv_log_loss if select_by == "log_loss" else -s.cv_auc for s in result.steps
    ]
    assert figures == sorted(figures, reverse=True)
    null_log_loss = -(
        y.mean() * np.log(y.mean()) + (1 - y.mean()) * np.log(1 - y.mean())
    )
    assert result.steps[0].cv_log_loss < null_log_loss


def test_lines_worth_zero_are_left_out_as_in_the_engine() -> None:
    result, frame, _ = fitted(make_history())
    card = result.scorecard
    assert card.base == 0
    assert card.max_contributions == len(card.rules)
    table = card.points_table(frame)
    for index, row in frame.head(100).iterrows():
        lines = card.explain(row.to_dict())
        assert [c.rule for c in lines] == [
            rule.id for rule in card.rules if table.at[index, rule.id] != 0
        ]
