"""Learning a sparse scorecard from past leads with known outcomes.

The recipe, chosen so every number stays explainable: cut each attribute into
a few bands (`binning`), pick at most `max_attributes` of them by forward
selection on cross-validated log-loss (so each lead's score is explained by a
handful of contributions, and the choice rewards calibrated probabilities,
not ranking alone), fit an L2-regularised logistic regression on the
band indicators, turn its weights into whole points whose totals span 0-100,
and map totals to a probability with a one-variable logistic fit (Platt).

A column with no value at all is left out before anything else (an early
export of the product has such columns): it cannot predict, and the trees
of the backtest cannot even be fitted on it. `FitResult.left_out` names them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from scoring.config_sections import RESERVED_IDS
from scoring.fit.binning import AttributeBins, fit_bins, one_hot
from scoring.fit.errors import FitInputError
from scoring.fit.mapping import ColumnMapping
from scoring.fit.scorecard import Band, Rule, Scorecard
from scoring.model import Source

SCALE = 100.0
SelectionMetric = Literal["log_loss", "roc_auc"]


@dataclass(frozen=True)
class FitOptions:
    """Knobs of the fit; the defaults are what the documented example uses."""

    version: str = "fitted"
    max_attributes: int = 8
    select_by: SelectionMetric = "log_loss"
    max_bins: int = 6
    min_share: float = 0.02
    l2_c: float = 1.0
    selection_folds: int = 3
    min_gain: float = 0.0005
    random_state: int = 0


@dataclass(frozen=True)
class SelectionStep:
    """One forward-selection step: the attribute added and the CV figures after it.

    `cv_log_loss` and `cv_auc` come from the same out-of-fold probabilities
    of the selection's cross-validation, whichever of them chose the step.
    """

    attribute: str
    cv_log_loss: float
    cv_auc: float


@dataclass(frozen=True)
class FitResult:
    """The scorecard plus how it was chosen, for the report.

    `left_out` names the candidate columns with no value in the history,
    which the fit could not use.
    """

    scorecard: Scorecard
    steps: tuple[SelectionStep, ...]
    bins: tuple[AttributeBins, ...]
    selected_by: SelectionMetric = "log_loss"
    left_out: tuple[str, ...] = ()


def without_empty(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The attributes with at least one value, and the names of the others."""
    empty = [c for c in frame.columns if frame[c].isna().all()]
    return frame.drop(columns=empty), tuple(str(c) for c in empty)


def _model(options: FitOptions) -> LogisticRegression:
    return LogisticRegression(C=options.l2_c, solver="newton-cholesky", max_iter=200)


def _out_of_fold(x: np.ndarray, y: np.ndarray, options: FitOptions) -> np.ndarray:
    """Probabilities of each lead from a model that did not see it."""
    folds = StratifiedKFold(
        options.selection_folds, shuffle=True, random_state=options.random_state
    )
    p = np.zeros(len(y))
    for train, test in folds.split(x, y):
        model = _model(options).fit(x[train], y[train])
        p[test] = model.predict_proba(x[test])[:, 1]
    return p


def _merit(y: np.ndarray, p: np.ndarray, metric: SelectionMetric) -> float:
    """Higher is better: AUC, or log-loss with its sign turned."""
    if metric == "roc_auc":
        return float(roc_auc_score(y, p))
    return -float(log_loss(y, p, labels=[0, 1]))


def _step(name: str, y: np.ndarray, p: np.ndarray) -> SelectionStep:
    return SelectionStep(
        name,
        round(float(log_loss(y, p, labels=[0, 1])), 4),
        round(float(roc_auc_score(y, p)), 4),
    )


def select_attributes(
    blocks: dict[str, np.ndarray], y: np.ndarray, options: FitOptions
) -> list[SelectionStep]:
    """Greedy forward selection: add the attribute that helps the CV figure most.

    The figure is `options.select_by` on out-of-fold probabilities; it starts
    from a model that knows only the base rate. Stops at `max_attributes` or
    when no attribute adds `min_gain`, so a weak export yields a short
    scorecard instead of a noisy long one. It is lazy: an attribute's gain
    from the previous step bounds its gain now (an extra attribute rarely
    makes another more useful), so candidates are tried best-first and the
    step ends once no bound can beat the leader. That keeps the fit to
    seconds with dozens of columns.
    """
    chosen: list[SelectionStep] = []
    best = _merit(y, np.full(len(y), y.mean()), options.select_by)
    bound = dict.fromkeys(blocks, np.inf)
    while bound and len(chosen) < options.max_attributes:
        current = [blocks[s.attribute] for s in chosen]
        leader, leader_gain, leader_p = "", -np.inf, np.zeros(0)
        for name in sorted(bound, key=lambda n: -bound[n]):
            if bound[name] <= leader_gain:
                break
            p = _out_of_fold(np.hstack([*current, blocks[name]]), y, options)
            bound[name] = _merit(y, p, options.select_by) - best
            if bound[name] > leader_gain:
                leader, leader_gain, leader_p = name, bound[name], p
        if leader_gain < options.min_gain:
            break
        best += leader_gain
        chosen.append(_step(leader, y, leader_p))
        del bound[leader]
    return chosen


