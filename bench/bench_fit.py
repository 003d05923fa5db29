"""How long fitting a scorecard takes on a real export.

Times `fit_scorecard` only (reading the CSV and the backtest are excluded, as
they are not what an operator waits for when refitting) and prints the
median of several runs in seconds. Without a CSV it uses a synthetic history
of the same size as the X Education training export (6,465 leads).

    .venv/bin/python bench/bench_fit.py /path/to/leads_train.csv \
        --mapping examples/xeducation/mapping.yml --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.fit import (
    FitOptions,
    fit_scorecard,
    mapping_from_dict,
    outcome_vector,
    prepare,
)


def synthetic(n: int = 6465, seed: int = 0) -> tuple[pd.DataFrame, dict[str, object]]:
    """A history shaped like a CRM export: numbers, categories, noise."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {f"num_{i}": rng.exponential(10.0, n).round() for i in range(6)}
        | {f"cat_{i}": rng.choice(list("abcdefghij"), n) for i in range(20)}
    )
    logit = (frame["num_0"] > 12) * 1.5 + (frame["cat_0"] == "a") * 2.0 - 1.0
    frame["won"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return frame, {"outcome": "won"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, help="lead export with outcome")
    parser.add_argument("--mapping", type=Path, help="column mapping YAML")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.csv:
        history = pd.read_csv(args.csv, low_memory=False)
        raw = yaml.safe_load(args.mapping.read_text()) if args.mapping else {}
    else:
        history, raw = synthetic()
    mapping = mapping_from_dict(raw)
    frame = prepare(history, mapping)
    y = outcome_vector(history, mapping)
    seconds = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = fit_scorecard(frame, y, mapping, FitOptions(version="bench"))
        seconds.append(time.perf_counter() - started)
    print(f"leads: {len(frame)}  candidate attributes: {frame.shape[1]}")
    print(f"rules: {len(result.scorecard.rules)}")
    print(f"runs: {args.repeat}  min: {min(seconds):.2f} s  max: {max(seconds):.2f} s")
    print(f"median fit seconds: {statistics.median(seconds):.2f}")


if __name__ == "__main__":
    main()
