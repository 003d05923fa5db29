"""The chat actions, each run on a Tracker built for the test."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions import services
from actions.conversation import (
    ActionConcludeQualification,
    ActionFallback,
    ActionGreet,
    ActionHumanHandoff,
    ActionTakeDetails,
)
from actions.interruptions import (
    ActionAside,
    ActionCorrectAnswer,
    ActionExistingCustomer,
    ActionExplainQuestion,
    ActionSkipQuestion,
)
from actions.open_question import asks
from actions.qualification_form import ValidateQualificationForm
from actions.transcript import chatted_before, signals, transcript
from bot.qualification import scorer
from bot.qualification.service import SKIPPED, QualificationService
from bot.settings import PROJECT_ROOT
from bot.store import leads
from bot.store.models import Handoff, Lead, OutboxMessage

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
FORM_SLOTS = [
    "use_case", "job_title", "company", "company_size", "industry", "country",
    "timeline", "budget", "decision_maker", "name", "email", "consent",
]  # fmt: skip
#: The project's own slots and form, as Rasa sends them to the actions.
DOMAIN: dict[str, Any] = {
    key: value
    for key, value in yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text()).items()
    if key in ("slots", "forms")
}
QUALIFIED = {
    "use_case": "attribution across paid channels",
    "job_title": "VP of Marketing",
    "company": "Acme Robotics",
    "company_size": "about 500 people",
    "industry": "software",
    "country": "United States",
    "timeline": "this quarter",
    "budget": "$40k a year",
    "decision_maker": "yes",
    "name": "Dana Lee",
    "email": "dana@acme-robotics.com",
    "consent": "yes",
}


@pytest.fixture
def service(sessions) -> Iterator[QualificationService]:
    made = QualificationService(
        sessions,
        scorer.load(PROJECT_ROOT / "scoring.yml"),
        channels=["webhook"],
        clock=lambda: NOW,
    )
    services.use(made)
    yield made
    services.use(None)


def make_tracker(
    *,
    sender: str = "v-1",
    slots: dict[str, Any] | None = None,
    requested_slot: str | None = None,
    text: str = "",
    intent: str = "inform",
    confidence: float = 1.0,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    all_slots: dict[str, Any] = dict.fromkeys(FORM_SLOTS)
    all_slots.update(slots or {})
    all_slots["requested_slot"] = requested_slot
    return Tracker(
        sender_id=sender,
        slots=all_slots,
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
        },
        events=events
        or [
            {"event": "session_started", "timestamp": 1000.0},
            {"event": "user", "text": text, "timestamp": 1001.0},
        ],
        paused=False,
        followup_action=None,
        active_loop={"name": "qualification_form"} if requested_slot else {},
        latest_action_name="action_listen",
    )


def run(action: Any, tracker: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def answer(
    slot: str, text: str, **kwargs: Any
) -> tuple[list[dict[str, Any]], list[Any]]:
    tracker = make_tracker(requested_slot=slot, text=text, **kwargs)
    tracker.slots[slot] = text
    tracker.events.append(
        {"event": "slot", "name": slot, "value": text, "timestamp": 1002.0}
    )
    return asyncio.run(_validate(tracker))


async def _validate(tracker: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await ValidateQualificationForm().get_validation_events(
        dispatcher, tracker, DOMAIN
    )
    return dispatcher.messages, events


def test_a_job_title_is_stored_normalized_and_scored(service, sessions) -> None:
    messages, events = answer("job_title", "VP of Marketing")
    assert messages == []
    assert SlotSet("seniority", "vp") in events
    assert SlotSet("department", "marketing") in events
    with sessions.begin() as session:
        lead = leads.find_lead(session, "v-1")
        assert lead.seniority == "vp"
        assert lead.score_version is not None
        assert lead.score_reasons


def reply_to_the_company_guess(text: str, intent: str = "deny") -> Tracker:
    """The visitor's reply to "I take it you're with Meridianhp" + consent."""
    answer("email", "rachel.kim@meridianhp.com")
    guess = {"event": "bot", "text": "From your email ...", "timestamp": 1002.1}
    guess["metadata"] = {"utter_action": "utter_company_from_email"}
    ask = {"event": "bot", "text": "May our team contact you?", "timestamp": 1002.2}
    ask["metadata"] = {"utter_action": "utter_ask_consent"}
    events = [
        {"event": "session_started", "timestamp": 1000.0},
        {"event": "user", "text": "rachel.kim@meridianhp.com", "timestamp": 1002.0},
        guess,
        ask,
        {"event": "user", "text": text, "timestamp": 1003.0},
        {"event": "slot", "name": "consent", "value": text, "timestamp": 1003.1},
    ]
    tracker = make_tracker(
        requested_slot="consent", text=text, intent=intent, events=events
    )
    tracker.slots["consent"] = text
    return tracker


def test_a_correction_of_the_guessed_company_is_kept_and_the_question_asked_again(
    service, sessions
) -> None:
    tracker = reply_to_the_company_guess("no, it's Meridian Health Partners")
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").company == "Meridianhp", "guessed"
    messages, events = asyncio.run(_validate(tracker))
    assert SlotSet("company", "Meridian Health Partners") in events
    assert SlotSet("consent", None) in events, "not a no to being contacted"
    assert messages[-1]["response"] == "utter_company_noted"
    with sessions.begin() as session:
        lead = leads.find_lead(session, "v-1")
        assert lead.company == "Meridian Health Partners"
        assert lead.consent is None


def test_a_correction_typed_on_a_phone_is_kept(service, sessions) -> None:
    tracker = reply_to_the_company_guess("No, it’s At Home Health")
    messages, events = asyncio.run(_validate(tracker))
    stored = [e["value"] for e in events if e.get("name") == "company"]
    assert stored, "the company is stored"
    assert messages[-1]["company"] == stored[-1], "says what it stored"
    assert SlotSet("consent", None) in events


def test_an_answer_to_another_question_after_the_guess_is_that_answer(
    service, sessions
) -> None:
    answer("email", "rachel.kim@meridianhp.com")
    guess = {"event": "bot", "text": "From your email ...", "timestamp": 1002.1}
    guess["metadata"] = {"utter_action": "utter_company_from_email"}
    text = "our company is 50 people"
    events = [
        {"event": "session_started", "timestamp": 1000.0},
        {"event": "user", "text": "rachel.kim@meridianhp.com", "timestamp": 1002.0},
        guess,
        {"event": "user", "text": text, "timestamp": 1003.0},
        {"event": "slot", "name": "company_size", "value": text, "timestamp": 1003.1},
    ]
    tracker = make_tracker(requested_slot="company_size", text=text, events=events)
    tracker.slots["company_size"] = text
    _, result = asyncio.run(_validate(tracker))
    assert SlotSet("company_size", 50) in result
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").company == "Meridianhp"


def test_a_correction_the_nlu_reads_as_one_is_kept_too(service, sessions) -> None:
    tracker = reply_to_the_company_guess(
        "no, it's Meridian Health Partners", intent="correct_answer"
    )
    _, events = asyncio.run(_validate(tracker))
    assert SlotSet("company", "Meridian Health Partners") in events


def test_a_request_after_the_company_guess_is_not_a_company(service, sessions) -> None:
    # Reads as a company on its own ("no, it's ..."), but asks for a person.
    tracker = reply_to_the_company_guess(
        "No, it's Acme. Sales please", intent="request_human"
    )
    _, events = asyncio.run(_validate(tracker))
    assert events[-1] == ActionExecutionRejected("qualification_form")
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").company == "Meridianhp"


def test_a_plain_answer_after_the_company_guess_answers_the_question(
    service, sessions
) -> None:
    _messages, events = asyncio.run(_validate(reply_to_the_company_guess("no thanks")))
    assert SlotSet("consent", False) in events
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").company == "Meridianhp"


def test_an_unreadable_email_is_asked_again(service, sessions) -> None:
    messages, events = answer("email", "dana.acme.io")
    assert events == [SlotSet("email", None)]
    assert "email" in messages[0]["text"].lower()
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").email is None


def test_greet_fills_what_a_website_form_already_told_us(service, sessions) -> None:
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.update_fields(session, lead, {"name": "Dana", "email": "dana@acme.io"})
    messages, events = run(ActionGreet(), make_tracker(intent="greet", text="hi"))
    # Known from a form, not from a chat: nothing to "pick up where we left off".
    assert messages[0]["response"] == "utter_greet_known"
    assert messages[0]["name"] == "Dana"
    assert messages[1]["response"] == "utter_privacy_notice"
    assert SlotSet("email", "dana@acme.io") in events


