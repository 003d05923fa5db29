"""Fifth round on X Education: distillation, bagging, calibration (see README.md).

Judged like try_interactions.py and try_segments.py: 5-fold stratified
cross-validation within leads_train.csv (shuffle, seed 0, the folds of
`backtest`), pooled out-of-fold probabilities, and every attempt refits its
whole recipe inside every fold (bands, attribute choice, teacher model,
points, calibration) on the training folds only. Each row also gives the
mean and standard deviation of the five per-fold ROC AUCs and Briers, the
difference of the mean per-fold AUC from the default card's on the same
folds (and in how many folds it is higher / lower), and two contribution
counts: rules on the card (what `backtest` reports) and the most non-zero
lines any test lead actually showed. The default card and the teacher are
fitted once per fold and shared between attempts, so `seconds` counts them
only for the first attempt that needs them (the default card: never).

    .venv/bin/python examples/xeducation/try_round5.py \\
        ~/data/xeducation/leads_train.csv --attempt all

Attempts (pick one or more with --attempt):

- baseline: the default recipe (`fit_scorecard`, 8 rules, Platt), rerun;
- teacher: the teacher alone, HistGradientBoostingClassifier tuned as in the
  third round (rate 0.03, 600 rounds, 15 leaves, L2 1), every column;
- distill: the default card's 8 attributes and bands, but the band weights
  fitted to the teacher instead of the labels, then whole points and Platt on
  the real labels (the points come from the teacher, the map from the labels).
  Soft targets are the teacher's in-sample probabilities or its inner 3-fold
  out-of-fold probabilities; the student is a logistic regression on soft
  labels (every lead twice, as won with weight p and as lost with 1 - p), a
  least-squares fit to the teacher's logit, or the same weighted by p(1 - p)
  (the second-order approximation of the Kullback-Leibler fit);
- distill-select: the same soft-label student, with the 8 attributes also
  chosen against the teacher (greedy forward selection, lazy as in the
  fitter, merit = 3-fold CV cross-entropy to the teacher's probabilities);
- distill-mix: labels and teacher mixed, target = a * y + (1 - a) * p;
- distill-fine: the default card's 8 attributes cut finer (up to 10 bands,
  1% minimum), weights fitted to the labels, the OOF teacher, or half each;
- bagging: the default card's 8 attributes; bands and weights refitted on
  25 / 100 bootstrap samples and averaged on the union of the cut points
  (categories: union of kept levels), so still one rule per attribute;
- calibration: the default card's totals mapped by beta calibration
  (logistic on log s and log(1 - s), s = total / 100; monotone, not
  expressible as intercept + slope) and by Platt with an extra squared
  term, for reference: a monotone map of the total cannot move ROC AUC;
  and Platt (still intercept + slope) fitted on cross-fitted totals instead
  of the in-sample ones: the chosen bands' weights refitted on inner 3-fold
  parts, or the whole recipe refitted there and its calibrated logit used
  to shrink the card's map;
- sparse-lines: 8, 10, 12, 16 rules, every rule rebased so its commonest
  band is worth 0 points (negative points elsewhere, the shift folded into
  the calibration intercept): the engine hides 0-point lines, so the lines a
  lead shows can stay under the rule count. Not a guarantee for every
  possible lead once there are more than 8 rules; measured on the test folds;
- brier: fits that minimise Brier instead of log-loss: the card's Platt map
  (intercept and slope), and the band weights (L2 as the fitter's C = 1).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.optimize import minimize
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scoring.fit import (
    ColumnMapping,
    FitOptions,
    fit_scorecard,
    fitter,
    mapping_from_dict,
    outcome_vector,
    prepare,
)
from scoring.fit.backtest import tree_features
from scoring.fit.binning import AttributeBins, fit_bins, one_hot
from scoring.fit.scorecard import Scorecard

MAPPING = Path(__file__).with_name("mapping.yml")
Predictions = dict[str, tuple[np.ndarray, int, int]]  # p, rules, lines shown
EPS = 1e-4


# ------------------------------------------------------------------ helpers


def _lines(card: Scorecard, frame: pd.DataFrame) -> int:
    """The most non-zero lines (base included) any of these leads shows."""
    table = card.points_table(frame).to_numpy(dtype=float)
    return int((table != 0).sum(axis=1).max()) + (1 if card.base else 0)


def _card_from_weights(
    chosen: list[AttributeBins],
    weights: np.ndarray,
    train: pd.DataFrame,
    y: np.ndarray,
) -> Scorecard:
    """Whole points from band weights and Platt on the labels, as the fitter."""
    spans, start = [], 0
    for b in chosen:
        spans.append(weights[start : start + b.size])
        start += b.size
    total_range = sum(float(w.max() - w.min()) for w in spans) or 1.0
    scale = fitter.SCALE / total_range
    mapping = ColumnMapping(outcome="y")
    rules = tuple(
        fitter._rule(b, np.round((w - w.min()) * scale), mapping.source_of(b.attribute))
        for b, w in zip(chosen, spans, strict=True)
    )
    card = Scorecard("round5", 0.0, rules, 0.0, 1.0)
    totals = card.totals(train).reshape(-1, 1)
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(totals, y)
    return Scorecard(
        "round5",
        0.0,
        rules,
        round(float(platt.intercept_[0]), 6),
        round(float(platt.coef_[0][0]), 6),
    )


def _row(card: Scorecard, train: pd.DataFrame, test: pd.DataFrame) -> tuple:
    return (
        card.probability(card.totals(test)),
        card.max_contributions,
        _lines(card, test),
    )


def _teacher(x: pd.DataFrame, y: np.ndarray) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        learning_rate=0.03,
        max_iter=600,
        max_leaf_nodes=15,
        l2_regularization=1.0,
        categorical_features="from_dtype",
        random_state=0,
    ).fit(x, y)


def _teacher_targets(
    train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Teacher probabilities: in-sample, inner 3-fold out-of-fold, and on test."""
    both = tree_features(pd.concat([train, test]))
    xtr, xte = both.iloc[: len(train)], both.iloc[len(train) :]
    model = _teacher(xtr, y)
    inside = model.predict_proba(xtr)[:, 1]
    on_test = model.predict_proba(xte)[:, 1]
    oof = np.zeros(len(y))
    inner = StratifiedKFold(3, shuffle=True, random_state=1)
    for fit_on, judge in inner.split(xtr, y):
        part = _teacher(xtr.iloc[fit_on], y[fit_on])
        oof[judge] = part.predict_proba(xtr.iloc[judge])[:, 1]
    return inside, oof, on_test


