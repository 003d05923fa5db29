"""The Markdown report of a fit: figures, lift table, factors, the scorecard.

Pure text rendering, so the CLI can write it and tests can read it without
touching the file system.
"""

from __future__ import annotations

from scoring.fit.backtest import BacktestResult, Metrics
from scoring.fit.explain import Factor
from scoring.fit.fitter import FitResult

CRITERION = {"log_loss": "log-loss", "roc_auc": "ROC AUC"}


def _metrics_row(name: str, m: Metrics) -> str:
    return f"| {name} | {m.roc_auc:.4f} | {m.average_precision:.4f} | {m.brier:.4f} |"


def left_out_line(columns: tuple[str, ...]) -> str:
    """Names the columns the fit could not use, so nobody wonders where they went."""
    return f"left out: {', '.join(columns)} (no values)"


def render_report(
    fitted: FitResult,
    result: BacktestResult,
    factors: list[Factor],
    seconds: float,
) -> str:
    """The report a reviewer reads before putting a scorecard to work."""
    card = fitted.scorecard
    lines = [
        f"# Scorecard {card.version}",
        "",
        f"Fitted on {result.leads} leads ({result.base_rate:.1%} converted) in "
        f"{seconds:.1f} s. Each lead's score is explained by at most "
        f"{card.max_contributions} contributions (one per rule, and the base "
        "when it is not 0); contributions of 0 points are not shown.",
        "",
    ]
    if fitted.left_out:
        lines += [
            f"Left out: {', '.join(fitted.left_out)} (no values): a column "
            "without a value in the history cannot predict anything.",
            "",
        ]
    lines += [
        f"## Backtest ({result.folds}-fold cross-validation)",
        "",
        "Every fold refits the whole scorecard (bands, attribute choice, points,",
        "calibration) on the other folds; gradient-boosted trees",
        "(scikit-learn's HistGradientBoostingClassifier, default settings) use",
        "the same folds and the same columns.",
        "",
        "| model | ROC AUC | average precision | Brier |",
        "| --- | --- | --- | --- |",
        _metrics_row("scorecard", result.scorecard),
        _metrics_row("gradient-boosted trees", result.baseline),
        "",
        "![calibration](calibration.png)",
        "",
        "## Lift by score decile (out of fold)",
        "",
        "| decile | leads | converted | rate | lift | probability range |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in result.lift:
        lines.append(
            f"| {row.decile} | {row.leads} | {row.converted} | {row.rate:.1%} | "
            f"{row.lift:.2f} | {row.min_probability:.2f}-{row.max_probability:.2f} |"
        )
    lines += ["", "## Top factors", ""]
    lines += [f"{i}. {f.sentence}" for i, f in enumerate(factors, start=1)]
    lines += [
        "",
        "![factors](factors.png)",
        "",
        "## How the attributes were chosen",
        "",
        "Forward selection within the history, each step adding the attribute",
        f"that improved the cross-validated {CRITERION[fitted.selected_by]} most:",
        "",
        "| step | attribute added | CV log-loss | CV ROC AUC |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {i} | {s.attribute} | {s.cv_log_loss:.4f} | {s.cv_auc:.4f} |"
        for i, s in enumerate(fitted.steps, start=1)
    ]
    lines += [
        "",
        "## Probability",
        "",
        f"p = 1 / (1 + exp(-({card.intercept:g} + {card.slope:g} x total)))",
        "",
    ]
    return "\n".join(lines)