def test_a_new_visitor_is_greeted_with_the_privacy_notice(service) -> None:
    messages, events = run(ActionGreet(), make_tracker(intent="greet", text="hi"))
    assert [m["response"] for m in messages] == ["utter_greet", "utter_privacy_notice"]
    assert events == []


def test_a_visitor_greeted_earlier_in_the_session_is_not_greeted_again(
    service, sessions
) -> None:
    with sessions.begin() as session:
        lead = leads.lead_for_visitor(session, "v-1")
        leads.update_fields(session, lead, {"name": "Dana"})
    greeted = {"event": "bot", "text": "Privacy note: ...", "timestamp": 1000.5}
    greeted["metadata"] = {"utter_action": "utter_privacy_notice"}
    events = [
        {"event": "session_started", "timestamp": 1000.0},
        greeted,
        {"event": "user", "text": "hola", "timestamp": 1001.0},
    ]
    tracker = make_tracker(intent="request_human", events=events)
    messages, slots = run(ActionGreet(), tracker)
    assert messages == []
    assert slots == [SlotSet("name", "Dana")]
    # A second "hi" in the same session gets a short reply.
    tracker = make_tracker(intent="greet", text="hi again", events=events)
    messages, _ = run(ActionGreet(), tracker)
    assert [m["response"] for m in messages] == ["utter_greet_again"]
    # The widget opened in a new tab shows an empty chat: greeted in full.
    tracker = make_tracker(intent="greet", text="/greet", events=events)
    messages, _ = run(ActionGreet(), tracker)
    assert [m["response"] for m in messages][:2] == [
        "utter_greet_known",
        "utter_privacy_notice",
    ]
    # A new session greets again, as a visitor who chatted before.
    events.append({"event": "session_started", "timestamp": 2000.0})
    messages, _ = run(ActionGreet(), make_tracker(intent="greet", events=events))
    assert [m["response"] for m in messages][:2] == [
        "utter_greet_returning",
        "utter_privacy_notice",
    ]


def test_a_need_read_as_a_hello_and_said_again_is_the_answer(service, sessions) -> None:
    text = "i need help with attribution"
    tracker = make_tracker(requested_slot="use_case", text=text, intent="greet")
    tracker.events[-1:-1] = [{"event": "user", "text": text, "timestamp": 1000.5}]
    messages, events = run(ActionGreet(), tracker)
    assert SlotSet("use_case", text) in events
    assert messages == []
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").use_case == text


def qualify_everything(service: QualificationService) -> None:
    result = service.answer("v-1", QUALIFIED)
    assert result.rejected == {}


def test_a_returning_qualified_lead_is_not_handed_off_again(service, sessions) -> None:
    """Back the next day, the form has nothing to ask and ends at once: the
    visitor hears that sales has their details, and sales get no copy."""
    qualify_everything(service)
    run(ActionConcludeQualification(), make_tracker(slots=QUALIFIED))
    next_day = make_tracker(
        slots=QUALIFIED,
        events=[{"event": "session_started", "timestamp": 90_000.0}],
    )
    messages, events = run(ActionConcludeQualification(), next_day)
    assert [m["response"] for m in messages] == ["utter_handoff_already"]
    assert events == [SlotSet("outcome", "handoff")]
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 1
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_a_returning_dmql_who_asks_for_a_demo_is_news_for_sales(
    service, sessions
) -> None:
    qualify_everything(service)
    run(ActionConcludeQualification(), make_tracker(slots=QUALIFIED))
    next_day = make_tracker(
        slots=QUALIFIED,
        events=[
            {"event": "session_started", "timestamp": 90_000.0},
            {"event": "user", "text": "can I get a demo?", "timestamp": 90_001.0,
             "parse_data": {"intent": {"name": "request_demo"}}},
        ],
    )  # fmt: skip
    run(ActionConcludeQualification(), next_day)
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 1
        notices = [m.payload for m in session.scalars(select(OutboxMessage))]
        update = next(p for p in notices if p["type"] == "lead.updated")
        assert update["changed"] == ["asked_demo"]
        assert "Asked for a demo" in update["summary"]["why_now"]


def test_a_visitor_who_asked_for_a_person_and_later_qualifies_is_a_new_dmql(
    service, sessions
) -> None:
    run(ActionHumanHandoff(), make_tracker(text="a person please",
                                           intent="request_human"))  # fmt: skip
    qualify_everything(service)
    next_day = make_tracker(
        slots=QUALIFIED,
        events=[{"event": "session_started", "timestamp": 90_000.0}],
    )
    messages, _ = run(ActionConcludeQualification(), next_day)
    assert [m["response"] for m in messages] == ["utter_handoff"]
    with sessions.begin() as session:
        types = sorted(h.type for h in session.scalars(select(Handoff)))
        assert types == ["lead.human_requested", "lead.qualified"]


def test_a_returning_visitor_who_asks_for_a_person_is_handed_off_again(
    service, sessions
) -> None:
    qualify_everything(service)
    run(ActionConcludeQualification(), make_tracker(slots=QUALIFIED))
    next_day = make_tracker(
        text="can I talk to someone?",
        intent="request_human",
        events=[{"event": "session_started", "timestamp": 90_000.0}],
    )
    messages, _ = run(ActionHumanHandoff(), next_day)
    assert [m["response"] for m in messages] == ["utter_handoff"]
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 2


def test_a_qualified_lead_is_handed_off_once(service, sessions) -> None:
    qualify_everything(service)
    tracker = make_tracker(slots=QUALIFIED)
    messages, events = run(ActionConcludeQualification(), tracker)
    again, _ = run(ActionConcludeQualification(), tracker)
    assert messages[0]["response"] == "utter_handoff"
    assert [m["response"] for m in again] == ["utter_handoff_already"]
    assert messages[0]["email"] == "dana@acme-robotics.com"
    assert events == [SlotSet("outcome", "handoff")]
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 1
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_an_unqualified_lead_gets_a_next_step_not_sales(service, sessions) -> None:
    service.answer(
        "v-1",
        {
            "job_title": "marketing coordinator",
            "company_size": "just me",
            "budget": "no budget yet",
            "timeline": "just researching",
        },
    )
    messages, events = run(ActionConcludeQualification(), make_tracker())
    assert messages[0]["response"] == "utter_nurture"
    assert messages[0]["buttons"]
    assert events == [SlotSet("outcome", "nurture")]
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 0


def test_asking_for_a_human_hands_off_at_once(service, sessions) -> None:
    tracker = make_tracker(text="can I talk to a human?", intent="request_human")
    messages, _ = run(ActionHumanHandoff(), tracker)
    assert messages[0]["response"] == "utter_handoff_no_email"
    with sessions.begin() as session:
        (handoff,) = session.scalars(select(Handoff))
        assert handoff.type == "lead.human_requested"
        assert handoff.payload["transcript"][0]["text"] == "can I talk to a human?"
        assert "asked_human" in handoff.lead.signals


def test_an_email_left_after_the_handoff_reaches_sales(service, sessions) -> None:
    run(ActionHumanHandoff(), make_tracker(text="a real person please",
                                           intent="request_human"))  # fmt: skip
    tracker = make_tracker(text="ok it's tom.k@veridianbio.com", intent="affirm")
    tracker.latest_message["entities"] = [
        {"entity": "email", "value": "tom.k@veridianbio.com"}
    ]
    messages, events = run(ActionTakeDetails(), tracker)
    assert SlotSet("email", "tom.k@veridianbio.com") in events
    assert messages[-1] == {**messages[-1], "response": "utter_handoff",
                            "email": "tom.k@veridianbio.com"}  # fmt: skip
    with sessions.begin() as session:
        (handoff,) = session.scalars(select(Handoff))
        assert handoff.payload["lead"]["email"] == "tom.k@veridianbio.com"
        kinds = [m.payload["type"] for m in session.scalars(select(OutboxMessage))]
        assert sorted(kinds) == ["lead.human_requested", "lead.updated"]


