"""Handoffs to Slack and by email: what a rep reads, and delivery that retries."""

from __future__ import annotations

import json
import smtplib
import traceback
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any, ClassVar

import httpx
import pytest

from bot.errors import ConfigError, DeliveryError
from bot.handoff import mail, outbox, slack
from bot.handoff.service import hand_off
from bot.settings import Settings, get_settings
from bot.store import leads
from bot.store.models import OutboxMessage

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"
INBOX = "https://sales.brightlane.example"
TRANSCRIPT = [
    {"speaker": "visitor", "text": "we need <attribution> & fast", "at": None},
    {"speaker": "bot", "text": "What's your role?", "at": None},
]


#: A mail server the composing tests address (nothing is sent to it).
TEST_SERVER = mail.SmtpServer(
    host="smtp.test",
    port=25,
    sender="dmql@brightlane.example",
    recipients=("sales@brightlane.example",),
)


def settings(**values: Any) -> Settings:
    return Settings.model_validate(
        {"public_web_url": INBOX, "inbox_password": "correct horse battery", **values}
    )


def hand_off_dana(sessions, channels: tuple[str, ...]) -> str:
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.update_fields(
            session,
            lead,
            {
                "name": "Dana Lee",
                "email": "dana@acme.io",
                "company": "Acme",
                "job_title": "VP of Marketing",
            },
        )
        lead.score_reasons = [
            {"rule": "senior", "source": "fit", "points": 15, "reason": "VP: buyer"},
            {"rule": "free", "source": "negative", "points": -5, "reason": "Gmail"},
        ]
        result = hand_off(
            session,
            lead=lead,
            visitor_id="v-1",
            conversation_id="v-1:1",
            handoff_type="lead.qualified",
            transcript=TRANSCRIPT,
            channels=channels,
            now=NOW,
        )
        return str(result.handoff.id)


def outbox_rows(sessions) -> list[OutboxMessage]:
    with sessions.begin() as session:
        rows = session.query(OutboxMessage).all()
        session.expunge_all()
        return rows


def test_every_configured_channel_gets_the_handoff() -> None:
    configured = settings(
        webhook_url="http://crm.test/hooks",
        slack_webhook_url=SLACK_URL,
        smtp_host="smtp.test",
        email_from="dmql@brightlane.example",
        sales_email="sales@brightlane.example, ana@brightlane.example",
    )
    assert outbox.channels(configured) == ["webhook", "slack", "email"]
    assert configured.sales_recipients == (
        "sales@brightlane.example",
        "ana@brightlane.example",
    )
    assert outbox.channels(settings()) == []


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"smtp_host": "smtp.test"}, "DMQL_EMAIL_FROM"),
        ({"sales_email": "sales@x.example, not-an-address"}, "'not-an-address'"),
        ({"slack_webhook_url": "hooks.slack.com/services/x"}, "Slack incoming webhook"),
        ({"slack_webhook_url": "http://hooks.slack.com/services/x"}, "https URL"),
        ({"sales_email": " , "}, "at least one email address"),
        ({"inbox_password": "correct horse batterï"}, "ASCII"),
    ],
)
def test_incomplete_notification_settings_are_refused(
    values: dict[str, Any], named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        settings(**values)


def test_slack_gets_a_message_a_rep_can_act_on(sessions) -> None:
    handoff_id = hand_off_dana(sessions, ("slack",))
    sent: list[httpx.Request] = []

    def slack_api(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, text="ok")

    client = httpx.Client(transport=httpx.MockTransport(slack_api))
    dispatcher = outbox.Dispatcher(
        sessions, settings(slack_webhook_url=SLACK_URL), client
    )
    assert dispatcher.run_once(NOW) == 1
    assert str(sent[0].url) == SLACK_URL
    body = json.loads(sent[0].content)
    assert body["text"].startswith("New DMQL: Dana Lee, VP of Marketing at Acme")
    assert "<" not in body["text"], "the notification text is escaped too"
    blocks = json.dumps(body["blocks"])
    assert '"type": "header"' in blocks
    assert "+15 \\u00b7 VP: buyer" in blocks
    assert "\\u22125 \\u00b7 Gmail" in blocks
    assert "&lt;attribution&gt; &amp; fast" in blocks, "the visitor's words escaped"
    assert f"{INBOX}/sales/{handoff_id}|Open in the sales inbox" in blocks
    assert outbox_rows(sessions)[0].delivered_at is not None


def test_a_slack_refusal_is_kept_with_its_reason_and_retried(sessions) -> None:
    hand_off_dana(sessions, ("slack",))
    client = httpx.Client(
        transport=httpx.MockTransport(lambda _r: httpx.Response(404, text="no_service"))
    )
    dispatcher = outbox.Dispatcher(
        sessions, settings(slack_webhook_url=SLACK_URL), client
    )
    assert dispatcher.run_once(NOW) == 0
    row = outbox_rows(sessions)[0]
    assert row.delivered_at is None
    assert row.attempts == 1
    assert row.last_error == "slack webhook answered HTTP 404: no_service"


class FakeSmtp:
    """Stands in for smtplib.SMTP: records what would have been sent."""

    sent: ClassVar[list[EmailMessage]] = []
    calls: ClassVar[list[str]] = []
    fail_login: ClassVar[bool] = False

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.calls.append(f"connect {host}:{port}")

    def __enter__(self) -> FakeSmtp:
        return self

    def __exit__(self, *_: object) -> None:
        self.calls.append("quit")

    def starttls(self, context: object) -> None:
        self.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        if self.fail_login:
            raise smtplib.SMTPAuthenticationError(535, b"bad credentials")
        self.calls.append(f"login {user}")

    def send_message(self, message: EmailMessage) -> None:
        self.sent.append(message)


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> type[FakeSmtp]:
    FakeSmtp.sent, FakeSmtp.calls, FakeSmtp.fail_login = [], [], False
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSmtp)
    return FakeSmtp


