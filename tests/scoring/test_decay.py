"""Decay halves on schedule, caps come first, and nothing gets stuck."""

from __future__ import annotations

import pytest

from scoring.decay import decay_factor, rule_points
from scoring.engine import score
from scoring.rules import EngagementRule
from tests.scoring.factories import NOW, make_event, make_lead, make_rules

TODAY = 700_000


def rule(**kwargs: object) -> EngagementRule:
    fields: dict[str, object] = {"id": "r", "event": "page_view", "points": 8.0}
    fields.update(kwargs)
    return EngagementRule(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("half_life", "halvings"), [(7, 1), (7, 2), (14, 3), (0.5, 10)]
)
def test_a_half_life_halves_exactly(half_life: float, halvings: int) -> None:
    assert decay_factor(half_life * halvings, half_life) == 0.5**halvings


def test_points_one_half_life_old_are_exactly_half_in_a_score() -> None:
    rules = make_rules("""
        version: "v1"
        engagement:
          rules:
            - {id: webinar, event: webinar_signup, points: 8, half_life_days: 45}
    """)
    fresh = score(rules, make_lead((make_event("webinar_signup", 0),)), NOW)
    old = score(rules, make_lead((make_event("webinar_signup", 45),)), NOW)

    assert fresh.engagement == 8
    assert old.engagement == 4


def test_without_half_life_points_never_fade() -> None:
    assert rule_points(rule(), {TODAY - 3650: 1}, TODAY) == 8


def test_future_events_count_as_today_never_more() -> None:
    assert rule_points(rule(half_life_days=7), {TODAY + 5: 1}, TODAY) == 8


def test_negative_points_decay_towards_zero_not_below() -> None:
    penalty = rule(points=-10.0, half_life_days=30)

    values = [rule_points(penalty, {TODAY - age: 1}, TODAY) for age in (0, 30, 60, 600)]

    assert values[:3] == [-10, -5, -2.5]
    assert -0.001 < values[3] < 0


def test_cap_per_day_limits_one_days_points() -> None:
    capped = rule(points=1.0, cap_per_day=3)

    assert rule_points(capped, {TODAY: 10, TODAY - 1: 2}, TODAY) == 3 + 2


def test_cap_total_is_filled_by_the_newest_days_first() -> None:
    capped = rule(points=4.0, cap_total=8, half_life_days=1)

    # Two old days fill the cap; a new day takes its place at full value.
    old_only = rule_points(capped, {TODAY - 10: 1, TODAY - 9: 1}, TODAY)
    with_new = rule_points(capped, {TODAY - 10: 1, TODAY - 9: 1, TODAY: 1}, TODAY)

    assert old_only < 0.05
    assert with_new == pytest.approx(4 + 4 * 0.5**9)


def test_a_faded_capped_rule_is_lifted_back_by_a_new_event() -> None:
    capped = rule(points=5.0, cap_total=10, half_life_days=7)
    history = {TODAY - 60 - d: 3 for d in range(30)}

    faded = rule_points(capped, history, TODAY)
    lifted = rule_points(capped, {**history, TODAY: 2}, TODAY)

    assert faded < 0.1
    assert lifted == pytest.approx(10, abs=0.01)


def test_once_rule_counts_one_occurrence_dated_by_the_newest() -> None:
    once = rule(points=4.0, repeatable=False, half_life_days=10)

    assert rule_points(once, {TODAY - 30: 5, TODAY - 10: 2}, TODAY) == 2.0


def test_decay_steps_by_utc_day_so_a_days_rescores_agree() -> None:
    rules = make_rules("""
        version: "v1"
        engagement:
          rules:
            - {id: views, event: page_view, points: 4, half_life_days: 1}
    """)
    lead = make_lead((make_event("page_view", 1),))
    morning = NOW.replace(hour=0, minute=1)
    evening = NOW.replace(hour=23, minute=59)

    assert (
        score(rules, lead, morning).engagement == score(rules, lead, evening).engagement
    )