@pytest.mark.parametrize(
    ("intent", "email", "reply"),
    [
        ("nlu_fallback", None, "utter_ask_rephrase"),
        ("inform", None, "utter_ask_rephrase"),
        ("affirm", None, "utter_ask_email_for_sales"),
        ("affirm", "dana@acme.io", "utter_anything_else"),
        ("affirm", SKIPPED, "utter_ask_email_for_sales"),
    ],
)
def test_nothing_to_pass_on_after_the_handoff_gets_a_fitting_reply(
    service, sessions, intent: str, email: str | None, reply: str
) -> None:
    tracker = make_tracker(text="ok", intent=intent, slots={"email": email})
    messages, events = run(ActionTakeDetails(), tracker)
    assert [m["response"] for m in messages] == [reply]
    assert events == []


def test_the_form_asks_the_most_informative_question_next(service) -> None:
    tracker = make_tracker(requested_slot="use_case", slots={"use_case": "reporting"})
    planned = asyncio.run(
        ValidateQualificationForm().required_slots(
            FORM_SLOTS, CollectingDispatcher(), tracker, DOMAIN
        )
    )
    assert planned[0] == "job_title"
    assert planned[-1] == "consent"


def test_a_student_is_not_asked_anything_more(service) -> None:
    service.answer("v-1", {"use_case": "homework", "job_title": "i'm a student"})
    tracker = make_tracker(slots={"use_case": "homework", "job_title": "student"})
    planned = asyncio.run(
        ValidateQualificationForm().required_slots(
            FORM_SLOTS, CollectingDispatcher(), tracker, DOMAIN
        )
    )
    assert planned == []
    messages, events = run(ActionConcludeQualification(), tracker)
    assert messages[0]["response"] == "utter_student"
    assert events == [SlotSet("outcome", "student")]


def test_a_job_seeker_is_recognized_at_the_first_answer(service) -> None:
    text = "hi are you guys hiring? i'm a data analyst looking for a new job"
    service.answer("v-1", {"use_case": text}, requested="use_case")
    tracker = make_tracker(slots={"use_case": text})
    planned = asyncio.run(
        ValidateQualificationForm().required_slots(
            FORM_SLOTS, CollectingDispatcher(), tracker, DOMAIN
        )
    )
    assert planned == [], "no questions for a job seeker"
    messages, events = run(ActionConcludeQualification(), tracker)
    assert messages[0]["response"] == "utter_job_seeker"
    assert events == [SlotSet("outcome", "job_seeker")]


def test_a_need_that_names_jobs_is_no_job_search(service, sessions) -> None:
    result = service.answer(
        "v-1", {"use_case": "attribution for our job ads"}, requested="use_case"
    )
    assert result.slots["use_case"] == "attribution for our job ads"
    with sessions.begin() as session:
        assert "job_seeker" not in leads.find_lead(session, "v-1").signals


def test_a_clear_dmql_skips_the_nice_to_have_questions(service) -> None:
    answers = {k: QUALIFIED[k] for k in ("use_case", "job_title", "company_size")}
    answers |= {k: QUALIFIED[k] for k in ("timeline", "budget", "decision_maker")}
    service.answer("v-1", answers)
    tracker = make_tracker(slots=answers)
    planned = asyncio.run(
        ValidateQualificationForm().required_slots(
            FORM_SLOTS, CollectingDispatcher(), tracker, DOMAIN
        )
    )
    assert planned == ["name", "email", "consent"]


def test_a_skipped_question_is_not_stored_and_not_asked_again(
    service, sessions
) -> None:
    tracker = make_tracker(requested_slot="budget")
    messages, events = run(ActionSkipQuestion(), tracker)
    assert messages[0]["response"] == "utter_skip_ok"
    assert events == [SlotSet("budget", SKIPPED)]
    _, validation = answer("budget", SKIPPED)
    assert SlotSet("budget", SKIPPED) not in validation
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").budget is None


@pytest.mark.parametrize(
    ("text", "intent", "reply"),
    [
        ("can you send me your ebook?", "nurture_ebook", "utter_ebook"),
        ("haha you're pretty fast, how are you?", "chitchat", "utter_chitchat"),
        ("Hola, ¿hablas español?", "non_english", "utter_non_english"),
        ("can you send it to me?", "chitchat", "utter_chitchat"),
        ("are you a marketing bot?", "chitchat", "utter_chitchat"),
    ],
)
def test_an_aside_at_the_role_question_is_answered_not_taken_as_the_role(
    service, sessions, text: str, intent: str, reply: str
) -> None:
    """Any few words make a job title, so only a known role is one here."""
    tracker = make_tracker(requested_slot="job_title", text=text, intent=intent)
    messages, events = run(ActionAside(), tracker)
    assert [m["response"] for m in messages] == [reply]
    assert events == []
    assert "job_title" not in service.known("v-1")


@pytest.mark.parametrize(
    ("text", "seniority"),
    [("marketing lead", "manager"), ("cmo", "c_level"), ("just a student", "student")],
)
def test_a_known_role_read_as_an_aside_is_the_role(
    service, sessions, text: str, seniority: str
) -> None:
    tracker = make_tracker(requested_slot="job_title", text=text, intent="chitchat")
    messages, events = run(ActionAside(), tracker)
    assert SlotSet("seniority", seniority) in events
    assert messages == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("no", "deny"),
        ("nope", "deny"),
        ("no thanks, i'll just browse", "deny"),
        ("hmm no, rather not", "skip_question"),
    ],
)
def test_a_no_to_the_email_question_skips_it_and_the_consent(
    service, sessions, text: str, intent: str
) -> None:
    """ "That doesn't look like an email address" to every "no" was a loop."""
    messages, events = answer("email", text, intent=intent)
    assert [m["response"] for m in messages] == ["utter_skip_ok"]
    assert events == [SlotSet("email", SKIPPED)]
    tracker = make_tracker(requested_slot="email", slots={"email": SKIPPED})
    planned = asyncio.run(
        ValidateQualificationForm().required_slots(
            FORM_SLOTS, CollectingDispatcher(), tracker, DOMAIN
        )
    )
    assert "consent" not in planned, "no address to contact"


def test_a_no_with_an_address_in_it_gives_the_address(service, sessions) -> None:
    _, events = answer("email", "no, it's dana@acme.io", intent="deny")
    assert SlotSet("email", "dana@acme.io") in events


def test_why_do_you_ask_is_answered_for_the_requested_question(service) -> None:
    domain = {**DOMAIN, "responses": {"utter_why_budget": [{"text": "..."}]}}
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(requested_slot="budget", intent="why_ask")
    asyncio.run(ActionExplainQuestion().run(dispatcher, tracker, domain))
    assert dispatcher.messages[0]["response"] == "utter_why_budget"


def test_a_correction_updates_the_stored_answer(service, sessions) -> None:
    service.answer("v-1", {"company_size": "about 40 people"})
    tracker = make_tracker(text="actually we're 500 people", intent="correct_answer")
    messages, events = run(ActionCorrectAnswer(), tracker)
    assert messages[0]["response"] == "utter_correction_ok"
    assert SlotSet("company_size", 500) in events
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").company_size == 500


def test_a_corrected_email_sets_only_slots_the_chat_has(service, sessions) -> None:
    """Rasa logs an error on every later turn for a slot it doesn't know."""
    service.answer("v-1", {"email": "ines@gmail.com"}, requested="email")
    text = "sorry, my email is actually ines.m@dentaflow.fr"
    tracker = make_tracker(text=text, intent="correct_answer")
    _, events = run(ActionCorrectAnswer(), tracker)
    assert SlotSet("email", "ines.m@dentaflow.fr") in events
    slots = {e["name"] for e in events if e["event"] == "slot"}
    assert slots <= set(DOMAIN["slots"])


def test_an_unclear_correction_asks_again(service) -> None:
    tracker = make_tracker(text="actually hmm", intent="correct_answer")
    messages, events = run(ActionCorrectAnswer(), tracker)
    assert messages[0]["response"] == "utter_correction_unclear"
    assert events == []


def test_a_correction_with_nothing_to_correct_answers_the_open_question(
    service, sessions
) -> None:
    text = "I'm collecting options for a tool our team might buy later on"
    tracker = make_tracker(
        requested_slot="use_case", text=text, intent="correct_answer"
    )
    messages, events = run(ActionCorrectAnswer(), tracker)
    assert messages == []
    assert SlotSet("use_case", text) in events
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").use_case == text


