"""The score card: explained points that add up, grades, levels and stages."""

from __future__ import annotations

import math

import pytest

from scoring.aggregate import aggregate
from scoring.engine import score, score_aggregates
from scoring.errors import ScoringError, StaleAggregatesError
from scoring.model import ScoreCard
from scoring.rules import ScoringRules
from tests.scoring.factories import NOW, make_event, make_lead, make_rules

STAGE_RULES = """
    version: "t1"
    fit:
      rules:
        - {id: seniority, field: seniority, points: {vp: 30, manager: 15}}
    engagement:
      rules:
        - {id: downloads, event: content_download, points: 10}
    negative:
      rules:
        - {id: student, field: seniority, equals: student, disqualify: true}
    grades: {A: 30, B: 20, C: 10}
    stages: {mql: 20, dmql: 40, dmql_min_grade: B}
"""


def stage_rules() -> ScoringRules:
    return make_rules(STAGE_RULES)


def downloads(n: int) -> tuple:  # type: ignore[type-arg]
    return tuple(make_event("content_download", 0, asset=f"a{i}") for i in range(n))


def assert_adds_up(card: ScoreCard) -> None:
    raw = math.fsum(c.points for c in card.contributions)
    assert card.total == min(max(math.floor(raw + 0.5), 0), 100)


@pytest.mark.parametrize(
    ("attributes", "n_downloads", "accepted", "stage"),
    [
        ({"seniority": "vp"}, 3, False, "visitor"),
        ({"email": "a@b.example"}, 0, False, "lead"),
        ({"email": "a@b.example", "seniority": "manager"}, 1, False, "mql"),
        ({"email": "a@b.example", "seniority": "vp"}, 1, False, "dmql"),
        ({"email": "a@b.example", "seniority": "manager"}, 3, False, "mql"),
        ({"email": "a@b.example", "seniority": "vp"}, 1, True, "sql"),
        ({"email": "a@b.example", "seniority": "student"}, 5, False, "disqualified"),
        ({"seniority": "student"}, 0, False, "disqualified"),
        ({"email": "a@b.example", "seniority": "student"}, 0, True, "sql"),
        ({"email": "  "}, 0, False, "visitor"),
    ],
    ids=[
        "anonymous-is-visitor-whatever-the-score",
        "known-email-is-lead",
        "enough-points-is-mql",
        "enough-points-and-fit-is-dmql",
        "points-without-fit-grade-stay-mql",
        "accepted-by-sales-is-sql",
        "disqualifying-rule-exits",
        "visitor-can-be-disqualified",
        "a-reps-acceptance-wins-over-rules",
        "blank-email-is-not-contactable",
    ],
)
def test_stage_transitions(
    attributes: dict,
    n_downloads: int,
    accepted: bool,
    stage: str,  # type: ignore[type-arg]
) -> None:
    lead = make_lead(downloads(n_downloads), accepted_by_sales=accepted, **attributes)

    assert score(stage_rules(), lead, NOW).stage == stage


def test_every_point_has_a_rule_source_and_reason_and_they_add_up() -> None:
    rules = make_rules("""
        version: "t2"
        base: 5
        fit:
          cap: 20
          rules:
            - id: seniority
              field: seniority
              points: {vp: 18}
              reason: "{value}: senior buyer"
            - id: size
              field: company_size
              bands: [{min: 200, points: 12}]
              reason: "{value} employees"
        engagement:
          rules:
            - {id: pricing, event: page_view, where: {path_prefix: /pricing}, points: 6}
        conversation:
          rules:
            - {id: demo, signal: asked_demo, points: 10}
        negative:
          rules:
            - {id: free, field: email_domain_kind, equals: free, points: -10}
    """)
    lead = make_lead(
        (make_event("page_view", 2, path="/pricing/teams"),),
        frozenset({"asked_demo"}),
        seniority="vp",
        company_size=1200,
        email_domain_kind="free",
    )

    card = score(rules, lead, NOW)

    assert [(c.rule, c.source, c.points, c.reason) for c in card.contributions] == [
        ("base", "base", 5, "Starting points of scorecard t2"),
        ("seniority", "fit", 18, "VP: senior buyer"),
        ("size", "fit", 12, "1,200 employees"),
        ("fit_cap", "fit", -10, "Fit points are capped at 20"),
        ("pricing", "engagement", 6, "Page view ×1, last 2 days ago"),
        ("demo", "conversation", 10, "Asked for a demo in the chat"),
        ("free", "negative", -10, "Email domain kind: free"),
    ]
    assert (card.total, card.fit, card.engagement) == (31, 20, 6)
    assert card.model_version == "t2"
    assert_adds_up(card)


