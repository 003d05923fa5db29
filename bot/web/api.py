"""The JSON API: engagement events in, leads out.

``POST /api/events`` takes a batch from the tracking snippet or a website
form; a malformed batch is answered 422 with the reason and nothing of it is
stored. ``GET /api/leads/{visitor_id}`` returns the lead with its score card.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from bot.engagement import events
from bot.engagement.summary import summarize
from bot.handoff import summary
from bot.qualification import scorer
from bot.store import leads
from bot.store.models import utcnow

router = APIRouter(prefix="/api")


def _sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


Sessions = Annotated[sessionmaker[Session], Depends(_sessions)]


@router.post("/events", status_code=202)
def post_events(
    batch: events.EventBatch, request: Request, sessions: Sessions
) -> dict[str, Any]:
    """Store a visitor's events and re-score their lead."""
    now = utcnow()
    with sessions.begin() as session:
        lead, stored = events.record(session, batch, now)
        card = scorer.rescore(session, request.app.state.rules, lead, now)
    return {
        "accepted": stored,
        "duplicates": len(batch.events) - stored,
        "lead_id": lead.id,
        "stage": card.stage,
    }


@router.get("/leads/{visitor_id}")
def get_lead(visitor_id: str, sessions: Sessions) -> dict[str, Any]:
    """The lead behind a visitor: fields, score card, reasons, engagement."""
    now = utcnow()
    with sessions.begin() as session:
        lead = leads.find_lead(session, visitor_id)
        return {
            "lead_id": lead.id,
            "visitor_ids": sorted(v.id for v in lead.visitors),
            "lead": summary.lead_fields(lead),
            "signals": list(lead.signals),
            "outcome": lead.outcome,
            "score": summary.score_fields(lead),
            "reasons": list(lead.score_reasons),
            "engagement": summarize(leads.events_of(session, lead), now),
        }