def test_an_unreadable_answer_given_as_a_correction_is_asked_again(service) -> None:
    tracker = make_tracker(
        requested_slot="email", text="actually, no idea", intent="correct_answer"
    )
    messages, events = run(ActionCorrectAnswer(), tracker)
    assert events == [SlotSet("email", None)]
    assert "email" in messages[0]["text"].lower()


@pytest.mark.parametrize(
    ("slot", "text", "intent", "field", "value"),
    [
        ("timeline", "in 3 monhts", "out_of_scope", "timeline_months", 3),
        ("country", "Brasil", "non_english", "country", "BR"),
        (
            "company_size",
            "about 40 of us, how about you?",
            "chitchat",
            "company_size",
            40,
        ),
    ],
)
def test_an_aside_that_answers_the_question_is_stored_as_the_answer(
    service, sessions, slot: str, text: str, intent: str, field: str, value: Any
) -> None:
    tracker = make_tracker(requested_slot=slot, text=text, intent=intent)
    messages, events = run(ActionAside(), tracker)
    assert messages == []
    assert SlotSet(slot, text) in events or SlotSet(field, value) in events
    with sessions.begin() as session:
        assert getattr(leads.find_lead(session, "v-1"), field) == value


@pytest.mark.parametrize(
    ("slot", "text", "intent", "reply"),
    [
        ("timeline", "explain quantum physics", "out_of_scope", "utter_out_of_scope"),
        ("country", "sprechen Sie Deutsch?", "non_english", "utter_non_english"),
        ("company", "how's your day going?", "chitchat", "utter_chitchat"),
        (None, "is it sunny in Paris in May?", "out_of_scope", "utter_out_of_scope"),
    ],
)
def test_an_aside_that_answers_nothing_gets_its_reply(
    service, sessions, slot: str | None, text: str, intent: str, reply: str
) -> None:
    tracker = make_tracker(requested_slot=slot, text=text, intent=intent)
    messages, events = run(ActionAside(), tracker)
    assert [m["response"] for m in messages] == [reply]
    assert events == []
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 0


def test_a_reply_said_again_to_the_same_question_is_the_answer(
    service, sessions
) -> None:
    text = "Just reading up on attribution models for now."
    said = [
        {"event": "user", "text": text, "timestamp": 1001.0},
        {"event": "bot", "text": "Here's our free e-book", "timestamp": 1002.0},
        {"event": "user", "text": " just reading up on attribution models for now.  "},
    ]
    once = make_tracker(
        requested_slot="use_case", text=text, intent="nurture_ebook", events=said[:1]
    )
    messages, events = run(ActionAside(), once)
    assert [m["response"] for m in messages] == ["utter_ebook"]
    assert events == []
    again = make_tracker(
        requested_slot="use_case", text=text, intent="nurture_ebook", events=said
    )
    messages, events = run(ActionAside(), again)
    assert messages == []
    assert SlotSet("use_case", text) in events
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").use_case == text


def test_an_existing_customer_goes_to_support(service, sessions) -> None:
    tracker = make_tracker(text="our dashboard is broken", intent="existing_customer")
    messages, events = run(ActionExistingCustomer(), tracker)
    assert messages[0]["response"] == "utter_support"
    assert events == [SlotSet("outcome", "support")]
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").outcome == "support"


def test_a_customer_saying_so_mid_form_ends_the_questions(service, sessions) -> None:
    tracker = make_tracker(
        requested_slot="use_case",
        text="we're already customers and the dashboard is broken",
        intent="existing_customer",
        confidence=0.93,
    )
    messages, events = run(ActionExistingCustomer(), tracker)
    assert [m["response"] for m in messages] == ["utter_support"]
    assert ActiveLoop(None) in events
    assert SlotSet("outcome", "support") in events


@pytest.mark.parametrize(
    ("slot", "text", "confidence", "field", "value"),
    [
        (
            "use_case",
            "I'm a freelance consultant, curious how you compare to GA4 for clients",
            0.47,
            "use_case",
            "I'm a freelance consultant, curious how you compare to GA4 for clients",
        ),
        (
            "timeline",
            "once our current contract ends in 6 months",
            0.9,
            "timeline_months",
            6,
        ),
    ],
)
def test_an_answer_misread_as_a_customer_is_stored_and_the_form_goes_on(
    service, sessions, slot: str, text: str, confidence: float, field: str, value: Any
) -> None:
    tracker = make_tracker(
        requested_slot=slot,
        text=text,
        intent="existing_customer",
        confidence=confidence,
    )
    messages, events = run(ActionExistingCustomer(), tracker)
    assert [m.get("response") for m in messages] == ["utter_support_if_customer"]
    assert FollowupAction("qualification_form") in events
    assert SlotSet("outcome", "support") not in events
    with sessions.begin() as session:
        lead = leads.find_lead(session, "v-1")
        assert getattr(lead, field) == value
        assert lead.outcome is None


def entity_filled(
    requested: str, slot: str, value: str, text: str, intent: str, confidence: float
) -> Tracker:
    """The form's turn after the NLU found `slot` in a message it read as `intent`."""
    tracker = make_tracker(
        requested_slot=requested, text=text, intent=intent, confidence=confidence
    )
    tracker.slots[slot] = value
    tracker.events.append(
        {"event": "slot", "name": slot, "value": value, "timestamp": 1002.0}
    )
    return tracker


def test_a_message_filling_another_question_answers_the_open_one_if_unsure(
    service, sessions
) -> None:
    text = "I'm a freelance consultant, curious how you compare to GA4 for my clients"
    tracker = entity_filled(
        "use_case", "job_title", "freelance consultant", text, "existing_customer", 0.47
    )
    _, events = asyncio.run(_validate(tracker))
    assert SlotSet("use_case", text) in events, "not asked again"
    assert SlotSet("seniority", "individual_contributor") in events
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").use_case == text


@pytest.mark.parametrize(
    ("requested", "intent", "text", "slot", "value"),
    [
        (
            "use_case",
            "request_human",
            "I'm Dana, just let me talk to sales please",
            "name",
            "Dana",
        ),
        (
            "job_title",
            "ask_pricing",
            "I'm the CMO, how much does it cost?",
            "job_title",
            "CMO",
        ),
        (
            "use_case",
            "existing_customer",
            "I'm the CMO, we're customers and our report is empty",
            "job_title",
            "CMO",
        ),
    ],
)
def test_a_sure_interruption_keeps_its_answers_and_lets_its_rule_run(
    service, sessions, requested: str, intent: str, text: str, slot: str, value: str
) -> None:
    tracker = entity_filled(requested, slot, value, text, intent, 0.9)
    _, events = asyncio.run(_validate(tracker))
    # Rejected: Rasa runs the interruption's rule, then resumes the form.
    assert events[-1] == ActionExecutionRejected("qualification_form")
    with sessions.begin() as session:
        lead = leads.find_lead(session, "v-1")
        assert getattr(lead, slot) == value, "what it answered is kept"
        if requested != slot:
            assert getattr(lead, requested) is None, "the question is asked again"


@pytest.mark.parametrize(
    ("requested", "intent", "text"),
    [
        ("use_case", "ask_pricing", "how much is it?"),
        ("use_case", "ask_pricing", "pricing"),
        ("use_case", "ask_integrations", "do you integrate with hubspot"),
        ("use_case", "ask_pricing", "is pricing per seat"),
        ("use_case", "ask_free_trial", "do u have a free trial"),
        ("use_case", "request_demo", "can I get a demo?"),
        ("use_case", "ask_product", "what does brightlane do exactly?"),
        ("name", "ask_integrations", "do you integrate with hubspot?"),
        ("company", "ask_free_trial", "is there a free trial?"),
    ],
)
def test_a_question_put_back_is_answered_and_the_question_asked_again(
    service, sessions, requested: str, intent: str, text: str
) -> None:
    """A free-text question takes any text, but not a question asked back."""
    tracker = free_text_turn(requested, text, intent)
    _, events = asyncio.run(_validate(tracker))
    assert SlotSet(requested, None) in events
    assert events[-1] == ActionExecutionRejected("qualification_form")
    with sessions.begin() as session:
        assert getattr(leads.find_lead(session, "v-1"), requested) is None