EMAIL_SETTINGS = {
    "smtp_host": "smtp.test",
    "smtp_port": 2525,
    "smtp_user": "dmql",
    "smtp_password": "hunter2-secret",
    "email_from": "DMQL Bot <dmql@brightlane.example>",
    "sales_email": "sales@brightlane.example",
}


def test_the_sales_team_gets_an_email_to_reply_to(sessions, smtp) -> None:
    handoff_id = hand_off_dana(sessions, ("email",))
    client = httpx.Client(transport=httpx.MockTransport(lambda _r: httpx.Response(500)))
    dispatcher = outbox.Dispatcher(sessions, settings(**EMAIL_SETTINGS), client)
    assert dispatcher.run_once(NOW) == 1
    assert smtp.calls == ["connect smtp.test:2525", "starttls", "login dmql", "quit"]
    sent = smtp.sent[0]
    assert sent["Subject"] == "New DMQL: Dana Lee, VP of Marketing at Acme"
    assert sent["To"] == "sales@brightlane.example"
    assert sent["Reply-To"] == "dana@acme.io", "a reply goes to the lead"
    assert sent["Message-ID"] == f"<handoff-{handoff_id}@brightlane.example>"
    body = sent.get_content()
    assert "Next step: Email dana@acme.io today." in body
    assert "+15 · VP: buyer" in body
    assert "Visitor: we need <attribution> & fast" in body
    assert f"{INBOX}/sales/{handoff_id}" in body