_CACHE: dict[tuple[int, int], tuple] = {}


def _default(train: pd.DataFrame, y: np.ndarray) -> fitter.FitResult:
    key = (len(train), hash(tuple(train.index[:50])))
    if key not in _CACHE:
        _CACHE[key] = fit_scorecard(train, y, ColumnMapping(outcome="y"), FitOptions())
    return _CACHE[key]


def _teacher_cached(train, y, test):
    key = (len(train), hash(tuple(train.index[:50])), "teacher")
    if key not in _CACHE:
        _CACHE[key] = _teacher_targets(train, y, test)
    return _CACHE[key]


def _soft_lr(x: np.ndarray, target: np.ndarray, c: float = 1.0) -> np.ndarray:
    """Logistic regression on soft labels: each row as won (w=t) and lost (1-t)."""
    n = len(target)
    model = LogisticRegression(C=c, solver="newton-cholesky", max_iter=300)
    model.fit(
        np.vstack([x, x]),
        np.r_[np.ones(n), np.zeros(n)],
        sample_weight=np.r_[target, 1.0 - target],
    )
    return model.coef_[0]


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, EPS, 1 - EPS)
    return np.log(p / (1 - p))


def _ls(x: np.ndarray, target: np.ndarray, weighted: bool) -> np.ndarray:
    w = np.clip(target * (1 - target), EPS, None) if weighted else None
    model = Ridge(alpha=1.0).fit(x, _logit(target), sample_weight=w)
    return model.coef_


# ----------------------------------------------------------------- attempts