@pytest.mark.parametrize(
    "text",
    [
        "what's the weather in berlin",
        "can you write me a poem about cats",
        "who won the football game last night?",
    ],
)
def test_an_off_topic_question_is_no_need(service, sessions, text: str) -> None:
    """Said at "what would you like help with?", it is answered (its rule says
    what the bot can't do) and the question asked again."""
    _, events = asyncio.run(
        _validate(free_text_turn("use_case", text, "out_of_scope", 0.97))
    )
    assert SlotSet("use_case", None) in events
    assert events[-1] == ActionExecutionRejected("qualification_form")
    again = free_text_turn("use_case", text, "out_of_scope", 0.97)
    again.events[-2:-2] = [{"event": "user", "text": text, "timestamp": 1001.5}]
    _, events = asyncio.run(_validate(again))
    assert SlotSet("use_case", text) in events, "said twice, it is the need"


@pytest.mark.parametrize(
    "text",
    [
        "attribution for our podcast sponsorships",
        "what's the best way to measure influencer campaigns?",
    ],
)
def test_a_need_half_read_as_off_topic_is_the_use_case(
    service, sessions, text: str
) -> None:
    _, events = asyncio.run(
        _validate(free_text_turn("use_case", text, "out_of_scope", 0.82))
    )
    assert SlotSet("use_case", text) in events
    assert not [e for e in events if e.get("event") == "action_execution_rejected"]


def free_text_turn(
    requested: str, text: str, intent: str, confidence: float = 0.9
) -> Tracker:
    """The form's turn after `text` filled the free-text question `requested`."""
    return entity_filled(requested, requested, text, text, intent, confidence)


def test_a_statement_that_also_asks_is_the_answer_and_answered_in_passing(
    service, sessions
) -> None:
    text = "We watched your webinar and want to try it on our own funnel."
    messages, events = asyncio.run(
        _validate(free_text_turn("use_case", text, "ask_free_trial"))
    )
    assert SlotSet("use_case", text) in events
    assert not [e for e in events if e.get("event") == "action_execution_rejected"]
    assert [m["response"] for m in messages] == ["utter_free_trial"]


def test_a_need_in_the_words_of_a_request_is_the_use_case(service, sessions) -> None:
    text = "Do attribution for our paid social and tie it to pipeline"
    _, events = asyncio.run(_validate(free_text_turn("use_case", text, "ask_product")))
    assert SlotSet("use_case", text) in events


def test_a_question_said_again_word_for_word_is_the_answer(service, sessions) -> None:
    text = "can i ask a few qs about attribution for my uni project?"
    tracker = free_text_turn("use_case", text, "ask_product")
    tracker.events[-2:-2] = [{"event": "user", "text": text, "timestamp": 1001.5}]
    messages, events = asyncio.run(_validate(tracker))
    assert SlotSet("use_case", text) in events
    assert messages == [], "answered the first time"


@pytest.mark.parametrize(
    ("requested", "text", "intent", "confidence", "stored"),
    [
        ("job_title", "Security", "ask_security", 0.93, "Security"),
        ("job_title", "pricing", "ask_pricing", 0.55, "Pricing"),
        ("industry", "cyber security", "ask_security", 0.88, "software"),
    ],
)
def test_a_question_put_back_twice_where_it_cant_answer_is_the_answer(
    service, sessions, requested: str, text: str, intent: str, confidence, stored
) -> None:
    """The role is never a question, so "Security" is answered first; said again
    it is the role, not the security page once more."""
    once = make_tracker(
        requested_slot=requested, text=text, intent=intent, confidence=confidence
    )
    _, events = asyncio.run(_validate(once))
    assert events == [], "nothing filled: the form rejects, its FAQ rule answers"
    again = make_tracker(
        requested_slot=requested, text=text, intent=intent, confidence=confidence
    )
    again.events[-1:-1] = [
        {"event": "user", "text": text.lower(), "timestamp": 1000.5},
        {"event": "bot", "text": "Brightlane is SOC 2 ...", "timestamp": 1000.6},
    ]
    messages, events = asyncio.run(_validate(again))
    assert next(e for e in events if e.get("name") == requested)["value"] is not None
    assert not [e for e in events if e.get("event") == "action_execution_rejected"]
    assert messages == [], "not answered a second time"
    with sessions.begin() as session:
        assert getattr(leads.find_lead(session, "v-1"), requested) == stored


@pytest.mark.parametrize(
    ("requested", "text", "intent"),
    [
        ("budget", "how much is it?", "ask_pricing"),
        ("job_title", "can I get a demo?", "request_demo"),
        ("job_title", "how much does it cost", "ask_pricing"),
    ],
)
def test_a_question_asked_twice_where_it_cant_answer_skips_the_question(
    service, sessions, requested: str, text: str, intent: str
) -> None:
    """Answered the first time, asked again word for word, it is no budget
    and no role either ("How Much Does IT Cost" was a title): the form moves on."""
    tracker = make_tracker(requested_slot=requested, text=text, intent=intent)
    tracker.events[-1:-1] = [{"event": "user", "text": text, "timestamp": 1000.5}]
    messages, events = asyncio.run(_validate(tracker))
    assert events == [SlotSet(requested, SKIPPED)]
    assert [m["response"] for m in messages] == ["utter_skip_ok"]
    assert requested not in service.known("v-1")


def test_an_unsure_reading_of_a_use_case_as_a_question_is_the_use_case(
    service, sessions
) -> None:
    """A long use case the NLU half-reads as a product question is kept."""
    text = "see how our podcast sponsorships turn into pipeline"
    tracker = free_text_turn("use_case", text, "ask_product", confidence=0.55)
    _, events = asyncio.run(_validate(tracker))
    assert SlotSet("use_case", text) in events
    assert not [e for e in events if e.get("event") == "action_execution_rejected"]


def test_a_question_put_back_keeps_what_else_it_told_us(service, sessions) -> None:
    text = "we're a VP team, how much does it cost?"
    tracker = free_text_turn("use_case", text, "ask_pricing")
    tracker.slots["job_title"] = "VP"  # from_entity: ask_pricing is about_themselves
    tracker.events.append(
        {"event": "slot", "name": "job_title", "value": "VP", "timestamp": 1002.1}
    )
    _, events = asyncio.run(_validate(tracker))
    assert events[-1] == ActionExecutionRejected("qualification_form")
    assert SlotSet("use_case", None) in events
    with sessions.begin() as session:
        lead = leads.find_lead(session, "v-1")
        assert lead.job_title == "VP"
        assert lead.use_case is None, "asked again after the answer"


def test_a_request_at_the_name_question_is_never_the_name(service, sessions) -> None:
    """At a name or company a sure request interrupts however it is phrased."""
    tracker = free_text_turn("name", "I'd like a demo first", "request_demo")
    messages, events = asyncio.run(_validate(tracker))
    assert events[-1] == ActionExecutionRejected("qualification_form")
    assert messages == [], "its rule answers it"
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").name is None


def test_a_name_given_with_a_question_is_kept(service, sessions) -> None:
    tracker = free_text_turn("name", "Dana, how much is it?", "ask_pricing")
    tracker.latest_message["entities"] = [{"entity": "name", "value": "Dana"}]
    _, events = asyncio.run(_validate(tracker))
    assert events[-1] == ActionExecutionRejected("qualification_form")
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").name == "Dana"


def test_the_role_said_among_other_facts_is_the_part_tagged_as_the_role(
    service, sessions
) -> None:
    text = "i'm the cmo at a 300 person company, we need it by q2"
    tracker = free_text_turn("job_title", text, "inform")
    tracker.latest_message["entities"] = [
        {"entity": "job_title", "value": "cmo"},
        {"entity": "company_size", "value": "300 person"},
        {"entity": "timeline", "value": "by q2"},
    ]
    _, events = asyncio.run(_validate(tracker))
    assert SlotSet("job_title", "CMO") in events
    assert SlotSet("seniority", "c_level") in events


def test_a_role_said_alone_is_the_whole_answer(service, sessions) -> None:
    tracker = free_text_turn("job_title", "VP of Marketing", "inform")
    tracker.latest_message["entities"] = [{"entity": "job_title", "value": "VP"}]
    _, events = asyncio.run(_validate(tracker))
    assert SlotSet("job_title", "VP of Marketing") in events


def test_an_answer_with_other_fields_is_not_rejected(service) -> None:
    tracker = entity_filled(
        "use_case",
        "job_title",
        "CMO",
        "I'm the CMO, we need attribution",
        "inform",
        0.9,
    )
    tracker.slots["use_case"] = "I'm the CMO, we need attribution"
    _, events = asyncio.run(_validate(tracker))
    assert not [e for e in events if e.get("event") == "action_execution_rejected"]


