"""Benchmark: `dmql rescore` on a real lead store (SQLite file).

Fills a fresh SQLite store with synthetic leads, visitors and events (bulk
inserts, not timed), then times the store-backed re-score of every lead
(read in batches, scored by the pure engine, written back). The first run
builds each lead's kept engagement counts from its events (what happens
after a rules change that matches events differently); later runs are the
nightly case, decaying kept counts. Prints both, with leads per second and
the machine's load average, since other work on the machine moves the
figures. The pure engine alone is measured by bench_rescore.py.

    .venv/bin/python bench/bench_rescore_store.py --leads 100000 --events 2000000
    # fill once, keep the filled store and time a fresh copy of it later
    .venv/bin/python bench/bench_rescore_store.py --store /tmp/leads-100k.db
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

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


def filled(url: str) -> tuple[int, int]:
    """How many leads and events a store holds."""
    engine = make_engine(url)
    with engine.connect() as conn:
        leads = conn.scalar(select(func.count()).select_from(Lead)) or 0
        events = conn.scalar(select(func.count()).select_from(Event)) or 0
    engine.dispose()
    return leads, events


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument(
        "--first", type=int, default=1, help="first passes, each on a fresh copy"
    )
    parser.add_argument(
        "--runs", type=int, default=4, help="passes on the last copy, first included"
    )
    parser.add_argument(
        "--store",
        type=Path,
        help="SQLite file holding the filled store: made when missing (or of "
        "other sizes), reused otherwise; runs time copies of it",
    )
    args = parser.parse_args()
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    sizes = (args.leads, args.events)
    with tempfile.TemporaryDirectory() as tmp:
        source = args.store or Path(tmp) / "filled.db"
        if source.exists() and filled(f"sqlite:///{source}") == sizes:
            print(f"reusing {source}: {args.leads:,} leads, {args.events:,} events")
        else:
            source.unlink(missing_ok=True)
            started = time.perf_counter()
            fill(f"sqlite:///{source}", *sizes)
            print(
                f"filled {args.leads:,} leads and {args.events:,} events "
                f"in {time.perf_counter() - started:.1f} s (not timed below)"
            )
        firsts: list[float] = []
        nightly: list[float] = []
        for copy in range(max(args.first, 1)):
            path = Path(tmp) / f"leads-{copy}.db"  # never a stale WAL beside it
            shutil.copyfile(source, path)
            engine = make_engine(f"sqlite:///{path}")
            sessions = make_session_factory(engine)
            last = copy == max(args.first, 1) - 1
            for run in range(max(args.runs, 1) if last else 1):
                timings = nightly if run else firsts
                started = time.perf_counter()
                stages = rescore.rescore_all(sessions, rules, NOW + timedelta(days=run))
                timings.append(time.perf_counter() - started)
                print(
                    f"{'nightly' if run else 'first'} pass: {timings[-1]:.1f} s  "
                    f"{stages}  (load average {load_average()})"
                )
            engine.dispose()
            path.unlink()
    print(
        f"first re-score (engagement counts built from {args.events:,} events): "
        f"median {statistics.median(firsts):.1f} s over {len(firsts)} runs"
    )
    if nightly:
        median = statistics.median(nightly)
        print(
            f"nightly re-score of {args.leads:,} leads from kept counts: "
            f"median {median:.1f} s over {len(nightly)} runs "
            f"({args.leads / median:,.0f} leads/s)"
        )
    print(f"target <= 60 s; load average (1, 5, 15 min) now {load_average()}")


if __name__ == "__main__":
    main()
