"""A visitor browses, chats through the REST channel, and reaches sales.

Boots the real stack (trained model, Rasa, action server, web app) and
asserts on what a real local webhook receiver got: the fields, a signature
that verifies, and the visitor's engagement in the summary.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from tests.e2e.stack import (
    Receiver,
    Stack,
    as_json,
    requested_slot,
    running_stack,
    say,
)

pytestmark = pytest.mark.e2e

SECRET = "whsec_" + "c2VjcmV0LWZvci10aGUtZTJlLXRlc3Qtb25seQ=="
VISITOR = "v-e2e-dana"
ANSWERS = {
    "use_case": "we need attribution across our paid channels",
    "job_title": "VP of Marketing",
    "company": "Acme Robotics",
    "company_size": "about 500 people",
    "industry": "software",
    "country": "United States",
    "timeline": "as soon as possible",
    "budget": "$40k a year",
    "decision_maker": "yes",
    "name": "Dana Lee",
    "email": "dana@acme-robotics.com",
    "consent": "yes",
}


#: What each answer must be stored as, for the questions the bot chose to ask.
NORMALIZED: dict[str, dict[str, object]] = {
    "job_title": {"seniority": "vp", "department": "marketing"},
    "company_size": {"company_size": 500},
    "timeline": {"timeline_months": 0},
    "budget": {"budget_amount": 40000, "budget_currency": "USD"},
    "decision_maker": {"decision_maker": True},
    "email": {"email": "dana@acme-robotics.com", "email_domain_kind": "business"},
    "consent": {"consent": True},
}


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    receiver: Receiver,
    fast_model: Path,
) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("e2e")
    with running_stack(work, fast_model, receiver.url, SECRET) as running:
        yield running


def browse(stack: Stack) -> None:
    start = datetime.now(UTC) - timedelta(days=2)
    events = [
        {
            "event_id": f"pv-{i}",
            "type": "page_view",
            "occurred_at": (start + timedelta(hours=i)).isoformat(),
            "properties": {"path": path, "session_id": f"s-{i // 2}"},
        }
        for i, path in enumerate(["/", "/product", "/pricing", "/pricing"])
    ]
    events.append(
        {
            "event_id": "dl-1",
            "type": "content_download",
            "occurred_at": (start + timedelta(hours=5)).isoformat(),
            "properties": {"asset": "attribution-ebook"},
        }
    )
    response = httpx.post(
        f"{stack.web}/api/events",
        json={"visitor_id": VISITOR, "events": events},
        timeout=10,
    )
    assert response.status_code == 202, response.text
    assert response.json()["accepted"] == 5


def chat_to_the_end(stack: Stack) -> tuple[list[str], list[str]]:
    """Answer whatever the form asks; returns what the bot said and asked."""
    said = [m.get("text", "") for m in say(stack, VISITOR, "/greet")]
    asked: list[str] = []
    for _turn in range(len(ANSWERS) + 3):
        slot = requested_slot(stack, VISITOR)
        if slot is None:
            break
        asked.append(slot)
        said += [m.get("text", "") for m in say(stack, VISITOR, ANSWERS[slot])]
    return said, asked


def wait_for_webhook(receiver: Receiver, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not receiver.requests and time.monotonic() < deadline:
        time.sleep(0.25)


def test_a_qualified_visitor_is_handed_to_sales(
    stack: Stack, receiver: Receiver
) -> None:
    browse(stack)
    said, asked = chat_to_the_end(stack)

    assert "Privacy" in said[1] or any("Privacy" in s for s in said[:3])
    assert any(
        "sales team will contact you at dana@acme-robotics.com" in s for s in said
    ), said

    wait_for_webhook(receiver)
    assert len(receiver.requests) == 1, stack.log()
    headers, body = receiver.requests[0]
    lowered = {k.lower(): v for k, v in headers.items()}
    payload = Webhook(SECRET).verify(body, lowered)
    assert payload == as_json(body)

    assert payload["type"] == "lead.qualified"
    assert payload["visitor_id"] == VISITOR
    lead = payload["lead"]
    for slot in asked:
        for field, value in NORMALIZED.get(slot, {}).items():
            assert lead[field] == value, (slot, field, lead[field])
    assert lead["company"] == "Acme Robotics", "suggested by the email's domain"
    assert asked[:2] == ["use_case", "job_title"]
    assert asked[-3:] == ["name", "email", "consent"]
    assert not {"industry", "country", "company"} & set(asked), (
        "a clear DMQL is not asked the nice-to-have questions"
    )
    assert payload["score"]["stage"] == "dmql"
    assert payload["reasons"], "the score explains itself"
    engagement = payload["engagement"]
    assert engagement["page_views"] == 4
    assert engagement["downloads"] == ["attribution-ebook"]
    assert "/pricing viewed 2 times" in engagement["text"]
    assert any(line["text"] == "VP of Marketing" for line in payload["transcript"])

    lead_view = httpx.get(f"{stack.web}/api/leads/{VISITOR}", timeout=10).json()
    assert lead_view["score"]["stage"] == "dmql"
    inbox = httpx.get(f"{stack.web}/sales", timeout=10)
    assert "Dana Lee" in inbox.text


def test_retrying_the_last_message_does_not_hand_off_twice(
    stack: Stack, receiver: Receiver
) -> None:
    say(stack, VISITOR, "/greet")
    time.sleep(2)
    assert len(receiver.requests) == 1


def test_a_malformed_event_is_answered_with_its_reason(stack: Stack) -> None:
    response = httpx.post(
        f"{stack.web}/api/events",
        json={"visitor_id": VISITOR, "events": [{"type": "teleport"}]},
        timeout=10,
    )
    assert response.status_code == 422
    assert "type" in response.text


def test_asking_for_a_person_with_other_answers_mid_form_hands_off(
    stack: Stack, receiver: Receiver
) -> None:
    visitor = "v-e2e-priya"
    before = len(receiver.requests)
    say(stack, visitor, "/greet")
    say(stack, visitor, "we need attribution across our paid channels")
    asked = requested_slot(stack, visitor)
    said = say(stack, visitor, "I'm Priya from Octave Health, let me talk to sales")

    assert asked not in (None, "name")
    assert any("sales team know" in m.get("text", "") for m in said), said
    deadline = time.monotonic() + 30
    while len(receiver.requests) == before and time.monotonic() < deadline:
        time.sleep(0.25)
    payload = as_json(receiver.requests[-1][1])
    assert payload["type"] == "lead.human_requested"
    assert payload["visitor_id"] == visitor
    assert payload["lead"]["name"] == "Priya", "the answers in the request are kept"
    assert payload["lead"]["company"] == "Octave Health"
