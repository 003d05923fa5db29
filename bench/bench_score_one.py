"""How long one lead takes to score from its stored aggregates (the hot path).

Prints the median microseconds per lead over many runs, for a typical lead
(full fit answers, ~40 events over two months, a chat signal) under the
shipped scoring.yml. No assertions: compare the figure across changes.

    .venv/bin/python bench/bench_score_one.py
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring import aggregate, load_rules, score_aggregates  # noqa: E402
from scoring.model import AttributeValue, EngagementEvent  # noqa: E402

NOW = datetime(2025, 6, 2, 12, tzinfo=UTC)
RUNS = 50
CALLS_PER_RUN = 2_000


def typical_events() -> list[EngagementEvent]:
    """~40 events over 60 days: visits with pricing, a download, emails."""
    events = []
    paths = ("/", "/product", "/pricing", "/customers/acme", "/blog/a", "/demo")
    for day in range(0, 60, 4):
        for i, path in enumerate(paths[: 1 + (day // 4) % 5]):
            at = NOW - timedelta(days=day, minutes=i)
            props = {"path": path, "session_id": f"s{day}"}
            events.append(EngagementEvent("page_view", at, props))
    events.append(EngagementEvent("content_download", NOW - timedelta(days=9), {}))
    events += [
        EngagementEvent("email_open", NOW - timedelta(days=d), {}) for d in (3, 10)
    ]
    events.append(EngagementEvent("email_click", NOW - timedelta(days=3), {}))
    return events


def main() -> None:
    rules = load_rules(ROOT / "scoring.yml")
    events = typical_events()
    aggregates = aggregate(rules, events)
    attributes: dict[str, AttributeValue] = {
        "email": "dana@acme.example",
        "seniority": "vp",
        "department": "marketing",
        "company_size": 250,
        "industry": "software",
        "budget_base": 25000.0,
        "timeline_months": 2,
        "decision_maker": True,
        "email_domain_kind": "business",
    }
    signals = frozenset({"asked_pricing"})
    per_lead_us = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for _ in range(CALLS_PER_RUN):
            score_aggregates(
                rules, aggregates, NOW, attributes=attributes, signals=signals
            )
        per_lead_us.append((time.perf_counter() - start) / CALLS_PER_RUN * 1e6)
    card = score_aggregates(
        rules, aggregates, NOW, attributes=attributes, signals=signals
    )
    print(
        f"lead: {len(events)} events, {len(card.contributions)} contributions,"
        f" total {card.total}, stage {card.stage}"
    )
    print(f"score_aggregates: median {statistics.median(per_lead_us):.1f} µs per lead"
          f" (min {min(per_lead_us):.1f}, max {max(per_lead_us):.1f};"
          f" {RUNS} runs x {CALLS_PER_RUN} calls)")  # fmt: skip


if __name__ == "__main__":
    main()
