"""Glue between the lead store and the pure scoring engine.

Builds the engine's :class:`~scoring.model.LeadInput` from a stored lead and
its events, and writes the resulting score card back onto the lead together
with the rules version that produced it, so every stored score can be
explained later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import ConfigError
from bot.store import leads
from bot.store.models import Handoff, Lead
from scoring.config import load_rules
from scoring.engine import score
from scoring.errors import ScoringConfigError
from scoring.model import AttributeValue, EngagementEvent, LeadInput, ScoreCard
from scoring.rules import ScoringRules

#: Event types that flip a lead attribute rather than add engagement.
FLAG_EVENTS = {"unsubscribe": "unsubscribed", "email_bounce": "email_bounced"}
#: Conversation signals that are also lead attributes for negative rules.
FLAG_SIGNALS = ("job_seeker", "is_competitor")


def load(path: Path) -> ScoringRules:
    """Load the rules file, turning a config mistake into a start-up error."""
    try:
        return load_rules(path)
    except ScoringConfigError as exc:
        raise ConfigError(str(exc)) from exc


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


def lead_input(
    lead: StoredLead, events: Sequence[StoredEvent], accepted: bool = False
) -> LeadInput:
    """The engine's view of a stored lead."""
    attributes: dict[str, AttributeValue] = {
        name: getattr(lead, name) for name in leads.LEAD_FIELDS
    }
    types = {e.type for e in events}
    for event_type, flag in FLAG_EVENTS.items():
        attributes[flag] = event_type in types
    for flag in FLAG_SIGNALS:
        attributes[flag] = flag in lead.signals
    return LeadInput(
        attributes=attributes,
        events=tuple(
            EngagementEvent(type=e.type, at=e.occurred_at, properties=e.properties)
            for e in events
        ),
        signals=frozenset(lead.signals),
        accepted_by_sales=accepted,
    )


#: Handoff statuses that mean sales took the lead (it becomes an SQL).
ACCEPTED_STATUSES = ("accepted", "won")


def rescore(
    session: Session, rules: ScoringRules, lead: Lead, now: datetime
) -> ScoreCard:
    """Score a lead from everything stored about it and keep the card on it."""
    accepted = session.scalar(
        select(Handoff.id)
        .where(Handoff.lead_id == lead.id, Handoff.status.in_(ACCEPTED_STATUSES))
        .limit(1)
    )
    facts = lead_input(lead, leads.events_of(session, lead), accepted is not None)
    return keep(lead, score(rules, facts, now), now)


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
