"""Reading a conversation's transcript and identity from a Rasa tracker."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Tracker

MAX_TURNS = 200


def conversation_id(tracker: Tracker) -> str:
    """The sender id plus the start of the current session.

    A returning visitor's new session is a new conversation (a request for
    a person then hands off again); retries within one session share the id.
    """
    started = next(
        (
            e.get("timestamp")
            for e in reversed(tracker.events)
            if e.get("event") == "session_started"
        ),
        None,
    )
    return f"{tracker.sender_id}:{int(started or 0)}"


def transcript(tracker: Tracker) -> list[dict[str, Any]]:
    """The visitor's and the bot's messages the tracker holds, all sessions.

    Rasa's SQL tracker store hands the actions the earlier session only on
    the first turn of a new one (when it starts the session), so a handoff
    later in the new session reads that session alone.
    """
    lines: list[dict[str, Any]] = []
    for event in tracker.events:
        speaker = {"user": "visitor", "bot": "bot"}.get(event.get("event", ""))
        text = event.get("text")
        if speaker is None or not text or text.startswith("/"):
            continue
        stamp = event.get("timestamp")
        at = datetime.fromtimestamp(stamp, UTC).isoformat() if stamp else None
        lines.append({"speaker": speaker, "text": text, "at": at})
    return lines[-MAX_TURNS:]


def has_said(tracker: Tracker, response: str) -> bool:
    """Whether the bot has sent this response earlier in the current session."""
    said = False
    for event in tracker.events:
        if event.get("event") == "session_started":
            said = False
        metadata = event.get("metadata") or {}
        if event.get("event") == "bot" and metadata.get("utter_action") == response:
            said = True
    return said


def chatted_before(tracker: Tracker) -> bool:
    """Whether the visitor wrote to the bot before the current session."""
    earlier: list[dict[str, Any]] = []
    for index, event in enumerate(tracker.events):
        if event.get("event") == "session_started":
            earlier = tracker.events[:index]
    return any(
        event.get("event") == "user"
        and not str(event.get("text") or "/").startswith("/")  # the widget's /greet
        for event in earlier
    )


def replies_to(tracker: Tracker, response: str) -> bool:
    """Whether the latest message answers a bot turn that sent this response."""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                return False
        metadata = event.get("metadata") or {}
        if event.get("event") == "bot" and metadata.get("utter_action") == response:
            return users == 1
    return False


#: Intents that tell the rep something about the visitor's intent.
INTENT_SIGNALS = {
    "ask_pricing": "asked_pricing",
    "request_demo": "asked_demo",
    "request_human": "asked_human",
}


#: A signal's intent read with this confidence counts though another ranks
#: first: "I'm Dana, CMO at Corvid, ~300 people, we want a demo next month"
#: is an introduction (0.53) with a demo request (0.47) in it.
SIGNAL_CONFIDENCE = 0.4


def signals(tracker: Tracker) -> frozenset[str]:
    """Conversation signals from the visitor's intents in this session."""
    found: set[str] = set()
    for event in tracker.events:
        if event.get("event") == "session_started":
            found = set()
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        ranking = parse.get("intent_ranking") or [parse.get("intent") or {}]
        top = (parse.get("intent") or {}).get("name")
        found |= {
            INTENT_SIGNALS[str(read.get("name"))]
            for read in ranking
            if read.get("name") in INTENT_SIGNALS
            and (
                read.get("name") == top
                or float(read.get("confidence") or 0.0) >= SIGNAL_CONFIDENCE
            )
        }
    return frozenset(found)
