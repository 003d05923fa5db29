"""Re-scoring every lead: nightly (decay moves scores) or after a rules change.

Leads are read in batches of ids with their kept engagement counts and
accepted handoffs, scored by the pure engine and written back in the batch's
own transaction, so an interrupted run keeps the batches it finished (each
lead is either wholly old or wholly new) and a second run simply scores
everything again (re-scoring is idempotent). The budget in the rules' base
currency is worked out again on the way (``scorer.derived_fields``).

A lead whose counts are missing or were made for rules that match events
differently has them rebuilt from its events, read in the same batch. That
read is the hot path of a first run over millions of events, so it selects
plain column values (no ORM rows, no per-value type processing), tells each
event's UTC day from the stored timestamp's date and decodes only the
properties the rules look at.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Row,
    String,
    Text,
    bindparam,
    cast,
    func,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from bot.qualification.scorer import (
    ACCEPTED_STATUSES,
    FLAG_EVENTS,
    attributes_of,
    card_columns,
    derived_fields,
    score_state,
)
from bot.store.leads import LEAD_FIELDS
from bot.store.models import Event, Handoff, Lead, Visitor
from scoring.aggregate import (
    DayEvent,
    EngagementAggregates,
    aggregate_days,
    day_of,
    property_events,
)
from scoring.engine import score_aggregates
from scoring.model import AttributeValue, ScoreCard
from scoring.rules import ScoringRules

BATCH = 500
#: How much of a SQLite store the bulk read maps into memory. A batch's events
#: lie all over the file (they arrived interleaved with everyone else's), and
#: reading them through the map is much faster than through SQLite's small
#: page cache; the mapped pages are the OS's file cache, not process memory.
SQLITE_MMAP_BYTES = 1 << 30

_NO_PROPERTIES: Mapping[str, AttributeValue] = MappingProxyType({})
_decode = json.JSONDecoder().raw_decode
#: A lead changed since the batch read it (a visitor answered, sales accepted)
#: was just scored by the live path from fresher data: leave it be rather
#: than write back a card and counts made from what it was before.
_UPDATE = update(Lead).where(
    Lead.id == bindparam("lead_id"), Lead.updated_at == bindparam("seen_at")
)


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
    reader = _EventReader(rules)
    for ids in _id_batches(sessions, batch):
        with sessions.begin() as session:
            connection = session.connection()
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
            scored, rebuilt_rows = [], []
            for lead, rebuilt, accepted in _load(connection, reader, ids):
                # Which lead, as read (the guard of _UPDATE), and its budget.
                base = {
                    "lead_id": lead.id,
                    "seen_at": lead.updated_at,
                    **derived_fields(lead, rules.currency),
                }
                if rebuilt is None:
                    card = score_state(rules, lead, lead.engagement, now, accepted)
                    row = {**base, **card_columns(card, now)}
                    scored.append(row)
                else:
                    card = rebuilt.score(rules, lead, now, accepted)
                    row = {**base, **card_columns(card, now)}
                    row["engagement"] = rebuilt.state()
                    rebuilt_rows.append(row)
                stages[card.stage] += 1
            # One executemany by primary key per set of columns written.
            for rows in (scored, rebuilt_rows):
                if rows:
                    connection.execute(_UPDATE, rows)
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
    connection: Connection, reader: _EventReader, ids: list[str]
) -> Iterator[tuple[Row[Any], _Rebuilt | None, bool]]:
    """A batch's leads (plain rows), rebuilt engagement if due, and acceptance."""
    columns = [
        getattr(Lead, name)
        for name in ("id", "updated_at", "signals", "engagement", *LEAD_FIELDS)
    ]
    leads = connection.execute(select(*columns).where(Lead.id.in_(ids))).all()
    fingerprint = reader.rules.engagement_fingerprint
    stale = [
        lead.id
        for lead in leads
        if not lead.engagement
        or lead.engagement.get("aggregates", {}).get("fingerprint") != fingerprint
    ]
    rebuilt = reader.rebuild(connection, stale) if stale else {}
    accepted = set(
        connection.scalars(
            select(Handoff.lead_id).where(
                Handoff.lead_id.in_(ids), Handoff.status.in_(ACCEPTED_STATUSES)
            )
        )
    )
    for lead in leads:
        yield lead, rebuilt.get(lead.id), lead.id in accepted