def test_the_opener_fits_the_page(service) -> None:
    domain = {**DOMAIN, "responses": {"utter_opener_pricing": [{"text": "?"}]}}
    tracker = make_tracker(intent="greet", text="/greet")
    tracker.latest_message["metadata"] = {"page": "/pricing"}
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionGreet().run(dispatcher, tracker, domain))
    assert dispatcher.messages[-1]["response"] == "utter_opener_pricing"


def test_pricing_questions_become_a_signal_for_the_rep(service, sessions) -> None:
    events = [
        {"event": "session_started", "timestamp": 1000.0},
        {
            "event": "user",
            "text": "how much for 50 seats?",
            "timestamp": 1001.0,
            "parse_data": {"intent": {"name": "ask_pricing"}},
        },
    ]
    service.answer("v-1", {"job_title": "VP Sales"})
    run(ActionConcludeQualification(), make_tracker(events=events))
    with sessions.begin() as session:
        assert "asked_pricing" in leads.find_lead(session, "v-1").signals


def test_a_number_in_another_answer_never_overwrites_a_known_field(
    service, sessions
) -> None:
    service.answer("v-1", {"company_size": "350 people"}, requested="company_size")
    result = service.answer(
        "v-1",
        {"budget": "150,000 AED a year", "company_size": "150000"},
        requested="budget",
    )
    assert result.slots["company_size"] == 350
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").company_size == 350


def test_an_opening_message_may_fill_several_new_fields(service, sessions) -> None:
    result = service.answer(
        "v-1",
        {"use_case": "attribution", "job_title": "VP Marketing", "company": "Acme"},
        requested="use_case",
    )
    assert result.slots["seniority"] == "vp"
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").company == "Acme"


def test_a_mid_form_answer_does_not_fill_other_questions(service, sessions) -> None:
    result = service.answer(
        "v-1", {"timeline": "in 3 months", "company_size": "3"}, requested="timeline"
    )
    assert result.slots["company_size"] is None, "the form still asks it"
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").company_size is None


def test_an_email_is_kept_from_any_message(service, sessions) -> None:
    result = service.answer(
        "v-1",
        {"budget": "20k a year", "email": "dana.lee@gmail.com", "company": "HubSpot"},
        requested="budget",
    )
    assert result.slots["email"] == "dana.lee@gmail.com"
    assert result.slots["company"] is None, "a tool named mid-form is no company"


def test_who_they_are_is_kept_when_they_introduce_themselves(service, sessions) -> None:
    result = service.answer(
        "v-1",
        {"budget": "about 20k a year", "name": "Priya", "company_size": "20"},
        requested="budget",
        introduced=True,
    )
    assert result.slots["name"] == "Priya"
    assert result.slots["company_size"] is None, "a stray number is not a size"
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").name == "Priya"


def test_an_unsure_message_filling_other_questions_is_no_name(service) -> None:
    text = "Hi, we're Acme, 200 people"
    tracker = entity_filled("industry", "company", "Acme", text, "greet", 0.6)
    _, events = asyncio.run(_validate(tracker))
    assert not [e for e in events if e.get("name") == "industry"]


def test_no_idea_skips_the_question_instead_of_asking_again(service) -> None:
    messages, events = answer("company_size", "no idea, honestly")
    assert messages == []
    assert events == [SlotSet("company_size", SKIPPED)]


def test_a_price_question_never_fills_the_head_count() -> None:
    """ "How much for a team of 20?" counts seats, not the company's people;
    the other fields a price question names ("we're a VP team") still count."""
    mappings = DOMAIN["slots"]["company_size"]["mappings"]
    from_entity = next(m for m in mappings if m["type"] == "from_entity")
    assert "ask_pricing" not in from_entity["intent"]
    name_mapping = DOMAIN["slots"]["job_title"]["mappings"][1]
    assert "ask_pricing" in name_mapping["intent"]
    assert set(from_entity["intent"]) == set(name_mapping["intent"]) - {"ask_pricing"}


def test_an_email_corrected_at_the_consent_question_replaces_the_first(
    service, sessions
) -> None:
    # The NLU was unsure (0.56) it was a correction: the form took it as the
    # consent answer and the work address was dropped.
    answer("email", "sam.oneill@gmail.com")
    text = "sorry my email is sam.oneill@harborfreight-logistics.com"
    messages, events = answer(
        "consent", text, intent="correct_answer", confidence=0.56,
        slots={"email": "sam.oneill@gmail.com"},
    )  # fmt: skip
    assert SlotSet("email", "sam.oneill@harborfreight-logistics.com") in events
    assert events[-1] == SlotSet("consent", None), "the consent question again"
    assert [m.get("response") for m in messages] == ["utter_correction_ok"]
    with sessions.begin() as session:
        lead = leads.find_lead(session, "v-1")
        assert lead.email == "sam.oneill@harborfreight-logistics.com"
        assert lead.email_domain_kind == "business"
        assert lead.consent is None


def test_a_head_count_corrected_at_the_budget_question_is_no_budget(
    service, sessions
) -> None:
    answer("company_size", "80")
    text = "actually we are 500 people, not 80"
    _, events = answer(
        "budget", text, intent="correct_answer", slots={"company_size": 80}
    )
    assert SlotSet("company_size", 500) in events
    assert events[-1] == SlotSet("budget", None)
    with sessions.begin() as session:
        lead = leads.find_lead(session, "v-1")
        assert (lead.company_size, lead.budget, lead.budget_amount) == (500, None, None)


def test_a_correction_cue_in_the_answer_to_the_open_question_answers_it(
    service, sessions
) -> None:
    # "actually" corrects nothing earlier: it answers the question asked.
    _, events = answer("company_size", "actually we're about 120 people")
    assert SlotSet("company_size", 120) in events


def email_after_the_questions(text: str, email: str) -> Tracker:
    tracker = make_tracker(text=text, intent="inform")
    tracker.latest_message["entities"] = [{"entity": "email", "value": email}]
    return tracker


def test_an_email_typed_after_the_goodbye_is_kept_and_the_questions_go_on(
    service, sessions
) -> None:
    service.answer("v-1", {"name": "Sam", "company": "Lakeshore Labs"})
    tracker = email_after_the_questions("sam@lakeshore-labs.com",
                                        "sam@lakeshore-labs.com")  # fmt: skip
    messages, events = run(ActionFallback(), tracker)
    assert [m["response"] for m in messages] == ["utter_details_noted"]
    assert events[-1] == FollowupAction("qualification_form")
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").email == "sam@lakeshore-labs.com"


def test_the_fallback_without_details_asks_to_rephrase_and_forgets_the_message(
    service,
) -> None:
    messages, events = run(ActionFallback(), make_tracker(text="blorp"))
    assert [m["response"] for m in messages] == ["utter_default"]
    assert [e["event"] for e in events] == ["rewind"]
    # In the middle of the questions the form's own validation reads details.
    tracker = email_after_the_questions("x", "dana@acme.io")
    tracker.active_loop = {"name": "qualification_form"}
    messages, _ = run(ActionFallback(), tracker)
    assert [m["response"] for m in messages] == ["utter_default"]


def test_an_email_after_not_now_asks_the_consent_then_a_dmql_is_handed_off(
    service, sessions
) -> None:
    contact = ("email", "consent")
    without_email = {k: v for k, v in QUALIFIED.items() if k not in contact}
    service.answer("v-1", without_email)
    text = "actually ok, it's dana@acme-robotics.com"
    tracker = make_tracker(text=text, intent="correct_answer")
    messages, events = run(ActionCorrectAnswer(), tracker)
    assert messages[0]["response"] == "utter_correction_ok"
    assert events[-1] == FollowupAction("qualification_form"), "consent first"
    # With the consent known, nothing is left to ask: sales get the lead.
    service.answer("v-1", {"consent": "yes"}, requested="consent")
    tracker = make_tracker(text=text, intent="correct_answer")
    _, events = run(ActionCorrectAnswer(), tracker)
    assert events[-1] == FollowupAction("action_conclude_qualification")
    # A lead sales won't get has had its outcome: nothing follows.
    service.answer("v-2", {"job_title": "i'm a student", "email": "kim@uni.edu"})
    tracker = make_tracker(sender="v-2", text="actually it's kim.l@uni.edu",
                           intent="correct_answer")  # fmt: skip
    _, events = run(ActionCorrectAnswer(), tracker)
    assert not any(e["event"] == "followup" for e in events)


