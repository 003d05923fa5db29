"""Per-lead engagement aggregates: what scoring needs from the events, compact.

Re-scoring a lead (nightly decay, a rules change) must not re-read its whole
history. Aggregates keep, per engagement rule, how many matching events fell
on each UTC day, plus the visits needed for behaviour features. Scores from
aggregates equal scores from the raw events, and aggregates of two batches of
events merge into the aggregates of all of them, so the app can fold new
events in as they arrive.

Days are UTC calendar days (``date.toordinal()``); naive datetimes are taken
as UTC. Decay therefore steps once a day, which keeps a day's re-scores equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from scoring.errors import StaleAggregatesError
from scoring.model import AttributeValue, EngagementEvent
from scoring.rules import ScoringRules

SESSION_EVENT = "page_view"
"""Visits (sessions) and bounces are counted from page views."""


def day_of(at: datetime) -> int:
    """The UTC day ordinal of a moment; naive datetimes are taken as UTC."""
    if at.tzinfo is not None and at.tzinfo is not UTC:
        at = at.astimezone(UTC)
    return at.toordinal()


@dataclass(frozen=True)
class Visit:
    """One session: pages seen and the last day it was active."""

    pages: int
    last_day: int


@dataclass(frozen=True)
class EngagementAggregates:
    """Everything scoring reads about one lead's events.

    Attributes:
        fingerprint: `ScoringRules.engagement_fingerprint` of the rules these
            counts were made for; scoring refuses aggregates of other rules.
        rule_days: Rule id -> UTC day ordinal -> number of matching events.
        active_days: UTC day ordinal -> number of events of any type.
        visits: Session id -> pages seen and last active day.
    """

    fingerprint: str
    rule_days: Mapping[str, Mapping[int, int]]
    active_days: Mapping[int, int]
    visits: Mapping[str, Visit]

    @property
    def last_seen_day(self) -> int | None:
        """The UTC day ordinal of the most recent event, if any."""
        return max(self.active_days) if self.active_days else None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form for the lead store (keys become strings)."""
        return {
            "fingerprint": self.fingerprint,
            "rule_days": {
                rule: {str(d): n for d, n in days.items()}
                for rule, days in self.rule_days.items()
            },
            "active_days": {str(d): n for d, n in self.active_days.items()},
            "visits": {s: [v.pages, v.last_day] for s, v in self.visits.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EngagementAggregates:
        """Rebuild aggregates stored with `to_dict`.

        Raises:
            StaleAggregatesError: The stored data is not in that form; the
                lead's aggregates must be rebuilt from its events.
        """
        try:
            return cls(
                fingerprint=str(data["fingerprint"]),
                rule_days=_frozen(
                    {
                        str(rule): {int(d): int(n) for d, n in days.items()}
                        for rule, days in data["rule_days"].items()
                    }
                ),
                active_days=MappingProxyType(
                    {int(d): int(n) for d, n in data["active_days"].items()}
                ),
                visits=MappingProxyType(
                    {
                        str(s): Visit(int(v[0]), int(v[1]))
                        for s, v in data["visits"].items()
                    }
                ),
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise StaleAggregatesError(
                f"stored engagement aggregates are malformed ({exc!r}); "
                "re-aggregate the lead's events"
            ) from exc


def _frozen(
    rule_days: dict[str, dict[int, int]],
) -> Mapping[str, Mapping[int, int]]:
    return MappingProxyType({r: MappingProxyType(d) for r, d in rule_days.items()})


def aggregate(
    rules: ScoringRules, events: Iterable[EngagementEvent]
) -> EngagementAggregates:
    """Count a lead's events the way `rules` will score them."""
    return aggregate_days(rules, ((e.type, day_of(e.at), e.properties) for e in events))


DayEvent = tuple[str, int, Mapping[str, AttributeValue]]
"""An event reduced to what counting reads: type, UTC day ordinal, properties."""


def aggregate_days(
    rules: ScoringRules, events: Iterable[DayEvent]
) -> EngagementAggregates:
    """`aggregate`, for events whose UTC day is already known.

    A bulk reader (re-scoring every lead from its stored events) can tell the
    day from a stored timestamp more cheaply than by building a datetime,
    and can skip decoding properties of types outside `property_events`.
    """
    rule_ids = rules.event_matcher.rule_ids  # once: this loop sees millions
    rule_days: dict[str, dict[int, int]] = {}
    active: dict[int, int] = {}
    pages: dict[str, int] = {}
    last: dict[str, int] = {}
    for kind, day, props in events:
        active[day] = active.get(day, 0) + 1
        for rule_id in rule_ids(kind, props):
            days = rule_days.get(rule_id)
            if days is None:
                rule_days[rule_id] = {day: 1}
            else:
                days[day] = days.get(day, 0) + 1
        if kind == SESSION_EVENT:
            session = props.get("session_id")
            if session is not None:
                key = str(session)
                pages[key] = pages.get(key, 0) + 1
                if day > last.get(key, day - 1):
                    last[key] = day
    return EngagementAggregates(
        fingerprint=rules.engagement_fingerprint,
        rule_days=_frozen(rule_days),
        active_days=MappingProxyType(active),
        visits=MappingProxyType({s: Visit(n, last[s]) for s, n in pages.items()}),
    )


def property_events(rules: ScoringRules) -> frozenset[str]:
    """Event types whose properties counting reads under `rules`.

    Sessions come from page views, and rules with a ``where`` filter look at
    their event's properties; any other event counts the same whatever its
    properties, so `aggregate_days` may be given an empty mapping for it.
    """
    filtered = {rule.event for rule in rules.engagement_rules if rule.where}
    return frozenset({SESSION_EVENT, *filtered})


def merge(
    first: EngagementAggregates, second: EngagementAggregates
) -> EngagementAggregates:
    """The aggregates of both batches of events, as if counted together."""
    if first.fingerprint != second.fingerprint:
        raise StaleAggregatesError(
            "cannot merge aggregates made for different engagement rules; "
            "re-aggregate the lead's events with the current rules"
        )
    rule_days = {r: dict(d) for r, d in first.rule_days.items()}
    for rule, days in second.rule_days.items():
        merged = rule_days.setdefault(rule, {})
        for day, n in days.items():
            merged[day] = merged.get(day, 0) + n
    active = dict(first.active_days)
    for day, n in second.active_days.items():
        active[day] = active.get(day, 0) + n
    visits = dict(first.visits)
    for session, visit in second.visits.items():
        old = visits.get(session)
        if old is not None:
            visit = Visit(old.pages + visit.pages, max(old.last_day, visit.last_day))
        visits[session] = visit
    return EngagementAggregates(
        fingerprint=first.fingerprint,
        rule_days=_frozen(rule_days),
        active_days=MappingProxyType(active),
        visits=MappingProxyType(visits),
    )


def add_events(
    rules: ScoringRules,
    aggregates: EngagementAggregates,
    events: Iterable[EngagementEvent],
) -> EngagementAggregates:
    """Fold newly arrived events into a lead's stored aggregates."""
    return merge(aggregates, aggregate(rules, events))