class _Rebuilt(NamedTuple):
    """A lead's engagement counted afresh from its events.

    Scored from the aggregates as counted (not from their stored form, which
    reads back equal) and kept as ``scorer.engagement_state`` keeps it; a test
    holds both equal to ``scorer.rescore`` of the same lead.
    """

    aggregates: EngagementAggregates
    flags: list[str]

    def score(
        self, rules: ScoringRules, lead: Row[Any], now: datetime, accepted: bool
    ) -> ScoreCard:
        return score_aggregates(
            rules,
            self.aggregates,
            now,
            attributes=attributes_of(lead, self.flags, rules.currency),
            signals=frozenset(lead.signals),
            accepted_by_sales=accepted,
        )

    def state(self) -> dict[str, Any]:
        return {"aggregates": self.aggregates.to_dict(), "flags": self.flags}


class _EventReader:
    """Builds leads' engagement state from their stored events, in bulk.

    The state equals ``scorer.engagement_state`` of the same events (a test
    holds the two together): the engine's aggregates plus the flags some
    event types set.
    """

    def __init__(self, rules: ScoringRules) -> None:
        self.rules = rules
        self._with_properties = property_events(rules)
        self._days: dict[str, int] = {}

    def rebuild(self, connection: Connection, ids: list[str]) -> dict[str, _Rebuilt]:
        """Engagement counted from the events of each lead in `ids`."""
        rows = connection.execute(
            select(Visitor.id, Visitor.lead_id).where(Visitor.lead_id.in_(ids))
        )
        owner = {visitor_id: lead_id for visitor_id, lead_id in rows}
        events: dict[str, list[DayEvent]] = {lead_id: [] for lead_id in ids}
        flags: dict[str, set[str]] = defaultdict(set)
        if owner:
            # Raw stored values: the timestamp as the driver returns it (text
            # on SQLite) and the properties' JSON text, decoded only when the
            # rules look at them.
            # Rows come in the index's order: a visitor's events together.
            query = (
                select(
                    Event.visitor_id,
                    Event.type,
                    type_coerce(Event.occurred_at, String),
                    cast(Event.properties, Text),
                )
                .where(Event.visitor_id.in_(sorted(owner)))
                .order_by(Event.visitor_id, Event.occurred_at, Event.id)
            )
            wanted = self._with_properties
            days = self._days
            visitor = None
            lead_id = ""
            add = events[ids[0]].append
            stored: str | datetime
            for visitor_id, kind, stored, properties in connection.execute(query).all():
                if visitor_id != visitor:
                    visitor, lead_id = visitor_id, owner[visitor_id]
                    add = events[lead_id].append
                if isinstance(stored, str):
                    day = days.get(stored[:10]) or self._text_day(stored)
                else:
                    day = day_of(stored)
                if kind in wanted:
                    add((kind, day, _properties(properties)))
                else:
                    add((kind, day, _NO_PROPERTIES))
                if kind in FLAG_EVENTS:
                    flags[lead_id].add(FLAG_EVENTS[kind])
        return {
            lead_id: _Rebuilt(
                aggregate_days(self.rules, lead_events), sorted(flags[lead_id])
            )
            for lead_id, lead_events in events.items()
        }

    def _text_day(self, stored: str) -> int:
        """The UTC day ordinal of an event time as SQLite stores it.

        The store writes the UTC time in ISO form ("2026-12-04 10:00:00.000000",
        `bot.store.models.UTCDateTime`), so its first ten characters are the
        UTC date; the few distinct dates are remembered. (PostgreSQL's driver
        returns aware datetimes, taken by `day_of`.)
        """
        key = stored[:10]
        day = self._days[key] = date.fromisoformat(key).toordinal()
        return day


def _properties(stored: str | None) -> Mapping[str, AttributeValue]:
    """An event's properties from their stored JSON text."""
    if stored is None:
        return _NO_PROPERTIES
    try:
        value: dict[str, AttributeValue] = _decode(stored)[0]
    except ValueError:  # e.g. leading blanks, written by hand
        value = json.loads(stored)
    return value
