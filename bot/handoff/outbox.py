"""The outbox dispatcher: delivers queued notifications until they land.

Messages are claimed one at a time with their due time pushed forward first,
so two dispatchers (two web app processes) do not send the same message at
the same moment; a failed attempt is retried with exponential back-off, and
after ``MAX_ATTEMPTS`` the message stays in the store with its last error for
an operator to see. Delivery is at-least-once; the stable ``webhook-id`` lets
receivers drop duplicates.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import DeliveryError
from bot.handoff import mail, slack, webhook
from bot.settings import Settings
from bot.store.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
CLAIM_LEASE = timedelta(seconds=60)


def backoff(attempts: int) -> timedelta:
    """Seconds to wait after the n-th failure: 2, 4, 8, ... capped at 1 hour."""
    return timedelta(seconds=min(2**attempts, 3600))


def channels(settings: Settings) -> list[str]:
    """The notification channels configured in this deployment."""
    configured = {
        "webhook": bool(settings.webhook_url),
        "slack": bool(settings.slack_webhook_url),
        "email": bool(settings.smtp_host),
    }
    return [channel for channel, on in configured.items() if on]


class Dispatcher:
    """Delivers due outbox messages through their channel."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: Settings,
        client: httpx.Client,
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._client = client

    def run_once(self, now: datetime | None = None) -> int:
        """Deliver every message due now; returns how many were delivered."""
        delivered = 0
        while (message := self._claim(now or utcnow())) is not None:
            delivered += self._attempt(message, now or utcnow())
        return delivered

    def _claim(self, now: datetime) -> OutboxMessage | None:
        with self._sessions.begin() as session:
            candidate = session.scalars(
                select(OutboxMessage)
                .where(
                    OutboxMessage.delivered_at.is_(None),
                    OutboxMessage.attempts < MAX_ATTEMPTS,
                    OutboxMessage.next_attempt_at <= now,
                )
                .order_by(OutboxMessage.next_attempt_at)
                .limit(1)
            ).first()
            if candidate is None:
                return None
            claimed: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == candidate.id,
                    OutboxMessage.next_attempt_at == candidate.next_attempt_at,
                )
                .values(next_attempt_at=now + CLAIM_LEASE)
                .execution_options(synchronize_session=False)
            )
            return candidate if claimed.rowcount == 1 else self._claim(now)

    def _attempt(self, message: OutboxMessage, now: datetime) -> int:
        error: str | None = None
        try:
            self._send(message, now)
        except DeliveryError as exc:
            error = str(exc)
        except Exception as exc:  # a bug must not leave the message unattempted
            log.exception("outbox %s: unexpected error", message.id)
            error = f"{type(exc).__name__} while sending (see the log)"
        with self._sessions.begin() as session:
            row = session.get_one(OutboxMessage, message.id)
            row.attempts += 1
            if error is None:
                row.delivered_at = now
                row.last_error = None
                log.info("outbox %s delivered via %s", row.id, row.channel)
                return 1
            row.last_error = error
            row.next_attempt_at = now + backoff(row.attempts)
            log.warning("outbox %s attempt %d failed: %s", row.id, row.attempts, error)
            return 0

    def _send(self, message: OutboxMessage, now: datetime) -> None:
        settings = self._settings
        if message.channel == "webhook":
            if not settings.webhook_url:
                raise DeliveryError("DMQL_WEBHOOK_URL is not set")
            webhook.deliver(
                self._client,
                url=settings.webhook_url,
                secret=settings.webhook_secret,
                message_id=message.id,
                payload=message.payload,
                now=now,
            )
        elif message.channel == "slack":
            if not settings.slack_webhook_url:
                raise DeliveryError("DMQL_SLACK_WEBHOOK_URL is not set")
            slack.deliver(
                self._client,
                url=settings.slack_webhook_url,
                payload=message.payload,
                inbox_url=settings.public_web_url,
            )
        elif message.channel == "email":
            if not (settings.smtp_host and settings.email_from):
                raise DeliveryError("DMQL_SMTP_HOST and DMQL_EMAIL_FROM are not set")
            server = mail.SmtpServer(
                host=settings.smtp_host,
                port=settings.smtp_port,
                sender=settings.email_from,
                recipients=settings.sales_recipients,
                user=settings.smtp_user,
                password=settings.smtp_password,
                starttls=settings.smtp_starttls,
                timeout_s=settings.webhook_timeout_s,
            )
            mail.deliver(
                server, payload=message.payload, inbox_url=settings.public_web_url
            )
        else:
            raise DeliveryError(f"unknown channel {message.channel!r}")
