"""Whether a message answers the question being asked, whatever the NLU read.

The NLU may take an answer for something else ("I'm a freelance consultant,
curious how you compare to GA4" read as "I'm already a customer"). The form
and the interruption actions ask the same questions here before they treat a
message as anything but the answer.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict

from actions import services
from bot.qualification.normalize import FREE_TEXT

#: Below this intent confidence an interruption is not believed on its own
#: when the question being asked takes any text: the message is the answer.
#: In 5-fold cross-validation of the NLU, 0.7 keeps 80% of true "I'm a
#: customer" messages and drops 58% of the answers misread as one; ending a
#: prospect's chat in support costs more than one more question to a customer.
UNSURE_CONFIDENCE = 0.7


#: Questions and requests a visitor puts back instead of answering, with
#: the response that answers each ("how much is it?" to "what would you like
#: Brightlane to help you with?"). The free-text questions' ``not_intent``
#: lists in domain.yml leave them out, so a use case the NLU reads as one is
#: still taken. When the NLU is sure of one it interrupts: its mid-form rule
#: (data/rules/) answers it and the question is asked again. At the use case
#: only a message phrased as a question does; said as a statement ("we want
#: to try it on our own funnel") it is the use case, answered in passing.
ASKED_BACK = {
    "ask_pricing": "utter_pricing",
    "ask_product": "utter_product",
    "ask_integrations": "utter_integrations",
    "ask_security": "utter_security",
    "ask_free_trial": "utter_free_trial",
    "request_demo": "utter_demo",
}
#: Requests the bot can't help with: at the use case, one phrased as a
#: question ("what's the weather in berlin?") is no need; its rule answers it
#: and the question is asked again. Said as a statement ("attribution for
#: our podcast sponsorships", half-read as off-topic) it is the use case.
OFF_TOPIC = frozenset({"out_of_scope"})
#: At the first question a question the visitor puts back is answered first
#: when the NLU reads it this surely and it is worded as a question.
QUESTION_CONFIDENCE = 0.5
#: Sure enough of an off-topic request to hold back a use case: "what's the
#: best way to measure influencer campaigns?" is a need read as off-topic
#: at 0.82, "what's the weather in berlin" 0.97.
OFF_TOPIC_CONFIDENCE = 0.9
#: Asides a name or a company may look like to the NLU ("Nadia Ferreira"
#: read as another language or a question about bots), so domain.yml lets
#: them answer: worded as a question ("are you a bot?"), they are asides.
QUESTION_ASIDES = frozenset({"bot_challenge", "chitchat"})
#: Words of a greeting: a name or company the NLU reads as a hello without
#: one ("Globex" at 0.72) is the answer.
GREETINGS = frozenset(
    {"hi", "hello", "hey", "hiya", "howdy", "yo", "greetings", "morning"}
    | {"afternoon", "evening", "hola", "hallo", "bonjour", "ciao", "salut", "hej"}
)
#: The questions whose answer is a name.
NAMED = frozenset({"name", "company"})
#: First words of a question: "how ...", "is pricing per seat", "any
#: discount for startups".
QUESTION_WORDS = frozenset(
    {"how", "what", "what's", "whats", "which", "who", "where", "when", "why"}
    | {"is", "are", "does", "did", "can", "could", "will", "would", "should"}
    | {"any", "isn't", "doesn't", "can't", "won't"}
)
#: Words that open a question only when a person follows: "do you ...",
#: "have you got ..." (but "Do attribution for our paid social" is a need).
QUESTION_VERBS = frozenset({"do", "have", "got"})
QUESTION_SUBJECTS = frozenset(
    {"you", "u", "ya", "it", "i", "we", "there", "your", "brightlane", "they"}
)
#: Words before a question that don't change it: "hey! how much is it",
#: "lol ok. what does brightlane do", "hmm, does it work with hubspot". Not
#: "so" or "well", which also open statements ("so what we need is ...").
LEAD_INS = frozenset(
    {"hey", "hi", "hello", "lol", "ok", "okay", "k", "hmm", "hm", "um", "umm"}
    | {"oh", "ah", "first", "btw", "quick", "question"}
)
#: A message this short that the NLU reads as a question is one ("pricing",
#: "demo please"): no need is described in so few words.
KEYWORD_WORDS = 2


def phrased_as_question(text: str) -> bool:
    """Whether a message reads as a question, not as a need described.

    "?" at its end, a question's opening ("how ...", "do you ..."), or a
    keyword or two ("pricing").
    """
    return asks(text) or len(text.split()) <= KEYWORD_WORDS


def asks(text: str) -> bool:
    """Whether a message is worded as a question: "?" at its end, or a
    question's opening ("how ...", "can I ...", "do you ...")."""
    words = [word.strip(",.!:;-") for word in text.lower().split()]
    while len(words) > 1 and words[0] in LEAD_INS:
        words = words[1:]
    if not words or text.rstrip().endswith("?") or words[0] in QUESTION_WORDS:
        return bool(words)
    return (
        len(words) > 1 and words[0] in QUESTION_VERBS and words[1] in QUESTION_SUBJECTS
    )