def rule_ids(names: Sequence[str]) -> list[str]:
    """An id per attribute that the rules file accepts, made from its name.

    The id is generated, so the user cannot fix a clash: a column named
    'Base' must not become the engine's reserved 'base' (it becomes
    'base_rule'), and 'Lead Source' next to 'lead_source' gets 'lead_source_2'.
    """
    ids: list[str] = []
    for name in names:
        plain = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "attribute"
        if plain in RESERVED_IDS:
            plain = f"{plain}_rule"
        unique, n = plain, 1
        while unique in ids or unique in RESERVED_IDS:
            n += 1
            unique = f"{plain}_{n}"
        ids.append(unique)
    return ids


def _rule(
    bins: AttributeBins,
    points: np.ndarray,
    source: Source,
    rule_id: str | None = None,
) -> Rule:
    """One attribute's points as a rule; the fit passes ids from `rule_ids`."""
    rule_id = rule_id or rule_ids([bins.attribute])[0]
    values = [float(p) for p in points]
    missing = values[bins.missing_slot]
    reason = "{field}: {value}"
    if bins.kind == "numeric":
        bands: list[Band] = []
        for slot in range(bins.size - 1):
            low, high = bins.band(slot)
            if bands and bands[-1].points == values[slot]:
                bands[-1] = Band(values[slot], bands[-1].min, high)
            else:
                bands.append(Band(values[slot], low, high))
        return Rule(
            rule_id,
            bins.attribute,
            reason,
            bands=tuple(bands),
            missing=missing,
            source=source,
        )
    table = {level: values[i] for i, level in enumerate(bins.levels)}
    return Rule(
        rule_id,
        bins.attribute,
        reason,
        points=table,
        default=values[bins.other_slot],
        missing=missing,
        source=source,
    )


def fit_scorecard(
    frame: pd.DataFrame,
    y: np.ndarray,
    mapping: ColumnMapping,
    options: FitOptions | None = None,
) -> FitResult:
    """Fit a scorecard on prepared attributes (see `mapping.prepare`)."""
    options = options or FitOptions()
    if len(np.unique(y)) < 2 or min(np.bincount(y)) < options.selection_folds:
        raise FitInputError(
            "the history needs both won (1) and lost (0) leads, at least "
            f"{options.selection_folds} of each; export a longer period"
        )
    frame, left_out = without_empty(frame)
    if frame.columns.empty:
        raise FitInputError(
            "every candidate column is empty; export columns with values or "
            "list them under profile and engagement in the mapping"
        )
    all_bins = fit_bins(frame, y, options.max_bins, options.min_share)
    by_name = {b.attribute: b for b in all_bins}
    blocks = {b.attribute: one_hot(frame, [b]) for b in all_bins}
    # Hundreds of tiny regressions: BLAS threads cost more than they save
    # (and oversubscribe a busy machine), so run them single-threaded.
    with threadpool_limits(limits=1, user_api="blas"):
        steps = select_attributes(blocks, y, options)
    if not steps:
        raise FitInputError(
            "no attribute predicts the outcome; check the mapping's columns"
        )
    chosen = [by_name[s.attribute] for s in steps]
    x = one_hot(frame, chosen)
    weights = _model(options).fit(x, y).coef_[0]
    spans, start = [], 0
    for b in chosen:
        spans.append(weights[start : start + b.size])
        start += b.size
    total_range = sum(float(w.max() - w.min()) for w in spans) or 1.0
    scale = SCALE / total_range
    ids = rule_ids([b.attribute for b in chosen])
    rules = tuple(
        _rule(b, np.round((w - w.min()) * scale), mapping.source_of(b.attribute), i)
        for i, b, w in zip(ids, chosen, spans, strict=True)
    )
    card = Scorecard(options.version, 0.0, rules, 0.0, 1.0)
    totals = card.totals(frame).reshape(-1, 1)
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(totals, y)
    card = Scorecard(
        options.version,
        0.0,
        rules,
        round(float(platt.intercept_[0]), 6),
        round(float(platt.coef_[0][0]), 6),
    )
    return FitResult(card, tuple(steps), tuple(chosen), options.select_by, left_out)