def test_a_refused_login_is_retried_and_never_logs_the_password(
    sessions, smtp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    hand_off_dana(sessions, ("email",))
    smtp.fail_login = True
    client = httpx.Client(transport=httpx.MockTransport(lambda _r: httpx.Response(500)))
    dispatcher = outbox.Dispatcher(sessions, settings(**EMAIL_SETTINGS), client)
    assert dispatcher.run_once(NOW) == 0
    row = outbox_rows(sessions)[0]
    assert row.last_error == "email via smtp.test:2525: SMTPAuthenticationError 535"
    assert "hunter2" not in (row.last_error or "")
    assert "SMTPAuthenticationError" in caplog.text, "the failure is logged"
    assert "hunter2" not in caplog.text
    assert smtp.sent == []


def test_an_unreachable_mail_server_is_a_delivery_error() -> None:
    server = mail.SmtpServer(
        host="127.0.0.1",
        port=1,
        sender="dmql@brightlane.example",
        recipients=("sales@brightlane.example",),
        timeout_s=2,
    )
    with pytest.raises(DeliveryError, match=r"email via 127\.0\.0\.1:1: "):
        mail.deliver(server, payload={"id": "h-1", "type": "lead.qualified"})


def test_a_line_break_in_a_visitors_words_adds_no_mail_header() -> None:
    server = TEST_SERVER
    payload = {
        "id": "h-1",
        "type": "lead.qualified",
        "summary": {"headline": "Dana\nBcc: victim@example.com"},
        "lead": {"email": "dana@acme.io\nBcc: x@example.com"},
    }
    composed = mail.compose(payload, server)
    assert composed["Subject"] == "New DMQL: Dana Bcc: victim@example.com"
    assert composed["Bcc"] is None
    assert composed["Reply-To"] is None, "not one address: no Reply-To"


def test_an_unexpected_error_counts_as_a_failed_attempt(
    sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    hand_off_dana(sessions, ("slack",))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(outbox.slack, "deliver", broken)
    client = httpx.Client(transport=httpx.MockTransport(lambda _r: httpx.Response(200)))
    dispatcher = outbox.Dispatcher(
        sessions, settings(slack_webhook_url=SLACK_URL), client
    )
    assert dispatcher.run_once(NOW) == 0
    row = outbox_rows(sessions)[0]
    assert row.attempts == 1, "the attempt counts towards the limit"
    assert row.last_error == "RuntimeError while sending (see the log)"


def test_a_settings_error_never_shows_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DMQL_SMTP_HOST", "smtp.test")
    monkeypatch.setenv("DMQL_SMTP_PASSWORD", "hunter2-secret")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError) as raised:
            get_settings()
    finally:
        get_settings.cache_clear()
    shown = "".join(traceback.format_exception(raised.value))
    assert "DMQL_EMAIL_FROM" in shown
    assert "hunter2" not in shown


def test_slack_shows_the_strongest_reasons_either_way() -> None:
    reasons = [{"rule": f"r{i}", "points": i, "reason": f"small {i}"} for i in range(8)]
    reasons.append({"rule": "student", "points": -40, "reason": "a student"})
    sent = slack.message({"id": "h-1", "type": "lead.qualified", "reasons": reasons})
    shown = json.dumps(sent["blocks"])
    assert "a student" in shown, "a disqualifier is never cut"
    assert "small 7" in shown
    assert "small 0" not in shown
    assert "and 3 more in the inbox" in shown


def test_an_update_says_what_changed_and_is_a_mail_of_its_own() -> None:
    server = TEST_SERVER
    handed_off = {
        "id": "h-1",
        "type": "lead.human_requested",
        "summary": {"headline": "An anonymous visitor"},
    }
    updated = {
        **handed_off,
        "type": "lead.updated",
        "updated_at": "2026-12-04T12:03:00+00:00",
        "changed": ["email"],
        "summary": {"headline": "tom.k@veridianbio.com"},
    }
    first, second = mail.compose(handed_off, server), mail.compose(updated, server)
    assert second["Subject"] == "Lead updated: tom.k@veridianbio.com"
    assert "Changed: email" in second.get_content()
    assert second["Message-ID"] != first["Message-ID"], "not dropped as a copy"
    assert second["In-Reply-To"] == first["Message-ID"], "threads with the first"
    assert second["References"] == first["Message-ID"]
    assert first["In-Reply-To"] is None
    posted = slack.message(updated)
    assert posted["text"] == "Lead updated: tom.k@veridianbio.com"
    assert "*Changed:* email" in json.dumps(posted["blocks"])
