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

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.qualification.scorer import ACCEPTED_STATUSES, keep, lead_input
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
            for lead, events, accepted in _load(session, ids):
                card = score(rules, lead_input(lead, events, accepted), now)
                keep(lead, card, now)
                stages[card.stage] += 1
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


def _load(session: Session, ids: list[str]) -> Iterator[tuple[Lead, list[Event], bool]]:
    leads = session.scalars(select(Lead).where(Lead.id.in_(ids))).all()
    rows = session.execute(
        select(Visitor.id, Visitor.lead_id).where(Visitor.lead_id.in_(ids))
    )
    owner = {visitor_id: lead_id for visitor_id, lead_id in rows}
    events: dict[str, list[Event]] = defaultdict(list)
    if owner:
        query = (
            select(Event)
            .where(Event.visitor_id.in_(list(owner)))
            .order_by(Event.occurred_at, Event.id)
        )
        for event in session.scalars(query):
            events[owner[event.visitor_id]].append(event)
    accepted = set(
        session.scalars(
            select(Handoff.lead_id).where(
                Handoff.lead_id.in_(ids), Handoff.status.in_(ACCEPTED_STATUSES)
            )
        )
    )
    for lead in leads:
        yield lead, events[lead.id], lead.id in accepted