def test_total_is_clamped_to_0_100_but_contributions_keep_the_raw_sum() -> None:
    rules = make_rules("""
        version: "t3"
        fit:
          rules:
            - {id: s, field: seniority, points: {vp: 150, student: -80}}
    """)

    high = score(rules, make_lead(seniority="vp"), NOW)
    low = score(rules, make_lead(seniority="student"), NOW)

    assert (high.total, high.fit) == (100, 150)
    assert (low.total, low.fit) == (0, -80)


def test_missing_and_unlisted_values_use_missing_and_default() -> None:
    rules = make_rules("""
        version: "t4"
        fit:
          rules:
            - {id: s, field: seniority, points: {vp: 10}, default: 3, missing: -2}
            - id: n
              field: company_size
              bands: [{min: 10, max: 20, points: 5}]
              default: 1
    """)

    assert score(rules, make_lead(seniority="intern"), NOW).fit == 3 - 0
    assert score(rules, make_lead(company_size=25), NOW).fit == -2 + 1
    assert score(rules, make_lead(company_size=20), NOW).fit == -2 + 1
    assert score(rules, make_lead(company_size=10), NOW).fit == -2 + 5
    assert score(rules, make_lead(company_size=None), NOW).fit == -2
    assert score(rules, make_lead(company_size="1,500"), NOW).fit == -2 + 1


def test_grade_and_level_follow_thresholds() -> None:
    rules = make_rules("""
        version: "t5"
        fit:
          rules:
            - {id: s, field: seniority, points: {a: 45, b: 30, c: 15, d: 14}}
        engagement:
          rules:
            - {id: e, event: email_click, points: 1}
        grades: {A: 45, B: 30, C: 15}
        levels: {4: 25, 3: 15, 2: 5}
    """)

    grades = [score(rules, make_lead(seniority=s), NOW).grade for s in "abcd"]
    clicks = [
        tuple(make_event("email_click", 0) for _ in range(n)) for n in (25, 15, 5, 4)
    ]
    levels = [score(rules, make_lead(c), NOW).level for c in clicks]

    assert grades == ["A", "B", "C", "D"]
    assert levels == [4, 3, 2, 1]


def test_calibration_sets_a_logistic_probability_of_the_points() -> None:
    rules = make_rules("""
        version: "t6"
        fit:
          rules:
            - {id: s, field: seniority, points: {vp: 50}}
        calibration: {method: logistic, intercept: -4.0, slope: 0.08}
    """)

    card = score(rules, make_lead(seniority="vp"), NOW)
    uncalibrated = score(make_rules('version: "t7"\n'), make_lead(), NOW)

    assert card.probability == pytest.approx(1 / (1 + math.exp(-(-4.0 + 0.08 * 50))))
    assert card.probability == pytest.approx(0.5)
    assert uncalibrated.probability is None


def test_engagement_cap_shows_as_its_own_contribution() -> None:
    rules = make_rules("""
        version: "t8"
        engagement:
          cap: 10
          rules:
            - {id: dl, event: content_download, points: 6}
    """)

    card = score(rules, make_lead(downloads(3)), NOW)

    assert card.engagement == 10
    assert [(c.rule, c.points) for c in card.contributions] == [
        ("dl", 18),
        ("engagement_cap", -8),
    ]


def test_aggregates_of_other_engagement_rules_are_refused() -> None:
    old = stage_rules()
    new = make_rules(STAGE_RULES.replace("content_download", "webinar_signup"))
    stored = aggregate(old, downloads(2))

    with pytest.raises(StaleAggregatesError, match="re-aggregate") as caught:
        score_aggregates(new, stored, NOW, attributes={})

    assert isinstance(caught.value, ScoringError)


def test_points_changes_keep_stored_aggregates_valid() -> None:
    old = stage_rules()
    new = make_rules(STAGE_RULES.replace("points: 10}", "points: 7}"))
    stored = aggregate(old, downloads(2))

    card = score_aggregates(new, stored, NOW, attributes={})

    assert card.engagement == 14
