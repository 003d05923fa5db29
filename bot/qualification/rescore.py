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
    engagement_state,
    score_state,
)
from bot.store.leads import LEAD_FIELDS
from bot.store.models import Event, Handoff, Lead, Visitor
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
    """Score every lead under `rules` at `now`; returns leads per stage.

    A lead's kept engagement counts are used when they match the rules;
    otherwise (first run, or rules that now match events differently) its
    events are read once and the counts rebuilt and kept.
    """
    stages: dict[str, int] = defaultdict(int)
    for ids in _id_batches(sessions, batch):
        with sessions.begin() as session:
            updates = []
            for lead, state, accepted in _load(session, rules, ids):
                card = score_state(rules, lead, state, now, accepted)
                row = {"id": lead.id, **card_columns(card, now)}
                if state is not lead.engagement:
                    row["engagement"] = state
                updates.append(row)
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
    session: Session, rules: ScoringRules, ids: list[str]
) -> Iterator[tuple[Row[Any], dict[str, Any], bool]]:
    """A batch's leads (plain rows), engagement state and acceptance."""
    columns = [
        getattr(Lead, name) for name in ("id", "signals", "engagement", *LEAD_FIELDS)
    ]
    leads = session.execute(select(*columns).where(Lead.id.in_(ids))).all()
    fingerprint = rules.engagement_fingerprint
    stale = [
        lead.id
        for lead in leads
        if not lead.engagement
        or lead.engagement.get("aggregates", {}).get("fingerprint") != fingerprint
    ]
    rebuilt = _rebuild(session, rules, stale) if stale else {}
    accepted = set(
        session.scalars(
            select(Handoff.lead_id).where(
                Handoff.lead_id.in_(ids), Handoff.status.in_(ACCEPTED_STATUSES)
            )
        )
    )
    for lead in leads:
        state = rebuilt.get(lead.id, lead.engagement)
        yield lead, state, lead.id in accepted


def _rebuild(
    session: Session, rules: ScoringRules, ids: list[str]
) -> dict[str, dict[str, Any]]:
    """Engagement state from the events, for leads whose state is missing or stale."""
    rows = session.execute(
        select(Visitor.id, Visitor.lead_id).where(Visitor.lead_id.in_(ids))
    )
    owner = {visitor_id: lead_id for visitor_id, lead_id in rows}
    # Plain rows, not ORM objects: millions of events may be read here.
    events: dict[str, list[StoredEvent]] = defaultdict(list)
    if owner:
        query = (
            select(Event.visitor_id, Event.type, Event.occurred_at, Event.properties)
            .where(Event.visitor_id.in_(list(owner)))
            .order_by(Event.occurred_at, Event.id)
        )
        for row in session.execute(query):
            events[owner[row.visitor_id]].append(row)
    return {lead_id: engagement_state(rules, events[lead_id]) for lead_id in ids}
