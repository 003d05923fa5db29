"""Segmented scorecards for X Education (none reached the bar), judged like try_interactions.py.

Same folds (5 stratified, shuffle, seed 0), the whole recipe refitted inside
every fold: segmenter (pooling of small segments, or a shallow tree), one
card per segment with the existing fitter (FitOptions, up to 7 rules), and
the calibration.

Calibrations reported for every segmentation:
  per-seg    : each segment card's own Platt map (a_s, b_s), as fit_scorecard
               fits it on the segment's train totals; NOT expressible today
               (the product has one probability map per card).
  1map-base  : one Platt map over base_s + total, where base_s comes from one
               logistic fit of y on [total, segment dummies] (common slope,
               points unchanged); expressible if rules can be conditioned.
  1map-rescale: every segment's points rescaled by b_s / B to one common
               points-per-logit scale (rounded to whole points), base_s =
               segment's offset in that scale, then one Platt refit over all
               totals; expressible likewise (it is per-seg up to rounding).
  1map-nobase: one Platt map over the raw segment totals, no segment base
               (what you get by just concatenating the cards).
Contributions: rules of the segment card + 1 for the segment base (counted
always).

Usage (figures in README.md, fourth round):

    .venv/bin/python examples/xeducation/try_segments.py \\
        ~/data/xeducation/leads_train.csv --attempt baseline origin ...

Each attempt's per-fold figures go to stdout; the segments and the rules
chosen in each fold to ``--log`` (default var/try_segments.log).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.tree import DecisionTreeClassifier, export_text
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scoring.fit import (  # noqa: E402
    ColumnMapping,
    FitOptions,
    fit_scorecard,
    mapping_from_dict,
    outcome_vector,
    prepare,
)
from scoring.fit.binning import fit_bins, one_hot  # noqa: E402

MAPPING = ROOT / "examples" / "xeducation" / "mapping.yml"
LOG_PATH = ROOT / "var" / "try_segments.log"


QUIET = False  # set while the inner CV of `search` refits many cards


def log(*a: object) -> None:
    if QUIET:
        return
    with LOG_PATH.open("a", encoding="utf-8") as out:
        print(*a, file=out)


# ---------------------------------------------------------------- segmenters
# A segmenter is fitted on the fold's train rows and returns a function that
# maps any frame to segment labels (every label one the train part has).

Segmenter = Callable[[pd.DataFrame], np.ndarray]


def _pool(
    labels: pd.Series,
    y: np.ndarray,
    min_minority: int,
    min_size: int,
    max_segments: int = 99,
) -> dict[str, str]:
    """Merge segments whose size or minority-class count is too small into the
    kept segment nearest in conversion rate; returns raw label -> segment."""
    stats = pd.DataFrame({"s": labels.to_numpy(), "y": y}).groupby("s")["y"]
    size, won = stats.size(), stats.sum()
    rate = won / size
    minority = np.minimum(won, size - won)
    group = {s: s for s in size.index}
    while True:
        groups = pd.Series(group)
        gsize = size.groupby(groups).sum()
        gwon = won.groupby(groups).sum()
        gmin = np.minimum(gwon, gsize - gwon)
        small = [
            g for g in gsize.index if gsize[g] < min_size or gmin[g] < min_minority
        ]
        if not small and len(gsize) > max_segments:
            small = list(gsize.index)
        if not small or len(gsize) == 1:
            break
        g = min(small, key=lambda k: gsize[k])
        grate = gwon / gsize
        others = [k for k in gsize.index if k != g]
        target = min(others, key=lambda k: abs(grate[k] - grate[g]))
        for raw, cur in group.items():
            if cur == g:
                group[raw] = target
    del rate, minority
    return group


def by_column(
    column: str,
    min_minority: int = 60,
    min_size: int = 200,
    fixed: dict[str, str] | None = None,
    max_segments: int = 99,
) -> Callable[[pd.DataFrame, np.ndarray], Segmenter]:
    def fit(train: pd.DataFrame, y: np.ndarray) -> Segmenter:
        if pd.api.types.is_numeric_dtype(train[column]):
            return numeric_split(column)(train, y)
        raw = train[column].map(
            lambda v: "not answered" if v is None or v != v else str(v)
        )
        if fixed is not None:
            raw = raw.map(lambda v: fixed.get(v, fixed.get("*", v)))
        group = _pool(raw, y, min_minority, min_size, max_segments)
        # an unseen value goes to the largest segment
        counts = raw.map(group).value_counts()
        largest = counts.index[0]
        log(f"  {column}: {dict(counts)} map {group}")

        def apply(frame: pd.DataFrame) -> np.ndarray:
            r = frame[column].map(
                lambda v: "not answered" if v is None or v != v else str(v)
            )
            if fixed is not None:
                r = r.map(lambda v: fixed.get(v, fixed.get("*", v)))
            return r.map(lambda v: group.get(v, largest)).to_numpy(dtype=object)

        return apply

    return fit


def answered(column: str) -> Callable[[pd.DataFrame, np.ndarray], Segmenter]:
    def fit(train: pd.DataFrame, y: np.ndarray) -> Segmenter:
        def apply(frame: pd.DataFrame) -> np.ndarray:
            miss = frame[column].isna().to_numpy()
            return np.where(miss, "not answered", "answered").astype(object)

        s = apply(train)
        log(f"  {column} answered: {pd.Series(s).value_counts().to_dict()}")
        return apply

    return fit


def numeric_split(column: str) -> Callable[[pd.DataFrame, np.ndarray], Segmenter]:
    """Two segments at the first cut of a depth-1 tree (missing: own side by rate)."""

    def fit(train: pd.DataFrame, y: np.ndarray) -> Segmenter:
        x = train[column].to_numpy(dtype=float)
        seen = ~np.isnan(x)
        t = DecisionTreeClassifier(
            max_depth=1, min_samples_leaf=max(200, int(0.1 * len(x)))
        )
        t.fit(x[seen].reshape(-1, 1), y[seen])
        cut = float(t.tree_.threshold[0]) if t.tree_.node_count > 1 else np.inf
        hi_rate = y[seen][x[seen] > cut].mean() if (x[seen] > cut).any() else 0
        lo_rate = y[seen][x[seen] <= cut].mean()
        miss_rate = y[~seen].mean() if (~seen).any() else lo_rate
        miss_hi = abs(miss_rate - hi_rate) < abs(miss_rate - lo_rate)
        log(f"  {column} cut {cut} missing->{'high' if miss_hi else 'low'}")

        def apply(frame: pd.DataFrame) -> np.ndarray:
            v = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
            high = np.where(np.isnan(v), miss_hi, v > cut)
            return np.where(high, f"{column} > {cut:g}", f"{column} <= {cut:g}").astype(
                object
            )

        return apply

    return fit


def _names(bins: list) -> list[str]:
    out = []
    for b in bins:
        if b.kind == "numeric":
            for slot in range(b.size - 1):
                lo, hi = b.band(slot)
                out.append(f"{b.attribute} in [{lo}, {hi})")
        else:
            out += [f"{b.attribute}={v}" for v in b.levels]
            out.append(f"{b.attribute}=other")
        out.append(f"{b.attribute}=missing")
    return out


def tree(
    leaves: int, min_share: float = 0.1
) -> Callable[[pd.DataFrame, np.ndarray], Segmenter]:
    def fit(train: pd.DataFrame, y: np.ndarray) -> Segmenter:
        bins = fit_bins(train, y)
        x = one_hot(train, bins)
        model = DecisionTreeClassifier(
            max_leaf_nodes=leaves,
            min_samples_leaf=max(50, int(min_share * len(train))),
            random_state=0,
        ).fit(x, y)
        log(export_text(model, feature_names=_names(bins), show_weights=True))

        def apply(frame: pd.DataFrame) -> np.ndarray:
            return np.array(
                [f"leaf {i}" for i in model.apply(one_hot(frame, bins))], dtype=object
            )

        return apply

    return fit


# ------------------------------------------------------------ segmented card


def fit_segmented(
    train: pd.DataFrame,
    y: np.ndarray,
    test: pd.DataFrame,
    segmenter: Callable[[pd.DataFrame, np.ndarray], Segmenter],
    rules: int = 7,
    small_rules: int | None = None,
    small_minority: int = 150,
    shared: bool = False,
) -> dict[str, tuple[np.ndarray, int]]:
    if shared:
        # the 7 attributes are chosen once on all leads; each segment refits
        # only the points (and may drop one the segment does not need)
        g = fit_scorecard(
            train, y, ColumnMapping(outcome="y"), FitOptions(max_attributes=rules)
        )
        cols = [r_.field for r_ in g.scorecard.rules]
        log(f"  shared attributes {cols}")
        seg_of0 = segmenter(train, y)
        seg_col = "__segment__"
        return fit_segmented(
            train[cols].assign(**{seg_col: seg_of0(train)}).drop(columns=seg_col),
            y,
            test[cols],
            lambda tr, yy, s0=seg_of0, tr0=train, te0=test: (
                lambda f: (
                    s0(tr0.loc[f.index])
                    if f.index.isin(tr0.index).all()
                    else s0(te0.loc[f.index])
                )
            ),
            rules,
            small_rules,
            small_minority,
            False,
        )
    seg_of = segmenter(train, y)
    s_tr, s_te = seg_of(train), seg_of(test)
    segs = sorted(set(s_tr))
    mapping = ColumnMapping(outcome="y")
    cards, tot_tr, tot_te, size = {}, np.zeros(len(train)), np.zeros(len(test)), 0
    tables_tr, tables_te = {}, {}
    for s in segs:
        i = s_tr == s
        ys = y[i]
        minority = int(min(ys.sum(), len(ys) - ys.sum()))
        r = rules
        if small_rules is not None and minority < small_minority:
            r = small_rules
        card = fit_scorecard(
            train[i], ys, mapping, FitOptions(max_attributes=r)
        ).scorecard
        cards[s] = card
        j = s_te == s
        tables_tr[s] = card.points_table(train[i])
        tables_te[s] = card.points_table(test[j]) if j.any() else None
        tot_tr[i] = card.totals(train[i])
        if j.any():
            tot_te[j] = card.totals(test[j])
        size = max(size, len(card.rules) + (1 if len(segs) > 1 else 0))
        log(
            f"  seg {s!r}: n={len(ys)} rate={ys.mean():.3f} rules="
            f"{[r_.field for r_ in card.rules]} platt=({card.intercept:.3f}, {card.slope:.4f})"
        )
    out: dict[str, tuple[np.ndarray, int]] = {}

    # (a) per-segment Platt
    p = np.zeros(len(test))
    for s in segs:
        j = s_te == s
        if j.any():
            p[j] = cards[s].probability(tot_te[j])
    out["per-seg Platt"] = (p, size)

    # (d) one Platt on raw totals, no segment base
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(tot_tr.reshape(-1, 1), y)
    out["1 map, no base"] = (
        platt.predict_proba(tot_te.reshape(-1, 1))[:, 1],
        size - 1 if len(segs) > 1 else size,
    )

    if len(segs) > 1:
        # (b) common slope + segment base (whole points), then one Platt
        d_tr = np.column_stack([tot_tr] + [(s_tr == s) * 1.0 for s in segs])
        lr = LogisticRegression(C=1e6, max_iter=2000, fit_intercept=False).fit(d_tr, y)
        slope, offs = lr.coef_[0][0], lr.coef_[0][1:]
        base = {
            s: round((o - offs.min()) / slope) for s, o in zip(segs, offs, strict=True)
        }
        b_tr = tot_tr + np.array([base[s] for s in s_tr])
        b_te = tot_te + np.array([base[s] for s in s_te])
        platt = LogisticRegression(C=1e6, max_iter=1000).fit(b_tr.reshape(-1, 1), y)
        out["1 map, common slope + seg base"] = (
            platt.predict_proba(b_te.reshape(-1, 1))[:, 1],
            size,
        )
        log(f"  common-slope base points {base}")

        # (c) rescale each segment's points to one logit scale, base, one Platt
        lo = min(
            cards[s].intercept + cards[s].slope * tot_tr[s_tr == s].min() for s in segs
        )
        hi = max(
            cards[s].intercept + cards[s].slope * tot_tr[s_tr == s].max() for s in segs
        )
        big_b = (hi - lo) / 100.0
        r_tr, r_te = np.zeros(len(train)), np.zeros(len(test))
        bases = {}
        for s in segs:
            c = cards[s]
            f = c.slope / big_b
            bases[s] = round((c.intercept - lo) / big_b)
            i, j = s_tr == s, s_te == s
            r_tr[i] = bases[s] + np.round(tables_tr[s].to_numpy() * f).sum(axis=1)
            if j.any():
                r_te[j] = bases[s] + np.round(tables_te[s].to_numpy() * f).sum(axis=1)
        platt = LogisticRegression(C=1e6, max_iter=1000).fit(r_tr.reshape(-1, 1), y)
        out["1 map, rescaled points + seg base"] = (
            platt.predict_proba(r_te.reshape(-1, 1))[:, 1],
            size,
        )
        log(f"  rescaled bases {bases} total range {r_tr.min():.0f}..{r_tr.max():.0f}")
    return out


def ceiling(train, y, test, segmenter=None):
    """No budget: L2 logistic regression on every attribute's bands, per segment."""
    seg_of = (
        segmenter(train, y) if segmenter else (lambda f: np.zeros(len(f), dtype=object))
    )
    s_tr, s_te = seg_of(train), seg_of(test)
    p = np.zeros(len(test))
    for s in sorted(set(s_tr)):
        i, j = s_tr == s, s_te == s
        bins = fit_bins(train[i], y[i])
        m = LogisticRegression(C=1.0, solver="newton-cholesky", max_iter=300)
        m.fit(one_hot(train[i], bins), y[i])
        if j.any():
            p[j] = m.predict_proba(one_hot(test[j], bins))[:, 1]
    return {"no budget, L2 on all bands per segment": (p, 32)}


