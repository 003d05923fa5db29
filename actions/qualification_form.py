"""Validation of the qualification form: one service call per chat turn."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import (
    ActionExecutionRejected,
    EventType,
    FollowupAction,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import services
from actions.open_question import (
    ASKED_BACK,
    also_answers_open_question,
    asked_back,
    asks,
    interrupts,
    parses_as_answer,
    put_back_again,
    said_again,
)
from actions.transcript import replies_to, signals
from bot.answers.correction import detect_correction
from bot.answers.names import company_after_name, company_in_reply_to_guess
from bot.answers.yes_no import parse_yes_no
from bot.errors import DmqlError, InvalidInput
from bot.qualification.normalize import FREE_TEXT, PARSED
from bot.qualification.service import SKIPPED

log = logging.getLogger(__name__)

#: Derived fields the form keeps as slots too (for the handoff message).
DERIVED_SLOTS = (
    "seniority",
    "department",
    "timeline_months",
    "budget_amount",
    "budget_currency",
)


def store_answers(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    answers: dict[str, Any],
    form_slots: list[str],
    introduced: bool = False,
    requested: str | None = None,
    besides: frozenset[str] = frozenset(),
) -> list[EventType]:
    """Normalize, store and score answers; the slot events that follow.

    A value the parsers can't read is said back and its slot emptied, so the
    form asks again. `introduced`: the message also asks for something else,
    so a name or company in it is kept even mid-form. `requested`: the
    question the message answers, if not the one the form asked.
    `besides`: other questions it answers too (:func:`answered_besides`).
    """
    try:
        result = services.qualification().answer(
            tracker.sender_id,
            answers,
            signals(tracker),
            requested=requested or tracker.get_slot("requested_slot"),
            introduced=introduced,
            besides=besides,
        )
    except DmqlError:
        log.exception("answers of %s not stored", tracker.sender_id)
        dispatcher.utter_message(response="utter_technical_problem")
        return [SlotSet(slot, None) for slot in answers]
    for message in result.rejected.values():
        dispatcher.utter_message(text=message)
    if "company" in result.suggested:
        dispatcher.utter_message(
            response="utter_company_from_email", company=result.suggested["company"]
        )
    events: list[EventType] = [SlotSet(slot, None) for slot in result.rejected]
    events += [
        SlotSet(slot, value)
        for slot, value in result.slots.items()
        if slot in form_slots or slot in DERIVED_SLOTS
    ]
    return events


#: Questions answered yes or no: "no, it's Meridian Health Partners" reads
#: as a "no" to them, so a correction of the guessed company comes first.
YES_NO_QUESTIONS = frozenset({"consent", "decision_maker"})


def company_named_after_guess(tracker: Tracker, domain: DomainDict) -> str | None:
    """The company the visitor names in reply to the bot's guess of it.

    The guess ("From your email I take it you're with Meridianhp; if not,
    just tell me the right name") comes with the next question, so "no,
    it's Meridian Health Partners" must not be read as its answer (a "no"
    to being contacted would lose a qualified lead).
    """
    requested = tracker.get_slot("requested_slot")
    if not replies_to(tracker, "utter_company_from_email") or requested in FREE_TEXT:
        return None
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent != "correct_answer" and interrupts(tracker, domain):
        return None  # "No, I want to talk to sales"
    text = tracker.latest_message.get("text") or ""
    if requested not in YES_NO_QUESTIONS and parses_as_answer(tracker):
        return None  # "our company is 50 people" answers the head-count
    correction = detect_correction(text, date.today())
    if correction is not None and correction.slot != "company":
        return None  # "actually it's VP Marketing" corrects the job title
    return company_in_reply_to_guess(text, tagged=tagged_values(tracker, "company"))


def correct_company(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    company: str,
    form_slots: list[str],
) -> list[EventType]:
    """Store the company named in reply to the guess; ask the open question again."""
    events = store_answers(
        dispatcher, tracker, {"company": company}, form_slots, requested="company"
    )
    stored = [e["value"] for e in events if e.get("name") == "company"]
    if stored and stored[-1]:
        dispatcher.utter_message(response="utter_company_noted", company=stored[-1])
    requested = tracker.get_slot("requested_slot")
    return [*events, *([SlotSet(requested, None)] if requested else [])]


def corrects_earlier_answer(tracker: Tracker, domain: DomainDict) -> bool:
    """Whether the message changes an answer given before the open question.

    "actually we are 500 people, not 80" at the budget is a correction when
    the NLU reads one, however unsure it is (taken as the answer, the
    head-count also became a budget of 500); "sorry my email is
    sam@harborfreight.com" at the consent question is one whatever the NLU
    reads, unless it is sure of an interruption or the message answers the
    question (taken as the answer, the new email was dropped). Other
    corrections the NLU does not see are left to the question's answer:
    "not me, the CEO" to "will you sign off?" is no new job title.
    """
    requested = tracker.get_slot("requested_slot")
    text = str(tracker.latest_message.get("text") or "")
    correction = detect_correction(text, date.today())
    if correction is None or correction.slot == requested:
        return False
    if tracker.get_slot(correction.slot) in (None, SKIPPED):
        return False  # nothing to change
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "correct_answer":
        return True
    return (
        correction.slot == "email"
        and not interrupts(tracker, domain)
        and not parses_as_answer(tracker)
    )


def store_correction(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """Store the corrected answer the message gives; None if it corrects none."""
    text = tracker.latest_message.get("text") or ""
    result = services.qualification().correct(tracker.sender_id, text)
    if result is None:
        return None
    for message in result.rejected.values():
        dispatcher.utter_message(text=message)
    if result.rejected:
        return []
    dispatcher.utter_message(response="utter_correction_ok")
    # Only the chat's own slots: "email_domain_kind" lives on the lead.
    slots = domain.get("slots") or {}
    return [
        SlotSet(slot, value) for slot, value in result.slots.items() if slot in slots
    ]


#: Intents in which a "no" refuses the question.
REFUSALS = frozenset({"deny", "skip_question"})


def declines(tracker: Tracker) -> bool:
    """Whether the visitor says no to the question asked ("no thanks").

    Only where a "no" is no answer: at the email question, "nope" is a
    visitor who'd rather not give one, not a mistyped address. The NLU must
    read a refusal (a no, or skipping the question): "no problem" or "not
    yet, one sec" says no such thing.
    """
    text = str(tracker.latest_message.get("text") or "")
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent not in REFUSALS or "@" in text or parses_as_answer(tracker):
        return False
    try:
        return parse_yes_no(text) is False
    except InvalidInput:
        return False


#: Questions a "no" skips, and the questions that make no sense without them.
DECLINABLE = {"email": ("consent",)}


#: A second question put back in the same message is read at least this
#: surely ("what does it cost and do u integrate with salesforce": pricing
#: 0.25 beside integrations 0.72; one question leaves others under 0.02).
SECOND_QUESTION_CONFIDENCE = 0.2


def second_question(tracker: Tracker) -> str | None:
    """Another question put back beside the one the NLU ranks first, if any.

    Its answer is said before the first one's, which the first one's rule
    says; otherwise "how much is it and is there a free trial?" would hear
    only of the trial.
    """
    intent = tracker.latest_message.get("intent") or {}
    if intent.get("name") not in ASKED_BACK:
        return None
    return next(
        (
            str(read["name"])
            for read in (tracker.latest_message.get("intent_ranking") or [])[1:]
            if read.get("name") in ASKED_BACK
            and read.get("name") != intent.get("name")
            and float(read.get("confidence") or 0.0) >= SECOND_QUESTION_CONFIDENCE
        ),
        None,
    )


def answered_besides(
    tracker: Tracker, requested: str, text: str
) -> tuple[frozenset[str], str]:
    """Other questions the answer to `requested` answers, and the answer without them.

    "CMO, about 200 people" to "What's your role?" gives the head-count too
    (the role is "CMO"), "by march, budget maybe 15k" to the timeline the
    budget. Only a parsed answer can show that it still holds without the
    other part: "in 3 months" without the "3" the NLU took for a head-count
    is no timeline, so that 3 is no head-count; a name or a company never
    comes this way ("20k a year, we use HubSpot" names a tool).
    """
    if requested not in PARSED:
        return frozenset(), text
    tagged = [
        found
        for found in tracker.latest_message.get("entities") or []
        if found.get("entity") in PARSED
        and found.get("entity") != requested
        and isinstance(found.get("start"), int)
        and isinstance(found.get("end"), int)
    ]
    answered: set[str] = set()
    rest = text
    cut: list[tuple[int, int]] = []
    # From the end, so that the earlier offsets still hold.
    for found in sorted(tagged, key=lambda found: -int(found["start"])):
        without = rest[: found["start"]] + " " + rest[found["end"] :]
        if services.qualification().reads_as_answer(requested, without):
            answered.add(str(found["entity"]))
            rest = without
            cut.append((int(found["start"]), int(found["end"])))
    if not answered:
        return frozenset(), text
    # The clause that answers alone ("I'm the CEO" of "I'm the CEO, we're
    # about 30 people"), else all that is left.
    for clause in _CLAUSES.finditer(text):
        untouched = all(end <= clause.start() or start >= clause.end()
                        for start, end in cut)  # fmt: skip
        said = clause.group().strip(" ,;-")
        if untouched and services.qualification().reads_as_answer(requested, said):
            return frozenset(answered), said
    return frozenset(answered), " ".join(rest.split()).strip(" ,;-")


#: A message's clauses, split at commas, semicolons and full stops.
_CLAUSES = re.compile(r"[^,;.!?]+")


def answer_among_others(tracker: Tracker, requested: str, text: str) -> str:
    """The part of a message that answers `requested`, when it says more.

    "i'm the cmo at a 300 person company, we need it by q2" to "What's your
    role?" is the role "cmo", not a title of eleven words: when the NLU
    tagged the answer and other fields besides, the tagged answer is it.
    """
    tagged = tagged_values(tracker, requested)
    others = {
        found.get("entity")
        for found in tracker.latest_message.get("entities") or []
        if found.get("entity") != requested
    }
    return tagged[0] if tagged and others else text


def tagged_values(tracker: Tracker, entity: str) -> list[str]:
    """What the NLU tagged as `entity` in the latest message."""
    return [
        str(found.get("value"))
        for found in tracker.latest_message.get("entities") or []
        if found.get("entity") == entity and found.get("value")
    ]


def form_slots(tracker: Tracker, domain: DomainDict) -> list[str]:
    """The questions of the form that is running (none outside a form)."""
    forms = domain.get("forms", {})
    form = forms.get(tracker.active_loop_name or "", {})
    return list(form.get("required_slots", []))


def questions_left(visitor_id: str, slots: dict[str, Any]) -> list[str]:
    """The form's questions still worth asking, best first (`slots`: its answers)."""
    planned = services.qualification().plan(visitor_id, slots)
    # No email given: "may our team contact you at that address?" is moot.
    moot = {
        later
        for question, follow_ups in DECLINABLE.items()
        if slots.get(question) == SKIPPED
        for later in follow_ups
    }
    return [slot for slot in planned if slot in slots and slot not in moot]


