"""Re-scoring every lead: decay applied, idempotent, every batch covered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
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


def add_events(
    sessions, visitor_id: str, events: list[dict[str, Any]], email: str
) -> None:
    batch = EventBatch.model_validate({"visitor_id": visitor_id, "events": events})
    with sessions.begin() as session:
        lead, _ = record(session, batch, NOW)
        leads.update_fields(session, lead, {"email": email})


def event(kind: str, at: datetime, **properties: Any) -> dict[str, Any]:
    return {"type": kind, "occurred_at": at.isoformat(), "properties": properties}


def test_counts_built_in_bulk_equal_each_lead_scored_from_its_events(
    sessions,
) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    tokyo = timezone(timedelta(hours=9))
    # 23:30 UTC two days ago is already the next day in Tokyo: days are UTC.
    late = (NOW - timedelta(days=2)).replace(hour=23, minute=30).astimezone(tokyo)
    add_events(
        sessions,
        "v-dana-laptop",
        [
            event("page_view", late, path="/pricing", session_id="s1"),
            event("page_view", late, path="/careers", session_id="s1"),
            event("content_download", NOW - timedelta(days=9), asset="guide"),
        ],
        "dana@acme.io",
    )
    # The same person on a phone: stitched, so one lead with two visitors.
    add_events(
        sessions,
        "v-dana-phone",
        [
            event("page_view", NOW - timedelta(days=3), path="/demo", session_id="p"),
            event("page_view", NOW - timedelta(days=3), path="/", session_id="p"),
            event("unsubscribe", NOW - timedelta(days=1)),
        ],
        "dana@acme.io",
    )
    add_events(
        sessions,
        "v-sam",
        [
            event("email_bounce", NOW - timedelta(days=5)),
            event("webinar_signup", NOW - timedelta(days=20), webinar="w1"),
            event("email_open", NOW - timedelta(hours=1), campaign=7, clicked=True),
            event("page_view", NOW - timedelta(days=40), path="/customers/x"),
        ],
        "sam@example.org",
    )

    rescore.rescore_all(sessions, rules, NOW, batch=2)

    with sessions() as session:
        stored = list(session.scalars(select(Lead).order_by(Lead.id)))
        by_events = 0
        for lead in stored:
            events = leads.events_of(session, lead)
            by_events += len(events)
            state = scorer.engagement_state(rules, events)
            card = scorer.score_state(rules, lead, state, NOW)
            assert lead.engagement == state
            expected = scorer.card_columns(card, NOW)
            assert {name: getattr(lead, name) for name in expected} == expected
    assert by_events == 10
    assert len(stored) == 3  # the phone's own lead is left with no events
    dana = next(lead for lead in stored if len(lead.visitors) == 2)
    assert dana.engagement["flags"] == ["unsubscribed"]


def test_a_crash_keeps_the_finished_batches_and_leaves_the_rest_as_they_were(
    sessions,
) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    for n in range(5):
        add_lead(sessions, f"v{n}", pages=n + 1, when=NOW - timedelta(days=1))

    def crash_after_the_first_batch(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rescore.rescore_all(sessions, rules, NOW, crash_after_the_first_batch, batch=2)

    with sessions() as session:
        kept = [
            (lead.score_version, lead.engagement is not None)
            for lead in session.scalars(select(Lead).order_by(Lead.id))
        ]
    assert kept == [(rules.version, True)] * 2 + [(None, False)] * 3


def test_a_lead_changed_while_its_batch_was_scored_keeps_the_fresher_score(
    sessions, monkeypatch
) -> None:
    rules = scorer.load(PROJECT_ROOT / "scoring.yml")
    for n in range(3):
        add_lead(sessions, f"v{n}", pages=n + 1, when=NOW - timedelta(days=1))
    derived_fields = rescore.derived_fields

    def live_answer_meanwhile(lead, currency):
        # The visitor answers (and the live path scores) after the batch read.
        if lead.email == "v1@acme.io":
            with sessions.begin() as session:
                live = session.get(Lead, lead.id)
                leads.update_fields(session, live, {"company": "Fresh Co"})
                live.score_version = "live"
        return derived_fields(lead, currency)

    monkeypatch.setattr(rescore, "derived_fields", live_answer_meanwhile)
    rescore.rescore_all(sessions, rules, NOW)

    with sessions() as session:
        stored = {lead.email: lead for lead in session.scalars(select(Lead))}
        assert stored["v1@acme.io"].score_version == "live"
        assert stored["v1@acme.io"].company == "Fresh Co"
        assert stored["v1@acme.io"].engagement is None
        assert stored["v0@acme.io"].score_version == rules.version
        assert stored["v2@acme.io"].score_version == rules.version