def _inner_merit(train, y, segmenter, folds=3):
    """Inner-CV log-loss of the segmented card (per-seg Platt)."""
    from sklearn.metrics import log_loss

    p = np.zeros(len(y))
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=1).split(train, y):
        found = fit_segmented(train.iloc[tr], y[tr], train.iloc[te], segmenter)
        p[te] = found["per-seg Platt"][0]
    return float(log_loss(y, p)), float(roc_auc_score(y, p))


def search(train, y, test, max_segments=3):
    """Pick the segmenting column by inner 3-fold CV log-loss (every column a
    candidate: categories pooled to <= max_segments by rate, numbers cut in 2)."""
    global QUIET
    QUIET = True
    try:
        scores = {}
        for c in train.columns:
            if train[c].nunique(dropna=False) < 2:
                continue
            seg = by_column(c, max_segments=max_segments)
            try:
                if len(set(seg(train, y)(train))) < 2:
                    continue
                scores[c] = _inner_merit(train, y, seg)
            except ValueError as e:  # a column the fitter cannot band
                print("skip", c, e, file=sys.stderr)
        none = _inner_merit(
            train, y, lambda tr, yy: lambda f: np.zeros(len(f), dtype=object)
        )
    finally:
        QUIET = False
    ranked = sorted(scores.items(), key=lambda kv: kv[1][0])
    log(f"  no segments inner {none}; best: {ranked[:6]}")
    best = ranked[0][0]
    log(f"  chosen {best}")
    out = fit_segmented(train, y, test, by_column(best, max_segments=max_segments))
    return {f"searched column: {k}": v for k, v in out.items()}


