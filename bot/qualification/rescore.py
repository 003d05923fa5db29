"""Re-scoring every lead: nightly (decay moves scores) or after a rules change.

Leads are read in batches of ids with their visitors, events and accepted
handoffs in three queries per batch, scored by the pure engine and written
back in the batch's own transaction, so an interrupted run keeps the batches
it finished and a second run simply scores everything again (re-scoring is
idempotent).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.qualification.scorer import (
    ACCEPTED_STATUSES,
    StoredEvent,
    card_columns,
    lead_input,
)
from bot.store.leads import LEAD_FIELDS
from bot.store.models import Event, Handoff, Lead, Visitor
from scoring.engine import score
from scoring.rules import ScoringRules

BATCH = 500


def count(sessions: sessionmaker[Session]) -> int:
    """How many leads a full re-score will touch."""
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Lead)) or 0)


def rescore_all(
    sessions: sessionmaker[Session],
    rules: ScoringRules,
    now: datetime,
    progress: Callable[[int], None] = lambda _done: None,
    batch: int = BATCH,
) -> dict[str, int]:
    """Score every lead under `rules` at `now`; returns leads per stage."""
    stages: dict[str, int] = defaultdict(int)
    for ids in _id_batches(sessions, batch):
        with sessions.begin() as session:
            updates = []
            for lead, events, accepted in _load(session, ids):
                card = score(rules, lead_input(lead, events, accepted), now)
                updates.append({"id": lead.id, **card_columns(card, now)})
                stages[card.stage] += 1
            # One executemany by primary key instead of a flush of objects.
            session.execute(update(Lead), updates)
        progress(len(ids))
    return dict(stages)


def _id_batches(sessions: sessionmaker[Session], batch: int) -> Iterator[list[str]]:
    last = ""
    while True:
        with sessions() as session:
            ids = list(
                session.scalars(
                    select(Lead.id).where(Lead.id > last).order_by(Lead.id).limit(batch)
                )
            )
        if not ids:
            return
        yield ids
        last = ids[-1]


def _load(
    session: Session, ids: list[str]
) -> Iterator[tuple[Row[Any], list[StoredEvent], bool]]:
    """A batch's leads, events and acceptance, as plain rows (no ORM objects)."""
    columns = [getattr(Lead, name) for name in ("id", "signals", *LEAD_FIELDS)]
    leads = session.execute(select(*columns).where(Lead.id.in_(ids))).all()
    rows = session.execute(
        select(Visitor.id, Visitor.lead_id).where(Visitor.lead_id.in_(ids))
    )
    owner = {visitor_id: lead_id for visitor_id, lead_id in rows}
    events: dict[str, list[StoredEvent]] = defaultdict(list)
    if owner:
        query = (
            select(Event.visitor_id, Event.type, Event.occurred_at, Event.properties)
            .where(Event.visitor_id.in_(list(owner)))
            .order_by(Event.occurred_at, Event.id)
        )
        for row in session.execute(query):
            events[owner[row.visitor_id]].append(row)
    accepted = set(
        session.scalars(
            select(Handoff.lead_id).where(
                Handoff.lead_id.in_(ids), Handoff.status.in_(ACCEPTED_STATUSES)
            )
        )
    )
    for lead in leads:
        yield lead, events[lead.id], lead.id in accepted
