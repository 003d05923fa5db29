"""Opening and closing the qualifying conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.open_question import said_again
from actions.qualification_form import answer_open_question
from actions.transcript import conversation_id, has_said, signals, transcript
from bot.qualification.service import Conclusion

NURTURE_BUTTONS = [
    {"title": "Get the e-book", "payload": "/nurture_ebook"},
    {"title": "Join the newsletter", "payload": "/nurture_newsletter"},
]


def answering(tracker: Tracker) -> bool:
    """Whether the form is waiting for the answer to one of its questions."""
    return bool(tracker.active_loop_name and tracker.get_slot("requested_slot"))


#: What the chat widget sends when it opens (bot/web/static/widget.js).
WIDGET_OPENED = "/greet"


class ActionGreet(Action):
    """Greets with the privacy notice and fills in what is already known.

    A visitor who gave their name on a website form, or in an earlier chat,
    is greeted by name and not asked again.
    """

    def name(self) -> str:
        return "action_greet"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        opened = tracker.latest_message.get("text") == WIDGET_OPENED
        if not opened and answering(tracker) and said_again(tracker):
            # "i need help with attribution" read as a hello, typed twice to
            # "what would you like help with?": it is the answer.
            return answer_open_question(dispatcher, tracker, domain)
        known = services.qualification().known(tracker.sender_id)
        if has_said(tracker, "utter_privacy_notice") and not opened:
            # Greeted already in this session: a second "hi" gets a short
            # reply, anything else (the English-only notice's "Talk to a
            # person") goes on without a second introduction. The widget
            # opened in another tab (an empty chat) is greeted in full.
            if (tracker.latest_message.get("intent") or {}).get("name") == "greet":
                dispatcher.utter_message(response="utter_greet_again")
            return _unknown_slots(tracker, known)
        if known.get("name"):
            dispatcher.utter_message(
                response="utter_greet_returning", name=known["name"]
            )
        else:
            dispatcher.utter_message(response="utter_greet")
        dispatcher.utter_message(response="utter_privacy_notice")
        opener = page_opener(tracker.latest_message.get("metadata") or {})
        if opener and opener in domain.get("responses", {}):
            dispatcher.utter_message(response=opener)
        return _unknown_slots(tracker, known)


def _unknown_slots(tracker: Tracker, known: dict[str, Any]) -> list[EventType]:
    """Slots for what the lead store knows and the conversation does not."""
    return [
        SlotSet(slot, value)
        for slot, value in known.items()
        if tracker.get_slot(slot) is None
    ]


class ActionConcludeQualification(Action):
    """After the last question: a handoff for a qualified lead, else a next step."""

    def name(self) -> str:
        return "action_conclude_qualification"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        conclusion = services.qualification().conclude(
            tracker.sender_id,
            conversation_id(tracker),
            transcript(tracker),
            signals(tracker),
        )
        _tell(dispatcher, conclusion)
        return [SlotSet("outcome", conclusion.outcome)]


class ActionHumanHandoff(Action):
    """The visitor asked for a person: hand off now, whatever the score."""

    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        conclusion = services.qualification().request_human(
            tracker.sender_id,
            conversation_id(tracker),
            transcript(tracker),
            signals(tracker),
        )
        _tell(dispatcher, conclusion)
        return [SlotSet("outcome", conclusion.outcome)]


#: Page path prefixes and the opener that fits them ("Questions about pricing?").
PAGE_OPENERS = (
    ("/pricing", "utter_opener_pricing"),
    ("/product", "utter_opener_product"),
    ("/ebook", "utter_opener_ebook"),
    ("/webinar", "utter_opener_webinar"),
)
#: How each way out of the funnel is told to the visitor.
EXIT_RESPONSES = {
    "student": "utter_student",
    "job_seeker": "utter_job_seeker",
    "competitor": "utter_competitor",
    "support": "utter_support",
    "no_consent": "utter_no_consent",
}


def page_opener(metadata: dict[str, Any]) -> str | None:
    """The opener for the page the widget says the visitor is on."""
    page = str(metadata.get("page") or "")
    return next((r for prefix, r in PAGE_OPENERS if page.startswith(prefix)), None)


def _tell(dispatcher: CollectingDispatcher, conclusion: Conclusion) -> None:
    status = conclusion.status
    extra: dict[str, Any] = {"email": status.email} if status.email else {}
    if conclusion.outcome == "handoff" and not conclusion.handoff_created:
        # Sales already has this conversation: say so instead of a second
        # "someone will contact you" (a demo request after the handoff, say).
        dispatcher.utter_message(response="utter_handoff_already")
    elif conclusion.outcome == "handoff" and status.email:
        dispatcher.utter_message(response="utter_handoff", **extra)
    elif conclusion.outcome == "handoff":
        dispatcher.utter_message(response="utter_handoff_no_email")
    elif conclusion.outcome in EXIT_RESPONSES:
        dispatcher.utter_message(response=EXIT_RESPONSES[conclusion.outcome])
    else:
        dispatcher.utter_message(response="utter_nurture", buttons=NURTURE_BUTTONS)
