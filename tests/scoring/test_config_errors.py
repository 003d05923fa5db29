"""Every kind of mistake in a rules file names the file, the line and the fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scoring.config import load_rules, parse_rules
from scoring.errors import ScoringConfigError, ScoringError
from scoring.vocabulary import LEAD_ATTRIBUTES

FIT_HEAD = """\
version: "v1"
fit:
  rules:
"""


def error_of(text: str, source: str = "rules.yml") -> ScoringConfigError:
    with pytest.raises(ScoringConfigError) as caught:
        parse_rules(textwrap.dedent(text), source)
    return caught.value


def test_points_given_as_words_reads_exactly_as_documented() -> None:
    text = (
        'version: "v1"\n'
        + "# lines to move the rule down\n" * 7
        + "fit:\n"
        + "  rules:\n"
        + "    - id: seniority\n"
        + "      field: seniority\n"
        + "      points:\n"
        + '        vp: "high"\n'
    )
    error = error_of(text, "scoring.yml")

    assert str(error) == (
        "scoring.yml line 14: rule 'seniority' has points for 'vp' as \"high\"; "
        "points must be numbers, e.g. 'vp: 18'."
    )
    assert (error.source, error.line) == ("scoring.yml", 14)


CASES = [
    pytest.param(
        "version: 'v1'\nfit:\n  cap: 60: 3\n", 3, "not valid YAML", "indentation",
        id="yaml-syntax",
    ),
    pytest.param(
        "fit: {}\n", 1, "has no 'version'", "version: \"v1\"", id="no-version"
    ),
    pytest.param("version: 1.10\n", 1, "version is 1.10", "'version: \"1.10\"'",
                 id="version-unquoted"),
    pytest.param('version: "v1"\nengagment: {}\n', 2, "unknown key 'engagment'",
                 "did you mean 'engagement'?", id="unknown-top-key"),
    pytest.param('version: "v1"\ncurrency: US dollars\n', 2,
                 "currency 'US dollars' is not a three-letter ISO 4217 code",
                 "'currency: USD'", id="currency-not-a-code"),
    pytest.param('version: "v1"\ncurrency: 840\n', 2, 'currency is "840"',
                 "'currency: USD'", id="currency-a-number"),
    pytest.param(
        'version: "v1"\nversion: "v2"\n', 2, "'version' appears twice",
        "first is on line 1", id="duplicate-key",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: size, field: size, halflife: 3, points: {a: 1}}\n",
        4, "unknown key 'halflife' in a fit rule", "use one of", id="unknown-rule-key",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: a, field: x, points: {y: 1}}\n"
        "    - {id: a, field: z, points: {y: 1}}\n",
        5, "rule id 'a' is used twice (also line 4)", "its own id", id="duplicate-id",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: base, field: x, points: {y: 1}}\n", 4,
        "'base' is reserved", "base_rule", id="reserved-id",
    ),
    pytest.param(
        FIT_HEAD + "    - {field: x, points: {y: 1}}\n", 4, "a fit rule has no 'id'",
        "add 'id:'", id="missing-id",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: a, field: x}\n", 4, "needs 'points' (categories) or",
        "'bands:' for numeric ranges", id="neither-points-nor-bands",
    ),
    pytest.param(
        FIT_HEAD + "    - id: a\n      field: x\n      bands:\n"
        "        - {min: 10, max: 5, points: 1}\n",
        7, "band from 10 to 5, which is empty", "max must be above min",
        id="empty-band",
    ),
    pytest.param(
        FIT_HEAD + "    - id: a\n      field: x\n      bands:\n"
        "        - {min: 10, points: lots}\n",
        7, 'band points is "lots"', "must be a number, e.g. 'points: 8'",
        id="band-points-text",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: a, field: x, points: {~: 3}}\n", 4,
        "points for an empty value", "use 'missing: 0'", id="null-category",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: a, field: x, points: {y: 1}, reason: '{valeu} rocks'}\n",
        4, "uses {valeu}, which this rule does not fill in", "use only {currency}",
        id="unknown-placeholder",
    ),
    pytest.param(
        FIT_HEAD + "    - id: a\n      field: x\n      bands:\n"
        "        - {max: 1, points: 3, reason: 'now {when}'}\n",
        7, "uses {when}, which this rule does not fill in", "use only {currency}",
        id="band-reason-placeholder",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: a, field: x, points: {y: 1}, reason: '{points:%}x{'}\n",
        4, "stray brace", "write {{ or }}", id="stray-brace",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: a, field: x, points: {y: 1}, reason: '{value:.1f}'}\n",
        4, "cannot be filled in", "{points:.0f}", id="bad-format-spec",
    ),
    pytest.param(
        'version: "v1"\nfit:\n  cap: 0\n', 3, "fit cap is 0", "above zero",
        id="cap-not-positive",
    ),
    pytest.param(
        'version: "v1"\nfit:\n  rules: {id: a}\n', 3, "'fit rules' must be a list",
        "start each item with '- '", id="rules-not-a-list",
    ),
    pytest.param(
        'version: "v1"\nengagement:\n  rules:\n'
        "    - {id: a, event: page_veiw, points: 1}\n",
        4, "counts 'page_veiw' events", "did you mean 'page_view'?",
        id="unknown-event",
    ),
    pytest.param(
        'version: "v1"\nengagement:\n  rules:\n'
        "    - {id: a, event: page_view, points: 1, where: {pth_prefix: /p}}\n",
        4, "filters on 'pth_prefix'", "did you mean 'path_prefix'?",
        id="unknown-property",
    ),
    pytest.param(
        'version: "v1"\nengagement:\n  rules:\n'
        "    - {id: a, event: email_open, points: 1, where: {path: /p}}\n",
        4, "'email_open' lacks", "carry no properties", id="event-without-properties",
    ),
    pytest.param(
        'version: "v1"\nengagement:\n  rules:\n'
        "    - {id: a, event: page_view, points: 1, repeatable: sometimes}\n",
        4, 'repeatable of rule \'a\' is "sometimes"', "write true or false",
        id="repeatable-not-bool",
    ),
    pytest.param(
        'version: "v1"\nengagement:\n  rules:\n'
        "    - {id: a, event: page_view, points: 1, half_life_days: -7}\n",
        4, "half_life_days of rule 'a' is -7", "above zero", id="negative-half-life",
    ),
    pytest.param(
        'version: "v1"\nengagement:\n  behaviour:\n'
        "    - {id: a, feature: session, bands: [{min: 1, points: 1}]}\n",
        4, "feature 'session', which is not computed", "did you mean 'sessions'?",
        id="unknown-feature",
    ),
    pytest.param(
        'version: "v1"\nengagement:\n  behaviour:\n'
        "    - {id: a, feature: sessions, window_days: 2.5, bands: [{points: 1}]}\n",
        4, "window_days of rule 'a' is 2.5", "whole number", id="window-not-whole",
    ),
    pytest.param(
        'version: "v1"\nconversation:\n  rules:\n'
        "    - {id: a, signal: asked_pricng, points: 5}\n",
        4, "signal 'asked_pricng'", "did you mean 'asked_pricing'?",
        id="unknown-signal",
    ),
    pytest.param(
        'version: "v1"\nnegative:\n  rules:\n    - {id: a, field: x, points: -5}\n',
        4, "needs exactly one of 'equals' or 'in'", "in: [student, intern]",
        id="negative-without-condition",
    ),
    pytest.param(
        'version: "v1"\nnegative:\n  rules:\n    - {id: a, field: x, equals: y}\n',
        4, "neither takes points nor disqualifies", "disqualify: true",
        id="negative-does-nothing",
    ),
    pytest.param(
        'version: "v1"\ngrades: {A: 20, B: 30, C: 10}\n', 2,
        "grades B needs 30 points, A only 20", "fewer points than the one above",
        id="grades-not-descending",
    ),
    pytest.param(
        'version: "v1"\nlevels: {4: 20, 3: 5}\n', 2, "levels has no '2'",
        "{4: 25, 3: 15, 2: 5}", id="levels-incomplete",
    ),
    pytest.param(
        'version: "v1"\nstages:\n  mql: 50\n  dmql: 40\n', 4,
        "dmql (40) is below mql (50)", "at least as high as an MQL",
        id="dmql-below-mql",
    ),
    pytest.param(
        'version: "v1"\nstages: {mql: 30, dmql: 60, dmql_min_grade: E}\n', 2,
        "'E' is not a fit grade", "use A, B, C or D", id="unknown-grade",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: s, field: seniority, points: {VP: 3, vp: 18}}\n", 4,
        "gives points to 'vp' twice", "keep one", id="points-key-twice-by-case",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: s, field: seniority, points: {vp: .inf}}\n", 4,
        "gives 'vp' .inf points", "ordinary number", id="points-infinite",
    ),
    pytest.param(
        'version: "v1"\nengagement:\n  rules:\n    - id: p\n      event: page_view\n'
        "      points: 1\n      half_life_days: .nan\n", 7,
        "half_life_days of rule 'p' is .nan", "ordinary number", id="half-life-nan",
    ),
    pytest.param(
        'version: "v1"\nfit:\n  cap: .nan\n', 3, "is .nan", "ordinary number",
        id="cap-nan",
    ),
    pytest.param(
        'version: "v1"\nnegative:\n  rules:\n'
        "    - {id: student, field: seniority, equals: student, points: 5}\n", 4,
        "negative rule 'student' gives +5 points", "'points: -5'",
        id="negative-rule-giving-points",
    ),
    pytest.param(
        'version: "v1"\nengagement:\n  rules:\n    - id: p\n      event: page_view\n'
        "      points: 1\n      where: {path_prefix: [/plans, pricing]}\n", 7,
        "is 'pricing', but paths the website sends start with '/'", "'/pricing'",
        id="path-without-slash",
    ),
    pytest.param(
        'version: "v1"\nengagement:\n  behaviour:\n    - id: b\n'
        "      feature: bounce_rate\n      bands:\n"
        "        - {min: 80, points: -3}\n", 7,
        "bounce_rate band at 80, but a bounce rate runs from 0 to 1", "'min: 0.8'",
        id="bounce-rate-as-percent",
    ),
    pytest.param(
        'version: "v1"\nengagement:\n  behaviour:\n    - id: b\n'
        "      feature: bounce_rate\n      bands:\n"
        "        - {min: 0.8, max: 1, points: -3}\n", 7,
        "bounce_rate band up to 1; max is not included", "leave 'max' out",
        id="bounce-rate-max-one-misses-full-bounces",
    ),
    pytest.param(
        FIT_HEAD + "    - id: size\n      field: company_size\n      bands:\n"
        "        - {min: 50, max: 2000, points: 8}\n"
        "        - {min: 200, max: 1000, points: 12}\n", 8,
        "band {min 200, max 1000} that can never apply", "without overlap",
        id="band-covered-by-an-earlier-one",
    ),
    pytest.param(
        'version: "v1"\nstages:\n  mql: 40\n  dmql: 160\n', 4,
        "stages dmql is 160, but a score runs from 0 to 100", "at most 100",
        id="dmql-out-of-reach",
    ),
    pytest.param(
        'version: "v1"\nfit:\n  cap: 60\n  rules:\n'
        "    - {id: s, field: seniority, points: {vp: 70}}\n"
        "grades: {A: 70, B: 65, C: 15}\n", 6,
        "no lead can reach grade B (65 fit points)", "lower grade B to 60",
        id="dmql-grade-out-of-reach",
    ),
    pytest.param(
        'version: "v1"\ncalibration:\n  method: logit\n  intercept: -4\n  slope: 0.1\n',
        3, "method 'logit' is not supported", "did you mean 'logistic'?",
        id="unknown-calibration",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "problem", "fix"), CASES)
def test_config_error_names_file_line_and_fix(
    text: str, line: int, problem: str, fix: str
) -> None:
    error = error_of(text)

    assert error.source == "rules.yml"
    assert error.line == line
    assert str(error).startswith(f"rules.yml line {line}: ")
    assert problem in error.problem
    assert fix in error.fix
    assert problem in str(error)
    assert fix in str(error)


def test_empty_file_names_the_file_and_how_to_start() -> None:
    error = error_of("# nothing yet\n")

    assert (
        str(error)
        == "rules.yml: the rules file is empty; start it with 'version: \"v1\"'."
    )


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yml"

    with pytest.raises(ScoringConfigError) as caught:
        load_rules(path)

    assert str(caught.value).startswith(f"{path}: cannot read the rules file")
    assert "copy the default scoring.yml" in str(caught.value)


def test_config_errors_are_scoring_errors() -> None:
    assert issubclass(ScoringConfigError, ScoringError)


LEAD_CASES = [
    pytest.param(
        FIT_HEAD + "    - id: seniority\n      field: seniorty\n"
        "      points: {vp: 18}\n", 5,
        "fit rule 'seniority' reads 'seniorty', which no lead has",
        "did you mean 'seniority'?", id="field-typo",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: d, field: department, points: {marketting: 8}}\n", 4,
        "fit rule 'd': no lead's department is 'marketting'",
        "did you mean 'marketing'?", id="value-typo",
    ),
    pytest.param(
        FIT_HEAD + "    - {id: dm, field: decision_maker, points: {yes: 8}}\n", 4,
        "'decision_maker' is true or false, never 'yes'", "'true' for yes",
        id="yes-on-a-true-false-answer",
    ),
    pytest.param(
        'version: "v1"\nnegative:\n  rules:\n    - id: student\n'
        "      field: seniority\n      in: [intern, studnet]\n"
        "      disqualify: true\n", 6,
        "negative rule 'student': no lead's seniority is 'intern'",
        "use one of", id="negative-value-unknown",
    ),
    pytest.param(
        'version: "v1"\nnegative:\n  rules:\n'
        "    - {id: js, field: jobseeker, equals: true, disqualify: true}\n", 4,
        "reads 'jobseeker', which no lead has", "did you mean 'job_seeker'?",
        id="negative-field-typo",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "problem", "fix"), LEAD_CASES)
def test_rules_for_the_chatbot_read_only_what_a_lead_has(
    text: str, line: int, problem: str, fix: str
) -> None:
    with pytest.raises(ScoringConfigError) as caught:
        parse_rules(text, "rules.yml", LEAD_ATTRIBUTES)
    error = caught.value

    assert error.line == line
    assert problem in error.problem
    assert fix in error.fix
    # A scorecard fitted on a CSV's columns may read any name.
    assert parse_rules(text.replace("studnet", "student"), "rules.yml") is not None


def test_the_shipped_rules_read_only_what_a_lead_has() -> None:
    rules = load_rules(Path(__file__).parents[2] / "scoring.yml", LEAD_ATTRIBUTES)
    assert rules.fit_rules
