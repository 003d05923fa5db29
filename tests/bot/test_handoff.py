"""Handoffs: once per conversation, queued with notifications, delivered signed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from bot.handoff import outbox
from bot.handoff.service import hand_off, latest_of, update
from bot.qualification import scorer
from bot.qualification.service import QualificationService
from bot.settings import PROJECT_ROOT, Settings
from bot.store import leads
from bot.store.models import Handoff, OutboxMessage, utcnow

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
TRANSCRIPT = [
    {"speaker": "visitor", "text": "hi", "at": NOW.isoformat()},
    {"speaker": "bot", "text": "Hello!", "at": NOW.isoformat()},
]


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "webhook_url": "http://crm.test/hooks",
        "webhook_secret": SECRET,
    }
    values.update(overrides)
    return Settings.model_validate(values)


def qualify(sessions, conversation: str = "v-1:1", channels=("webhook",)):
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.update_fields(
            session,
            lead,
            {"name": "Dana Lee", "email": "dana@acme.io", "company": "Acme"},
        )
        return hand_off(
            session,
            lead=lead,
            visitor_id="v-1",
            conversation_id=conversation,
            handoff_type="lead.qualified",
            transcript=TRANSCRIPT,
            channels=channels,
            now=NOW,
        )


def count(sessions, table) -> int:
    with sessions.begin() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_a_conversation_is_handed_off_once_however_often_asked(sessions) -> None:
    first = qualify(sessions)
    second = qualify(sessions)
    assert first.created
    assert not second.created
    assert second.handoff.id == first.handoff.id
    assert count(sessions, Handoff) == 1
    assert count(sessions, OutboxMessage) == 1


def test_a_new_conversation_may_hand_off_again(sessions) -> None:
    qualify(sessions, "v-1:1")
    qualify(sessions, "v-1:2")
    assert count(sessions, Handoff) == 2


def test_the_payload_says_who_and_what_was_said(sessions) -> None:
    payload = qualify(sessions).handoff.payload
    assert payload["type"] == "lead.qualified"
    assert payload["visitor_id"] == "v-1"
    assert payload["lead"]["email"] == "dana@acme.io"
    assert payload["summary"]["headline"] == "Dana Lee at Acme"
    assert payload["transcript"] == TRANSCRIPT
    assert set(payload) >= {"score", "reasons", "engagement", "lead_id", "id"}


def test_why_now_says_what_the_visitor_asked_for(sessions) -> None:
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.add_signals(lead, {"asked_pricing", "asked_demo"})
    why_now = qualify(sessions).handoff.payload["summary"]["why_now"]
    assert why_now.startswith("Asked for a demo and about pricing")


def test_why_now_reads_as_one_sentence(sessions) -> None:
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.add_signals(lead, {"asked_pricing"})
        lead.timeline_months = 2
    why_now = qualify(sessions).handoff.payload["summary"]["why_now"]
    assert why_now.startswith("Asked about pricing; plans to buy within 2 months")


def test_the_summary_gives_a_foreign_budget_in_the_base_currency_too(
    sessions,
) -> None:
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.update_fields(
            session, lead, {"budget_amount": 40000.0, "budget_currency": "EUR"}
        )
        scorer.rescore(session, scorer.load(PROJECT_ROOT / "scoring.yml"), lead, NOW)
        base = lead.budget_base
    assert base is not None
    payload = qualify(sessions).handoff.payload
    said_and_scored = f"budget about 40,000 EUR a year (≈ {base:,.0f} USD)"
    assert said_and_scored in payload["summary"]["why_now"]
    assert payload["lead"]["budget_base"] == base
    assert payload["lead"]["budget_base_currency"] == "USD"


def test_a_budget_in_the_base_currency_is_not_repeated(sessions) -> None:
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.update_fields(
            session, lead, {"budget_amount": 40000.0, "budget_currency": "USD"}
        )
        scorer.rescore(session, scorer.load(PROJECT_ROOT / "scoring.yml"), lead, NOW)
    why_now = qualify(sessions).handoff.payload["summary"]["why_now"]
    assert "budget about 40,000 USD a year" in why_now
    assert "≈" not in why_now


def test_dispatcher_delivers_a_verifiable_signed_webhook(sessions) -> None:
    received: list[httpx.Request] = []

    def crm(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(204)

    handoff = qualify(sessions).handoff
    client = httpx.Client(transport=httpx.MockTransport(crm))
    dispatcher = outbox.Dispatcher(sessions, make_settings(), client)
    assert dispatcher.run_once(utcnow()) == 1
    (request,) = received
    body = Webhook(SECRET).verify(request.content, dict(request.headers))
    assert body["id"] == handoff.id
    assert json.loads(request.content)["lead"]["name"] == "Dana Lee"
    assert dispatcher.run_once(utcnow()) == 0, "delivered messages are not resent"


def test_a_failed_delivery_is_kept_and_retried_later(sessions) -> None:
    answers = iter([httpx.Response(503), httpx.Response(200)])
    client = httpx.Client(transport=httpx.MockTransport(lambda _r: next(answers)))
    qualify(sessions)
    dispatcher = outbox.Dispatcher(sessions, make_settings(), client)
    assert dispatcher.run_once(NOW) == 0
    with sessions.begin() as session:
        (message,) = session.scalars(select(OutboxMessage))
        assert message.attempts == 1
        assert "HTTP 503" in (message.last_error or "")
        assert message.next_attempt_at == NOW + outbox.backoff(1)
    assert dispatcher.run_once(NOW) == 0, "not due yet"
    assert dispatcher.run_once(NOW + timedelta(seconds=3)) == 1


def test_an_unreachable_receiver_is_a_delivery_error_not_a_crash(sessions) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    qualify(sessions)
    client = httpx.Client(transport=httpx.MockTransport(refuse))
    assert outbox.Dispatcher(sessions, make_settings(), client).run_once(NOW) == 0
    with sessions.begin() as session:
        (message,) = session.scalars(select(OutboxMessage))
        assert "ConnectError" in (message.last_error or "")


def test_without_a_webhook_url_nothing_is_queued(sessions) -> None:
    assert outbox.channels(make_settings(webhook_url=None)) == []
    qualify(sessions, channels=())
    assert count(sessions, OutboxMessage) == 0


def test_backoff_doubles_and_is_capped() -> None:
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3)] == [2, 4, 8]
    assert outbox.backoff(40) == timedelta(hours=1)


def test_a_secret_in_the_wrong_format_is_refused() -> None:
    with pytest.raises(ValueError, match="whsec_"):
        make_settings(webhook_secret="hunter2")


def test_a_change_after_the_handoff_refreshes_it_and_tells_each_channel(
    sessions,
) -> None:
    handoff_id = qualify(sessions, channels=("webhook", "slack")).handoff.id
    later = NOW + timedelta(minutes=3)
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.update_fields(session, lead, {"email": "dana.lee@acme.io"})
        handoff = latest_of(session, lead)
        assert handoff is not None
        update(session, handoff=handoff, lead=lead, changed=["email"],
               channels=("webhook",), now=later)  # fmt: skip
    with sessions.begin() as session:
        handoff = session.get(Handoff, handoff_id)
        assert handoff.payload["lead"]["email"] == "dana.lee@acme.io"
        assert handoff.payload["type"] == "lead.qualified", "still a qualified lead"
        assert handoff.payload["transcript"] == TRANSCRIPT
        assert handoff.payload["updated_at"] == later.isoformat()
        notices = session.scalars(
            select(OutboxMessage).where(OutboxMessage.created_at == later)
        ).all()
        assert [n.channel for n in notices] == ["webhook"]
        assert notices[0].payload["type"] == "lead.updated"
        assert notices[0].payload["changed"] == ["email"]
        assert notices[0].payload["id"] == handoff_id
        assert notices[0].payload["handoff_type"] == "lead.qualified"
        assert notices[0].next_attempt_at.replace(tzinfo=UTC) > later, "waits"
    assert count(sessions, Handoff) == 1


def test_a_lead_sales_never_had_has_no_handoff_to_update(sessions) -> None:
    with sessions.begin() as session:
        assert latest_of(session, leads.lead_for_visitor(session, "v-1")) is None


def test_the_answers_of_one_chat_become_one_update(sessions) -> None:
    qualify(sessions)
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        handoff = latest_of(session, lead)
        for minute, field in enumerate(["name", "email", "job_title"], start=1):
            later = NOW + timedelta(minutes=minute)
            update(session, handoff=handoff, lead=lead, changed=[field],
                   channels=("webhook",), now=later)  # fmt: skip
    with sessions.begin() as session:
        kinds = [m.payload for m in session.scalars(select(OutboxMessage))]
        updates = [p for p in kinds if p["type"] == "lead.updated"]
        assert len(updates) == 1
        assert updates[0]["changed"] == ["email", "job_title", "name"]


def service_at(sessions, now: datetime = NOW) -> QualificationService:
    return QualificationService(
        sessions,
        scorer.load(PROJECT_ROOT / "scoring.yml"),
        channels=["webhook"],
        clock=lambda: now,
    )


def test_an_email_that_joins_an_older_lead_still_reaches_sales(sessions) -> None:
    """The email names a lead known from an earlier visit: the two merge, and
    the handoff of this visit still gets it."""
    service_at(sessions).answer("v-old", {"email": "tom.k@veridianbio.com"},
                                requested="email")  # fmt: skip
    service = service_at(sessions, NOW + timedelta(days=3))
    service.request_human("v-9", "v-9:1", TRANSCRIPT)
    service.answer("v-9", {"email": "tom.k@veridianbio.com"}, requested="email")
    with sessions.begin() as session:
        handoff = session.scalars(select(Handoff)).one()
        assert handoff.payload["lead"]["email"] == "tom.k@veridianbio.com"
        kinds = [m.payload["type"] for m in session.scalars(select(OutboxMessage))]
        assert sorted(kinds) == ["lead.human_requested", "lead.updated"]


def test_an_email_left_after_asking_for_a_person_reaches_sales(sessions) -> None:
    service = service_at(sessions)
    service.request_human("v-9", "v-9:1", TRANSCRIPT)
    service.answer("v-9", {"budget": "$40k a year"}, requested="budget")
    assert count(sessions, OutboxMessage) == 1, "a budget only refreshes the summary"
    service.answer("v-9", {"email": "tom.k@veridianbio.com"}, requested="email")
    with sessions.begin() as session:
        handoff = session.scalars(select(Handoff)).one()
        assert handoff.payload["lead"]["email"] == "tom.k@veridianbio.com"
        assert "tom.k@veridianbio.com" in handoff.payload["summary"]["next_step"]
        assert handoff.payload["lead"]["budget_amount"] == 40000
        kinds = {m.payload["type"]: m for m in session.scalars(select(OutboxMessage))}
        assert set(kinds) == {"lead.human_requested", "lead.updated"}
        # The company comes with it, guessed from the email's domain.
        assert kinds["lead.updated"].payload["changed"] == ["company", "email"]


def test_why_now_says_a_customer_wants_to_buy_more(sessions) -> None:
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.add_signals(lead, {"customer_expansion", "asked_human"})
    why_now = qualify(sessions).handoff.payload["summary"]["why_now"]
    assert why_now.startswith("An existing customer who wants to buy more")
