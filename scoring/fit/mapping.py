"""What the columns of a lead export mean, and turning an export into attributes.

A CRM export mixes what we may learn from (profile answers, engagement) with
what we must not: identifiers, and columns the sales team fills in after
contact, which leak the outcome. The mapping says which is which, so fitting
and scoring read the same attributes the same way. Parsing is pure: the CLI
reads the YAML file and hands the resulting dict to `mapping_from_dict`.

An empty cell and a form's default answer look alike but are not: an empty
cell usually means the question was never asked, the default ("Select")
means it was shown and left as it was. `missing_values` merges a value into
"not answered"; `left_blank` keeps it apart as its own answer, "left blank",
and can count per lead how many questions were left so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.fit.errors import FitInputError
from scoring.fit.mapping_checks import (
    DERIVED_KEYS,
    LEFT_BLANK_KEYS,
    MAPPING_KEYS,
    check_keys,
    check_roles,
)
from scoring.model import Source

DERIVED_SEPARATOR = " & "
NOT_ANSWERED = "not answered"
LEFT_BLANK = "left blank"


@dataclass(frozen=True)
class DerivedAttribute:
    """A new categorical attribute made by joining the values of two columns.

    This is how a scorecard expresses an interaction (say, lead origin *and*
    lead source) while still giving each lead one contribution for it.
    """

    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class LeftBlank:
    """Answers that mean "shown, and left at the form's default".

    Each listed value is read as the answer "left blank" (a category of its
    own, apart from "not answered"); in a column of numbers it counts as not
    answered, since a band holds numbers only. With `count_as`, the number of
    candidate columns a lead left blank becomes one more numeric attribute
    of that name (a lead who skips every question is a tyre-kicker).
    """

    values: tuple[str, ...] = ()
    count_as: str | None = None


@dataclass(frozen=True)
class ColumnMapping:
    """The roles of the columns of one export."""

    outcome: str
    identifiers: tuple[str, ...] = ()
    leaky: tuple[str, ...] = ()
    profile: tuple[str, ...] = ()
    engagement: tuple[str, ...] = ()
    missing_values: tuple[str, ...] = ()
    left_blank: LeftBlank = LeftBlank()
    derived: tuple[DerivedAttribute, ...] = ()

    def candidates(self, columns: Sequence[str]) -> list[str]:
        """Attributes the fit may choose from, in a stable order.

        With no profile or engagement list every column that is not the
        outcome, an identifier or leaky is a candidate, which is the friendly
        default for a first look at a new export.
        """
        return [*self.plain(columns), *self.computed()]

    def plain(self, columns: Sequence[str]) -> list[str]:
        """Candidates read straight from a column of the export."""
        excluded = {self.outcome, *self.identifiers, *self.leaky}
        listed = [*self.profile, *self.engagement]
        return listed if listed else [c for c in columns if c not in excluded]

    def computed(self) -> list[str]:
        """Candidates made from other columns: derived pairs, the blank count."""
        count = [self.left_blank.count_as] if self.left_blank.count_as else []
        return [*(d.name for d in self.derived), *count]

    def source_of(self, attribute: str) -> Source:
        """Whether an attribute describes who the lead is or what they did."""
        if attribute in self.engagement:
            return "engagement"
        return "fit"


def _names(raw: Mapping[str, object], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FitInputError(f"mapping '{key}' must be a list of column names")
    return tuple(value)


def mapping_from_dict(raw: Mapping[str, object]) -> ColumnMapping:
    """Validate a parsed mapping file; errors name the key and the fix.

    Unknown keys and a column given two roles are errors too (see
    `mapping_checks`), since either one silently changes what the fit reads.
    """
    check_keys(raw, MAPPING_KEYS, "mapping")
    outcome = raw.get("outcome")
    if not isinstance(outcome, str) or not outcome:
        raise FitInputError(
            "mapping needs 'outcome: <column>' naming the won/lost (1/0) column"
        )
    derived: list[DerivedAttribute] = []
    raw_derived = raw.get("derived") or []
    if not isinstance(raw_derived, list):
        raise FitInputError("mapping 'derived' must be a list of {name, columns}")
    for item in raw_derived:
        if not isinstance(item, dict):
            raise FitInputError("each 'derived' entry needs 'name' and 'columns'")
        check_keys(item, DERIVED_KEYS, "a 'derived' entry")
        name, cols = item.get("name"), item.get("columns")
        if (
            not isinstance(name, str)
            or not isinstance(cols, list)
            or len(cols) < 2
            or not all(isinstance(c, str) for c in cols)
        ):
            raise FitInputError(
                "each 'derived' entry needs 'name: <text>' and 'columns: [a, b]'"
            )
        derived.append(DerivedAttribute(name=name, columns=tuple(cols)))
    missing = raw.get("missing_values", [])
    if not isinstance(missing, list):
        raise FitInputError("mapping 'missing_values' must be a list of strings")
    mapping = ColumnMapping(
        left_blank=_left_blank(raw.get("left_blank")),
        outcome=outcome,
        identifiers=_names(raw, "identifiers"),
        leaky=_names(raw, "leaky"),
        profile=_names(raw, "profile"),
        engagement=_names(raw, "engagement"),
        missing_values=tuple(str(v) for v in missing),
        derived=tuple(derived),
    )
    check_roles(mapping)
    return mapping


def _left_blank(raw: object) -> LeftBlank:
    if raw is None:
        return LeftBlank()
    how = (
        "mapping 'left_blank' needs 'values: [<form default>, ...]' and "
        "optionally 'count_as: <attribute name>'"
    )
    if not isinstance(raw, dict):
        raise FitInputError(how)
    check_keys(raw, LEFT_BLANK_KEYS, "mapping 'left_blank'")
    values, count_as = raw.get("values"), raw.get("count_as")
    if not isinstance(values, list) or not values:
        raise FitInputError(how)
    if count_as is not None and (not isinstance(count_as, str) or not count_as):
        raise FitInputError(how)
    return LeftBlank(tuple(str(v) for v in values), count_as)


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Fail with the first absent column, so the operator fixes the right file."""
    for column in columns:
        if column not in frame.columns:
            raise FitInputError(
                f"column '{column}' ({what}) is not in the CSV; "
                "fix the mapping or export that column"
            )


