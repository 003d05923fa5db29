"""Honest figures for a fitted scorecard: cross-validation against trees.

Every fold refits the whole recipe (bands, attribute selection, points,
calibration) on the other folds, so the figures describe leads the scorecard
has not seen. Gradient-boosted trees are fitted on the same folds and the
same attributes as the yardstick: a scorecard is worth its readability only
if it is about as accurate as the black box.

`check_folds` refuses a fold count the history cannot fill before any of
that work starts, so a wrong `--folds` costs a second, not a fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from scoring.fit.errors import FitInputError
from scoring.fit.fitter import FitOptions, fit_scorecard
from scoring.fit.mapping import ColumnMapping


@dataclass(frozen=True)
class Metrics:
    """Ranking (ROC AUC, average precision) and calibration (Brier) quality."""

    roc_auc: float
    average_precision: float
    brier: float


@dataclass(frozen=True)
class LiftRow:
    """One tenth of the leads, best scored first, and how many converted."""

    decile: int
    leads: int
    converted: int
    rate: float
    lift: float
    min_probability: float
    max_probability: float


@dataclass(frozen=True)
class CalibrationCurve:
    """Mean predicted vs observed conversion in bins of predicted probability."""

    predicted: tuple[float, ...]
    observed: tuple[float, ...]


@dataclass(frozen=True)
class BacktestResult:
    """Out-of-fold figures for the scorecard and for the tree baseline."""

    folds: int
    leads: int
    base_rate: float
    scorecard: Metrics
    baseline: Metrics
    lift: tuple[LiftRow, ...]
    scorecard_curve: CalibrationCurve
    baseline_curve: CalibrationCurve
    max_contributions: int


def metrics(y: np.ndarray, p: np.ndarray) -> Metrics:
    """The three figures the report and the acceptance bar use."""
    return Metrics(
        round(float(roc_auc_score(y, p)), 4),
        round(float(average_precision_score(y, p)), 4),
        round(float(brier_score_loss(y, p)), 4),
    )


def lift_table(y: np.ndarray, p: np.ndarray, groups: int = 10) -> list[LiftRow]:
    """Conversion per score decile, decile 1 holding the best-scored leads."""
    order = np.argsort(-p, kind="stable")
    base = float(y.mean()) or 1.0
    rows = []
    for i, part in enumerate(np.array_split(order, groups), start=1):
        if part.size == 0:
            continue
        rate = float(y[part].mean())
        rows.append(
            LiftRow(
                i,
                int(part.size),
                int(y[part].sum()),
                round(rate, 4),
                round(rate / base, 2),
                round(float(p[part].min()), 4),
                round(float(p[part].max()), 4),
            )
        )
    return rows


def _curve(y: np.ndarray, p: np.ndarray) -> CalibrationCurve:
    observed, predicted = calibration_curve(y, p, n_bins=10, strategy="quantile")
    return CalibrationCurve(
        tuple(float(v) for v in predicted), tuple(float(v) for v in observed)
    )


def tree_features(frame: pd.DataFrame, max_levels: int = 250) -> pd.DataFrame:
    """Attributes as the tree baseline reads them (text becomes categories)."""
    out = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_numeric_dtype(series):
            out[column] = series.astype(float)
            continue
        text = (
            series.astype(object)
            .where(series.notna(), None)
            .map(lambda v: None if v is None else str(v))
        )
        top = text.value_counts().index[: max_levels - 1]
        kept = text.where(text.isin(top) | text.isna(), "other")
        out[column] = kept.astype("category")
    return pd.DataFrame(out, index=frame.index)


def _baseline(
    x: pd.DataFrame, y: np.ndarray, seed: int
) -> Callable[[pd.DataFrame], np.ndarray]:
    """Trees on the columns with a value in `x` (the trees fail on an empty one).

    Single-threaded, like the fitter's regressions: on a busy machine
    OpenMP threads waiting for each other made one fit of a few hundred
    leads take 20 s instead of 0.1 s.
    """
    seen = [c for c in x.columns if x[c].notna().any()]
    model = HistGradientBoostingClassifier(
        categorical_features="from_dtype", random_state=seed
    )
    with threadpool_limits(limits=1, user_api="openmp"):
        model.fit(x[seen], y)

    def predict(rows: pd.DataFrame) -> np.ndarray:
        with threadpool_limits(limits=1, user_api="openmp"):
            return np.asarray(model.predict_proba(rows[seen])[:, 1])

    return predict


def _training_part_holds(smaller: int, folds: int, options: FitOptions) -> bool:
    """Whether each training part keeps enough of the smaller class to fit on."""
    return smaller - math.ceil(smaller / folds) >= options.selection_folds


def check_folds(y: np.ndarray, folds: int, options: FitOptions) -> None:
    """Refuse, in words, a fold count the history cannot fill.

    Every test fold needs won and lost leads, and every training part needs
    `options.selection_folds` of each for the fit's own cross-validation.
    """
    won, lost = int(y.sum()), int(len(y) - y.sum())
    smaller = min(won, lost)
    has = f"the history has {won} won and {lost} lost"
    if folds > smaller:
        fix = f"use at most {smaller} folds" if smaller >= 2 else "export more leads"
        raise FitInputError(
            f"a {folds}-fold backtest needs at least {folds} won and {folds} "
            f"lost leads; {has}: {fix}"
        )
    if not _training_part_holds(smaller, folds, options):
        bigger = range(folds + 1, smaller + 1)
        enough = [k for k in bigger if _training_part_holds(smaller, k, options)]
        fix = f"use {enough[0]} folds or more" if enough else "export more leads"
        raise FitInputError(
            f"a {folds}-fold backtest leaves too few won or lost leads to fit "
            f"on in each fold; {has}: {fix}"
        )


def backtest(
    frame: pd.DataFrame,
    y: np.ndarray,
    mapping: ColumnMapping,
    options: FitOptions | None = None,
    folds: int = 5,
    progress: Callable[[str], None] | None = None,
) -> BacktestResult:
    """Out-of-fold probabilities from scorecard and trees on the same folds."""
    options = options or FitOptions()
    check_folds(y, folds, options)
    trees = tree_features(frame)
    card_p = np.zeros(len(y))
    tree_p = np.zeros(len(y))
    most = 0
    split = StratifiedKFold(folds, shuffle=True, random_state=options.random_state)
    for i, (train, test) in enumerate(split.split(frame, y), start=1):
        fitted = fit_scorecard(frame.iloc[train], y[train], mapping, options)
        card = fitted.scorecard
        card_p[test] = card.probability(card.totals(frame.iloc[test]))
        most = max(most, card.max_contributions)
        predict = _baseline(trees.iloc[train], y[train], options.random_state)
        tree_p[test] = predict(trees.iloc[test])
        if progress:
            progress(f"fold {i}/{folds}")
    return BacktestResult(
        folds=folds,
        leads=len(y),
        base_rate=round(float(y.mean()), 4),
        scorecard=metrics(y, card_p),
        baseline=metrics(y, tree_p),
        lift=tuple(lift_table(y, card_p)),
        scorecard_curve=_curve(y, card_p),
        baseline_curve=_curve(y, tree_p),
        max_contributions=most,
    )
