"""Signed webhook delivery, as the Standard Webhooks specification says.

Headers ``webhook-id`` (the outbox message id, stable across retries so the
receiver can de-duplicate), ``webhook-timestamp`` and ``webhook-signature``
(HMAC-SHA256 by the ``standardwebhooks`` library, secret ``whsec_...`` from
``DMQL_WEBHOOK_SECRET``).
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

import httpx
from standardwebhooks.webhooks import Webhook

from bot.errors import DeliveryError


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def signed_headers(
    secret: str, message_id: str, timestamp: datetime, body: bytes
) -> dict[str, str]:
    """The three Standard Webhooks headers for one delivery attempt."""
    signature = Webhook(secret).sign(message_id, timestamp, body)
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(math.floor(timestamp.timestamp())),
        "webhook-signature": signature,
    }


def deliver(
    client: httpx.Client,
    *,
    url: str,
    secret: str | None,
    message_id: str,
    payload: dict[str, Any],
    now: datetime,
) -> None:
    """POST one signed payload; any non-2xx answer is a :class:`DeliveryError`."""
    body = body_bytes(payload)
    headers = (
        signed_headers(secret, message_id, now, body)
        if secret
        else {"content-type": "application/json", "webhook-id": message_id}
    )
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"webhook {url}: {type(exc).__name__}: {exc}") from exc
    if not response.is_success:
        raise DeliveryError(f"webhook {url} answered HTTP {response.status_code}")
