"""Rules files that are right load into the rules they say."""

from __future__ import annotations

from pathlib import Path

from scoring.config import load_rules
from scoring.engine import score
from scoring.rules import DEFAULT_GRADES, DEFAULT_LEVELS, Band, StageThresholds
from tests.scoring.factories import NOW, make_lead, make_rules, page_views

FORMAT_EXAMPLE = """\
version: "v1"
base: 0
fit:
  cap: 60
  rules:
    - id: seniority
      field: seniority
      points: {c_level: 20, vp: 18, director: 15, manager: 10,
               individual_contributor: 4}
      default: 0
      missing: 0
      reason: "{value}: senior buyer"
    - id: company_size
      field: company_size
      bands:
        - {max: 11, points: 2}
        - {min: 11, max: 201, points: 8}
        - {min: 201, points: 15}
      missing: 0
      reason: "{value} employees"
calibration:
  method: logistic
  intercept: -4.2
  slope: 0.08
"""


def test_documented_format_example_loads_with_its_values() -> None:
    rules = make_rules(FORMAT_EXAMPLE)

    assert rules.version == "v1"
    assert rules.fit_cap == 60
    seniority, size = rules.fit_rules
    assert seniority.points["vp"] == 18
    assert seniority.reason == "{value}: senior buyer"
    assert size.bands == (Band(None, 11, 2), Band(11, 201, 8), Band(201, None, 15))
    assert rules.calibration is not None
    assert (rules.calibration.intercept, rules.calibration.slope) == (-4.2, 0.08)


def test_omitted_sections_fall_back_to_documented_defaults() -> None:
    rules = make_rules('version: "fitted-2025-06"\n')

    assert rules.grades == DEFAULT_GRADES
    assert rules.levels == DEFAULT_LEVELS
    assert rules.stages == StageThresholds(35, 60, "B")
    assert rules.calibration is None
    assert rules.base == 0
    assert rules.currency == "USD"


def test_boolean_keys_match_boolean_attributes() -> None:
    rules = make_rules("""
        version: "v1"
        fit:
          rules:
            - {id: dm, field: decision_maker, points: {true: 10, false: -2}}
    """)

    yes = score(rules, make_lead(decision_maker=True), NOW)
    no = score(rules, make_lead(decision_maker=False), NOW)

    assert [c.points for c in yes.contributions] == [10]
    assert [c.points for c in no.contributions] == [-2]


def test_country_no_stays_norway_not_false() -> None:
    rules = make_rules("""
        version: "v1"
        fit:
          rules:
            - {id: market, field: country, points: {NO: 4, SE: 3, true: 99}}
    """)

    card = score(rules, make_lead(country="NO"), NOW)

    assert card.fit == 4


def test_category_matching_ignores_case_and_spaces_and_1_is_not_true() -> None:
    rules = make_rules("""
        version: "v1"
        fit:
          rules:
            - {id: s, field: seniority, points: {VP: 18, 1: 5}, default: -1}
    """)

    assert score(rules, make_lead(seniority=" vp "), NOW).fit == 18
    assert score(rules, make_lead(seniority=1.0), NOW).fit == 5
    assert score(rules, make_lead(seniority=True), NOW).fit == -1


def test_load_rules_reads_a_file_and_records_its_name(tmp_path: Path) -> None:
    path = tmp_path / "scoring.yml"
    path.write_text(FORMAT_EXAMPLE, encoding="utf-8")

    rules = load_rules(path)

    assert rules.source == str(path)
    assert [r.id for r in rules.fit_rules] == ["seniority", "company_size"]


def test_engagement_where_accepts_one_value_or_a_list() -> None:
    rules = make_rules("""
        version: "v1"
        engagement:
          rules:
            - id: intent
              event: page_view
              where: {path_prefix: [/pricing, /demo], session_id: s1}
              points: 5
    """)

    (rule,) = rules.engagement_rules
    assert [(f.property, f.values, f.prefix) for f in rule.where] == [
        ("path", ("/pricing", "/demo"), True),
        ("session_id", ("s1",), False),
    ]


def test_keys_quoted_by_a_program_still_match_typed_answers() -> None:
    rules = make_rules("""
        version: "fitted"
        fit:
          rules:
            - {id: dm, field: decision_maker, points: {'True': 6, 'False': -1}}
            - {id: t, field: timeline_months, points: {'3': 4}}
    """)

    card = score(rules, make_lead(decision_maker=True, timeline_months=3.0), NOW)

    assert card.fit == 10


def test_money_bands_name_their_currency_in_reasons() -> None:
    rules = make_rules("""\
        version: "v1"
        currency: eur
        fit:
          rules:
            - id: budget
              field: budget_base
              bands: [{min: 10000, points: 12}]
              reason: "Budget of {value} {currency} a year"
        """)
    card = score(rules, make_lead(budget_base=20000.0), NOW)

    assert rules.currency == "EUR"
    assert [c.reason for c in card.contributions] == ["Budget of 20,000 EUR a year"]


def test_a_band_says_its_own_reason_and_others_the_rules() -> None:
    rules = make_rules("""\
        version: "v1"
        fit:
          rules:
            - id: timeline
              field: timeline_months
              bands:
                - {max: 1, points: 15, reason: "Buying now ({points:g} points)"}
                - {min: 1, max: 4, points: 10}
              reason: "Buying within {value} months"
        engagement:
          behaviour:
            - id: visits
              feature: sessions
              window_days: 30
              bands:
                - {min: 3, points: 6, reason: "Comes back often: {value}"}
                - {min: 1, max: 3, points: 2}
        """)
    three_visits = tuple(
        event
        for visit in ("a", "b", "c")
        for event in page_views("/pricing", session=visit, days_ago=1)
    )
    now = score(rules, make_lead(three_visits, timeline_months=0.0), NOW)
    later = score(rules, make_lead(three_visits[:1], timeline_months=3.0), NOW)

    assert [c.reason for c in now.contributions] == [
        "Buying now (15 points)",
        "Comes back often: 3",
    ]
    assert [(c.rule, c.reason) for c in later.contributions] == [
        ("timeline", "Buying within 3 months"),
        ("visits", "Visits in the last 30 days: 1"),
    ]


def test_a_reason_says_one_or_many() -> None:
    rules = make_rules("""\
        version: "v1"
        fit:
          rules:
            - id: size
              field: company_size
              bands: [{max: 11, points: 1}]
              reason: "{value} employee{s}"
        engagement:
          rules:
            - id: views
              event: page_view
              points: 1
              reason: "Viewed {count} page{s}"
        """)
    one = score(rules, make_lead(page_views("/a"), company_size=1), NOW)
    two = score(rules, make_lead(page_views("/a", "/b"), company_size=2), NOW)
    assert [c.reason for c in one.contributions] == ["1 employee", "Viewed 1 page"]
    assert [c.reason for c in two.contributions] == ["2 employees", "Viewed 2 pages"]
