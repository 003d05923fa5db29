"""What the scorecard learned, in words a sales lead can check.

For each rule we group the history by the band or category a lead falls in
and show the points next to the conversion rate actually seen there: a
reviewer can then tell at a glance whether a weight makes sense.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.fit.scorecard import MISSING_TEXT, Rule, Scorecard, value_text


@dataclass(frozen=True)
class Level:
    """One band or category of a rule, with its points and its history."""

    label: str
    points: float
    leads: int
    rate: float


@dataclass(frozen=True)
class Factor:
    """One rule, how far apart its points lie, and a sentence about it."""

    rule_id: str
    field: str
    spread: float
    levels: tuple[Level, ...]
    sentence: str


def _number(value: float) -> str:
    return value_text(value) if float(value).is_integer() else f"{value:g}"


def level_label(rule: Rule, value: object) -> str:
    """The band or category a value falls in, as the report names it."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return MISSING_TEXT
    if not rule.bands:
        text = value_text(value)  # type: ignore[arg-type]
        return text if text in rule.points else "other"
    number = float(value)  # type: ignore[arg-type]
    for band in rule.bands:
        if band.contains(number):
            if band.min is None and band.max is not None:
                return f"under {_number(band.max)}"
            if band.max is None and band.min is not None:
                return f"{_number(band.min)} or more"
            if band.min is not None and band.max is not None:
                return f"{_number(band.min)} to under {_number(band.max)}"
            return "any"
    return "other"


def factors(
    card: Scorecard, frame: pd.DataFrame, y: np.ndarray, min_leads: int = 20
) -> list[Factor]:
    """Rules ordered by how much they move a score, each with its evidence."""
    table = card.points_table(frame)
    out = []
    for rule in card.rules:
        labels = pd.Series(
            [level_label(rule, v) for v in frame[rule.field].tolist()],
            index=frame.index,
        )
        grouped = pd.DataFrame(
            {"label": labels, "points": table[rule.id], "y": y}
        ).groupby("label", sort=False)
        levels = [
            Level(str(label), float(g["points"].iloc[0]), len(g), float(g["y"].mean()))
            for label, g in grouped
        ]
        levels.sort(key=lambda lv: -lv.points)
        common = [lv for lv in levels if lv.leads >= min_leads] or levels
        best, worst = common[0], common[-1]
        sentence = (
            f"{rule.field}: '{best.label}' earns {best.points:g} points and "
            f"'{worst.label}' {worst.points:g} ({best.rate:.0%} vs "
            f"{worst.rate:.0%} of such leads converted)"
        )
        spread = best.points - worst.points
        out.append(Factor(rule.id, rule.field, spread, tuple(levels), sentence))
    out.sort(key=lambda f: -f.spread)
    return out
