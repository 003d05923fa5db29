"""What a visitor may say in the middle of the questions, and the form resumes.

"Why do you ask?", "I'd rather not say", "actually we're 500 people", "I'm
already a customer": each is answered here; the rules in data/rules/ then
resume the form (or close it for an existing customer).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.qualification_form import store_answers
from bot.qualification.service import SKIPPED


class ActionExplainQuestion(Action):
    """Says why the bot asks the question it is asking."""

    def name(self) -> str:
        return "action_explain_question"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        slot = tracker.get_slot("requested_slot")
        response = f"utter_why_{slot}"
        if slot and response in domain.get("responses", {}):
            dispatcher.utter_message(response=response)
        else:
            dispatcher.utter_message(response="utter_why_generic")
        return []


class ActionSkipQuestion(Action):
    """Lets the visitor pass on a question without breaking the form."""

    def name(self) -> str:
        return "action_skip_question"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        slot = tracker.get_slot("requested_slot")
        dispatcher.utter_message(response="utter_skip_ok")
        return [SlotSet(slot, SKIPPED)] if slot else []


class ActionCorrectAnswer(Action):
    """Stores a corrected answer ("actually we're 500 people")."""

    def name(self) -> str:
        return "action_correct_answer"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        result = services.qualification().correct(tracker.sender_id, text)
        requested = tracker.get_slot("requested_slot")
        if result is None and requested and tracker.active_loop_name:
            # No correction in it after all ("I'm collecting options for a
            # tool we might buy later on"): it answers the open question.
            form_slots = list(
                domain.get("forms", {})
                .get(tracker.active_loop_name, {})
                .get("required_slots", [])
            )
            return store_answers(dispatcher, tracker, {requested: text}, form_slots)
        if result is None:
            dispatcher.utter_message(response="utter_correction_unclear")
            return []
        for message in result.rejected.values():
            dispatcher.utter_message(text=message)
        if result.rejected:
            return []
        dispatcher.utter_message(response="utter_correction_ok")
        return [SlotSet(slot, value) for slot, value in result.slots.items()]


class ActionExistingCustomer(Action):
    """An existing customer with a problem goes to support, not to sales."""

    def name(self) -> str:
        return "action_existing_customer"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        services.qualification().record_outcome(tracker.sender_id, "support")
        dispatcher.utter_message(response="utter_support")
        return [SlotSet("outcome", "support")]
