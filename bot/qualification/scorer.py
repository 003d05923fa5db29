"""Glue between the lead store and the pure scoring engine.

Builds the engine's :class:`~scoring.model.LeadInput` from a stored lead and
its events, and writes the resulting score card back onto the lead together
with the rules version that produced it, so every stored score can be
explained later.

The budget is converted to the rules' base currency here, at every score,
and kept on the lead (``budget_base``): so a lead stored before the field
existed, or before the base currency changed, is right again the next time
it is scored, and the engine stays free of exchange rates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import ConfigError
from bot.qualification.exchange import bundled_rates, in_base
from bot.store import leads
from bot.store.models import Handoff, Lead
from scoring.aggregate import EngagementAggregates, aggregate
from scoring.config import load_rules
from scoring.engine import score_aggregates
from scoring.errors import ScoringConfigError
from scoring.model import AttributeValue, EngagementEvent, ScoreCard
from scoring.rules import ScoringRules
from scoring.vocabulary import LEAD_ATTRIBUTES

#: Event types that flip a lead attribute rather than add engagement.
FLAG_EVENTS = {"unsubscribe": "unsubscribed", "email_bounce": "email_bounced"}
#: Conversation signals that are also lead attributes for negative rules.
FLAG_SIGNALS = ("job_seeker", "is_competitor")


def load(path: Path) -> ScoringRules:
    """Load the rules file, turning a config mistake into a start-up error."""
    try:
        rules = load_rules(path, LEAD_ATTRIBUTES)
    except ScoringConfigError as exc:
        raise ConfigError(str(exc)) from exc
    problem = currency_problem(rules)
    if problem is not None:
        raise ConfigError(f"{rules.source}: {problem[0]}; {problem[1]}")
    return rules


def currency_problem(rules: ScoringRules) -> tuple[str, str] | None:
    """What is wrong with the rules' base currency, and the fix; ``None`` if fine.

    Budgets are converted to it, so it needs a rate in the bundled data.
    """
    rates = bundled_rates()
    if rates.covers(rules.currency):
        return None
    return (
        f"currency '{rules.currency}' has no rate in the bundled ECB reference "
        f"rates, so no budget could be converted to it",
        f"use one of: {', '.join(sorted(rates.currencies))}",
    )


class StoredEvent(Protocol):
    """An event row as the engine needs it (an ORM object or a plain row)."""

    @property
    def type(self) -> str: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def properties(self) -> dict[str, Any]: ...


class StoredLead(Protocol):
    """A lead as the engine needs it: an ORM object or a row with its columns."""

    @property
    def signals(self) -> list[Any]: ...
    @property
    def budget_amount(self) -> float | None: ...
    @property
    def budget_currency(self) -> str | None: ...


def derived_fields(lead: StoredLead, currency: str) -> dict[str, Any]:
    """The fields scoring derives from the lead's answers (``DERIVED_FIELDS``).

    ``budget_base`` is the yearly budget in `currency`, empty when the
    budget's currency has no rate (so the rule's ``missing`` applies).
    """
    base = in_base(lead.budget_amount, lead.budget_currency, currency)
    return {
        "budget_base": base,
        "budget_base_currency": currency if base is not None else None,
    }


def attributes_of(
    lead: StoredLead, flags: Iterable[str], currency: str
) -> dict[str, AttributeValue]:
    """The lead's fields, derived fields and flags as the engine's attributes."""
    attributes: dict[str, AttributeValue] = {
        name: getattr(lead, name) for name in leads.LEAD_FIELDS
    }
    attributes |= derived_fields(lead, currency)
    present = set(flags)
    for flag in FLAG_EVENTS.values():
        attributes[flag] = flag in present
    for flag in FLAG_SIGNALS:
        attributes[flag] = flag in lead.signals
    return attributes


def engagement_state(
    rules: ScoringRules, events: Sequence[StoredEvent]
) -> dict[str, Any]:
    """What scoring needs of a lead's events, small enough to keep on the lead.

    Per-rule daily counts (the engine's aggregates) and the flags some events
    set, so a nightly re-score reads no events: decay is applied to the
    counts at scoring time.
    """
    counted = aggregate(
        rules,
        (EngagementEvent(e.type, e.occurred_at, e.properties) for e in events),
    )
    flags = sorted({FLAG_EVENTS[e.type] for e in events if e.type in FLAG_EVENTS})
    return {"aggregates": counted.to_dict(), "flags": flags}


def score_state(
    rules: ScoringRules,
    lead: StoredLead,
    state: Mapping[str, Any],
    now: datetime,
    accepted: bool = False,
) -> ScoreCard:
    """Score a lead from its kept engagement state.

    Raises:
        StaleAggregatesError: the rules now match events differently; the
            state must be rebuilt from the events (``engagement_state``).
    """
    return score_aggregates(
        rules,
        EngagementAggregates.from_dict(state["aggregates"]),
        now,
        attributes=attributes_of(lead, state.get("flags", ()), rules.currency),
        signals=frozenset(lead.signals),
        accepted_by_sales=accepted,
    )


#: Handoff statuses that mean sales took the lead (it becomes an SQL): a deal
#: sales worked and lost stays an SQL, it does not fall back to a DMQL.
ACCEPTED_STATUSES = ("accepted", "won", "lost")


def rescore(
    session: Session, rules: ScoringRules, lead: Lead, now: datetime
) -> ScoreCard:
    """Score a lead from everything stored about it and keep the card on it."""
    accepted = session.scalar(
        select(Handoff.id)
        .where(Handoff.lead_id == lead.id, Handoff.status.in_(ACCEPTED_STATUSES))
        .limit(1)
    )
    lead.engagement = engagement_state(rules, leads.events_of(session, lead))
    for name, value in derived_fields(lead, rules.currency).items():
        setattr(lead, name, value)
    card = score_state(rules, lead, lead.engagement, now, accepted is not None)
    return keep(lead, card, now)


def card_columns(card: ScoreCard, now: datetime) -> dict[str, Any]:
    """The lead columns that hold a score card and the rules version behind it."""
    return {
        "score_total": card.total,
        "score_fit": card.fit,
        "score_engagement": card.engagement,
        "grade": card.grade,
        "level": card.level,
        "stage": card.stage,
        "score_reasons": [asdict(c) for c in card.contributions],
        "score_version": card.model_version,
        "scored_at": now,
    }


def keep(lead: Lead, card: ScoreCard, now: datetime) -> ScoreCard:
    """Write a score card onto the lead."""
    for column, value in card_columns(card, now).items():
        setattr(lead, column, value)
    return card
