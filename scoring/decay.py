"""Engagement points that fade: caps first, then half-life decay.

The order is a deliberate choice. Caps are applied to raw points, per day
and then in total with the newest days filling the total first; only then
does each day's share decay by ``0.5 ** (age_days / half_life_days)``.
Because the newest events always claim the cap first and count in full, a
lead whose score has faded can always be lifted again by a new event; a cap
filled by old, faded points would otherwise lock the lead out for good.

Negative points decay the same way, towards zero from below, so a penalty
from engagement (a careers-page visit, say) wears off instead of holding a
lead under a threshold forever. Decay never crosses zero, and an event dated
in the future (clock skew) counts as today, never more.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from scoring.rules import EngagementRule


def decay_factor(age_days: float, half_life_days: float | None) -> float:
    """Share of points left after `age_days`; exactly 0.5 at one half-life."""
    if half_life_days is None:
        return 1.0
    return math.pow(0.5, max(age_days, 0.0) / half_life_days)


def _clamp_magnitude(points: float, cap: float | None) -> float:
    if cap is None:
        return points
    return math.copysign(min(abs(points), cap), points)


def rule_points(rule: EngagementRule, days: Mapping[int, int], today: int) -> float:
    """Decayed points one engagement rule gives for its per-day event counts.

    Args:
        rule: The rule, with its points, caps and half-life.
        days: UTC day ordinal -> number of matching events that day.
        today: The UTC day ordinal of the scoring moment.
    """
    if not days or rule.points == 0:
        return 0.0
    if not rule.repeatable:
        newest = max(days)
        once = _clamp_magnitude(rule.points, rule.cap_per_day)
        once = _clamp_magnitude(once, rule.cap_total)
        return once * decay_factor(today - newest, rule.half_life_days)
    budget = rule.cap_total
    total = 0.0
    for day in sorted(days, reverse=True):
        raw = _clamp_magnitude(rule.points * days[day], rule.cap_per_day)
        if budget is not None:
            raw = _clamp_magnitude(raw, budget)
            budget -= abs(raw)
        total += raw * decay_factor(today - day, rule.half_life_days)
        if budget is not None and budget <= 0:
            break
    return total
