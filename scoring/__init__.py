"""Pure lead scoring: rules in, an explained score card out.

The app calls, in this order of frequency:

- `score_aggregates(rules, aggregates, now, attributes=..., signals=...)`: the
  hot path, from a lead's stored engagement aggregates;
- `add_events(rules, aggregates, events)`: fold new events into them;
- `aggregate(rules, events)`: build them from a lead's full history (first
  time, or after the engagement rules' events or filters changed);
- `score(rules, lead, now)`: the same card straight from a `LeadInput`;
- `load_rules(path)` / `parse_rules(text, source)`: once, at start-up.

Errors are `ScoringError`s (see `scoring.errors`).
"""

from scoring.aggregate import EngagementAggregates, add_events, aggregate, merge
from scoring.config import load_rules, parse_rules
from scoring.engine import score, score_aggregates
from scoring.errors import ScoringConfigError, ScoringError, StaleAggregatesError
from scoring.rules import ScoringRules

__all__ = [
    "EngagementAggregates",
    "ScoringConfigError",
    "ScoringError",
    "ScoringRules",
    "StaleAggregatesError",
    "add_events",
    "aggregate",
    "load_rules",
    "merge",
    "parse_rules",
    "score",
    "score_aggregates",
]
