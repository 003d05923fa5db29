"""Exporting the product's own history to refit the scorecard from it.

Every handoff a sales rep closed (won, lost or rejected) becomes one row in
the same shape ``dmql scoring fit`` learns from: the lead's profile, its
engagement *as it was when it was handed off* (what happened later would leak
the outcome), the conversation signals, and ``converted``. The mapping file
for these columns ships as ``examples/product/mapping.yml``.

The budget is exported as ``budget_base``, the yearly budget in the scoring
currency as the lead's last score worked it out (``dmql rescore`` brings every
lead up to date): budgets stated in different currencies only compare there,
and a band fitted on it is a band of the field the budget rule reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.engagement.summary import summarize
from bot.store import leads
from bot.store.models import Handoff

#: Handoff status -> converted (1) or not (0); open handoffs have no outcome yet.
OUTCOMES = {"won": 1, "lost": 0, "rejected": 0}
PROFILE = (
    "seniority", "department", "company_size", "industry", "country",
    "budget_base", "timeline_months", "decision_maker",
    "email_domain_kind",
)  # fmt: skip
SIGNALS = ("asked_pricing", "asked_demo", "asked_human", "urgent")
COLUMNS = (
    "lead_id", "handoff_id", *PROFILE,
    "visits", "page_views", "pricing_views", "downloads", "webinars", "newsletter",
    "social_follows", "chat_messages", *SIGNALS,
    "handoff_type", "score_total", "status", "converted",
)  # fmt: skip


def rows(sessions: sessionmaker[Session]) -> Iterator[dict[str, Any]]:
    """One row per closed handoff, oldest first."""
    with sessions() as session:
        closed = session.scalars(
            select(Handoff)
            .where(Handoff.status.in_(list(OUTCOMES)))
            .order_by(Handoff.created_at)
        )
        for handoff in closed:
            yield _row(session, handoff)


def _row(session: Session, handoff: Handoff) -> dict[str, Any]:
    lead = handoff.lead
    before = [
        e for e in leads.events_of(session, lead) if e.occurred_at <= handoff.created_at
    ]
    engagement = summarize(before, handoff.created_at)
    row: dict[str, Any] = {name: getattr(lead, name) for name in PROFILE}
    row |= {
        "lead_id": lead.id,
        "handoff_id": handoff.id,
        "visits": engagement["visits"],
        "page_views": engagement["page_views"],
        "pricing_views": sum(
            1
            for e in before
            if e.type == "page_view"
            and str(e.properties.get("path", "")).startswith("/pricing")
        ),
        "downloads": len(engagement["downloads"]),
        "webinars": len(engagement["webinars"]),
        "newsletter": engagement["newsletter"],
        "social_follows": engagement["social_follows"],
        "chat_messages": engagement["chat_messages"],
        "handoff_type": handoff.type,
        "score_total": handoff.payload.get("score", {}).get("total"),
        "status": handoff.status,
        "converted": OUTCOMES[handoff.status],
    }
    row |= {signal: signal in lead.signals for signal in SIGNALS}
    return {column: row[column] for column in COLUMNS}
