"""A form's default answer ("Select") kept apart from a question never asked.

The synthetic histories plant the difference the X Education export shows:
leads who saw a question and left it at the default convert far more often
than leads who were never asked it, so merging the two loses signal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.fit import (
    FitInputError,
    fit_scorecard,
    mapping_from_dict,
    outcome_vector,
    prepare,
)
from scoring.fit.mapping import LEFT_BLANK

LEFT_BLANK_MAPPING = {
    "outcome": "won",
    "left_blank": {"values": ["Select"], "count_as": "questions left blank"},
}


def make_form_history(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    """Role answered, left at 'Select', or never asked, each converting apart."""
    rng = np.random.default_rng(seed)
    role = rng.choice(["manager", "analyst", "Select", None], n)
    rate = (
        pd.Series(role).map({"manager": 0.5, "analyst": 0.3, "Select": 0.8}).fillna(0.1)
    )
    won = (rng.random(n) < rate.to_numpy()).astype(int)
    city = rng.choice(["Mumbai", "Select", None], n)
    return pd.DataFrame({"role": role, "city": city, "won": won})


def test_left_blank_is_an_answer_apart_from_not_asked() -> None:
    history = make_form_history()
    frame = prepare(history, mapping_from_dict(LEFT_BLANK_MAPPING))
    assert set(frame.loc[history["role"] == "Select", "role"]) == {LEFT_BLANK}
    assert frame.loc[history["role"].isna(), "role"].isna().all()


def test_missing_values_still_merge_the_default_into_not_answered() -> None:
    history = make_form_history()
    frame = prepare(
        history, mapping_from_dict({"outcome": "won", "missing_values": ["Select"]})
    )
    assert frame.loc[history["role"] == "Select", "role"].isna().all()
    assert LEFT_BLANK not in set(frame["role"].dropna())


def test_fit_scores_left_blank_above_not_asked() -> None:
    history = make_form_history()
    mapping = mapping_from_dict(LEFT_BLANK_MAPPING)
    frame = prepare(history, mapping)
    card = fit_scorecard(frame, outcome_vector(history, mapping), mapping).scorecard
    role = next(rule for rule in card.rules if rule.field == "role")
    assert role.points[LEFT_BLANK] > role.points["manager"] > role.missing


def test_count_as_counts_the_questions_each_lead_left_blank() -> None:
    history = pd.DataFrame(
        {
            "role": ["Select", "vp", None, "Select"],
            "city": ["Select", " Select ", "Select", "Pune"],
            "visits": [1.0, 2.0, 3.0, 4.0],
            "won": [0, 1, 0, 1],
        }
    )
    frame = prepare(history, mapping_from_dict(LEFT_BLANK_MAPPING))
    assert frame["questions left blank"].tolist() == [2.0, 1.0, 1.0, 1.0]


def test_left_blank_in_a_column_of_numbers_is_not_answered() -> None:
    history = pd.DataFrame(
        {"employees": ["12", "Select", "250", None], "won": [0, 1, 0, 1]}
    )
    frame = prepare(history, mapping_from_dict(LEFT_BLANK_MAPPING))
    assert pd.api.types.is_numeric_dtype(frame["employees"])
    assert frame["employees"].isna().tolist() == [False, True, False, True]


@pytest.mark.parametrize(
    "left_blank",
    [["Select"], {"count_as": "blank"}, {"values": []}, {"values": ["-"], "as": "x"}],
)
def test_malformed_left_blank_says_how_to_write_it(left_blank: object) -> None:
    with pytest.raises(FitInputError, match=r"left_blank.*values"):
        mapping_from_dict({"outcome": "won", "left_blank": left_blank})
