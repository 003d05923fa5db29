"""The scorecard: points per attribute band, in the rules file format.

A fitted scorecard is written in the same YAML shape as hand-written rules
(`version`, `base`, `fit.rules`, `calibration`) so people can review and edit
it. This module turns that shape into typed rules and back, and scores leads
with it, so predictions follow the file as edited rather than the fit as run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from scoring.fit.errors import FitInputError
from scoring.model import AttributeValue, Contribution, Source

MISSING_TEXT = "not answered"


@dataclass(frozen=True)
class Band:
    """Points for numbers in [min, max); an open side is None."""

    points: float
    min: float | None = None
    max: float | None = None

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (
            self.max is None or value < self.max
        )


@dataclass(frozen=True)
class Rule:
    """One attribute's points: by category (`points`) or by number (`bands`)."""

    id: str
    field: str
    reason: str
    points: Mapping[str, float] = dataclass_field(default_factory=dict)
    bands: tuple[Band, ...] = ()
    default: float = 0.0
    missing: float = 0.0
    source: Source = "fit"

    def points_for(self, value: AttributeValue) -> float:
        """First matching band wins; unlisted values get `default`."""
        if _is_missing(value):
            return self.missing
        if self.bands:
            number = _as_number(value)
            if number is None:
                return self.default
            for band in self.bands:
                if band.contains(number):
                    return band.points
            return self.default
        return self._keys.get(_key(value_text(value)), self.default)

    @cached_property
    def _keys(self) -> dict[str, float]:
        """Categories match trimmed and case-insensitively, as in the engine."""
        return {_key(k): v for k, v in self.points.items()}


@dataclass(frozen=True)
class Scorecard:
    """Base points, rules and the logistic map from total to probability."""

    version: str
    base: float
    rules: tuple[Rule, ...]
    intercept: float
    slope: float

    @property
    def max_contributions(self) -> int:
        """Lines a lead's score card can show: one per rule, the base unless 0.

        The engine leaves out lines worth 0 points, the base included.
        """
        return len(self.rules) + (1 if self.base else 0)

    def probability(self, total: np.ndarray) -> np.ndarray:
        """Calibrated conversion probability of each total score."""
        z = np.clip(self.intercept + self.slope * total, -35.0, 35.0)
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def explain(self, attributes: Mapping[str, AttributeValue]) -> list[Contribution]:
        """The lines of a lead's score card; they sum to its total.

        As in the engine, a line worth 0 points (the base included) is left
        out, so a lead never sees more than `max_contributions` lines.
        """
        out = []
        if self.base:
            out.append(Contribution("base", "base", self.base, "Starting points"))
        for rule in self.rules:
            value = attributes.get(rule.field)
            points = rule.points_for(value)
            if not points:
                continue
            shown = MISSING_TEXT if _is_missing(value) else value_text(value)
            reason = rule.reason.format(value=shown, points=points, field=rule.field)
            out.append(Contribution(rule.id, rule.source, points, reason))
        return out

    def points_table(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Points of every rule for every lead (one column per rule id)."""
        table = {}
        for rule in self.rules:
            values = (
                frame[rule.field]
                if rule.field in frame
                else pd.Series([None] * len(frame), index=frame.index, dtype=object)
            )
            table[rule.id] = [rule.points_for(v) for v in values.tolist()]
        return pd.DataFrame(table, index=frame.index, dtype=float)

    def totals(self, frame: pd.DataFrame) -> np.ndarray:
        """Total score of every lead: base plus the points of every rule."""
        table = self.points_table(frame)
        return np.asarray(self.base + table.sum(axis=1).to_numpy(dtype=float))

    def to_dict(self) -> dict[str, Any]:
        """The rules-file shape, ready to dump as YAML."""
        rules: list[dict[str, Any]] = []
        for rule in self.rules:
            item: dict[str, Any] = {"id": rule.id, "field": rule.field}
            if rule.bands:
                item["bands"] = [_band_dict(b) for b in rule.bands]
            else:
                item["points"] = dict(rule.points)
                item["default"] = rule.default
            item["missing"] = rule.missing
            item["reason"] = rule.reason
            rules.append(item)
        return {
            "version": self.version,
            "base": self.base,
            "fit": {"rules": rules},
            "calibration": {
                "method": "logistic",
                "intercept": self.intercept,
                "slope": self.slope,
            },
        }


def _band_dict(band: Band) -> dict[str, float]:
    out: dict[str, float] = {}
    if band.min is not None:
        out["min"] = band.min
    if band.max is not None:
        out["max"] = band.max
    out["points"] = band.points
    return out


def scorecard_from_dict(raw: Mapping[str, Any]) -> Scorecard:
    """Read a (possibly hand-edited) scorecard; errors name the key to fix."""
    try:
        rules = tuple(_rule_from_dict(r) for r in raw["fit"]["rules"])
        calibration = raw.get("calibration") or {}
        return Scorecard(
            version=str(raw["version"]),
            base=float(raw.get("base", 0.0)),
            rules=rules,
            intercept=float(calibration.get("intercept", 0.0)),
            slope=float(calibration.get("slope", 1.0)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise FitInputError(
            f"scorecard is malformed ({error!s}); it needs 'version', "
            "'fit: rules:' and 'calibration' as written by 'dmql scoring fit'"
        ) from error


def _rule_from_dict(raw: Mapping[str, Any]) -> Rule:
    bands = tuple(
        Band(
            points=float(b["points"]),
            min=None if b.get("min") is None else float(b["min"]),
            max=None if b.get("max") is None else float(b["max"]),
        )
        for b in raw.get("bands") or []
    )
    points = {str(k): float(v) for k, v in (raw.get("points") or {}).items()}
    return Rule(
        id=str(raw["id"]),
        field=str(raw["field"]),
        reason=str(raw.get("reason", "{field}: {value}")),
        points=points,
        bands=bands,
        default=float(raw.get("default", 0.0)),
        missing=float(raw.get("missing", 0.0)),
    )


def value_text(value: AttributeValue) -> str:
    """How a value is written as a category key: 3.0 reads as "3"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _key(text: str) -> str:
    return text.strip().casefold()


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _as_number(value: AttributeValue) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