def carry_on(
    tracker: Tracker, domain: DomainDict, events: list[EventType]
) -> list[EventType]:
    """What follows answers given outside the questions, for a lead sales lack.

    Questions left (the consent, say): the form asks them. None left: a DMQL
    is handed off; anyone else has had their outcome and hears nothing more.
    A yes in reply to "Understood, nobody will contact you" ("actually ok,
    you can email me at ana@bigcorp.com") gives the consent after all.
    """
    given = _consent_after_all(tracker)
    slots = {slot: tracker.get_slot(slot) for slot in form_slots_of(domain)}
    slots |= {
        e["name"]: e["value"]
        for e in [*events, *given]
        if e.get("event") == "slot" and e.get("name") in slots
    }
    if questions_left(tracker.sender_id, slots):
        return [*given, FollowupAction("qualification_form")]
    status, _ = services.qualification().status(tracker.sender_id)
    if status.qualified:
        return [*given, FollowupAction("action_conclude_qualification")]
    return given


def _consent_after_all(tracker: Tracker) -> list[EventType]:
    """The consent, stored, when a yes answers the bot's "nobody will contact you"."""
    if not replies_to(tracker, "utter_no_consent"):
        return []
    text = str(tracker.latest_message.get("text") or "")
    try:
        if not parse_yes_no(text):
            return []
    except InvalidInput:
        return []
    services.qualification().answer(
        tracker.sender_id, {"consent": text}, requested="consent"
    )
    return [SlotSet("consent", True)]


