"""Which question to ask next, and when to stop asking: from the rules alone.

A good sales development rep asks what moves the decision most and stops as
soon as the outcome is clear. Here "moves the decision" is measured on the
scoring rules themselves: a question's *swing* is the most its answer can
change the fit score (the spread of the points its fields can earn). Open
questions are asked in order of swing; the conversation stops asking fit
questions when

* the lead is disqualified (a student or job seeker is not asked for a
  budget), or
* the lead is already a DMQL (a VP at a 2,000-person company with budget and
  timeline is not asked the nice-to-have rest), or
* even the best possible answers to every open question could not make it a
  DMQL,

and then only the contact questions a handoff or a next step needs remain.
Nothing here is hard-coded per question: editing points in the rules file
changes the order and the stopping point.
"""

from __future__ import annotations

from collections.abc import Set

from scoring.model import ScoreCard
from scoring.rules import FitRule, QuestionPolicy, ScoringRules

QUALIFIED_STAGES = ("dmql", "sql")


def rule_range(rule: FitRule) -> tuple[float, float]:
    """The lowest and highest points a fit rule can give."""
    values = [rule.default, rule.missing, *rule.points.values()]
    values += [band.points for band in rule.bands]
    return min(values), max(values)


def swing(rules: ScoringRules, policy: QuestionPolicy, question: str) -> float:
    """How much an answer to `question` can move the fit score at most."""
    fields = set(policy.fields_of(question))
    total = 0.0
    for rule in rules.fit_rules:
        if rule.field in fields:
            low, high = rule_range(rule)
            total += high - low
    return total


def upside(rules: ScoringRules, policy: QuestionPolicy, question: str) -> float:
    """The most points a still-unanswered question could add to the score."""
    fields = set(policy.fields_of(question))
    return sum(
        rule_range(rule)[1] - rule.missing
        for rule in rules.fit_rules
        if rule.field in fields
    )


def plan(rules: ScoringRules, card: ScoreCard, answered: Set[str]) -> list[str]:
    """The questions still worth asking, best first; empty when done.

    Args:
        rules: the scoring rules in force, with their ``questions:`` policy.
        card: the lead's score card with everything known so far.
        answered: questions already answered, skipped, or known from
            elsewhere (a website form, an earlier conversation).
    """
    policy = rules.questions
    contact = [q for q in policy.contact if q not in answered]
    if card.stage == "disqualified":
        return []
    if card.stage in QUALIFIED_STAGES or scores_as_dmql(rules, card):
        return contact
    openers = [q for q in policy.first if q not in answered]
    open_questions = [q for q in policy.ask if q not in answered]
    # A work email still to come counts too ("Uses a company email address"):
    # without it, a visitor who skipped the role was asked nothing more.
    best_case = card.total + _capped_upside(
        rules, policy, card, open_questions + contact
    )
    if best_case < rules.stages.dmql_total:
        return openers + contact
    ranked = sorted(
        open_questions,
        key=lambda q: (-swing(rules, policy, q), policy.ask.index(q)),
    )
    return openers + ranked + contact


def scores_as_dmql(rules: ScoringRules, card: ScoreCard) -> bool:
    """Whether the score alone makes a DMQL, before contact details are known.

    The stage stays "visitor" until an email is known, but the questions
    about who the lead is are settled once the score and grade are there.
    """
    grades = "ABCD"
    return card.total >= rules.stages.dmql_total and grades.index(
        card.grade
    ) <= grades.index(rules.stages.dmql_min_grade)


def _capped_upside(
    rules: ScoringRules,
    policy: QuestionPolicy,
    card: ScoreCard,
    open_questions: list[str],
) -> float:
    gain = sum(upside(rules, policy, q) for q in open_questions)
    if rules.fit_cap is not None:
        gain = min(gain, max(0.0, rules.fit_cap - card.fit))
    return gain