def test_a_demo_asked_for_by_a_lead_sales_wont_call_is_the_live_webinar(
    service,
) -> None:
    service.answer("v-1", {"use_case": "reporting", "job_title": "analyst"})
    user = {"event": "user", "text": "can I get a demo?", "timestamp": 1001.0}
    user["parse_data"] = {"intent": {"name": "request_demo", "confidence": 0.97}}
    events = [{"event": "session_started", "timestamp": 1000.0}, user]
    messages, result = run(ActionConcludeQualification(), make_tracker(events=events))
    assert result == [SlotSet("outcome", "nurture")]
    assert messages[0]["response"] == "utter_nurture_demo"


@pytest.mark.parametrize(
    ("text", "worded_as_question"),
    [
        ("hey! how much does it cost", True),
        ("lol ok. what does brightlane do", True),
        ("hmm, does it work with hubspot", True),
        ("first, is my data safe with you guys", True),
        ("so we need attribution", False),
        ("ok so how we measure today is a mess", False),
        ("well we run ads on meta", False),
        ("ok", False),
    ],
)
def test_a_question_after_a_lead_in_is_still_a_question(
    text: str, worded_as_question: bool
) -> None:
    assert asks(text) is worded_as_question


@pytest.mark.parametrize(
    ("text", "intent", "aside"),
    [
        ("are you a bot?", "bot_challenge", True),
        ("how are you doing today?", "chitchat", True),
        ("Nadia Ferreira", "bot_challenge", False),
        ("Botond Kiss", "chitchat", False),
    ],
)
def test_a_question_about_the_bot_at_the_name_question_is_an_aside(
    service, text: str, intent: str, aside: bool
) -> None:
    _, events = answer("name", text, intent=intent, confidence=0.95)
    rejected = ActionExecutionRejected("qualification_form") in events
    assert rejected is aside


def test_the_transcript_sales_get_holds_earlier_sessions_too() -> None:
    events = [
        {"event": "session_started", "timestamp": 1000.0},
        {"event": "user", "text": "we need attribution", "timestamp": 1001.0},
        {"event": "bot", "text": "What's your role?", "timestamp": 1002.0},
        {"event": "session_started", "timestamp": 90000.0},
        {"event": "user", "text": "/greet", "timestamp": 90001.0},
        {"event": "user", "text": "yes that's fine", "timestamp": 90002.0},
    ]
    lines = transcript(make_tracker(events=events))
    assert [line["text"] for line in lines] == [
        "we need attribution",
        "What's your role?",
        "yes that's fine",
    ]


def test_a_customer_who_wants_to_upgrade_goes_to_sales_not_support(
    service, sessions
) -> None:
    text = "we're a customer on Starter and want to upgrade to Growth, who do I ask?"
    tracker = make_tracker(requested_slot="job_title", text=text,
                           intent="existing_customer")  # fmt: skip
    messages, events = run(ActionExistingCustomer(), tracker)
    assert messages[0]["response"] == "utter_handoff_no_email"
    assert SlotSet("outcome", "handoff") in events
    assert events[0] == ActiveLoop(None), "the questions stop"
    with sessions.begin() as session:
        (handoff,) = session.scalars(select(Handoff))
        assert handoff.type == "lead.human_requested"
        assert "customer_expansion" in handoff.lead.signals
        assert handoff.payload["summary"]["why_now"].startswith("An existing customer")
    # A customer with a problem still goes to support.
    tracker = make_tracker(sender="v-2", text="since the last upgrade my reports "
                           "are broken", intent="existing_customer")  # fmt: skip
    messages, events = run(ActionExistingCustomer(), tracker)
    assert messages[0]["response"] == "utter_support"


def answer_with_entities(
    slot: str, text: str, entities: list[tuple[str, str]], **slots: Any
) -> list[Any]:
    """Validate `text` at `slot`, with the NLU's entities and the slots they fill."""
    tracker = make_tracker(requested_slot=slot, text=text, slots=slots)
    tracker.slots[slot] = text
    tracker.events += [
        {"event": "slot", "name": name, "value": value, "timestamp": 1002.0}
        for name, value in {slot: text, **slots}.items()
    ]
    tracker.latest_message["entities"] = [
        {"entity": entity, "value": value, "start": text.index(value),
         "end": text.index(value) + len(value)}
        for entity, value in entities
    ]  # fmt: skip
    return asyncio.run(_validate(tracker))[1]


def test_a_second_answer_in_the_same_message_is_kept_when_the_first_holds_alone(
    service, sessions
) -> None:
    text = "CMO, about 200 people"
    events = answer_with_entities(
        "job_title", text, [("job_title", "CMO"), ("company_size", "200")],
        company_size="200",
    )  # fmt: skip
    assert SlotSet("company_size", 200) in events
    assert SlotSet("seniority", "c_level") in events
    text = "by march, budget maybe 15k"
    events = answer_with_entities("timeline", text, [("budget", "15k")], budget="15k")
    assert SlotSet("budget_amount", 15000.0) in events
    with sessions.begin() as session:
        lead = leads.find_lead(session, "v-1")
        assert (lead.job_title, lead.company_size) == ("CMO", 200)
        assert lead.timeline_months is not None


def test_a_number_inside_the_answer_is_no_second_answer(service, sessions) -> None:
    # "in months" is no timeline: the "3" belongs to it, not to the head-count.
    events = answer_with_entities(
        "timeline", "in 3 months", [("company_size", "3")], company_size="3"
    )
    assert SlotSet("company_size", None) in events
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").company_size is None


def test_a_company_given_with_the_name_is_kept(service, sessions) -> None:
    text = "Chris from Acme Widgets"
    events = answer_with_entities(
        "name", text, [("name", "Chris"), ("company", "Acme Widgets")],
        company="Acme Widgets",
    )  # fmt: skip
    assert SlotSet("company", "Acme Widgets") in events
    with sessions.begin() as session:
        lead = leads.find_lead(session, "v-1")
        assert (lead.name, lead.company) == ("Chris", "Acme Widgets")


@pytest.mark.parametrize(
    ("slot", "text", "intent"),
    [
        ("company_size", "actually I want to talk to sales", "request_human"),
        ("budget", "sorry, how much is it per seat, not per user", "ask_pricing"),
        ("decision_maker", "not me, the CEO", "deny"),
    ],
)
def test_a_correction_cue_in_another_kind_of_message_changes_no_earlier_answer(
    service, sessions, slot: str, text: str, intent: str
) -> None:
    service.answer("v-1", {"job_title": "Head of Growth"}, requested="job_title")
    _, events = answer(
        slot, text, intent=intent, confidence=0.95,
        slots={"job_title": "Head of Growth"},
    )  # fmt: skip
    assert not any(e.get("name") == "job_title" for e in events)
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").job_title == "Head of Growth"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("no problem", "affirm"), ("not yet, one sec", "inform")],
)
def test_a_no_that_refuses_nothing_does_not_skip_the_email(
    service, text: str, intent: str
) -> None:
    _, events = answer("email", text, intent=intent)
    assert SlotSet("email", SKIPPED) not in events


def test_the_fallback_keeps_details_once_per_message(service, sessions) -> None:
    tracker = email_after_the_questions("dana@acme.io", "dana@acme.io")
    tracker.events.append({"event": "action", "name": "action_fallback"})
    messages, events = run(ActionFallback(), tracker)
    assert [m["response"] for m in messages] == ["utter_default"]
    assert [e["event"] for e in events] == ["rewind"]


def test_only_opening_the_widget_before_is_no_earlier_chat() -> None:
    opened = {"event": "user", "text": "/greet", "timestamp": 1001.0}
    wrote = {"event": "user", "text": "we need attribution", "timestamp": 1002.0}
    later = {"event": "session_started", "timestamp": 9000.0}
    start = {"event": "session_started", "timestamp": 1000.0}
    assert not chatted_before(make_tracker(events=[start, opened, later]))
    assert chatted_before(make_tracker(events=[start, opened, wrote, later]))


def test_details_kept_by_the_fallback_then_wait_for_the_visitor(service) -> None:
    service.answer("v-1", {"job_title": "i'm a student"})
    tracker = email_after_the_questions("kim@uni.edu", "kim@uni.edu")
    _, events = run(ActionFallback(), tracker)
    assert SlotSet("email", "kim@uni.edu") in events
    assert events[-1] == FollowupAction("action_listen")


