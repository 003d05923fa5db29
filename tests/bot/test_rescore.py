"""Re-scoring every lead: decay applied, idempotent, every batch covered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.engagement.events import EventBatch, record
from bot.qualification import rescore, scorer
from bot.settings import PROJECT_ROOT
from bot.store import leads
from bot.store.models import Lead
from scoring.config import parse_rules

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def add_lead(sessions, visitor_id: str, pages: int, when: datetime) -> None:
    events = [
        {
            "event_id": f"{visitor_id}-{i}",
            "type": "page_view",
            "occurred_at": (when + timedelta(minutes=i)).isoformat(),
            "properties": {"path": "/pricing", "session_id": "s"},
        }
        for i in range(pages)
    ]
    batch = EventBatch.model_validate({"visitor_id": visitor_id, "events": events})
    with sessions.begin() as session:
        lead, _ = record(session, batch, when)
        leads.update_fields(session, lead, {"email": f"{visitor_id}@acme.io"})


def scores(sessions) -> dict[str, tuple[int, str | None]]:
    with sessions() as session:
        return {
            lead.email: (lead.score_total, lead.score_version)
            for lead in session.scalars(select(Lead))
        }


def test_every_lead_is_scored_in_batches_and_twice_changes_nothing(sessions) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    for n in range(7):
        add_lead(sessions, f"v{n}", pages=n + 1, when=NOW - timedelta(days=1))
    done: list[int] = []
    stages = rescore.rescore_all(sessions, rules, NOW, done.append, batch=3)
    assert done == [3, 3, 1]
    assert sum(stages.values()) == 7
    first = scores(sessions)
    assert all(version == rules.version for _, version in first.values())
    rescore.rescore_all(sessions, rules, NOW, batch=3)
    assert scores(sessions) == first


def test_a_nightly_rescore_lets_old_engagement_fade(sessions) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    add_lead(sessions, "v-old", pages=3, when=NOW)
    rescore.rescore_all(sessions, rules, NOW)
    fresh = scores(sessions)["v-old@acme.io"][0]
    rescore.rescore_all(sessions, rules, NOW + timedelta(days=60))
    faded = scores(sessions)["v-old@acme.io"][0]
    assert 0 <= faded < fresh


def test_kept_counts_are_rebuilt_when_the_rules_match_events_differently(
    sessions,
) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    add_lead(sessions, "v-1", pages=3, when=NOW)
    rescore.rescore_all(sessions, rules, NOW)
    with sessions() as session:
        kept = session.scalars(select(Lead)).one().engagement
    assert kept["aggregates"]["fingerprint"] == rules.engagement_fingerprint
    text = (PROJECT_ROOT / "scoring.yml").read_text()
    changed = parse_rules(
        text.replace("path_prefix: /pricing", "path_prefix: /plans"), "changed.yml"
    )
    assert changed.engagement_fingerprint != rules.engagement_fingerprint
    rescore.rescore_all(sessions, changed, NOW)
    with sessions() as session:
        lead = session.scalars(select(Lead)).one()
    assert (
        lead.engagement["aggregates"]["fingerprint"] == changed.engagement_fingerprint
    )
    assert not any(r["rule"] == "pricing_page" for r in lead.score_reasons)
