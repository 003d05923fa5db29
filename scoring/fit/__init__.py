"""Fitting an explainable scorecard from past leads with known outcomes.

Pure functions over pandas frames: `prepare` reads an export through its
column mapping, `fit_scorecard` learns points per attribute band plus a
calibrated probability, `backtest` gives cross-validated figures next to
gradient-boosted trees, and `top_factors` says what matters in words.
"""

from scoring.fit.backtest import BacktestResult, Metrics, backtest
from scoring.fit.errors import FitInputError
from scoring.fit.fitter import FitOptions, FitResult, fit_scorecard
from scoring.fit.mapping import (
    ColumnMapping,
    mapping_from_dict,
    outcome_vector,
    prepare,
)
from scoring.fit.scorecard import Scorecard, scorecard_from_dict

__all__ = [
    "BacktestResult",
    "ColumnMapping",
    "FitInputError",
    "FitOptions",
    "FitResult",
    "Metrics",
    "Scorecard",
    "backtest",
    "fit_scorecard",
    "mapping_from_dict",
    "outcome_vector",
    "prepare",
    "scorecard_from_dict",
]