def asked_back(tracker: Tracker) -> str | None:
    """The :data:`ASKED_BACK` intent the NLU is sure the message puts, or None."""
    intent = tracker.latest_message.get("intent") or {}
    name = str(intent.get("name"))
    if float(intent.get("confidence") or 0.0) < UNSURE_CONFIDENCE:
        return None
    return name if name in ASKED_BACK else None


def not_an_answer(domain: DomainDict, slot: str) -> set[str]:
    """The intents domain.yml says never answer `slot` (its ``not_intent``)."""
    slots = domain.get("slots") or {}
    mappings = (slots.get(slot) or {}).get("mappings") or []
    return {
        str(intent)
        for mapping in mappings
        if mapping.get("type") == "from_text"
        for intent in mapping.get("not_intent") or []
    }


def interrupts(tracker: Tracker, domain: DomainDict) -> bool:
    """Whether the visitor surely asks for something instead of answering.

    "I'm Dana from Acme, just let me talk to sales" mid-form fills the name
    and the company, so the form would take it and ask its next question:
    the request for a person would be lost. An intent domain.yml names as
    no answer to the open question, read with confidence, is an
    interruption whatever else the message held; so is a question put back
    (:func:`asked_back`), at the use case only when phrased as a question,
    unless the visitor says it again word for word (then it is their answer).
    """
    intent = tracker.latest_message.get("intent") or {}
    confidence = float(intent.get("confidence") or 0.0)
    requested = tracker.get_slot("requested_slot")
    name = str(intent.get("name"))
    text = str(tracker.latest_message.get("text") or "")
    if (
        requested == "use_case"
        and name in ASKED_BACK
        and QUESTION_CONFIDENCE <= confidence < UNSURE_CONFIDENCE
        and asks(text)
    ):
        # "hey! how much does it cost" (0.56, a hello beside it) is answered
        # first; a need put as a question is taken when said again.
        return not said_again(tracker)
    if not requested or confidence < UNSURE_CONFIDENCE:
        return False
    if put_back_again(tracker, domain):
        return False
    if name == "greet" and requested in NAMED and not greets(text):
        return False  # "Globex" read as a hello is the company
    if name in not_an_answer(domain, str(requested)):
        return True
    if name in QUESTION_ASIDES and requested in NAMED:
        return asks(text) and not said_again(tracker)
    if name in OFF_TOPIC and requested == "use_case":
        sure = confidence >= OFF_TOPIC_CONFIDENCE
        return sure and phrased_as_question(text) and not said_again(tracker)
    if not asked_back(tracker) or said_again(tracker):
        return False
    # A use case may state a need in a product question's words; a name or
    # a company never asks for a demo.
    return requested != "use_case" or phrased_as_question(text)


def greets(text: str) -> bool:
    """Whether the message holds a word of greeting ("hi", "good morning")."""
    words = {word.strip(",.!?:;-") for word in text.lower().split()}
    return bool(words & GREETINGS)


def said_again(tracker: Tracker) -> bool:
    """Whether the visitor's message repeats their previous one word for word.

    Mid-form, that means the bot answered an aside the visitor never made
    and asked the same question again: the repeat is their answer.
    """
    said = [
        " ".join(str(event.get("text") or "").lower().split())
        for event in tracker.events
        if event.get("event") == "user"
    ]
    return len(said) >= 2 and bool(said[-1]) and said[-1] == said[-2]


def put_back_again(tracker: Tracker, domain: DomainDict) -> bool:
    """Whether a question put back is said again where no answer can hold it.

    A role, a head-count or a budget is never a question the bot answers
    (domain.yml's ``not_intent``), so "Security" typed as a role is answered
    with the security page and the role asked again. Said again word for
    word, it is the answer: asked a third time, the visitor would be stuck.
    """
    intent = str((tracker.latest_message.get("intent") or {}).get("name"))
    requested = tracker.get_slot("requested_slot")
    return (
        bool(requested)
        and intent in ASKED_BACK
        and intent in not_an_answer(domain, str(requested))
        and said_again(tracker)
    )


def parses_as_answer(tracker: Tracker) -> bool:
    """Whether the message parses as an answer to the (parsed) open question."""
    requested = tracker.get_slot("requested_slot")
    text = tracker.latest_message.get("text") or ""
    return bool(requested) and services.qualification().reads_as_answer(
        str(requested), text
    )


def unsure_free_answer(tracker: Tracker) -> bool:
    """The open question takes any text and the NLU is unsure of its reading."""
    intent = tracker.latest_message.get("intent") or {}
    confidence = float(intent.get("confidence") or 0.0)
    requested = tracker.get_slot("requested_slot")
    return requested in FREE_TEXT and confidence < UNSURE_CONFIDENCE


def answers_open_question(tracker: Tracker) -> bool:
    """Whether the message is, after all, the answer to the question asked."""
    return (
        parses_as_answer(tracker) or said_again(tracker) or unsure_free_answer(tracker)
    )


def also_answers_open_question(tracker: Tracker) -> bool:
    """Whether a message that filled other questions answers the open one too.

    Filling other questions is evidence that it is not this answer, so an
    unsure intent is enough only for the use case, which any description of
    a need answers; a name, company or industry must parse or be said twice.
    """
    unsure_use_case = tracker.get_slot(
        "requested_slot"
    ) == "use_case" and unsure_free_answer(tracker)
    return parses_as_answer(tracker) or said_again(tracker) or unsure_use_case