def _rows(positions: np.ndarray, shown: int = 5) -> str:
    """Rows as a spreadsheet numbers them (header is row 1), the first few."""
    rows = [str(int(i) + 2) for i in positions[:shown]]
    more = ", ..." if len(positions) > shown else ""
    return ", ".join(rows) + more


def outcome_vector(frame: pd.DataFrame, mapping: ColumnMapping) -> np.ndarray:
    """The outcome as 0/1 integers; anything else is a data error to report.

    A blank outcome is named apart from a wrong one, with how many rows and
    where: it usually means open deals were exported with closed ones.
    """
    require_columns(frame, [mapping.outcome], "outcome")
    raw = frame[mapping.outcome]
    empty = raw.astype("string").str.strip().eq("").fillna(True)
    blank = (raw.isna() | empty).to_numpy(dtype=bool)
    if blank.any():
        where = np.flatnonzero(blank)
        raise FitInputError(
            f"outcome column '{mapping.outcome}' is blank in {where.size} row(s) "
            f"(rows {_rows(where)}, counting the header as row 1); fill in 1 "
            "(won) or 0 (lost), or leave leads without an outcome out of the CSV"
        )
    values = pd.to_numeric(raw, errors="coerce")
    bad = (~values.isin([0, 1])).to_numpy(dtype=bool)
    if bad.any():
        where = np.flatnonzero(bad)
        raise FitInputError(
            f"outcome column '{mapping.outcome}' must hold only 0 or 1, "
            f"found '{raw.iloc[where[0]]}' (rows {_rows(where)}, counting the "
            "header as row 1); recode won=1 and lost=0"
        )
    return np.asarray(values.to_numpy(dtype=np.int64))


def _clean(series: pd.Series, mapping: ColumnMapping) -> pd.Series:
    """Placeholders become missing or "left blank"; numbers stay numbers."""
    if pd.api.types.is_numeric_dtype(series):
        return _finite(series.astype(float))
    text = series.astype("string").str.strip()
    text = text.mask(text.isin([*mapping.missing_values, ""]))
    blank = text.isin(mapping.left_blank.values).fillna(False)
    answered = text.mask(blank)
    numbers = pd.to_numeric(answered, errors="coerce")
    if answered.notna().any() and numbers.notna().sum() == answered.notna().sum():
        return _finite(numbers.astype(float))
    text = text.mask(blank, LEFT_BLANK)
    return text.astype(object).where(text.notna(), None)


def _finite(numbers: pd.Series) -> pd.Series:
    """Infinite numbers read as not answered (see the module docstring)."""
    return numbers.where(np.isfinite(numbers.to_numpy()))


def _blank_count(
    frame: pd.DataFrame, columns: Sequence[str], mapping: ColumnMapping
) -> pd.Series:
    """How many of the columns each lead left at the form's default."""
    values = mapping.left_blank.values
    hits = [
        frame[c].astype("string").str.strip().isin(values).fillna(False)
        for c in columns
    ]
    if not hits:
        return pd.Series(0.0, index=frame.index)
    return pd.concat(hits, axis=1).sum(axis=1).astype(float)


def prepare(frame: pd.DataFrame, mapping: ColumnMapping) -> pd.DataFrame:
    """The candidate attributes of each lead, cleaned and with computed columns.

    Used identically by fitting and by scoring, so a lead is read the same way
    in both.
    """
    plain = mapping.plain(frame.columns)
    require_columns(frame, plain, "attribute")
    for d in mapping.derived:
        require_columns(frame, d.columns, f"part of derived '{d.name}'")
    out = {c: _clean(frame[c], mapping) for c in plain}
    for d in mapping.derived:
        parts = [_clean(frame[c], mapping) for c in d.columns]
        texts = [p.map(_as_text) for p in parts]
        joined = texts[0].str.cat(texts[1:], sep=DERIVED_SEPARATOR)
        none = pd.concat([p.isna() for p in parts], axis=1).all(axis=1)
        out[d.name] = joined.astype(object).where(~none, None)
    if mapping.left_blank.count_as:
        out[mapping.left_blank.count_as] = _blank_count(frame, plain, mapping)
    return pd.DataFrame(out, index=frame.index)


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return NOT_ANSWERED
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
