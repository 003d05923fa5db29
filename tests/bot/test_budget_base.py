"""Budgets are scored in the rules' base currency, and kept on the lead."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.errors import ConfigError
from bot.qualification import rescore, scorer
from bot.qualification.exchange import in_base
from bot.qualification.service import QualificationService
from bot.settings import PROJECT_ROOT
from bot.store import leads
from bot.store.models import Lead
from scoring.config import parse_rules
from scoring.rules import ScoringRules

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
RULES_TEXT = (PROJECT_ROOT / "scoring.yml").read_text(encoding="utf-8")


def rules_in(currency: str) -> ScoringRules:
    """The shipped rules with their bands in another currency."""
    assert "currency: USD" in RULES_TEXT
    text = RULES_TEXT.replace("currency: USD", f"currency: {currency}", 1)
    return parse_rules(text, "scoring.yml")


def make_service(sessions, rules: ScoringRules | None = None) -> QualificationService:
    return QualificationService(
        sessions,
        rules or scorer.load(PROJECT_ROOT / "scoring.yml"),
        channels=[],
        clock=lambda: NOW,
    )


def stored(sessions, visitor_id: str = "v-1") -> Lead:
    with sessions.begin() as session:
        return leads.find_lead(session, visitor_id)


def budget_reason(lead: Lead) -> dict[str, object] | None:
    found = [r for r in lead.score_reasons if r["rule"] == "budget"]
    return found[0] if found else None


def test_an_answered_budget_is_kept_in_the_base_currency_too(sessions) -> None:
    make_service(sessions).answer("v-1", {"budget": "40.000 € a year"}, "budget")

    lead = stored(sessions)
    assert (lead.budget_amount, lead.budget_currency) == (40_000.0, "EUR")
    assert lead.budget_base == in_base(40_000.0, "EUR", "USD")
    assert lead.budget_base_currency == "USD"
    reason = budget_reason(lead)
    assert reason is not None
    assert reason["reason"] == f"Budget of {lead.budget_base:,.0f} USD a year"


def test_the_budget_rule_compares_the_converted_amount(sessions) -> None:
    service = make_service(sessions)
    service.answer("v-yen", {"budget": "40000 yen a year"}, "budget")
    service.answer("v-usd", {"budget": "40000 usd a year"}, "budget")

    yen = budget_reason(stored(sessions, "v-yen"))
    usd = budget_reason(stored(sessions, "v-usd"))
    assert yen is not None
    assert usd is not None
    assert yen["points"] == 2  # under 1,000 USD
    assert usd["points"] == 12  # 10,000 USD and more


def test_a_currency_without_a_rate_leaves_the_budget_unscored(sessions) -> None:
    make_service(sessions).answer("v-1", {"budget": "150,000 AED a year"}, "budget")

    lead = stored(sessions)
    assert (lead.budget_amount, lead.budget_currency) == (150_000.0, "AED")
    assert lead.budget_base is None
    assert lead.budget_base_currency is None
    assert budget_reason(lead) is None  # `missing` applies: no points, no line


def test_a_budget_without_a_currency_is_in_the_base_currency(sessions) -> None:
    service = make_service(sessions, rules_in("EUR"))
    service.answer("v-1", {"budget": "20k a year"}, "budget")

    lead = stored(sessions)
    assert lead.budget_currency == "EUR"
    assert (lead.budget_base, lead.budget_base_currency) == (20_000.0, "EUR")
    reason = budget_reason(lead)
    assert reason is not None
    assert reason["reason"] == "Budget of 20,000 EUR a year"


def test_a_bulk_rescore_fills_and_follows_the_base_currency(sessions) -> None:
    # A lead stored before the field existed: amount and currency only.
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.update_fields(
            session, lead, {"budget_amount": 30_000.0, "budget_currency": "GBP"}
        )
    assert stored(sessions).budget_base is None

    rescore.rescore_all(sessions, scorer.load(PROJECT_ROOT / "scoring.yml"), NOW)
    lead = stored(sessions)
    assert lead.budget_base == in_base(30_000.0, "GBP", "USD")
    assert lead.budget_base_currency == "USD"
    assert budget_reason(lead) is not None

    rescore.rescore_all(sessions, rules_in("EUR"), NOW)
    lead = stored(sessions)
    assert lead.budget_base == in_base(30_000.0, "GBP", "EUR")
    assert lead.budget_base_currency == "EUR"


def test_bulk_and_single_rescores_derive_the_same_budget(sessions) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.update_fields(
            session, lead, {"budget_amount": 2_500_000.0, "budget_currency": "INR"}
        )
        single = scorer.rescore(session, rules, lead, NOW)
        base = lead.budget_base
    rescore.rescore_all(sessions, rules, NOW)
    with sessions.begin() as session:
        again = session.scalars(select(Lead)).one()
        assert again.budget_base == base == in_base(2_500_000.0, "INR", "USD")
        assert again.score_total == single.total


def test_rules_in_a_currency_without_a_rate_stop_start_up(tmp_path: Path) -> None:
    path = tmp_path / "scoring.yml"
    path.write_text(RULES_TEXT.replace("currency: USD", "currency: NGN", 1))
    with pytest.raises(ConfigError, match=r"currency 'NGN' has no rate.*use one of"):
        scorer.load(path)