def test_a_demo_asked_for_inside_an_introduction_is_a_signal() -> None:
    text = "I'm Dana Whitfield, CMO at Corvid, ~300 people, we want a demo next month"
    user = {"event": "user", "text": text, "timestamp": 1001.0}
    ranking = [
        {"name": "inform", "confidence": 0.53},
        {"name": "request_demo", "confidence": 0.47},
        {"name": "ask_pricing", "confidence": 0.02},
    ]
    user["parse_data"] = {"intent": {"name": "nlu_fallback", "confidence": 0.4},
                          "intent_ranking": ranking}  # fmt: skip
    found = signals(make_tracker(events=[user]))
    assert found == {"asked_demo"}


@pytest.mark.parametrize(
    ("text", "confidence", "answered_first"),
    [
        ("hey! how much does it cost", 0.56, True),
        ("hey! how much does it cost", 0.45, False),  # too unsure: the need
        ("we need pricing dashboards for our team", 0.56, False),  # a statement
    ],
)
def test_a_question_at_the_first_question_is_answered_first(
    service, text: str, confidence: float, answered_first: bool
) -> None:
    tracker = free_text_turn("use_case", text, "ask_pricing", confidence)
    _, events = asyncio.run(_validate(tracker))
    rejected = ActionExecutionRejected("qualification_form") in events
    assert rejected is answered_first


def test_the_rest_of_a_two_answer_message_is_the_answer_when_nothing_is_tagged(
    service, sessions
) -> None:
    text = "I'm the CEO, we're about 30 people"
    events = answer_with_entities("job_title", text, [("company_size", "30")],
                                  company_size="30")  # fmt: skip
    assert SlotSet("company_size", 30) in events
    with sessions.begin() as session:
        lead = leads.find_lead(session, "v-1")
        assert (lead.job_title, lead.seniority) == ("CEO", "c_level")
        assert lead.department == "executive", "not HR for 'people'"


def test_a_corrected_email_guesses_the_company_again(service, sessions) -> None:
    service.answer("v-1", {"email": "pat@wrongdomain.com"}, requested="email")
    result = service.correct("v-1", "sorry my email is pat@rightco.com")
    assert result is not None
    assert result.suggested == {"company": "Rightco"}
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").company == "Rightco"
    # A company the visitor named stays.
    service.answer("v-2", {"company": "Globex", "email": "sam@initech.com"})
    service.correct("v-2", "sorry my email is sam@globex.com")
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-2").company == "Globex"


def test_a_yes_after_nobody_will_contact_you_gives_the_consent_after_all(
    service, sessions
) -> None:
    without_consent = {k: v for k, v in QUALIFIED.items() if k != "consent"}
    service.answer("v-1", {**without_consent, "consent": "no"})
    told = {"event": "bot", "text": "Understood, nobody will contact you."}
    told |= {"timestamp": 1001.5, "metadata": {"utter_action": "utter_no_consent"}}
    text = "actually ok you can email me at dana.lee@acme-robotics.com"
    user = {"event": "user", "text": text, "timestamp": 1002.0}
    events = [{"event": "session_started", "timestamp": 1000.0}, told, user]
    tracker = make_tracker(text=text, intent="correct_answer", events=events)
    _, result = run(ActionCorrectAnswer(), tracker)
    assert SlotSet("consent", True) in result
    assert result[-1] == FollowupAction("action_conclude_qualification")
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").consent is True


@pytest.mark.parametrize(
    ("text", "hello"), [("Globex", False), ("hi there", True), ("Hello!", True)]
)
def test_a_company_read_as_a_hello_is_the_company(
    service, text: str, hello: bool
) -> None:
    _, events = answer("company", text, intent="greet", confidence=0.72)
    assert (ActionExecutionRejected("qualification_form") in events) is hello


def test_a_company_given_with_the_name_is_kept_untagged_too(service, sessions) -> None:
    events = answer_with_entities("name", "Maria Gonzalez from Northwind Traders", [])
    assert SlotSet("company", "Northwind Traders") in events
    with sessions.begin() as session:
        assert leads.find_lead(session, "v-1").company == "Northwind Traders"


def test_two_questions_in_one_message_are_both_answered(service) -> None:
    text = "hey! what does it cost and do u integrate with salesforce"
    tracker = make_tracker(requested_slot="job_title", text=text,
                           intent="ask_integrations", confidence=0.72)  # fmt: skip
    tracker.slots["job_title"] = text
    tracker.events.append(
        {"event": "slot", "name": "job_title", "value": text, "timestamp": 1002.0}
    )
    tracker.latest_message["intent_ranking"] = [
        {"name": "ask_integrations", "confidence": 0.72},
        {"name": "ask_pricing", "confidence": 0.25},
    ]
    messages, events = asyncio.run(_validate(tracker))
    assert [m["response"] for m in messages] == ["utter_pricing"]
    assert events[-1] == ActionExecutionRejected("qualification_form")
    # One question: the others ranked far below are no second one.
    tracker.latest_message["intent_ranking"][1]["confidence"] = 0.01
    messages, _ = asyncio.run(_validate(tracker))
    assert messages == []


def test_a_demo_asked_for_in_an_answer_by_a_lead_sales_have_is_news(
    service, sessions
) -> None:
    """The form stores the chat's signals before any conclusion runs."""
    qualify_everything(service)
    run(ActionConcludeQualification(), make_tracker(slots=QUALIFIED))
    service.answer("v-1", {"timeline": "asap"}, frozenset({"asked_demo"}),
                   requested="timeline")  # fmt: skip
    with sessions.begin() as session:
        notices = [m.payload for m in session.scalars(select(OutboxMessage))]
        update = next(p for p in notices if p["type"] == "lead.updated")
        assert "asked_demo" in update["changed"]


def test_a_person_asked_for_again_is_news_for_sales(service, sessions) -> None:
    qualify_everything(service)
    run(ActionConcludeQualification(), make_tracker(slots=QUALIFIED))
    tracker = make_tracker(text="can I talk to a rep?", intent="request_human")
    messages, _ = run(ActionHumanHandoff(), tracker)
    assert messages[0]["response"] == "utter_handoff_already"
    with sessions.begin() as session:
        notices = [m.payload for m in session.scalars(select(OutboxMessage))]
        update = next(p for p in notices if p["type"] == "lead.updated")
        assert update["changed"] == ["asked_human"]


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ({"job_title": "i'm a student"}, "student"),
        ({"email": "greg@funnelforge.com"}, "competitor"),
    ],
)
def test_a_disqualified_visitor_asking_for_a_person_gets_their_next_step(
    service, sessions, answers: dict[str, str], outcome: str
) -> None:
    service.answer("v-1", answers)
    tracker = make_tracker(text="can I talk to a person?", intent="request_human")
    messages, events = run(ActionHumanHandoff(), tracker)
    assert events == [SlotSet("outcome", outcome)]
    assert messages[0]["response"] == f"utter_{outcome}"
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 0


def test_the_fallback_serves_a_request_the_nlu_is_sure_of(service, sessions) -> None:
    # After the outcome and a product question, no rule knew what follows.
    tracker = make_tracker(text="actually, can someone from sales call me?",
                           intent="request_human", confidence=0.94)  # fmt: skip
    messages, events = run(ActionFallback(), tracker)
    assert messages[0]["response"] == "utter_handoff_no_email"
    assert events[-1] == FollowupAction("action_listen")
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 1
    tracker = make_tracker(text="do you integrate with hubspot?",
                           intent="ask_integrations", confidence=0.95)  # fmt: skip
    messages, events = run(ActionFallback(), tracker)
    assert [m["response"] for m in messages] == ["utter_integrations"]
    assert events == [FollowupAction("action_listen")]
    tracker = make_tracker(text="can we book a demo next week?",
                           intent="request_demo", confidence=0.98)  # fmt: skip
    messages, events = run(ActionFallback(), tracker)
    assert [m["response"] for m in messages] == ["utter_demo_later"]
    assert events == [FollowupAction("qualification_form")], "questions are left"
    # Unsure: asked to rephrase, as before.
    tracker = make_tracker(text="hmm sales?", intent="request_human", confidence=0.5)
    messages, _ = run(ActionFallback(), tracker)
    assert [m["response"] for m in messages] == ["utter_default"]
