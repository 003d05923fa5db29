"""What a visitor may say in the middle of the questions, and the form resumes.

"Why do you ask?", "I'd rather not say", "actually we're 500 people", "I'm
already a customer", small talk, an off-topic request, another language:
each is answered here; the rules in data/rules/ then resume the form (or
close it for an existing customer).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.conversation import hand_to_sales
from actions.open_question import (
    answers_open_question,
    parses_as_answer,
    said_again,
)
from actions.qualification_form import (
    answer_open_question,
    carry_on,
    store_correction,
)
from bot.answers.expansion import wants_more
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
        events = store_correction(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        if events is None and requested and tracker.active_loop_name:
            # No correction in it after all ("I'm collecting options for a
            # tool we might buy later on"): it answers the open question.
            return answer_open_question(dispatcher, tracker, domain)
        if events is None:
            dispatcher.utter_message(response="utter_correction_unclear")
            return []
        if tracker.active_loop_name is None and events:
            _, with_sales = services.qualification().status(tracker.sender_id)
            if not with_sales:
                # "actually ok, it's sam@lakeshore-labs.com" after "not now":
                # the consent is asked, and a DMQL handed off.
                return [*events, *carry_on(tracker, domain, events)]
        return events


#: The reply to each aside in the middle of the questions.
ASIDE_REPLIES = {
    "chitchat": "utter_chitchat",
    "out_of_scope": "utter_out_of_scope",
    "non_english": "utter_non_english",
    "nurture_ebook": "utter_ebook",
    "nurture_newsletter": "utter_newsletter",
}


class ActionAside(Action):
    """An aside mid-form: small talk, off-topic, another language, our content.

    What the NLU took for an aside may still answer the open question: "in 3
    monhts" to "when?", "Brasil" to "where are you based?". When the message
    parses as an answer to the question being asked, or repeats word for word
    the visitor's reply to the same question, it is stored as the answer and
    the form moves on; otherwise the aside gets its reply and the form asks
    again.
    """

    def name(self) -> str:
        return "action_aside"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        if (
            tracker.get_slot("requested_slot")
            and tracker.active_loop_name
            and (parses_as_answer(tracker) or said_again(tracker))
        ):
            return answer_open_question(dispatcher, tracker, domain)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        dispatcher.utter_message(
            response=ASIDE_REPLIES.get(intent or "", "utter_out_of_scope")
        )
        return []


#: The signal that tells the rep a customer wants to buy more.
CUSTOMER_EXPANSION = frozenset({"customer_expansion"})


class ActionExistingCustomer(Action):
    """An existing customer with a problem goes to support, not to sales.

    One who wants to buy more (an upgrade, more seats: ``customer_expansion``)
    is handed to sales at once, and the questions stop either way.

    In the middle of the questions a message the NLU is unsure about ("I'm a
    freelance consultant, curious how you compare to GA4 for my clients") is
    more likely an answer: when it parses as one, or the question takes any
    text and the confidence is under ``UNSURE_CONFIDENCE``, it is stored as
    the answer, the visitor is told how to reach support if they are a
    customer after all, and the form goes on.
    """

    def name(self) -> str:
        return "action_existing_customer"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        text = str(tracker.latest_message.get("text") or "")
        if wants_more(text):
            # "we're on Starter and want to upgrade": new revenue, for sales.
            events = hand_to_sales(dispatcher, tracker, CUSTOMER_EXPANSION)
        elif requested and tracker.active_loop_name and answers_open_question(tracker):
            events = answer_open_question(dispatcher, tracker, domain)
            dispatcher.utter_message(response="utter_support_if_customer")
            return [*events, FollowupAction(tracker.active_loop_name)]
        else:
            services.qualification().record_outcome(tracker.sender_id, "support")
            dispatcher.utter_message(response="utter_support")
            events = [SlotSet("outcome", "support")]
        if tracker.active_loop_name:
            events = [ActiveLoop(None), SlotSet("requested_slot", None), *events]
        return events
