"""Opening and closing the qualifying conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.transcript import conversation_id, transcript
from bot.qualification.service import Conclusion

NURTURE_BUTTONS = [
    {"title": "Get the e-book", "payload": "/nurture_ebook"},
    {"title": "Join the newsletter", "payload": "/nurture_newsletter"},
]


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
        known = services.qualification().known(tracker.sender_id)
        if known.get("name"):
            dispatcher.utter_message(
                response="utter_greet_returning", name=known["name"]
            )
        else:
            dispatcher.utter_message(response="utter_greet")
        dispatcher.utter_message(response="utter_privacy_notice")
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
            tracker.sender_id, conversation_id(tracker), transcript(tracker)
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
            tracker.sender_id, conversation_id(tracker), transcript(tracker)
        )
        _tell(dispatcher, conclusion)
        return [SlotSet("outcome", conclusion.outcome)]


def _tell(dispatcher: CollectingDispatcher, conclusion: Conclusion) -> None:
    status = conclusion.status
    extra: dict[str, Any] = {"email": status.email} if status.email else {}
    if conclusion.outcome == "handoff" and status.email:
        dispatcher.utter_message(response="utter_handoff", **extra)
    elif conclusion.outcome == "handoff":
        dispatcher.utter_message(response="utter_handoff_no_email")
    elif conclusion.outcome == "no_consent":
        dispatcher.utter_message(response="utter_no_consent")
    else:
        dispatcher.utter_message(response="utter_nurture", buttons=NURTURE_BUTTONS)
