"""Exporting closed handoffs in the shape the scorecard fit learns from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import yaml

from bot.engagement.events import EventBatch, record
from bot.handoff.service import hand_off
from bot.qualification import export
from bot.settings import PROJECT_ROOT
from bot.store import leads
from bot.store.models import Handoff
from scoring.fit.mapping import mapping_from_dict

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def page_view(sessions, visitor: str, n: int, when: datetime) -> None:
    batch = EventBatch.model_validate(
        {
            "visitor_id": visitor,
            "events": [
                {
                    "event_id": f"{visitor}-{n}",
                    "type": "page_view",
                    "occurred_at": when.isoformat(),
                    "properties": {"path": "/pricing", "session_id": "s"},
                }
            ],
        }
    )
    with sessions.begin() as session:
        record(session, batch, when)


def closed_handoff(sessions, visitor: str, status: str) -> None:
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, visitor)
        leads.update_fields(
            session,
            lead,
            {
                "seniority": "vp",
                "company_size": 300,
                "budget_amount": 4000.0,
                "budget_currency": "USD",
            },
        )
        lead.budget_base, lead.budget_base_currency = 48000.0, "USD"
        result = hand_off(
            session,
            lead=lead,
            visitor_id=visitor,
            conversation_id=f"{visitor}:1",
            handoff_type="lead.qualified",
            transcript=[],
            channels=(),
            now=NOW,
        )
        session.get_one(Handoff, result.handoff.id).status = status


def test_closed_handoffs_export_with_engagement_as_of_the_handoff(sessions) -> None:
    page_view(sessions, "v-won", 1, NOW - timedelta(days=1))
    page_view(
        sessions, "v-won", 2, NOW + timedelta(days=3)
    )  # after the handoff: not learnt
    closed_handoff(sessions, "v-won", "won")
    closed_handoff(sessions, "v-lost", "lost")
    closed_handoff(sessions, "v-open", "accepted")
    rows = list(export.rows(sessions))
    assert [row["converted"] for row in rows] == [1, 0]
    won = rows[0]
    assert won["page_views"] == 1
    assert won["pricing_views"] == 1
    assert won["seniority"] == "vp"
    # The budget in the scoring currency, the field the budget rule reads.
    assert won["budget_base"] == 48000.0
    assert "budget_amount" not in won
    assert list(won) == list(export.COLUMNS)


def test_the_shipped_mapping_covers_every_exported_column() -> None:
    raw = yaml.safe_load((PROJECT_ROOT / "examples/product/mapping.yml").read_text())
    mapping = mapping_from_dict(raw)
    named = {
        mapping.outcome,
        *mapping.identifiers,
        *mapping.leaky,
        *mapping.profile,
        *mapping.engagement,
    }
    assert named == set(export.COLUMNS)
    assert mapping.candidates(list(export.COLUMNS))