def baseline(train, y, test):
    card = fit_scorecard(train, y, ColumnMapping(outcome="y"), FitOptions()).scorecard
    return {
        "baseline card (8 rules, Platt)": (
            card.probability(card.totals(test)),
            card.max_contributions,
        )
    }


ORIGIN3 = {
    "Landing Page Submission": "Landing Page Submission",
    "API": "API",
    "*": "Lead Add Form & other",
}

ATTEMPTS = {
    "baseline": baseline,
    "ceiling": lambda tr, y, te: ceiling(tr, y, te),
    "ceiling-origin3": lambda tr, y, te: ceiling(
        tr, y, te, by_column("Lead Origin", fixed=ORIGIN3, min_minority=0, min_size=0)
    ),
    "ceiling-origin": lambda tr, y, te: ceiling(tr, y, te, by_column("Lead Origin")),
    "ceiling-tree4": lambda tr, y, te: ceiling(tr, y, te, tree(4)),
    "ceiling-occupation": lambda tr, y, te: ceiling(
        tr, y, te, answered("What is your current occupation")
    ),
    "search3": search,
    "origin3-shared": lambda tr, y, te: fit_segmented(
        tr,
        y,
        te,
        by_column("Lead Origin", fixed=ORIGIN3, min_minority=0, min_size=0),
        shared=True,
    ),
    "origin-shared": lambda tr, y, te: fit_segmented(
        tr, y, te, by_column("Lead Origin"), shared=True
    ),
    "tree3-shared": lambda tr, y, te: fit_segmented(tr, y, te, tree(3), shared=True),
    "search2": lambda tr, y, te: search(tr, y, te, max_segments=2),
    # Lead Origin, raw values, small ones pooled with the nearest-rate segment
    "origin": lambda tr, y, te: fit_segmented(tr, y, te, by_column("Lead Origin")),
    "origin-small4": lambda tr, y, te: fit_segmented(
        tr, y, te, by_column("Lead Origin"), small_rules=4
    ),
    # Lead Add Form (and any tiny origin) vs LPS vs API, fixed grouping
    "origin3": lambda tr, y, te: fit_segmented(
        tr, y, te, by_column("Lead Origin", fixed=ORIGIN3, min_minority=0, min_size=0)
    ),
    # two segments: Lead Add Form (+ rare) vs everything else
    "origin2": lambda tr, y, te: fit_segmented(
        tr,
        y,
        te,
        by_column(
            "Lead Origin",
            fixed={
                "Landing Page Submission": "LPS/API",
                "API": "LPS/API",
                "*": "LAF & other",
            },
            min_minority=0,
            min_size=0,
        ),
    ),
    "origin2-lpsapi": lambda tr, y, te: fit_segmented(
        tr,
        y,
        te,
        by_column(
            "Lead Origin",
            fixed={"Landing Page Submission": "LPS", "*": "not LPS"},
            min_minority=0,
            min_size=0,
        ),
    ),
    "tree2": lambda tr, y, te: fit_segmented(tr, y, te, tree(2)),
    "tree3": lambda tr, y, te: fit_segmented(tr, y, te, tree(3)),
    "tree4": lambda tr, y, te: fit_segmented(tr, y, te, tree(4)),
    "occupation": lambda tr, y, te: fit_segmented(
        tr, y, te, answered("What is your current occupation")
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv", type=Path)
    parser.add_argument("--attempt", nargs="+", default=["baseline"])
    parser.add_argument("--log", type=Path, default=LOG_PATH)
    args = parser.parse_args()
    globals()["LOG_PATH"] = args.log
    args.log.parent.mkdir(parents=True, exist_ok=True)
    warnings.simplefilter("ignore")
    mapping = mapping_from_dict(yaml.safe_load(MAPPING.read_text()))
    history = pd.read_csv(args.csv, low_memory=False)
    frame, y = prepare(history, mapping), outcome_vector(history, mapping)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(frame, y))
    for name in args.attempt:
        started = time.perf_counter()
        p: dict[str, np.ndarray] = {}
        most: dict[str, int] = {}
        fold_of = np.zeros(len(y), dtype=int)
        log(f"=== {name}")
        with threadpool_limits(limits=1):
            for k, (tr, te) in enumerate(folds):
                fold_of[te] = k
                log(f" fold {k}")
                found = ATTEMPTS[name](frame.iloc[tr], y[tr], frame.iloc[te])
                for label, (q, size) in found.items():
                    p.setdefault(label, np.zeros(len(y)))[te] = q
                    most[label] = max(most.get(label, 0), size)
        seconds = time.perf_counter() - started
        for label, q in p.items():
            aucs = [roc_auc_score(y[fold_of == k], q[fold_of == k]) for k in range(5)]
            brs = [brier_score_loss(y[fold_of == k], q[fold_of == k]) for k in range(5)]
            row = {
                "attempt": name,
                "variant": label,
                "auc": round(float(roc_auc_score(y, q)), 4),
                "ap": round(float(average_precision_score(y, q)), 4),
                "brier": round(float(brier_score_loss(y, q)), 4),
                "max_contrib": most[label],
                "auc_folds": [round(float(a), 4) for a in aucs],
                "brier_folds": [round(float(b), 4) for b in brs],
                "auc_sd": round(float(np.std(aucs, ddof=1)), 4),
                "brier_sd": round(float(np.std(brs, ddof=1)), 4),
                "seconds": round(seconds),
            }
            log(json.dumps(row))
            print(
                f"{name} | {label}: AUC {row['auc']:.4f} AP {row['ap']:.4f} "
                f"Brier {row['brier']:.4f} max contrib {row['max_contrib']} "
                f"AUC folds sd {row['auc_sd']:.4f} [{min(aucs):.4f}-{max(aucs):.4f}] "
                f"Brier sd {row['brier_sd']:.4f} ({seconds:.0f} s)",
                flush=True,
            )


if __name__ == "__main__":
    main()
