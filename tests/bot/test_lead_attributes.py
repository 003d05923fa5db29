"""The attributes scoring rules may read are the ones the product fills."""

from __future__ import annotations

from typing import get_args

from bot.answers.email_address import EmailKind
from bot.answers.lookups import DEPARTMENTS, SENIORITIES, IndustryKey
from bot.qualification.scorer import attributes_of
from bot.store.models import Lead
from scoring.vocabulary import LEAD_ATTRIBUTES


def test_rules_may_read_every_attribute_a_lead_is_scored_with_and_no_other() -> None:
    lead = Lead(signals=[])
    assert set(attributes_of(lead, (), "USD")) == set(LEAD_ATTRIBUTES)


def test_the_values_rules_may_name_are_the_values_answers_become() -> None:
    assert LEAD_ATTRIBUTES["seniority"] == set(SENIORITIES)
    assert LEAD_ATTRIBUTES["department"] == set(DEPARTMENTS)
    assert LEAD_ATTRIBUTES["industry"] == set(get_args(IndustryKey))
    assert LEAD_ATTRIBUTES["email_domain_kind"] == set(get_args(EmailKind))
    for flag in ("decision_maker", "consent", "job_seeker", "unsubscribed"):
        assert LEAD_ATTRIBUTES[flag] == {"true", "false"}
