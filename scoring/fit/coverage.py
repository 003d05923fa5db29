"""Whether leads hold what a scorecard can read, checked before scoring them.

A scorecard scores nothing it cannot find, and says nothing about it: a field
the CSV lacks gives every lead that rule's 'missing' points (a card fitted
with `left_blank: count_as`, used with a mapping without it, or the bot's own
rules on an export with other columns, score every lead alike); a category
the card does not list gets the rule's 'other' points, which can be the
highest on the card, so a typo such as "Studnet" can land on top. And an
infinite number is read as not answered. These functions find each case so
the CLI can refuse the first and warn about the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.fit.mapping import ColumnMapping
from scoring.rules import ScoringRules, category_key


@dataclass(frozen=True)
class Unlisted:
    """Leads whose value of a categorical field the card does not list."""

    field: str
    leads: int
    examples: tuple[str, ...]
    points: float
    """The rule's 'other' points, which each of these leads gets."""


def fields_read(rules: ScoringRules) -> list[str]:
    """The lead attributes a card's fit and negative rules look up, in order."""
    names = [r.field for r in rules.fit_rules] + [r.field for r in rules.negative_rules]
    return list(dict.fromkeys(names))


def missing_fields(rules: ScoringRules, columns: Iterable[str]) -> list[str]:
    """The fields the card reads that none of `columns` holds."""
    have = set(columns)
    return [name for name in fields_read(rules) if name not in have]


def event_sections(rules: ScoringRules) -> list[str]:
    """Sections scored from events and chat signals, which a CSV row lacks."""
    sections = {
        "engagement": rules.engagement_rules or rules.behaviour_rules,
        "conversation": rules.conversation_rules,
    }
    return [name for name, found in sections.items() if found]


def unlisted_values(
    rules: ScoringRules, frame: pd.DataFrame, examples: int = 3
) -> list[Unlisted]:
    """Per categorical fit rule, the leads with a value its points do not list.

    Values are compared as the engine compares them (trimmed, case-folded).
    The card lists only the levels it gave points to, so a value seen rarely
    in the fit is reported too: it also gets the 'other' points.
    """
    found = []
    for rule in rules.fit_rules:
        if rule.bands or not rule.points or rule.field not in frame.columns:
            continue
        values = frame[rule.field].dropna()
        keys = values.map(category_key)
        unlisted = values[~keys.isin(list(rule.points))]
        if unlisted.empty:
            continue
        shown = tuple(str(v) for v in unlisted.drop_duplicates().head(examples))
        found.append(Unlisted(rule.field, len(unlisted), shown, rule.default))
    return found


def infinite_cells(frame: pd.DataFrame, mapping: ColumnMapping) -> dict[str, int]:
    """How many infinite numbers each candidate column of an export holds.

    `prepare` reads them as not answered; the CLI says how many there were.
    """
    counts = {}
    for column in mapping.plain(frame.columns):
        if column not in frame.columns:
            continue
        numbers = pd.to_numeric(frame[column], errors="coerce")
        if found := int(np.isinf(numbers.astype(float).to_numpy()).sum()):
            counts[column] = found
    return counts
