"""Opening and closing the qualifying conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.open_question import ASKED_BACK, UNSURE_CONFIDENCE, said_again
from actions.qualification_form import (
    answer_open_question,
    carry_on,
    form_slots_of,
    questions_left,
    store_answers,
)
from actions.transcript import (
    chatted_before,
    conversation_id,
    has_said,
    signals,
    transcript,
)
from bot.qualification.service import SKIPPED, Conclusion

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
            # Known from a website form only: by name, but nothing to pick up.
            returning = chatted_before(tracker)
            dispatcher.utter_message(
                response="utter_greet_returning" if returning else "utter_greet_known",
                name=known["name"],
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
        said = signals(tracker)
        conclusion = services.qualification().conclude(
            tracker.sender_id, conversation_id(tracker), transcript(tracker), said
        )
        tell_outcome(dispatcher, conclusion, asked_demo="asked_demo" in said)
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
        return hand_to_sales(dispatcher, tracker)


def hand_to_sales(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    also: frozenset[str] = frozenset(),
) -> list[EventType]:
    """Hand the visitor to sales now, whatever the score, and say so.

    `also`: signals for the rep besides the chat's ("customer_expansion").
    """
    conclusion = services.qualification().request_human(
        tracker.sender_id,
        conversation_id(tracker),
        transcript(tracker),
        signals(tracker) | also,
    )
    tell_outcome(dispatcher, conclusion)
    return [SlotSet("outcome", conclusion.outcome)]


def take_details(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """Store the answers a message outside the questions holds; None if none.

    Sales, when they have the lead already, hear of it (``lead.updated``) and
    the visitor is told so. Otherwise the questions go on where they
    stopped (:func:`carry_on`): an email typed after "gotta go" or after the
    outcome is kept, and a lead it makes a DMQL is handed off.
    """
    questions = form_slots_of(domain)
    found = {
        str(entity["entity"]): str(entity["value"])
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") in questions and entity.get("value")
    }
    if not found:
        return None
    events: list[EventType] = []
    said = len(dispatcher.messages)
    for slot, value in found.items():
        events += store_answers(
            dispatcher, tracker, {slot: value}, questions, requested=slot
        )
    stored = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    kept = any(stored.get(slot) for slot in found)
    _, with_sales = services.qualification().status(tracker.sender_id)
    if not with_sales:
        if kept and len(dispatcher.messages) == said:
            # Unless the company guessed from the email was said instead.
            dispatcher.utter_message(response="utter_details_noted")
        return [*events, *carry_on(tracker, domain, events)]
    email = stored.get("email") or tracker.get_slot("email")
    if email and email != SKIPPED:
        dispatcher.utter_message(response="utter_handoff", email=email)
    elif kept:
        dispatcher.utter_message(response="utter_details_passed_on")
    return events


class ActionTakeDetails(Action):
    """Details left for sales after a handoff ("tom.k@veridianbio.com").

    Asked for a person in the middle of the questions, the bot hands off at
    once and invites an email; what the visitor then types is stored
    (:func:`take_details`). A message with nothing the NLU recognizes gets
    the clarifying question; a yes, the request for an email.
    """

    def name(self) -> str:
        return "action_take_details"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        events = take_details(dispatcher, tracker, domain)
        if events is not None:
            return events
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent != "affirm":
            dispatcher.utter_message(response="utter_ask_rephrase")
        elif tracker.get_slot("email") not in (None, SKIPPED):
            dispatcher.utter_message(response="utter_anything_else")
        else:
            dispatcher.utter_message(response="utter_ask_email_for_sales")
        return []


class ActionFallback(Action):
    """No rule or story knows what comes next (config.yml's core fallback).

    A request the NLU is sure of is served all the same (:func:`serve`):
    "can someone from sales call me?" after a product question that followed
    the outcome is handed off. Details in the message are kept
    (:func:`take_details`), as an email typed after the goodbye; otherwise,
    as Rasa's own fallback does, the visitor is asked to rephrase and the
    message is forgotten.
    """

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        if tracker.active_loop_name is None and not _again_this_turn(tracker):
            events = serve(dispatcher, tracker, domain)
            if events is None:
                events = take_details(dispatcher, tracker, domain)
            if events is not None:
                if not any(e.get("event") == "followup" for e in events):
                    # No rule knows what follows a fallback: wait for the
                    # visitor, or the fallback would be predicted again.
                    events.append(FollowupAction("action_listen"))
                return events
        dispatcher.utter_message(response="utter_default")
        return [UserUtteranceReverted()]


def serve(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """Serve a request the NLU is sure of; None when the message holds none.

    A person is handed off, a demo is promised and the questions go on (or
    end: a DMQL is handed off, anyone else offered the live webinar), and a
    question about the product is answered.
    """
    intent = tracker.latest_message.get("intent") or {}
    name = str(intent.get("name"))
    if float(intent.get("confidence") or 0.0) < UNSURE_CONFIDENCE:
        return None
    if name == "request_human":
        return hand_to_sales(dispatcher, tracker)
    if name == "request_demo":
        dispatcher.utter_message(response="utter_demo_later")
        slots = {slot: tracker.get_slot(slot) for slot in form_slots_of(domain)}
        left = questions_left(tracker.sender_id, slots)
        next_action = "qualification_form" if left else "action_conclude_qualification"
        return [FollowupAction(next_action)]
    if name in ASKED_BACK:
        dispatcher.utter_message(response=ASKED_BACK[name])
        return []
    return None


def _again_this_turn(tracker: Tracker) -> bool:
    """Whether the fallback already ran for the visitor's latest message.

    Its details are stored then; a second run (no rule knew what follows the
    questions it resumed) must not store and resume them again.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") == "action_fallback":
            return True
    return False


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


def tell_outcome(
    dispatcher: CollectingDispatcher, conclusion: Conclusion, asked_demo: bool = False
) -> None:
    """Say the outcome; `asked_demo`: the visitor asked for one in this chat."""
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
        # The demo the visitor was promised ("Happy to set up a demo!") is
        # the live webinar when sales won't call.
        nurture = "utter_nurture_demo" if asked_demo else "utter_nurture"
        dispatcher.utter_message(response=nurture, buttons=NURTURE_BUTTONS)
