"""The JSON API through the real app: events in, leads out, clear 4xx errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.settings import PROJECT_ROOT, Settings
from bot.store.database import make_engine, upgrade
from bot.web.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings.model_validate(
        {"data_dir": tmp_path, "rules_path": PROJECT_ROOT / "scoring.yml"}
    )
    upgrade(make_engine(settings.lead_database_url))
    with TestClient(create_app(settings, dispatch=False)) as test_client:
        yield test_client


def page_view(
    event_id: str, path: str = "/pricing", **extra: object
) -> dict[str, object]:
    when = datetime.now(UTC) - timedelta(hours=1)
    event: dict[str, object] = {
        "event_id": event_id,
        "type": "page_view",
        "occurred_at": when.isoformat(),
        "properties": {"path": path, "session_id": "s-1"},
    }
    event.update(extra)
    return event


def test_events_are_stored_and_the_lead_is_scored(client: TestClient) -> None:
    response = client.post(
        "/api/events",
        json={"visitor_id": "v-1", "events": [page_view("e-1"), page_view("e-2", "/")]},
    )
    assert response.status_code == 202
    assert response.json()["accepted"] == 2
    lead = client.get("/api/leads/v-1").json()
    assert lead["engagement"]["page_views"] == 2
    assert lead["score"]["version"] is not None
    assert lead["score"]["engagement"] > 0
    assert lead["reasons"]


def test_a_retried_batch_counts_duplicates(client: TestClient) -> None:
    batch = {"visitor_id": "v-1", "events": [page_view("e-1")]}
    client.post("/api/events", json=batch)
    again = client.post("/api/events", json=batch).json()
    assert (again["accepted"], again["duplicates"]) == (0, 1)


@pytest.mark.parametrize(
    ("events", "reason"),
    [
        ([{"type": "teleport"}], "type"),
        ([page_view("e-1", occurred_at="2026-12-04T10:00:00")], "timezone"),
        ([page_view("e-1", colour="red")], "colour"),
        ([], "at least 1"),
    ],
)
def test_malformed_events_get_422_with_the_reason(
    client: TestClient, events: list[object], reason: str
) -> None:
    response = client.post("/api/events", json={"visitor_id": "v-1", "events": events})
    assert response.status_code == 422
    assert reason in response.text
    assert client.get("/api/leads/v-1").status_code == 404


def test_a_future_event_is_refused_and_nothing_is_stored(client: TestClient) -> None:
    future = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    response = client.post(
        "/api/events",
        json={"visitor_id": "v-1", "events": [page_view("e-1", occurred_at=future)]},
    )
    assert response.status_code == 422
    assert "future" in response.json()["detail"]
    assert client.get("/api/leads/v-1").status_code == 404


def test_an_unknown_visitor_is_404(client: TestClient) -> None:
    response = client.get("/api/leads/nobody")
    assert response.status_code == 404
    assert "nobody" in response.json()["detail"]


def test_health(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
