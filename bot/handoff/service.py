"""Handing a lead to sales exactly once per conversation.

The handoff row has a unique conversation id: however often an action runs or
Rasa retries a message, a second attempt finds the first handoff and creates
nothing. The handoff, its summary and its outbox messages are written in one
transaction, so a crash leaves either all of them or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.engagement.summary import summarize
from bot.handoff import summary
from bot.store import leads
from bot.store.models import Handoff, Lead, OutboxMessage, new_id

HandoffType = Literal["lead.qualified", "lead.human_requested"]


@dataclass(frozen=True)
class HandoffResult:
    """The conversation's handoff, and whether this call created it."""

    handoff: Handoff
    created: bool


def existing(session: Session, conversation_id: str) -> Handoff | None:
    """The handoff already made in this conversation, if any."""
    return session.scalars(
        select(Handoff).where(Handoff.conversation_id == conversation_id)
    ).first()


def hand_off(
    session: Session,
    *,
    lead: Lead,
    visitor_id: str,
    conversation_id: str,
    handoff_type: HandoffType,
    transcript: Sequence[dict[str, Any]],
    channels: Sequence[str],
    now: datetime,
) -> HandoffResult:
    """Create the conversation's handoff and queue its notifications.

    Runs in a savepoint: if a concurrent retry inserted the same conversation's
    handoff first, the unique constraint fires and that handoff is returned.
    """
    found = existing(session, conversation_id)
    if found is not None:
        return HandoffResult(found, created=False)
    handoff_id = new_id()
    payload = summary.build(
        handoff_id=handoff_id,
        handoff_type=handoff_type,
        created_at=now,
        visitor_id=visitor_id,
        lead=lead,
        engagement=summarize(leads.events_of(session, lead), now),
        transcript=transcript,
    )
    handoff = Handoff(
        id=handoff_id,
        lead=lead,
        conversation_id=conversation_id,
        visitor_id=visitor_id,
        type=handoff_type,
        created_at=now,
        payload=payload,
    )
    try:
        with session.begin_nested():
            session.add(handoff)
            session.add_all(
                OutboxMessage(
                    handoff=handoff,
                    channel=channel,
                    payload=payload,
                    created_at=now,
                    next_attempt_at=now,
                )
                for channel in channels
            )
    except IntegrityError:
        found = existing(session, conversation_id)
        if found is None:
            raise
        return HandoffResult(found, created=False)
    return HandoffResult(handoff, created=True)
