"""Grades, levels, stages and calibration: what the points mean.

The funnel is visitor -> lead -> mql -> dmql -> sql, with disqualified as the
exit. A visitor becomes a lead when an email is known; points and fit grade
move a lead to MQL and on to DMQL (handed to sales); a rep's acceptance makes
it SQL. A rep's acceptance is final: rules never overrule a person who has
talked to the lead, so ``accepted_by_sales`` wins over a disqualifying rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from scoring.model import AttributeValue, Grade, Stage
from scoring.rules import Calibration, StageThresholds

_GRADE_RANK: Mapping[Grade, int] = {"A": 0, "B": 1, "C": 2, "D": 3}


def grade_for(grades: tuple[tuple[Grade, float], ...], fit: float) -> Grade:
    """The fit grade: the first grade whose threshold the fit points reach."""
    for grade, threshold in grades:
        if fit >= threshold:
            return grade
    return "D"


def level_for(levels: tuple[tuple[int, float], ...], engagement: float) -> int:
    """The engagement level (4 is most engaged) for the engagement points."""
    for level, threshold in levels:
        if engagement >= threshold:
            return level
    return 1


def has_email(attributes: Mapping[str, AttributeValue]) -> bool:
    """Whether the lead can be contacted: an email attribute is known."""
    email = attributes.get("email")
    return isinstance(email, str) and bool(email.strip())


def stage_for(
    thresholds: StageThresholds,
    *,
    total: int,
    grade: Grade,
    disqualified: bool,
    contactable: bool,
    accepted_by_sales: bool,
) -> Stage:
    """Where the lead stands in the funnel."""
    if accepted_by_sales:
        return "sql"
    if disqualified:
        return "disqualified"
    if not contactable:
        return "visitor"
    good_fit = _GRADE_RANK[grade] <= _GRADE_RANK[thresholds.dmql_min_grade]
    if total >= thresholds.dmql_total and good_fit:
        return "dmql"
    if total >= thresholds.mql_total:
        return "mql"
    return "lead"


def probability(calibration: Calibration | None, points: float) -> float | None:
    """Conversion probability from the points total (before clamping)."""
    if calibration is None:
        return None
    z = calibration.intercept + calibration.slope * points
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
