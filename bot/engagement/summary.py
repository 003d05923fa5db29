"""The engagement summary a sales rep reads: figures plus one plain sentence.

Profile fields a website form sent (name, email) are kept on the lead, not
in event properties, so nothing personal is repeated here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.store.models import Event


def summarize(events: Sequence[Event], now: datetime) -> dict[str, Any]:
    """Turn a lead's events into the figures and the sentence of a handoff."""
    pages = Counter(
        str(e.properties.get("path") or "/") for e in events if e.type == "page_view"
    )
    sessions = {e.properties.get("session_id") for e in events if e.type == "page_view"}
    sessions.discard(None)
    downloads = _distinct(
        e.properties.get("asset") for e in events if e.type == "content_download"
    )
    webinars = _distinct(
        e.properties.get("webinar") for e in events if e.type == "webinar_signup"
    )
    counts = Counter(e.type for e in events)
    first = events[0].occurred_at if events else None
    last = events[-1].occurred_at if events else None
    figures: dict[str, Any] = {
        "visits": len(sessions) or (1 if pages else 0),
        "page_views": sum(pages.values()),
        "top_pages": [{"path": p, "views": n} for p, n in pages.most_common(5)],
        "downloads": downloads,
        "webinars": webinars,
        "newsletter": counts["newsletter_signup"] > 0,
        "social_follows": counts["social_follow"],
        "chat_messages": counts["chat_message"],
        "first_seen": first.isoformat() if first else None,
        "last_seen": last.isoformat() if last else None,
    }
    figures["text"] = _sentence(figures, first, now)
    return figures


def _distinct(values: Any) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen[str(value)] = None
    return list(seen)


def _sentence(figures: dict[str, Any], first: datetime | None, now: datetime) -> str:
    if first is None:
        return "No website activity recorded before the chat."
    days = max(1, (now - first).days + 1)
    parts = [
        f"{_plural(figures['visits'], 'visit')} and "
        f"{_plural(figures['page_views'], 'page view')} in {_plural(days, 'day')}"
    ]
    for page in figures["top_pages"]:
        if page["path"].startswith(("/pricing", "/demo")):
            parts.append(f"{page['path']} viewed {_plural(page['views'], 'time')}")
    if figures["downloads"]:
        parts.append("downloaded " + ", ".join(figures["downloads"]))
    if figures["webinars"]:
        parts.append("signed up for " + ", ".join(figures["webinars"]))
    if figures["newsletter"]:
        parts.append("subscribed to the newsletter")
    return "; ".join(parts) + "."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
