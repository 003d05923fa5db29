"""Handing a lead to sales exactly once per conversation.

The handoff row has a unique conversation id: however often an action runs or
Rasa retries a message, a second attempt finds the first handoff and creates
nothing. The handoff, its summary and its outbox messages are written in one
transaction, so a crash leaves either all of them or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.engagement.summary import summarize
from bot.handoff import summary
from bot.store import leads
from bot.store.models import Handoff, Lead, OutboxMessage, new_id

HandoffType = Literal["lead.qualified", "lead.human_requested"]
#: The notification type of a change to a lead that sales already has.
UPDATED = "lead.updated"
#: How long after a change its update waits for more changes to join it.
UPDATE_DELAY = timedelta(minutes=2)


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


def latest_of(session: Session, lead: Lead) -> Handoff | None:
    """The lead's most recent handoff, if sales has it."""
    return session.scalars(
        select(Handoff)
        .where(Handoff.lead_id == lead.id)
        .order_by(Handoff.created_at.desc())
        .limit(1)
    ).first()


def update(
    session: Session,
    *,
    handoff: Handoff,
    lead: Lead,
    changed: Sequence[str],
    channels: Sequence[str],
    now: datetime,
) -> None:
    """Tell sales what changed on a lead they already have.

    The visitor leaves an email after asking for a person, corrects their
    name, or asks for a demo in a later visit: the `handoff` is summarized
    again (the sales inbox shows the new summary, with the conversation as
    it was handed off) and every channel gets a ``lead.updated`` naming the
    `changed` fields, in the same transaction. Updates are sent
    :data:`UPDATE_DELAY` after the last change: the answers of one chat
    become one notification, not one per answer.
    """
    payload = summary.build(
        handoff_id=handoff.id,
        handoff_type=handoff.type,
        created_at=handoff.created_at,
        visitor_id=handoff.visitor_id,
        lead=lead,
        engagement=summarize(leads.events_of(session, lead), now),
        transcript=list(handoff.payload.get("transcript") or []),
    )
    payload["updated_at"] = now.isoformat()
    handoff.payload = payload
    due = now + UPDATE_DELAY
    for channel in channels:
        waiting = _waiting_update(session, handoff, channel, now)
        earlier = waiting.payload.get("changed", []) if waiting else []
        notice = {
            **payload,
            "type": UPDATED,
            "handoff_type": handoff.type,
            "changed": sorted({*earlier, *changed}),
        }
        if waiting is None:
            session.add(
                OutboxMessage(
                    handoff=handoff,
                    channel=channel,
                    payload=notice,
                    created_at=now,
                    next_attempt_at=due,
                )
            )
        else:
            waiting.payload = notice
            waiting.next_attempt_at = due


def _waiting_update(
    session: Session, handoff: Handoff, channel: str, now: datetime
) -> OutboxMessage | None:
    """The handoff's update for `channel` that is not due yet, if any."""
    waiting = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.handoff_id == handoff.id,
            OutboxMessage.channel == channel,
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.attempts == 0,
            OutboxMessage.next_attempt_at > now,
        )
    )
    return next((m for m in waiting if m.payload.get("type") == UPDATED), None)


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
