"""Behaviour features computed from a lead's aggregates.

Features look at a rolling window (``window_days``, counted back from the
scoring day) instead of decaying: a high bounce rate stops counting once the
bouncy visits leave the window, so no behaviour penalty is permanent.
"""

from __future__ import annotations

from scoring.aggregate import EngagementAggregates
from scoring.reasons import days_ago
from scoring.rules import BehaviourRule


def feature_value(
    rule: BehaviourRule, aggregates: EngagementAggregates, today: int
) -> float | None:
    """The feature's value for this lead today, or None when it cannot be told.

    A feature is unknown when the lead has fewer visits in the window than the
    rule's ``min_sessions`` (a bounce rate of one visit says little), or when
    there is nothing to measure (no visits for a bounce rate, no events at all
    for recency).
    """
    first_day = today - rule.window_days + 1
    in_window = [v for v in aggregates.visits.values() if v.last_day >= first_day]
    if len(in_window) < rule.min_sessions:
        return None
    feature = rule.feature
    if feature == "sessions":
        return float(len(in_window))
    if feature == "bounce_rate":
        if not in_window:
            return None
        return sum(1 for v in in_window if v.pages == 1) / len(in_window)
    if feature == "active_days":
        return float(sum(1 for d in aggregates.active_days if d >= first_day))
    if feature == "days_since_last_seen":
        last = aggregates.last_seen_day
        return None if last is None else float(max(today - last, 0))
    raise ValueError(f"unknown behaviour feature {feature!r}")  # checked at load


def describe(feature: str, value: float) -> str:
    """The feature's value as a rep would say it ("80%", "4", "yesterday")."""
    if feature == "bounce_rate":
        return f"{value:.0%}"
    if feature == "days_since_last_seen":
        return days_ago(int(value))
    return f"{value:g}"


DEFAULT_REASONS = {
    "sessions": "Visits in the last {window_days} days: {value}",
    "bounce_rate": "{value} of recent visits saw a single page",
    "active_days": "Active on {value} of the last {window_days} days",
    "days_since_last_seen": "Last seen {value}",
}
"""What a rep reads when a behaviour rule gives no reason of its own."""
