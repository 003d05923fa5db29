"""Cutting each attribute into a few bands a person can read.

A scorecard gives points per band, so the bands decide both accuracy and
readability. Numbers are cut where a small decision tree finds the conversion
rate changes (cut points are values seen in the history, not midpoints, so a
band reads "from 2 visits"); rare categories are pooled into "other" so no
point value rests on a handful of leads. Every attribute also gets a missing
slot, because "did not answer" is itself informative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier


@dataclass(frozen=True)
class AttributeBins:
    """The slots of one attribute: bands or levels, then other, then missing.

    Numeric slots are the bands between `edges` (lower edge inclusive), then
    missing. Categorical slots are `levels`, then "other" (any value not
    listed), then missing.
    """

    attribute: str
    kind: Literal["numeric", "categorical"]
    edges: tuple[float, ...] = ()
    levels: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        """How many slots, hence one-hot columns, this attribute has."""
        if self.kind == "numeric":
            return len(self.edges) + 2
        return len(self.levels) + 2

    @property
    def missing_slot(self) -> int:
        return self.size - 1

    @property
    def other_slot(self) -> int:
        """Categorical only: where unlisted values go."""
        return len(self.levels)

    def band(self, slot: int) -> tuple[float | None, float | None]:
        """Numeric only: the [min, max) limits of a band, None when open."""
        low = self.edges[slot - 1] if slot > 0 else None
        high = self.edges[slot] if slot < len(self.edges) else None
        return low, high

    def slots(self, values: pd.Series) -> np.ndarray:
        """The slot of each value; the same code runs at fit and predict time."""
        if self.kind == "numeric":
            numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
            codes = np.searchsorted(np.asarray(self.edges), numbers, side="right")
            return np.where(np.isnan(numbers), self.missing_slot, codes)
        index = {_match_key(level): i for i, level in enumerate(self.levels)}
        missing = values.isna().to_numpy()
        found = values.map(lambda v: index.get(_match_key(v), self.other_slot))
        codes = found.to_numpy(dtype=np.int64)
        return np.where(missing, self.missing_slot, codes)


def _numeric_edges(
    x: np.ndarray, y: np.ndarray, max_bins: int, min_leaf: int
) -> tuple[float, ...]:
    seen = ~np.isnan(x)
    if seen.sum() < 2 * min_leaf or np.unique(x[seen]).size < 2:
        return ()
    tree = DecisionTreeClassifier(
        max_leaf_nodes=max_bins, min_samples_leaf=min_leaf, random_state=0
    )
    tree.fit(x[seen].reshape(-1, 1), y[seen])
    inner = tree.tree_.children_left != -1
    values = np.unique(x[seen])
    edges = []
    for threshold in np.sort(tree.tree_.threshold[inner]):
        above = values[values > threshold]
        if above.size:
            edges.append(float(above[0]))
    return tuple(sorted(set(edges)))


def _match_key(value: object) -> str:
    """A category as the engine matches it: trimmed, capitals ignored."""
    return str(value).strip().casefold()


def _levels(series: pd.Series, min_count: int) -> tuple[str, ...]:
    """Categories frequent enough for points of their own, commonest first.

    Spellings that differ only in capitals or spaces ("Email", "email") are
    one category, as the engine will match them, written as the commonest
    spelling; two points keys for them would be refused by the rules loader.
    """
    text = series.dropna().astype(str).str.strip()
    keys = text.map(_match_key)
    counts = keys.value_counts()
    spelling = text.groupby(keys).agg(lambda s: s.value_counts().index[0])
    return tuple(str(spelling[k]) for k in counts[counts >= min_count].index)


def fit_bins(
    frame: pd.DataFrame,
    y: np.ndarray,
    max_bins: int = 6,
    min_share: float = 0.02,
) -> list[AttributeBins]:
    """Learn the slots of every attribute from the history."""
    min_count = max(20, int(min_share * len(frame)))
    result: list[AttributeBins] = []
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_numeric_dtype(series):
            x = series.to_numpy(dtype=float)
            edges = _numeric_edges(x, y, max_bins, min_count)
            result.append(AttributeBins(column, "numeric", edges=edges))
        else:
            result.append(
                AttributeBins(column, "categorical", levels=_levels(series, min_count))
            )
    return result


def one_hot(frame: pd.DataFrame, bins: list[AttributeBins]) -> np.ndarray:
    """Indicator columns for all slots of the given attributes, side by side."""
    n = len(frame)
    blocks = []
    for b in bins:
        block = np.zeros((n, b.size))
        block[np.arange(n), b.slots(frame[b.attribute])] = 1.0
        blocks.append(block)
    return np.hstack(blocks) if blocks else np.zeros((n, 0))