def baseline(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> Predictions:
    card = _default(train, y).scorecard
    return {"default card (8 rules, Platt)": _row(card, train, test)}


def teacher(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> Predictions:
    _, _, on_test = _teacher_cached(train, y, test)
    return {"teacher: tuned trees, every column": (on_test, 0, 0)}


def distill(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> Predictions:
    chosen = list(_default(train, y).bins)
    inside, oof, _ = _teacher_cached(train, y, test)
    x = one_hot(train, chosen)
    out: Predictions = {}
    for name, target in (("in-sample", inside), ("inner OOF", oof)):
        students = {
            "soft-label LR": _soft_lr(x, target),
            "least squares on logit": _ls(x, target, weighted=False),
            "least squares, weights p(1-p)": _ls(x, target, weighted=True),
        }
        for student, weights in students.items():
            card = _card_from_weights(chosen, weights, train, y)
            out[f"distill, {name} teacher, {student}"] = _row(card, train, test)
    return out


def distill_fine(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> Predictions:
    """Finer bands for the default card's 8 attributes (up to 10, 1% minimum):
    a teacher's smooth targets may carry more bands than noisy labels can."""
    names = [b.attribute for b in _default(train, y).bins]
    chosen = fit_bins(train[names], y, max_bins=10, min_share=0.01)
    _, oof, _ = _teacher_cached(train, y, test)
    x = one_hot(train, chosen)
    out: Predictions = {}
    targets = {
        "labels": y * 1.0,
        "OOF teacher": oof,
        "labels/teacher 50:50": 0.5 * y + 0.5 * oof,
    }
    for name, target in targets.items():
        card = _card_from_weights(chosen, _soft_lr(x, target), train, y)
        out[f"distill-fine, bands 10 / 1%, soft-label LR on {name}"] = _row(
            card, train, test
        )
    return out


def distill_mix(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> Predictions:
    chosen = list(_default(train, y).bins)
    _, oof, _ = _teacher_cached(train, y, test)
    x = one_hot(train, chosen)
    out: Predictions = {}
    for a in (0.25, 0.5, 0.75):
        weights = _soft_lr(x, a * y + (1 - a) * oof)
        card = _card_from_weights(chosen, weights, train, y)
        out[f"distill-mix, a={a} labels + OOF teacher, soft-label LR"] = _row(
            card, train, test
        )
    return out


def _select_soft(
    blocks: dict[str, np.ndarray], target: np.ndarray, y: np.ndarray, rules: int
) -> list[str]:
    """Lazy greedy forward selection by CV cross-entropy to the soft target."""
    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(target, y))
    t = np.clip(target, EPS, 1 - EPS)

    def merit(x: np.ndarray) -> float:
        p = np.zeros(len(t))
        for fit_on, judge in folds:
            n = len(fit_on)
            model = LogisticRegression(solver="newton-cholesky", max_iter=300)
            model.fit(
                np.vstack([x[fit_on], x[fit_on]]),
                np.r_[np.ones(n), np.zeros(n)],
                sample_weight=np.r_[t[fit_on], 1 - t[fit_on]],
            )
            p[judge] = model.predict_proba(x[judge])[:, 1]
        p = np.clip(p, EPS, 1 - EPS)
        return float(np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)))

    chosen: list[str] = []
    best = float(np.mean(t * np.log(t.mean()) + (1 - t) * np.log(1 - t.mean())))
    bound = dict.fromkeys(blocks, np.inf)
    while bound and len(chosen) < rules:
        current = [blocks[c] for c in chosen]
        leader, leader_gain = "", -np.inf
        for name in sorted(bound, key=lambda n: -bound[n]):
            if bound[name] <= leader_gain:
                break
            bound[name] = merit(np.hstack([*current, blocks[name]])) - best
            if bound[name] > leader_gain:
                leader, leader_gain = name, bound[name]
        best += leader_gain
        chosen.append(leader)
        del bound[leader]
    return chosen


def distill_select(
    train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame
) -> Predictions:
    _, oof, _ = _teacher_cached(train, y, test)
    all_bins = fit_bins(train, y)
    by_name = {b.attribute: b for b in all_bins}
    blocks = {b.attribute: one_hot(train, [b]) for b in all_bins}
    names = _select_soft(blocks, oof, y, 8)
    default_names = [b.attribute for b in _default(train, y).bins]
    print(
        f"    teacher-chosen: {names}\n    default: {default_names}",
        file=sys.stderr,
        flush=True,
    )
    chosen = [by_name[n] for n in names]
    x = one_hot(train, chosen)
    out: Predictions = {}
    card = _card_from_weights(chosen, _soft_lr(x, oof), train, y)
    out["distill-select: chosen vs OOF teacher, soft-label LR"] = _row(
        card, train, test
    )
    model = LogisticRegression(solver="newton-cholesky", max_iter=300).fit(x, y)
    card = _card_from_weights(chosen, model.coef_[0], train, y)
    out["distill-select: chosen vs OOF teacher, weights on labels"] = _row(
        card, train, test
    )
    return out


def _union_bins(original: AttributeBins, boots: list[AttributeBins]) -> AttributeBins:
    if original.kind == "numeric":
        edges = sorted({e for b in [original, *boots] for e in b.edges})
        return AttributeBins(original.attribute, "numeric", edges=tuple(edges))
    levels = list(original.levels)
    for b in boots:
        levels += [v for v in b.levels if v not in levels]
    return AttributeBins(original.attribute, "categorical", levels=tuple(levels))


def _representatives(union: AttributeBins) -> pd.Series:
    """One value per slot of the union bins, in slot order."""
    if union.kind == "numeric":
        values = [-np.inf, *union.edges, np.nan]
        return pd.Series(values, dtype=float)
    other = "\x00not a level\x00"
    return pd.Series([*union.levels, other, None], dtype=object)


def _bagged(
    train: pd.DataFrame,
    y: np.ndarray,
    chosen: list[AttributeBins],
    bags: int,
    same_bands: bool,
) -> tuple[list[AttributeBins], np.ndarray]:
    """Averaged weights over bootstrap refits, on the union of their slots."""
    rng = np.random.default_rng(0)
    columns = [b.attribute for b in chosen]
    fits: list[tuple[list[AttributeBins], np.ndarray]] = []
    for _ in range(bags):
        idx = rng.integers(0, len(y), len(y))
        part, yy = train.iloc[idx][columns], y[idx]
        bins = chosen if same_bands else fit_bins(part, yy)
        model = LogisticRegression(solver="newton-cholesky", max_iter=300)
        fits.append((bins, model.fit(one_hot(part, bins), yy).coef_[0]))
    union = [_union_bins(b, [f[0][i] for f in fits]) for i, b in enumerate(chosen)]
    total = np.zeros(sum(u.size for u in union))
    for bins, coef in fits:
        start_u, start_b, mapped = 0, 0, []
        for u, b in zip(union, bins, strict=True):
            slots = b.slots(_representatives(u))
            w = coef[start_b : start_b + b.size][slots]
            mapped.append(w - w.mean())
            start_b += b.size
            start_u += u.size
        total += np.concatenate(mapped)
    return union, total / bags


def bagging(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> Predictions:
    chosen = list(_default(train, y).bins)
    out: Predictions = {}
    for bags, same in ((25, True), (25, False), (100, False)):
        union, weights = _bagged(train, y, chosen, bags, same)
        card = _card_from_weights(union, weights, train, y)
        bands = sum(
            len(r.bands) if r.bands else len(r.points or {}) for r in card.rules
        )
        what = "same bands" if same else "bands refitted, union of cuts"
        print(f"    bagging {bags}, {what}: {bands} bands/levels", file=sys.stderr)
        out[f"bagging {bags}, {what}"] = _row(card, train, test)
    return out


def calibration(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> Predictions:
    card = _default(train, y).scorecard
    size = card.max_contributions
    tr, te = card.totals(train), card.totals(test)
    top = max(float(tr.max()), 1.0)

    def beta_x(t: np.ndarray) -> np.ndarray:
        s = np.clip(t / top, 0.005, 0.995)
        return np.column_stack([np.log(s), -np.log(1 - s)])

    model = LogisticRegression(C=1e6, max_iter=2000).fit(beta_x(tr), y)
    lines = _lines(card, test)
    out: Predictions = {
        "default card, beta calibration of the total": (
            model.predict_proba(beta_x(te))[:, 1],
            size,
            lines,
        )
    }
    quad = LogisticRegression(C=1e6, max_iter=2000)
    z = lambda t: np.column_stack([t / 100, (t / 100) ** 2])  # noqa: E731
    quad.fit(z(tr), y)
    out["default card, Platt + squared total"] = (
        quad.predict_proba(z(te))[:, 1],
        size,
        lines,
    )
    out.update(_oof_platt(train, y, test))
    return out


def _oof_platt(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> Predictions:
    """Platt fitted on cross-fitted totals instead of in-sample ones.

    In-sample totals are a little optimistic, so their Platt slope is a little
    steep. (a) The chosen bands' weights refitted on inner 3-fold training
    parts give each lead an out-of-fold logit, put on the card's points scale;
    (b) the whole recipe refitted on each inner training part (selection
    included) gives an out-of-fold calibrated logit, and a logistic fit of the
    labels on it shrinks the card's own Platt map. Both stay intercept + slope.
    """
    fit = _default(train, y)
    card, chosen = fit.scorecard, list(fit.bins)
    x = one_hot(train, chosen)
    full = fitter._model(FitOptions()).fit(x, y)
    spans, start = [], 0
    for b in chosen:
        spans.append(full.coef_[0][start : start + b.size])
        start += b.size
    scale = fitter.SCALE / sum(float(w.max() - w.min()) for w in spans)
    shift = float(full.intercept_[0]) + sum(float(w.min()) for w in spans)
    inner = list(StratifiedKFold(3, shuffle=True, random_state=1).split(x, y))
    eta = np.zeros(len(y))
    card_logit = np.zeros(len(y))
    for fit_on, judge in inner:
        model = fitter._model(FitOptions()).fit(x[fit_on], y[fit_on])
        eta[judge] = model.decision_function(x[judge])
        part = fit_scorecard(
            train.iloc[fit_on], y[fit_on], ColumnMapping(outcome="y"), FitOptions()
        ).scorecard
        card_logit[judge] = part.intercept + part.slope * part.totals(train.iloc[judge])
    totals_oof = scale * (eta - shift)
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(totals_oof.reshape(-1, 1), y)
    a, b = float(platt.intercept_[0]), float(platt.coef_[0][0])
    te = card.totals(test)
    lines, size = _lines(card, test), card.max_contributions
    shrink = LogisticRegression(C=1e6, max_iter=1000).fit(card_logit.reshape(-1, 1), y)
    a2, b2 = float(shrink.intercept_[0]), float(shrink.coef_[0][0])
    print(
        f"    Platt in-sample ({card.intercept:.3f}, {card.slope:.4f}); "
        f"on OOF totals ({a:.3f}, {b:.4f}); recipe shrink ({a2:.3f}, {b2:.3f})",
        file=sys.stderr,
    )
    shrunk = a2 + b2 * (card.intercept + card.slope * te)
    return {
        "default card, Platt on inner-OOF totals (same bands)": (
            1 / (1 + np.exp(-(a + b * te))),
            size,
            lines,
        ),
        "default card, Platt shrunk by inner-OOF whole recipe": (
            1 / (1 + np.exp(-shrunk)),
            size,
            lines,
        ),
    }


def _brier_fit(
    x: np.ndarray, y: np.ndarray, start: np.ndarray, l2: float
) -> np.ndarray:
    """Intercept and weights minimising mean Brier + l2/n * |w|^2 (intercept free)."""
    design = np.column_stack([np.ones(len(y)), x])
    penalty = np.r_[0.0, np.full(x.shape[1], l2 / len(y))]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        p = 1 / (1 + np.exp(-np.clip(design @ w, -35, 35)))
        r = p - y
        grad = design.T @ (2 * r * p * (1 - p)) / len(y) + 2 * penalty * w
        return float(np.mean(r * r) + np.sum(penalty * w * w)), grad

    return minimize(loss, start, jac=True, method="L-BFGS-B").x


def brier(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> Predictions:
    """Fits that minimise Brier instead of log-loss (both stay expressible)."""
    fit = _default(train, y)
    card, chosen = fit.scorecard, list(fit.bins)
    tr, te = card.totals(train), card.totals(test)
    lines, size = _lines(card, test), card.max_contributions
    a, b = _brier_fit(tr.reshape(-1, 1), y, np.array([card.intercept, card.slope]), 0)
    out: Predictions = {
        "default card, Platt map fitted by Brier": (
            1 / (1 + np.exp(-(a + b * te))),
            size,
            lines,
        )
    }
    x = one_hot(train, chosen)
    model = fitter._model(FitOptions()).fit(x, y)
    start = np.r_[model.intercept_, model.coef_[0]]
    weights = _brier_fit(x, y, start, 1.0)[1:]
    card = _card_from_weights(chosen, weights, train, y)
    tr, te = card.totals(train), card.totals(test)
    out["default attributes, weights by Brier, Platt"] = _row(card, train, test)
    a, b = _brier_fit(tr.reshape(-1, 1), y, np.array([card.intercept, card.slope]), 0)
    out["default attributes, weights by Brier, map by Brier"] = (
        1 / (1 + np.exp(-(a + b * te))),
        size,
        _lines(card, test),
    )
    return out


def sparse_lines(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> Predictions:
    """More rules, each rebased so its most common slot is worth 0 points.

    The engine hides lines worth 0 points, so with every rule's commonest
    band at 0 (others may be negative; the shift goes into the calibration
    intercept, probabilities unchanged) a lead shows only the rules where it
    is unusual. The bar counts lines per lead; with more than 8 rules it
    cannot be guaranteed for every possible lead, only measured on these.
    """
    out: Predictions = {}
    for rules in (8, 10, 12, 16):
        options = FitOptions(max_attributes=rules)
        card = fit_scorecard(train, y, ColumnMapping(outcome="y"), options).scorecard
        modes = card.points_table(train).mode().iloc[0]
        shown = (card.points_table(test) - modes != 0).sum(axis=1).to_numpy()
        print(
            f"    {rules} rules ({len(card.rules)} fitted): test leads with <= 8 "
            f"lines {np.mean(shown <= 8):.4f}, lines max {shown.max()}, "
            f"mean {shown.mean():.2f}",
            file=sys.stderr,
        )
        out[f"{rules} rules, commonest band of each at 0 points"] = (
            card.probability(card.totals(test)),
            card.max_contributions,
            int(shown.max()),
        )
    return out


ATTEMPTS: dict[str, Callable[[pd.DataFrame, np.ndarray, pd.DataFrame], Predictions]]
ATTEMPTS = {
    "baseline": baseline,
    "teacher": teacher,
    "distill": distill,
    "distill-mix": distill_mix,
    "distill-fine": distill_fine,
    "distill-select": distill_select,
    "bagging": bagging,
    "calibration": calibration,
    "sparse-lines": sparse_lines,
    "brier": brier,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="leads_train.csv")
    parser.add_argument(
        "--attempt", nargs="+", default=["baseline"], choices=[*ATTEMPTS, "all"]
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="fold seed; the bar uses 0, others show how much the split moves",
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    names = list(ATTEMPTS) if "all" in args.attempt else args.attempt
    mapping = mapping_from_dict(yaml.safe_load(MAPPING.read_text()))
    history = pd.read_csv(args.csv, low_memory=False)
    frame, y = prepare(history, mapping), outcome_vector(history, mapping)
    split = StratifiedKFold(5, shuffle=True, random_state=args.seed)
    folds = list(split.split(frame, y))
    fold_of = np.zeros(len(y), dtype=int)
    for k, (_, test) in enumerate(folds):
        fold_of[test] = k
    print(
        "| attempt | ROC AUC | AP | Brier | AUC folds mean ± sd | "
        "Brier folds mean ± sd | AUC vs default, folds up/down | rules "
        "| lines shown at most | seconds |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |", flush=True)
    reference = np.zeros(len(y))
    with threadpool_limits(limits=1):
        for train, test in folds:
            fit = _default(frame.iloc[train], y[train]).scorecard
            reference[test] = fit.probability(fit.totals(frame.iloc[test]))
    ref_aucs = [
        roc_auc_score(y[fold_of == k], reference[fold_of == k]) for k in range(5)
    ]
    for name in names:
        started = time.perf_counter()
        p: dict[str, np.ndarray] = {}
        rules: dict[str, int] = {}
        lines: dict[str, int] = {}
        with threadpool_limits(limits=1):
            for train, test in folds:
                found = ATTEMPTS[name](frame.iloc[train], y[train], frame.iloc[test])
                for label, (q, size, shown) in found.items():
                    p.setdefault(label, np.zeros(len(y)))[test] = q
                    rules[label] = max(rules.get(label, 0), size)
                    lines[label] = max(lines.get(label, 0), shown)
        seconds = time.perf_counter() - started
        for label, q in p.items():
            aucs = [roc_auc_score(y[fold_of == k], q[fold_of == k]) for k in range(5)]
            brs = [brier_score_loss(y[fold_of == k], q[fold_of == k]) for k in range(5)]
            print(
                f"| {label} | {roc_auc_score(y, q):.4f} "
                f"| {average_precision_score(y, q):.4f} "
                f"| {brier_score_loss(y, q):.4f} "
                f"| {np.mean(aucs):.4f} ± {np.std(aucs, ddof=1):.4f} "
                f"| {np.mean(brs):.4f} ± {np.std(brs, ddof=1):.4f} "
                f"| {np.mean(aucs) - np.mean(ref_aucs):+.4f}, "
                f"{sum(a > r for a, r in zip(aucs, ref_aucs, strict=True))}/"
                f"{sum(a < r for a, r in zip(aucs, ref_aucs, strict=True))} "
                f"| {rules[label] or '-'} | {lines[label] or '-'} | {seconds:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