def form_slots_of(domain: DomainDict) -> list[str]:
    """The qualification form's questions, as domain.yml lists them."""
    form = (domain.get("forms") or {}).get("qualification_form") or {}
    return list(form.get("required_slots") or [])


def answer_open_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType]:
    """Store the latest message as the answer to the question being asked."""
    requested = tracker.get_slot("requested_slot")
    text = tracker.latest_message.get("text") or ""
    return store_answers(
        dispatcher, tracker, {requested: text}, form_slots(tracker, domain)
    )


class ValidateQualificationForm(FormValidationAction):
    """Normalizes, stores and scores each answer; re-asks what it can't read."""

    def name(self) -> str:
        return "validate_qualification_form"

    async def get_validation_events(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        required = self.domain_slots(domain)
        requested = tracker.get_slot("requested_slot")
        text = tracker.latest_message.get("text") or ""
        company = company_named_after_guess(tracker, domain)
        if company is not None and requested != "company":
            return correct_company(dispatcher, tracker, company, required)
        if requested in required and corrects_earlier_answer(tracker, domain):
            corrected = store_correction(dispatcher, tracker, domain) or []
            # The open question was not answered: the form asks it again.
            return [*corrected, SlotSet(requested, None)]
        if requested in DECLINABLE and declines(tracker):
            dispatcher.utter_message(response="utter_skip_ok")
            return [SlotSet(requested, SKIPPED)]
        answers: dict[str, Any] = {
            slot: value
            for slot, value in tracker.slots_to_validate().items()
            if slot in required and value is not None
        }
        if requested in required and put_back_again(tracker, domain):
            if asks(text):
                # "can I get a demo?" twice at the role: answered once, it is
                # no role either; the form moves on.
                dispatcher.utter_message(response="utter_skip_ok")
                return [SlotSet(requested, SKIPPED)]
            answers[requested] = text
        if not answers:
            return []
        besides: frozenset[str] = frozenset()
        if answers.get(requested) == text:
            besides, rest = answered_besides(tracker, str(requested), text)
            if besides:
                # What the NLU tagged as the answer ("CMO"), else the rest
                # ("CMO, about people" would be a title in HR).
                tagged = tagged_values(tracker, str(requested))
                answers[requested] = tagged[0] if tagged else rest
        if requested not in FREE_TEXT and answers.get(requested) == text:
            answers[requested] = answer_among_others(tracker, str(requested), text)
        if (
            requested in required
            and requested not in answers
            and also_answers_open_question(tracker)
        ):
            # The message filled other questions, so no interruption runs,
            # but the NLU read it as one and kept it from the question being
            # asked ("I'm a freelance consultant, curious how you compare to
            # GA4" to "what would you like help with?"): it answers that too.
            answers[requested] = text
        interrupting = interrupts(tracker, domain)
        reset: list[EventType] = []
        if interrupting and requested in FREE_TEXT and answers.get(requested) == text:
            # The whole message filled the open free-text question, but it
            # asks something back ("how much is it?"): not the answer, except
            # the part the NLU tagged as one ("Dana, how much is it?").
            tagged = tagged_values(tracker, str(requested))
            if tagged:
                answers[requested] = tagged[0]
            else:
                del answers[requested]
                reset = [SlotSet(requested, None)]
        question = asked_back(tracker)
        if (
            question
            and requested == "use_case"
            and answers.get(requested) == text
            and not interrupting
            and not said_again(tracker)
        ):
            # A statement that also asks ("we'd like to try it on our own
            # funnel"): the answer, and its question answered in passing.
            dispatcher.utter_message(response=ASKED_BACK[question])
        # "Chris from Acme Widgets" to "May I have your name?" introduces
        # the visitor: the company comes with the name, tagged or not.
        introduced = interrupting or requested == "name"
        if requested == "name" and "company" not in answers:
            company = company_after_name(text)
            if company:
                answers["company"] = company
        events = reset + store_answers(
            dispatcher, tracker, answers, required, introduced, besides=besides
        )
        if interrupting:
            # Keep the answers, and let the interruption's own rule (in
            # data/rules/) answer it: Rasa treats this as the form rejecting
            # the message, then resumes the form without reading it again.
            also = second_question(tracker)
            if also:
                dispatcher.utter_message(response=ASKED_BACK[also])
            return [*events, ActionExecutionRejected(self.form_name())]
        return events

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The questions still worth asking, best first (from the scoring rules).

        The form asks the first unfilled one; an empty list ends the form, so
        a student is not asked for a budget and a clear DMQL is not asked the
        nice-to-have rest.
        """
        slots = {slot: tracker.get_slot(slot) for slot in domain_slots}
        return questions_left(tracker.sender_id, slots)
