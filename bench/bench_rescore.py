"""Re-scoring every lead: 100,000 leads with 2,000,000 events in total.

Builds a synthetic population (event mix like the website's: mostly page
views in visits, some downloads, webinars, emails, chat), then times
aggregating each lead's events and scoring it under the shipped scoring.yml.
Events are generated in batches outside the timed region so the figure is
the engine's work only. Prints seconds and leads per second; no assertions.

    .venv/bin/python bench/bench_rescore.py [leads] [events]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring import aggregate, load_rules, score_aggregates  # noqa: E402
from scoring.model import AttributeValue, EngagementEvent  # noqa: E402

NOW = datetime(2025, 6, 2, 12, tzinfo=UTC)
BATCH = 5_000
PATHS = ("/", "/product", "/pricing", "/pricing/teams", "/customers/acme",
         "/blog/a", "/blog/b", "/demo", "/careers", "/integrations")  # fmt: skip
OTHER_TYPES = ("content_download", "webinar_signup", "newsletter_signup",
               "social_follow", "email_open", "email_click", "chat_message",
               "form_submit")  # fmt: skip
SENIORITY = ("c_level", "vp", "director", "manager", "individual_contributor",
             "student", "other")  # fmt: skip


def make_lead(
    rng: random.Random, n_events: int
) -> tuple[dict[str, AttributeValue], list[EngagementEvent]]:
    attributes: dict[str, AttributeValue] = {
        "email": "x@y.example" if rng.random() < 0.7 else None,
        "seniority": rng.choice(SENIORITY),
        "company_size": rng.randint(1, 5000),
        "budget_base": rng.choice((None, 500.0, 5000.0, 30000.0)),
        "timeline_months": rng.choice((None, 0, 2, 6, 12, 24)),
        "email_domain_kind": rng.choice(("business", "free")),
        "decision_maker": rng.random() < 0.3,
    }
    events = []
    session = 0
    for _ in range(n_events):
        at = NOW - timedelta(minutes=rng.randint(0, 180 * 24 * 60))
        if rng.random() < 0.75:
            if rng.random() < 0.4:
                session += 1
            props = {"path": rng.choice(PATHS), "session_id": f"s{session}"}
            events.append(EngagementEvent("page_view", at, props))
        else:
            events.append(EngagementEvent(rng.choice(OTHER_TYPES), at, {}))
    return attributes, events


def main() -> None:
    leads = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    total_events = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000
    rules = load_rules(ROOT / "scoring.yml")
    rng = random.Random(7)
    per_lead = total_events // leads
    aggregate_s = score_s = 0.0
    done_events = 0
    stages: dict[str, int] = {}
    for first in range(0, leads, BATCH):
        batch = [
            make_lead(rng, rng.randint(0, 2 * per_lead))
            for _ in range(min(BATCH, leads - first))
        ]
        start = time.perf_counter()
        aggregates = [aggregate(rules, events) for _, events in batch]
        middle = time.perf_counter()
        cards = [
            score_aggregates(rules, agg, NOW, attributes=attrs)
            for (attrs, _), agg in zip(batch, aggregates, strict=True)
        ]
        end = time.perf_counter()
        aggregate_s += middle - start
        score_s += end - middle
        done_events += sum(len(events) for _, events in batch)
        for card in cards:
            stages[card.stage] = stages.get(card.stage, 0) + 1
    total_s = aggregate_s + score_s
    print(f"{leads:,} leads, {done_events:,} events")
    print(f"aggregate: {aggregate_s:.1f} s ({done_events / aggregate_s:,.0f} events/s)")
    print(f"score:     {score_s:.1f} s ({leads / score_s:,.0f} leads/s)")
    print(f"total:     {total_s:.1f} s ({leads / total_s:,.0f} leads/s)")
    print("stages:", ", ".join(f"{k} {v:,}" for k, v in sorted(stages.items())))


if __name__ == "__main__":
    main()
