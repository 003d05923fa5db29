"""Honest figures for a fitted scorecard: cross-validation against trees.

Every fold refits the whole recipe (bands, attribute selection, points,
calibration) on the other folds, so the figures describe leads the scorecard
has not seen. Gradient-boosted trees are fitted on the same folds and the
same attributes as the yardstick: a scorecard is worth its readability only
if it is about as accurate as the black box.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold

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
    model = HistGradientBoostingClassifier(
        categorical_features="from_dtype", random_state=seed
    )
    model.fit(x, y)
    return lambda rows: np.asarray(model.predict_proba(rows)[:, 1])


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
