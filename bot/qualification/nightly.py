"""The daily re-score that `dmql run` keeps going, so scores fade on time.

Decay is applied when a lead is scored, so a lead nobody hears from keeps
yesterday's score until something re-scores it: the inbox would go on
showing a stale DMQL. `run_daily` re-scores every lead once a day at
``DMQL_RESCORE_AT`` (UTC), and at once on start when some lead was scored
under other rules (a marketer changed ``scoring.yml`` and restarted).

A run that fails (a database restart at 03:00, or a defect) is logged and
tried again half an hour later; the process never dies of it, because the
product's process manager would stop the whole product with it. A run
interrupted half-way keeps the batches it finished (see `rescore`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.qualification import rescore
from bot.store.database import driver_cause as cause
from bot.store.models import Lead
from scoring.rules import ScoringRules

log = logging.getLogger(__name__)

#: How long to wait before trying a failed run again.
RETRY = timedelta(minutes=30)


def next_run(now: datetime, at: time) -> datetime:
    """The first moment at `at` o'clock (UTC) strictly after `now`."""
    today = now.replace(hour=at.hour, minute=at.minute, second=at.second, microsecond=0)
    return today if today > now else today + timedelta(days=1)


def scored_under_other_rules(sessions: sessionmaker[Session], version: str) -> int:
    """How many leads carry a score from rules of another version."""
    with sessions() as session:
        # A lead never scored yet (a visitor who opened the chat and left)
        # is no sign of changed rules; the nightly run scores it.
        stale = select(func.count()).where(
            Lead.score_version.is_not(None), Lead.score_version != version
        )
        return int(session.scalar(stale.select_from(Lead)) or 0)


def rescore_once(
    sessions: sessionmaker[Session], rules: ScoringRules, now: datetime
) -> bool:
    """Re-score every lead; False (and a log line) when the store failed."""
    try:
        total = rescore.count(sessions)
        stages = rescore.rescore_all(sessions, rules, now)
    except SQLAlchemyError as exc:
        log.error(
            "re-scoring failed, trying again in %d minutes: %s",
            RETRY.total_seconds() // 60,
            cause(exc),
        )
        return False
    except Exception:
        # A defect, not the store: shown whole, but the product stays up
        # (the process manager would stop every process with this one).
        log.exception(
            "re-scoring failed, trying again in %d minutes",
            RETRY.total_seconds() // 60,
        )
        return False
    summary = ", ".join(f"{stage} {n}" for stage, n in sorted(stages.items()))
    log.info(
        "re-scored %d leads with rules %s: %s", total, rules.version, summary or "-"
    )
    return True


def run_daily(
    sessions: sessionmaker[Session],
    rules: ScoringRules,
    at: time,
    clock: Callable[[], datetime],
    sleep: Callable[[float], None],
    days: int | None = None,
) -> None:
    """Re-score now if the rules changed, then every day at `at` (UTC).

    `days` bounds the loop (tests); the product runs it until stopped.
    """
    try:
        stale = scored_under_other_rules(sessions, rules.version)
    except SQLAlchemyError as exc:
        log.error("could not read the lead store, re-scoring now: %s", cause(exc))
        stale = -1
    if stale:
        if stale > 0:
            log.info("%d lead(s) scored under other rules: re-scoring now", stale)
        due = clock()
    else:
        due = next_run(clock(), at)
    done = 0
    while days is None or done < days:
        wait = (due - clock()).total_seconds()
        if wait > 0:
            log.info("next re-score at %s UTC", due.strftime("%Y-%m-%d %H:%M"))
            sleep(wait)
        if rescore_once(sessions, rules, clock()):
            done += 1
            # A sleep may end a little early on the wall clock (it counts on
            # the monotonic one); never run the same night twice.
            due = next_run(max(clock(), due), at)
        else:
            due = clock() + RETRY
