"""Refusing a mapping that contradicts itself or holds a mistyped key.

A slip in a mapping does not fail on its own: it quietly changes what the fit
learns from. A column listed as leaky *and* as profile is learnt from (the
sales team's tags gave ROC AUC 0.96), the outcome listed as profile gives
1.0, and a key spelt 'profle' is ignored so the fit uses fewer columns than
meant. So every column gets exactly one role, nothing the fit may read
(plain or inside a derived pair) is the outcome, an identifier or leaky,
and an unknown key is an error with the nearest known key as the fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from scoring.fit.errors import FitInputError
from scoring.yaml_nodes import closest

if TYPE_CHECKING:
    from scoring.fit.mapping import ColumnMapping

MAPPING_KEYS = (
    "outcome", "identifiers", "leaky", "profile", "engagement",
    "missing_values", "left_blank", "derived",
)  # fmt: skip
DERIVED_KEYS = ("name", "columns")
LEFT_BLANK_KEYS = ("values", "count_as")
OUTCOME = "outcome"
ROLES = ("identifiers", "leaky", "profile", "engagement")
"""In this order, so the role named second in an error is the one to drop:
a column both leaky and profile must leave profile, not leaky."""
NOT_LEARNT = frozenset({OUTCOME, "identifiers", "leaky"})


def check_keys(keys: Iterable[object], known: Sequence[str], where: str) -> None:
    """Refuse a key the mapping does not know, suggesting the nearest one."""
    for key in keys:
        if str(key) in known:
            continue
        close = closest(str(key), known)
        hint = (
            f"the keys are {', '.join(known)}"
            if close is None
            else f"did you mean '{close}'?"
        )
        raise FitInputError(f"unknown key '{key}' in {where}; {hint}")


def _is(role: str) -> str:
    return "is the outcome" if role == OUTCOME else f"is listed as {role}"


def _roles(mapping: ColumnMapping) -> dict[str, str]:
    """Each listed column's one role; a second role is an error naming the fix."""
    role_of = {mapping.outcome: OUTCOME}
    for role in ROLES:
        for column in getattr(mapping, role):
            first = role_of.get(column)
            if first == role:
                raise FitInputError(
                    f"'{column}' is listed twice under {role}: remove one"
                )
            if first is not None:
                also = f"listed as {role}" if first == OUTCOME else f"as {role}"
                raise FitInputError(
                    f"'{column}' {_is(first)} and {also}: remove it from {role}"
                )
            role_of[column] = role
    return role_of


def check_roles(mapping: ColumnMapping) -> None:
    """One role per column; derived pairs and computed names stay clean too."""
    role_of = _roles(mapping)
    for derived in mapping.derived:
        for column in derived.columns:
            role = role_of.get(column, "")
            if role in NOT_LEARNT:
                raise FitInputError(
                    f"'{column}' {_is(role)} and part of derived '{derived.name}': "
                    f"remove it from derived '{derived.name}'"
                )
    count = [mapping.left_blank.count_as] if mapping.left_blank.count_as else []
    named: set[str] = set()
    for name in [*(d.name for d in mapping.derived), *count]:
        if name in role_of or name in named:
            raise FitInputError(
                f"the computed attribute '{name}' (derived or left_blank "
                "count_as) has the name of another column: give it a name of "
                "its own"
            )
        named.add(name)
