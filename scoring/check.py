"""Check a rules file and show what it does to three example leads.

    .venv/bin/python -m scoring.check scoring.yml

Fields are checked against the lead attributes the chatbot fills (a typo
would never match); `--any-fields` lets a scorecard fitted on a CSV's
columns through, for `dmql scoring predict`.

Marketers run this after editing the rules: a mistake prints the file, the
line and the fix (exit status 1); rules that load print how a senior buyer,
a student and a free-mail tyre-kicker would score, with every reason, so the
effect of a change is visible before the bot restarts.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from scoring.config import load_rules
from scoring.engine import score
from scoring.errors import ScoringConfigError
from scoring.model import EngagementEvent, LeadInput, ScoreCard
from scoring.rules import ScoringRules
from scoring.vocabulary import LEAD_ATTRIBUTES

NOW = datetime(2025, 6, 2, 12, tzinfo=UTC)


def _visit(*paths: str, days_ago: int = 0) -> tuple[EngagementEvent, ...]:
    at = NOW - timedelta(days=days_ago)
    session = {"session_id": f"visit-{days_ago}"}
    return tuple(
        EngagementEvent("page_view", at, {"path": p, **session}) for p in paths
    )


EXAMPLES: dict[str, LeadInput] = {
    "VP at a 250-person company, budget, buying within 2 months": LeadInput(
        attributes={
            "email": "dana@acme.example",
            "seniority": "vp",
            "company_size": 250,
            "budget_base": 25000.0,
            "timeline_months": 2,
            "email_domain_kind": "business",
        },
        events=_visit("/", "/product", "/pricing"),
    ),
    "Student, very engaged": LeadInput(
        attributes={"email": "sam@uni.example", "seniority": "student"},
        events=_visit("/", "/pricing", "/demo") + _visit("/blog/a", days_ago=3),
        signals=frozenset({"asked_pricing"}),
    ),
    "Free-mail tyre-kicker, small company": LeadInput(
        attributes={
            "email": "kick@mail.example",
            "seniority": "individual_contributor",
            "company_size": 3,
            "email_domain_kind": "free",
        },
        events=_visit("/", "/pricing") + _visit("/blog/a", days_ago=5),
        signals=frozenset({"asked_pricing"}),
    ),
}


def describe(card: ScoreCard) -> list[str]:
    """A score card as the lines a rep would see."""
    lines = [
        f"  total {card.total} · stage {card.stage} · fit {card.fit:g} (grade "
        f"{card.grade}) · engagement {card.engagement:.1f} (level {card.level})"
    ]
    if card.probability is not None:
        lines[0] += f" · p(convert) {card.probability:.0%}"
    lines += [
        f"    {c.points:+.1f} · {c.reason}  [{c.rule}]" for c in card.contributions
    ]
    return lines


def report(rules: ScoringRules) -> list[str]:
    """Summary of the rules and how the examples score under them."""
    lines = [
        f"{rules.source}: scoring {rules.version} loads: {len(rules.fit_rules)} fit, "
        f"{len(rules.engagement_rules) + len(rules.behaviour_rules)} engagement, "
        f"{len(rules.conversation_rules)} conversation, "
        f"{len(rules.negative_rules)} negative rules"
    ]
    for name, lead in EXAMPLES.items():
        lines += ["", name, *describe(score(rules, lead, NOW))]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Check the rules file given (default scoring.yml); 0 when it loads."""
    parser = argparse.ArgumentParser(
        prog="python -m scoring.check",
        description="Check a scoring rules file and show how three example "
        "leads score under it.",
    )
    parser.add_argument(
        "rules", nargs="?", default="scoring.yml", help="rules file (scoring.yml)"
    )
    parser.add_argument(
        "--any-fields",
        action="store_true",
        help="allow fields the chatbot does not fill (a scorecard fitted on a "
        "CSV's columns, for 'dmql scoring predict')",
    )
    args = parser.parse_args(argv)
    try:
        rules = load_rules(args.rules, None if args.any_fields else LEAD_ATTRIBUTES)
    except ScoringConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    print("\n".join(report(rules)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
