"""The two PNG charts of a fit: calibration and factors.

Drawn with matplotlib's file-only backend so a fit runs on a server with no
display. Each chart answers one question a reviewer asks: "can I trust the
probabilities?" and "what earns points?".
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from scoring.fit.backtest import BacktestResult
from scoring.fit.explain import Factor


def calibration_chart(result: BacktestResult, path: Path) -> None:
    """Predicted vs observed conversion, scorecard and trees, out of fold."""
    fig, ax = plt.subplots(figsize=(5.5, 5.0))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect")
    curves = (
        ("scorecard", result.scorecard_curve, "o-"),
        ("gradient-boosted trees", result.baseline_curve, "s--"),
    )
    for label, curve, style in curves:
        ax.plot(curve.predicted, curve.observed, style, label=label)
    ax.set_xlabel("predicted conversion probability")
    ax.set_ylabel("observed conversion rate")
    ax.set_title(f"Calibration ({result.folds}-fold cross-validation)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def factors_chart(factors: list[Factor], path: Path) -> None:
    """Points of every band of every rule, with the conversion seen there."""
    rows = sum(len(f.levels) for f in factors) + len(factors)
    fig, ax = plt.subplots(figsize=(8.0, max(3.0, 0.28 * rows)))
    labels: list[str] = []
    points: list[float] = []
    colors: list[tuple[float, float, float, float]] = []
    palette = plt.get_cmap("tab10")
    for i, factor in enumerate(factors):
        for level in factor.levels:
            labels.append(f"{factor.field}: {level.label} ({level.rate:.0%})")
            points.append(level.points)
            colors.append(palette(i % 10))
        labels.append("")
        points.append(0.0)
        colors.append((1.0, 1.0, 1.0, 0.0))
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, points, color=colors)
    ax.set_yticks(positions, labels, fontsize=7)
    ax.set_xlabel("points (conversion rate of such leads in brackets)")
    ax.set_title("Scorecard factors")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
