"""A handoff as a Slack message, posted to an incoming webhook.

The message is built with Slack's own Block Kit models (``slack_sdk``) from
the handoff summary every channel shares: who, why now, the score and its
reasons, and a link to the lead in the sales inbox. The webhook URL holds
Slack's secret, so it only comes from ``DMQL_SLACK_WEBHOOK_URL``.
"""

from __future__ import annotations

from typing import Any

import httpx
from slack_sdk.models.blocks import (
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.errors import DeliveryError
from bot.handoff.summary import reason_lines

#: Slack's limits: a header's text, a section's text, a message's blocks.
HEADER_MAX = 150
SECTION_MAX = 3000
#: The score's reasons a rep sees in Slack; the inbox has all of them.
REASONS_SHOWN = 6
#: The last chat lines quoted; the inbox has the whole transcript.
TRANSCRIPT_SHOWN = 4

TITLES = {
    "lead.qualified": "New DMQL",
    "lead.human_requested": "A visitor asked for a person",
    "lead.updated": "Lead updated",
}


def message(payload: dict[str, Any], inbox_url: str | None = None) -> dict[str, Any]:
    """The Slack message (``text`` for notifications, ``blocks`` to read)."""
    summary = payload.get("summary") or {}
    score = payload.get("score") or {}
    title = TITLES.get(str(payload.get("type")), "New lead")
    headline = str(summary.get("headline") or "A visitor")
    blocks: list[Any] = [
        HeaderBlock(text=_cut(f"{title}: {headline}", HEADER_MAX)),
        SectionBlock(
            text=MarkdownTextObject(
                text=_cut(
                    _changed(payload)
                    + f"*Why now:* {_escape(summary.get('why_now') or '-')}\n"
                    f"*Next step:* {_escape(summary.get('next_step') or '-')}",
                    SECTION_MAX,
                )
            )
        ),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"*Score*\n{score.get('total', '-')} / 100"),
                MarkdownTextObject(
                    text=f"*Fit · engagement*\n{score.get('grade') or '-'}"
                    f"{score.get('level') or ''}"
                ),
                MarkdownTextObject(text=f"*Stage*\n{score.get('stage') or '-'}"),
            ]
        ),
    ]
    reasons = _reasons(reason_lines({"reasons": strongest(payload)}))
    if reasons:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=reasons)))
    said = _transcript(payload.get("transcript") or [])
    if said:
        blocks += [DividerBlock(), SectionBlock(text=MarkdownTextObject(text=said))]
    if inbox_url:
        link = f"{inbox_url.rstrip('/')}/sales/{payload.get('id')}"
        blocks.append(
            ContextBlock(
                elements=[MarkdownTextObject(text=f"<{link}|Open in the sales inbox>")]
            )
        )
    return {
        "text": _escape(f"{title}: {headline}"),
        "blocks": [block.to_dict() for block in blocks],
    }


def deliver(
    client: httpx.Client,
    *,
    url: str,
    payload: dict[str, Any],
    inbox_url: str | None = None,
) -> None:
    """Post one handoff to Slack; any answer but 2xx is a :class:`DeliveryError`."""
    try:
        response = client.post(url, json=message(payload, inbox_url))
    except httpx.HTTPError as exc:
        raise DeliveryError(f"slack webhook: {type(exc).__name__}") from exc
    if not response.is_success:
        # Slack answers with a short reason ("invalid_payload", "no_service").
        raise DeliveryError(
            f"slack webhook answered HTTP {response.status_code}: {response.text[:100]}"
        )


def _changed(payload: dict[str, Any]) -> str:
    changed = payload.get("changed") or []
    return f"*Changed:* {_escape(', '.join(map(str, changed)))}\n" if changed else ""


def strongest(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The score's reasons, the most points either way first."""
    reasons = [r for r in payload.get("reasons") or [] if isinstance(r, dict)]

    def weight(reason: dict[str, Any]) -> float:
        points = reason.get("points")
        return abs(float(points)) if isinstance(points, int | float) else 0.0

    return sorted(reasons, key=weight, reverse=True)


def _reasons(reasons: list[str]) -> str:
    lines = [f"• {_escape(reason)}" for reason in reasons[:REASONS_SHOWN]]
    more = len(reasons) - REASONS_SHOWN
    if more > 0:
        lines.append(f"… and {more} more in the inbox")
    return _cut("*Score reasons*\n" + "\n".join(lines), SECTION_MAX) if lines else ""


def _transcript(lines: list[dict[str, Any]]) -> str:
    shown = [
        f"*{'Visitor' if line.get('speaker') == 'visitor' else 'Bot'}:* "
        f"{_escape(line.get('text') or '')}"
        for line in lines[-TRANSCRIPT_SHOWN:]
        if line.get("text")
    ]
    return (
        _cut("*Last words in the chat*\n" + "\n".join(shown), SECTION_MAX)
        if shown
        else ""
    )


def _escape(text: Any) -> str:
    """Slack's three control characters, so a visitor's words stay words."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
