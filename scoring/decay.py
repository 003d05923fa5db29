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


def rule_points(rule: EngagementRule, days: Mapping[int, int], today: int) -> float:
    """Decayed points one engagement rule gives for its per-day event counts.

    Works on magnitudes (a rule's points all have one sign) and applies the
    sign at the end; this loop runs for every rule of every lead on a
    re-score, so it avoids helper calls.

    Args:
        rule: The rule, with its points, caps and half-life.
        days: UTC day ordinal -> number of matching events that day.
        today: The UTC day ordinal of the scoring moment.
    """
    if not days or rule.points == 0:
        return 0.0
    sign = 1.0 if rule.points > 0 else -1.0
    each = abs(rule.points)
    per_day = rule.cap_per_day
    budget = rule.cap_total
    half_life = rule.half_life_days
    if not rule.repeatable:
        newest = max(days)
        once = min(each, per_day or each, budget or each)
        return sign * once * decay_factor(today - newest, half_life)
    total = 0.0
    for day in sorted(days, reverse=True):
        raw = each * days[day]
        if per_day is not None and raw > per_day:
            raw = per_day
        if budget is not None:
            if raw > budget:
                raw = budget
            budget -= raw
        age = today - day
        if half_life is not None and age > 0:
            raw *= math.pow(0.5, age / half_life)
        total += raw
        if budget is not None and budget <= 0:
            break
    return sign * total
