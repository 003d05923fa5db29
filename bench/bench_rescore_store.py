"""Benchmark: `dmql rescore` on a real lead store (SQLite file).

Fills a fresh SQLite store with synthetic leads, visitors and events (bulk
inserts, not timed), then times the store-backed re-score of every lead
(read in batches, scored by the pure engine, written back). The first run
builds each lead's kept engagement counts from its events (what happens
after a rules change that matches events differently); later runs are the
nightly case, decaying kept counts. Prints both, with leads per second.
The pure engine alone is measured by bench_rescore.py.

    .venv/bin/python bench/bench_rescore_store.py --leads 100000 --events 2000000
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bot.qualification import rescore, scorer
from bot.settings import PROJECT_ROOT
from bot.store.database import make_engine, make_session_factory, upgrade
from bot.store.models import Event, Lead, Visitor

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
PATHS = ["/", "/product", "/pricing", "/blog/attribution", "/ebook", "/careers"]
TYPES = ["page_view"] * 8 + ["content_download", "email_open", "email_click"]
CHUNK = 50_000


def fill(url: str, leads: int, events: int, seed: int = 7) -> None:
    """Insert `leads` leads (one visitor each) and `events` events."""
    rng = random.Random(seed)
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        for start in range(0, leads, CHUNK):
            ids = range(start, min(start + CHUNK, leads))
            conn.execute(
                insert(Lead),
                [
                    {
                        "id": f"l{i:08d}",
                        "email": f"lead{i}@company{i % 5000}.com",
                        "seniority": rng.choice(["vp", "director", "manager", None]),
                        "company_size": rng.choice([5, 40, 300, 2000, None]),
                        "signals": [],
                        "score_reasons": [],
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                    for i in ids
                ],
            )
            conn.execute(
                insert(Visitor),
                [
                    {
                        "id": f"v{i:08d}",
                        "lead_id": f"l{i:08d}",
                        "first_seen_at": NOW,
                        "last_seen_at": NOW,
                    }
                    for i in ids
                ],
            )
        for start in range(0, events, CHUNK):
            conn.execute(
                insert(Event),
                [
                    {
                        "visitor_id": f"v{rng.randrange(leads):08d}",
                        "type": (kind := rng.choice(TYPES)),
                        "occurred_at": NOW - timedelta(hours=rng.randrange(24 * 120)),
                        "received_at": NOW,
                        "properties": {
                            "path": rng.choice(PATHS),
                            "session_id": f"s{rng.randrange(20)}",
                        }
                        if kind == "page_view"
                        else {},
                    }
                    for _ in range(min(CHUNK, events - start))
                ],
            )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=4)
    args = parser.parse_args()
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'leads.db'}"
        started = time.perf_counter()
        fill(url, args.leads, args.events)
        print(
            f"filled {args.leads:,} leads and {args.events:,} events "
            f"in {time.perf_counter() - started:.1f} s (not timed below)"
        )
        sessions = make_session_factory(make_engine(url))
        timings = []
        for run in range(args.runs):
            started = time.perf_counter()
            stages = rescore.rescore_all(sessions, rules, NOW + timedelta(days=run))
            timings.append(time.perf_counter() - started)
            print(f"run {run + 1}: {timings[-1]:.1f} s  {stages}")
    first, nightly = timings[0], timings[1:] or timings
    median = statistics.median(nightly)
    print(
        f"first re-score (engagement counts built from {args.events:,} events): "
        f"{first:.1f} s"
    )
    print(
        f"nightly re-score of {args.leads:,} leads from kept counts: "
        f"median {median:.1f} s over {len(nightly)} runs "
        f"({args.leads / median:,.0f} leads/s; target <= 60 s)"
    )


if __name__ == "__main__":
    main()
