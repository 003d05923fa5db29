"""Factories for scoring tests: rules from YAML text, leads, events."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scoring.config import load_rules, parse_rules
from scoring.model import AttributeValue, EngagementEvent, LeadInput
from scoring.rules import ScoringRules

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
DEFAULT_RULES_PATH = Path(__file__).resolve().parents[2] / "scoring.yml"


def make_rules(yaml_text: str, source: str = "rules.yml") -> ScoringRules:
    """Rules from an indented YAML snippet (dedented first)."""
    return parse_rules(textwrap.dedent(yaml_text), source)


def default_rules() -> ScoringRules:
    """The product's shipped scoring.yml."""
    return load_rules(DEFAULT_RULES_PATH)


def make_event(
    type_: str = "page_view",
    days_ago: float = 0,
    now: datetime = NOW,
    **properties: AttributeValue,
) -> EngagementEvent:
    """One event `days_ago` days before `now`."""
    return EngagementEvent(type_, now - timedelta(days=days_ago), properties)


def page_views(
    *paths: str, session: str = "s1", days_ago: float = 0
) -> tuple[EngagementEvent, ...]:
    """Page views of `paths` in one visit."""
    return tuple(
        make_event("page_view", days_ago, path=p, session_id=session) for p in paths
    )


def make_lead(
    events: tuple[EngagementEvent, ...] = (),
    signals: frozenset[str] = frozenset(),
    accepted_by_sales: bool = False,
    **attributes: AttributeValue,
) -> LeadInput:
    """A lead with the given attributes, events and signals."""
    return LeadInput(
        attributes=attributes,
        events=events,
        signals=signals,
        accepted_by_sales=accepted_by_sales,
    )


def senior_buyer(**overrides: AttributeValue) -> dict[str, AttributeValue]:
    """A VP at a 250-person company with budget and a near timeline.

    ``budget_base`` is the budget in the rules' currency, as the app derives it.
    """
    attributes: dict[str, AttributeValue] = {
        "email": "dana@acme.example",
        "seniority": "vp",
        "department": "marketing",
        "company_size": 250,
        "budget_amount": 25000.0,
        "budget_currency": "USD",
        "budget_base": 25000.0,
        "timeline_months": 2,
        "decision_maker": True,
        "email_domain_kind": "business",
    }
    attributes.update(overrides)
    return attributes
