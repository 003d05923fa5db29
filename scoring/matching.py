"""Which engagement rules an event counts for, fast enough for millions.

Re-aggregating every lead after a rules change means testing millions of
events against the rules. Events of one type mostly repeat the same filtered
property values (a site has a few hundred paths), so each distinct
combination is matched once and remembered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scoring.model import AttributeValue

MEMO_LIMIT = 100_000
"""Remembered combinations before the memo starts afresh (bounds memory)."""


@dataclass(frozen=True)
class PropertyFilter:
    """An event property test: equal to one of `values`, or starts with one."""

    property: str
    values: tuple[str, ...]
    prefix: bool

    def matches(self, actual: AttributeValue) -> bool:
        """Whether an event's property value passes this filter."""
        if actual is None:
            return False
        text = str(actual)
        if self.prefix:
            return text.startswith(self.values)
        return text in self.values


Matcher = tuple[str, tuple[PropertyFilter, ...]]


class EventMatcher:
    """Maps an event (type + properties) to the ids of the rules it counts for."""

    def __init__(self, rules: Iterable[tuple[str, str, tuple[PropertyFilter, ...]]]):
        """Build from (event type, rule id, filters) triples, in rule order."""
        grouped: dict[str, list[Matcher]] = {}
        for event, rule_id, filters in rules:
            grouped.setdefault(event, []).append((rule_id, filters))
        self._by_type = {
            event: (
                tuple(sorted({f.property for _, fs in matchers for f in fs})),
                tuple(matchers),
            )
            for event, matchers in grouped.items()
        }
        self._unfiltered = {
            event: tuple(rule_id for rule_id, _ in matchers)
            for event, (names, matchers) in self._by_type.items()
            if not names
        }
        self._memo: dict[tuple[AttributeValue, ...], tuple[str, ...]] = {}

    def rule_ids(
        self, event_type: str, properties: Mapping[str, AttributeValue]
    ) -> tuple[str, ...]:
        """Ids of the rules this event counts for, in rule order."""
        spec = self._by_type.get(event_type)
        if spec is None:
            return ()
        names, matchers = spec
        if not names:
            return self._unfiltered[event_type]
        values = tuple([properties.get(name) for name in names])
        for value in values:
            if value is not None and type(value) is not str:
                return self._match(matchers, properties)  # 1 == True as a key
        key = (event_type, *values)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            found = self._memo[key] = self._match(matchers, properties)
        return found

    @staticmethod
    def _match(
        matchers: tuple[Matcher, ...], properties: Mapping[str, AttributeValue]
    ) -> tuple[str, ...]:
        return tuple(
            rule_id
            for rule_id, filters in matchers
            if all(f.matches(properties.get(f.property)) for f in filters)
        )
