"""Question planning: most informative first, stop when the outcome is clear."""

from __future__ import annotations

import pytest

from scoring.config import parse_rules
from scoring.engine import score
from scoring.errors import ScoringConfigError
from scoring.model import AttributeValue, LeadInput
from scoring.questions import plan, swing
from scoring.rules import ScoringRules
from tests.scoring.factories import NOW, default_rules, make_rules

RULES_WITH_QUESTIONS = """\
version: "q1"
fit:
  rules:
    - {id: seniority, field: seniority, points: {vp: 20, student: 0}}
    - id: size
      field: company_size
      bands: [{max: 50, points: 2}, {min: 50, points: 10}]
    - {id: budget, field: budget_amount, bands: [{min: 10000, points: 6}]}
negative:
  rules:
    - {id: student, field: seniority, equals: student, points: -30, disqualify: true}
stages: {mql: 20, dmql: 30}
questions:
  first: [use_case]
  ask: [budget, company_size, job_title, country]
  contact: [email, consent]
  informs:
    job_title: [seniority]
    budget: [budget_amount]
"""


def card_for(rules, **attributes: AttributeValue):
    return score(rules, LeadInput(attributes=attributes), NOW)


def test_questions_are_ordered_by_how_much_they_can_move_the_score() -> None:
    rules = make_rules(RULES_WITH_QUESTIONS)
    assert [
        swing(rules, rules.questions, q) for q in ("job_title", "company_size")
    ] == [
        20,
        10,
    ]
    assert plan(rules, card_for(rules), answered=set()) == [
        "use_case", "job_title", "company_size", "budget", "country",
        "email", "consent",
    ]  # fmt: skip


def test_answered_questions_are_not_asked_again() -> None:
    rules = make_rules(RULES_WITH_QUESTIONS)
    card = card_for(rules, seniority="vp")
    planned = plan(rules, card, answered={"use_case", "job_title", "email"})
    assert "job_title" not in planned
    assert "email" not in planned
    assert planned[0] == "company_size"


def test_a_disqualified_lead_is_asked_nothing_more() -> None:
    rules = make_rules(RULES_WITH_QUESTIONS)
    card = card_for(rules, seniority="student", email="kim@uni.edu")
    assert card.stage == "disqualified"
    assert plan(rules, card, answered={"use_case", "job_title"}) == []


def test_a_clear_dmql_is_asked_only_for_contact_details() -> None:
    rules = make_rules(RULES_WITH_QUESTIONS)
    card = card_for(rules, seniority="vp", company_size=2000, email="vp@big.com")
    assert card.stage == "dmql"
    answered = {"use_case", "job_title", "company_size", "email"}
    assert plan(rules, card, answered) == ["consent"]


def test_a_lead_that_cannot_reach_dmql_skips_to_contact_details() -> None:
    rules = make_rules(RULES_WITH_QUESTIONS)
    card = card_for(rules, seniority="manager", company_size=3)
    assert plan(rules, card, answered={"use_case", "job_title", "company_size"}) == [
        "email",
        "consent",
    ]


def test_editing_points_changes_the_order() -> None:
    text = RULES_WITH_QUESTIONS.replace("points: 6}", "points: 40}")
    rules = make_rules(text)
    assert plan(rules, card_for(rules), answered={"use_case"})[0] == "budget"


def test_the_default_rules_ask_the_role_first_after_the_opener() -> None:
    rules = default_rules()
    planned = plan(rules, card_for(rules), answered=set())
    assert planned[:2] == ["use_case", "job_title"]
    assert planned[-3:] == ["name", "email", "consent"]


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("questions:\n  ask: [budget]\n  contact: [budget]\n", "in questions ask and"),
        ("questions:\n  ask: budget\n", "must be a list"),
        ("questions:\n  first: [use_case]\n", "has no 'ask'"),
        (
            "questions:\n  ask: [a]\n  informs: {b: [x]}\n",
            "'b', which is not a question",
        ),
        ("questions:\n  ask: [a]\n  order: [a]\n", "unknown key 'order'"),
    ],
)
def test_question_config_errors_name_line_and_fix(snippet: str, message: str) -> None:
    with pytest.raises(ScoringConfigError, match=message) as error:
        parse_rules('version: "q"\n' + snippet, "rules.yml")
    assert "rules.yml line" in str(error.value)


def test_a_dmql_score_settles_the_questions_before_the_email_is_known() -> None:
    rules = make_rules(RULES_WITH_QUESTIONS)
    card = card_for(rules, seniority="vp", company_size=2000)
    assert card.stage == "visitor", "no email yet"
    answered = {"use_case", "job_title", "company_size"}
    assert plan(rules, card, answered) == ["email", "consent"]


def test_a_work_email_still_to_come_keeps_the_fit_questions_open() -> None:
    # The role skipped: size and budget reach at most 28, a work email 2
    # more, and a DMQL takes 30, so the size and budget are still asked.
    def rules_with_work_email(points: int) -> ScoringRules:
        text = RULES_WITH_QUESTIONS.replace("points: 10}", "points: 22}")
        work = "{id: work, field: email_domain_kind, points: {business: POINTS}}"
        work = work.replace("POINTS", str(points))
        text = text.replace("negative:", f"    - {work}\nnegative:")
        return make_rules(text + "    email: [email_domain_kind]\n")

    answered = {"use_case", "job_title"}
    rules = rules_with_work_email(2)
    assert plan(rules, card_for(rules), answered)[:2] == ["company_size", "budget"]
    rules = rules_with_work_email(1)
    assert plan(rules, card_for(rules), answered) == ["email", "consent"]
