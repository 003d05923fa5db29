"""The persona benchmark's loader, scoring of answers and figures.

No bot runs here: the shipped persona files are loaded and checked, the
comparisons and figures are computed on hand-made results, and the chat loop
talks to a small fake of the three HTTP surfaces through ``MockTransport``.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bench import bench_personas as bp
from bot.designer import nlu_overlap

ROOT = Path(__file__).resolve().parents[2]


def write_persona(directory: Path, stem: str = "p-one", **overrides: Any) -> Path:
    """A minimal valid persona file, with top-level keys overridden."""
    body: dict[str, Any] = {
        "name": stem,
        "kind": "qualified",
        "opening": "hi",
        "answers": {slot: f"answer to {slot}" for slot in bp.FORM_SLOTS},
        "expect": {"outcome": "handoff", "fields": {"company_size": 10}},
    }
    body.update(overrides)
    path = directory / f"{stem}.yml"
    path.write_text(yaml.safe_dump(body, allow_unicode=True))
    return path


def make_result(name: str = "p", **fields: Any) -> bp.PersonaResult:
    base: dict[str, Any] = {
        "name": name,
        "kind": "qualified",
        "visitor_id": f"v-{name}",
        "expected_outcomes": ["handoff"],
    }
    base.update(fields)
    return bp.PersonaResult(**base)


# ── The shipped personas ────────────────────────────────────────────────────


def test_the_shipped_personas_load_with_the_required_mix() -> None:
    personas = bp.load_personas(tag="t0k3n")
    kinds = Counter(p.kind for p in personas)

    assert len(personas) >= 30
    assert len({p.name for p in personas}) == len(personas)
    assert kinds["qualified"] >= 12
    assert kinds["nurture"] >= 5
    assert kinds["student"] >= 3
    assert kinds["job_seeker"] >= 2
    assert kinds["competitor"] >= 2
    assert kinds["customer"] >= 2
    assert kinds["human"] >= 2
    assert kinds["pause"] >= 2
    assert any("non_english" in p.styles for p in personas)


def test_every_persona_can_answer_every_question_unless_it_leaves() -> None:
    for persona in bp.load_personas():
        if persona.leaves_early or persona.kind == "human":
            continue
        assert persona.unscripted_slots() == [], persona.name


def test_pauses_never_expect_a_handoff() -> None:
    for persona in bp.load_personas():
        if persona.kind == "pause":
            assert "handoff" not in persona.expected_outcomes
            assert None in persona.expected_outcomes


def test_gated_personas_post_the_fields_they_must_not_be_asked() -> None:
    gated = [p for p in bp.load_personas() if p.not_asked]
    assert gated
    for persona in gated:
        forms = [e for e in persona.history if e["type"] == "form_submit"]
        given = {key for form in forms for key in form}
        assert set(persona.not_asked) <= given, persona.name


def test_the_run_tag_keeps_emails_unique_per_run() -> None:
    persona = bp.load_persona(bp.PERSONA_DIR / "lena-cmo-berlin-gated.yml", "r42")
    email = persona.expected_fields["email"]

    assert email == "lena.vogt+r42@kranich-mobility.de"
    assert persona.answers["email"][0].text == email
    assert persona.history[1]["email"] == email
    assert "{tag}" not in json.dumps(
        [p.expected_fields for p in bp.load_personas(tag="x")]
    )


def _nlu_examples() -> set[str]:
    files = nlu_overlap.nlu_files(ROOT / "data" / "nlu")
    return {bp._canon(example.text) for example in nlu_overlap.read_examples(files)}


def test_no_persona_says_a_sentence_from_the_training_data() -> None:
    """A persona repeating a training example would measure memory, not skill.

    Replies of one or two words ("yes", "Germany", "VP Sales") are what every
    visitor types and may coincide; anything longer must be the persona's own.
    A button press sends the button's payload, not its title: it says nothing.
    """
    examples = _nlu_examples()
    reused = [
        (persona.name, step.text)
        for persona in bp.load_personas()
        for step in [
            *persona.opening,
            *(s for said in persona.answers.values() for s in said),
            *persona.after.values(),
        ]
        if not step.button
        and len(step.text.split()) > 2
        and bp._canon(step.text) in examples
    ]
    assert reused == []


# ── Loader errors name the file and the key ─────────────────────────────────


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"colour": "blue"}, "unknown keys ['colour']"),
        ({"name": "someone-else"}, "name: must equal the file name"),
        ({"answers": {"shoe_size": "42"}}, "answers.shoe_size: is not a question"),
        ({"expect": {"outcome": "promoted"}}, "expect.outcome"),
        ({"expect": {"fields": {}}}, "expect: needs at least outcome"),
        (
            {"expect": {"outcome": "handoff", "fields": {"iq": 1}}},
            "expect.fields.iq",
        ),
        ({"history": [{"type": "teleport", "ago": "1d"}]}, "history[0]"),
        ({"history": [{"type": "page_view", "ago": "soon"}]}, "ago: like"),
        ({"answers": {"budget": {"say": "x", "button": "y"}}}, "exactly one"),
        ({"answers": {"budget": []}}, "needs at least one phrasing"),
    ],
)
def test_a_broken_persona_is_refused_with_file_and_key(
    tmp_path: Path, overrides: dict[str, Any], message: str
) -> None:
    write_persona(tmp_path, **overrides)
    with pytest.raises(bp.PersonaError) as raised:
        bp.load_personas(tmp_path)
    assert "p-one.yml" in str(raised.value)
    assert message in str(raised.value)


def test_invalid_yaml_is_refused_with_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text("name: bad\nanswers:\n  budget: a: b\n")
    with pytest.raises(bp.PersonaError, match=r"bad\.yml: \(file\): not valid YAML"):
        bp.load_personas(tmp_path)


def test_only_picks_one_persona_or_says_there_is_none(tmp_path: Path) -> None:
    write_persona(tmp_path, "p-one")
    write_persona(tmp_path, "p-two")

    assert [p.name for p in bp.load_personas(tmp_path, only="p-two")] == ["p-two"]
    with pytest.raises(bp.PersonaError, match="no persona named 'p-three'"):
        bp.load_personas(tmp_path, only="p-three")


def test_phrasings_buttons_and_leaving_are_read(tmp_path: Path) -> None:
    write_persona(
        tmp_path,
        answers={
            "budget": ["why do you ask?", "40k"],
            "consent": {"button": "Yes, please"},
            "job_title": {"say": "not now", "leave": True},
        },
        after={"budget": "sorry, 50k"},
        expect={"outcome": [None, "nurture"]},
    )
    persona = bp.load_personas(tmp_path)[0]

    assert [s.text for s in persona.answers["budget"]] == ["why do you ask?", "40k"]
    assert persona.answers["consent"] == (bp.Say("Yes, please", button=True),)
    assert persona.answers["job_title"][0].leave
    assert persona.leaves_early
    assert persona.after["budget"].text == "sorry, 50k"
    assert persona.expected_outcomes == (None, "nurture")


def test_history_becomes_past_events_in_file_order(tmp_path: Path) -> None:
    write_persona(
        tmp_path,
        history=[
            {"type": "page_view", "ago": "2d", "path": "/pricing", "session_id": "s1"},
            {"type": "form_submit", "ago": "2d", "email": "a@b.io"},
            {"type": "newsletter_signup", "ago": "30m"},
        ],
    )
    now = datetime(2026, 12, 4, 12, tzinfo=UTC)
    events = bp.history_events(bp.load_personas(tmp_path)[0], "v-1", now)

    assert [e["type"] for e in events] == [
        "page_view",
        "form_submit",
        "newsletter_signup",
    ]
    assert events[0]["properties"] == {"path": "/pricing", "session_id": "s1"}
    assert events[1]["properties"] == {"email": "a@b.io"}
    times = [datetime.fromisoformat(e["occurred_at"]) for e in events]
    assert times[0] < times[1] < times[2] < now
    assert (now - times[2]).total_seconds() == pytest.approx(30 * 60 + 1)
    assert len({e["event_id"] for e in events}) == 3


# ── Comparing stored fields with what the persona meant ─────────────────────


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        (60000, 60000.0, True),
        (60000, 59999.0, False),
        (60000, "60000", False),
        (1, True, False),
        (True, 1, False),
        (True, True, True),
        (False, None, False),
        (None, None, True),
        (None, 0, False),
        ("Oliver  Bennett", "oliver bennett", True),
        ("Oliver Bennett", "I'm Oliver Bennett", False),
        ("US", None, False),
        ({"min": 0, "max": 3}, 3, True),
        ({"min": 0, "max": 3}, 4, False),
        ({"min": 0, "max": 3}, None, False),
        ({"one_of": ["EUR", None]}, None, True),
        ({"one_of": ["EUR", None]}, "USD", False),
    ],
)
def test_field_matches(expected: Any, actual: Any, ok: bool) -> None:
    assert bp.field_matches(expected, actual) is ok


def test_check_fields_covers_only_the_expected_fields() -> None:
    checks = bp.check_fields(
        {"company_size": 250, "country": "ES"},
        {"company_size": 250, "country": "Spain", "budget_amount": 1.0},
    )
    assert [(c.field, c.actual, c.ok) for c in checks] == [
        ("company_size", 250, True),
        ("country", "Spain", False),
    ]


def test_a_field_whose_question_never_came_is_not_a_parsing_failure() -> None:
    expected = {"budget_amount": 40000, "seniority": "vp", "country": "ES"}
    checks = bp.check_fields(
        expected, {"country": "Spain"}, answered_slots={"job_title"}
    )
    assert [(c.field, c.ok, c.answered) for c in checks] == [
        ("budget_amount", False, False),  # stuck before the budget question
        ("seniority", False, True),  # answered the job title: parsing failed
        ("country", False, True),  # stored, though wrongly
    ]


# ── Figures ─────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([], 50, None),
        ([0.4], 95, 0.4),
        ([3.0, 1.0, 2.0], 50, 2.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.0),
        ([float(v) for v in range(1, 21)], 95, 19.0),
        ([float(v) for v in range(1, 101)], 95, 95.0),
    ],
)
def test_percentile_is_nearest_rank(
    values: list[float], q: float, expected: float | None
) -> None:
    assert bp.percentile(values, q) == expected


def test_figures_over_hand_made_results() -> None:
    ok = bp.FieldCheck("company_size", 250, 250, True)
    bad = bp.FieldCheck("country", "ES", "Spain", False)
    unreached = bp.FieldCheck("country", "ES", None, False, answered=False)
    results = [
        make_result(
            "buyer-a",
            outcome="handoff",
            fields=[ok, bad],
            asked=[*bp.FORM_SLOTS[:9], "budget"],  # 9 questions, 10 asks
            latencies_s=[0.1, 0.2],
        ),
        make_result(
            "buyer-b",
            outcome="nurture",
            fields=[ok],
            asked=list(bp.FORM_SLOTS[:11]),
            latencies_s=[0.3],
        ),
        make_result(
            "buyer-stuck",
            fields=[unreached],
            asked=["use_case", "use_case", "use_case"],
            problems=["stuck: use_case asked 3 times"],
        ),
        make_result(
            "pauser",
            kind="pause",
            expected_outcomes=[None, "nurture"],
            asked=["use_case"],
            latencies_s=[0.4, 2.0],
        ),
    ]
    figures = bp.compute_figures(
        results, qualified={"buyer-a", "buyer-b", "buyer-stuck"}
    )

    assert (figures.personas, figures.outcome_ok) == (4, 2)
    assert figures.outcome_share == pytest.approx(2 / 4)
    assert (figures.fields_ok, figures.fields_checked) == (2, 4)
    assert (figures.fields_answered_ok, figures.fields_answered) == (2, 3)
    assert figures.normalized_share == pytest.approx(2 / 3)
    assert figures.by_field == {"company_size": (2, 2, 2), "country": (0, 1, 2)}
    assert (figures.qualified_finished, figures.qualified_personas) == (2, 3)
    assert figures.median_questions == 10  # median of 9 and 11; stuck left out
    assert figures.median_asks == 10.5  # median of 10 and 11
    assert figures.fixed_form_questions == 12
    assert figures.turns == 5
    assert figures.latency_p50_s == 0.3
    assert figures.latency_p95_s == 2.0
    assert figures.passed == 1  # only the pause: no fields, right outcome


def test_a_result_fails_on_any_wrong_field_re_ask_or_problem() -> None:
    good = bp.FieldCheck("company_size", 10, 10, True)
    assert make_result(outcome="handoff", fields=[good]).passed
    assert not make_result(outcome="nurture", fields=[good]).passed
    assert not make_result(outcome="handoff", re_asked_known=["email"]).passed
    assert not make_result(outcome="handoff", problems=["stuck: budget"]).passed
    never_asked = bp.FieldCheck("country", "ES", None, False, answered=False)
    assert make_result(outcome="handoff", fields=[good, never_asked]).passed


def test_figures_without_results_say_nothing_rather_than_divide_by_zero() -> None:
    figures = bp.compute_figures([], qualified=set())
    assert figures.outcome_share is None
    assert figures.fields_share is None
    assert figures.median_questions is None
    assert figures.latency_p95_s is None


# ── The chat loop against a fake bot ────────────────────────────────────────


class FakeBot:
    """Asks the form's questions in order; re-asks after 'why do you ask?'.

    Remembers each answer as the lead field of the same name, so tests can
    see which phrasing the runner sent for which question.
    """

    def __init__(self, known: tuple[str, ...] = ()) -> None:
        self.pending = [s for s in bp.FORM_SLOTS if s not in known]
        self.started = False
        self.stored: dict[str, Any] = {}
        self.events: list[dict[str, Any]] = []
        self.said: list[str] = []
        self.pages: set[str] = set()

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/events":
            self.events += json.loads(request.content)["events"]
            return httpx.Response(202, json={"accepted": 1})
        if request.url.path == "/webhooks/rest/webhook":
            body = json.loads(request.content)
            self.pages.add(body["metadata"]["page"])
            return httpx.Response(200, json=self.reply(body["message"]))
        if request.url.path.endswith("/tracker"):
            assert request.url.params["token"] == "tok"
            slot = self.pending[0] if self.started and self.pending else None
            return httpx.Response(200, json={"slots": {"requested_slot": slot}})
        if request.url.path.startswith("/api/leads/"):
            outcome = "handoff" if not self.pending else None
            return httpx.Response(200, json={"outcome": outcome, "lead": self.stored})
        return httpx.Response(404)

    def reply(self, message: str) -> list[dict[str, Any]]:
        self.said.append(message)
        if message in ("/greet", "hi"):  # the widget opening, the persona's hello
            self.started = True
            return [{"text": "Hi!"}]
        if "why" in message or "sorry" in message:
            return [{"text": "It helps us route you."}]
        slot = self.pending.pop(0)
        self.stored[slot] = message
        if self.pending and self.pending[0] == "consent":
            return [{"text": "Contact you?", "buttons": [
                {"title": "Yes, please", "payload": "/affirm"},
                {"title": "No thanks", "payload": "/deny"},
            ]}]  # fmt: skip
        return [{"text": "ok"}]


def play_with(fake: FakeBot, persona: bp.Persona) -> bp.PersonaResult:
    bot = bp.Bot("http://rasa", "http://web", "tok", httpx.MockTransport(fake.handle))
    try:
        return bp.play(bot, persona, tag="t1")
    finally:
        bot.close()


def test_the_runner_answers_each_question_with_its_phrasings(tmp_path: Path) -> None:
    answers: dict[str, Any] = {slot: f"my {slot}" for slot in bp.FORM_SLOTS}
    answers["budget"] = ["why do you ask?", "40k"]
    answers["consent"] = {"button": "Yes, please"}
    write_persona(
        tmp_path,
        answers=answers,
        after={"company": "sorry, typo: it's Acme"},
        page="/pricing",
        history=[{"type": "page_view", "ago": "1d", "path": "/"}],
        expect={"outcome": "handoff", "fields": {"budget": "40k", "name": "my name"}},
    )
    fake = FakeBot()
    result = play_with(fake, bp.load_personas(tmp_path)[0])

    assert result.outcome_ok
    assert result.passed, result
    assert fake.stored["budget"] == "40k"
    assert fake.stored["consent"] == "/affirm"  # the button's payload
    assert "sorry, typo: it's Acme" in fake.said
    assert result.questions == 12
    assert len(result.asked) == 14  # budget and company_size asked twice
    assert len(result.latencies_s) == len(fake.said) == 16
    assert fake.said[:2] == ["/greet", "hi"], "opened as the widget opens it"
    assert fake.pages == {"/pricing"}
    assert len(fake.events) == 1
    assert result.visitor_id == "bench-p-one-t1"


def test_asking_what_the_visitor_already_gave_is_a_failure(tmp_path: Path) -> None:
    write_persona(tmp_path, expect={"outcome": "handoff", "not_asked": ["email"]})
    result = play_with(FakeBot(), bp.load_personas(tmp_path)[0])

    assert result.outcome_ok
    assert result.re_asked_known == ["email"]
    assert not result.passed

    clean = play_with(FakeBot(known=("email",)), bp.load_personas(tmp_path)[0])
    assert clean.re_asked_known == []
    assert clean.questions == 11


def test_a_question_asked_past_the_script_ends_the_chat(tmp_path: Path) -> None:
    answers = {slot: f"my {slot}" for slot in bp.FORM_SLOTS}
    answers["budget"] = "why?"
    write_persona(tmp_path, answers=answers)
    result = play_with(FakeBot(), bp.load_personas(tmp_path)[0])

    assert result.problems == ["stuck: budget asked 3 times"]
    assert result.asked.count("budget") == 3
    assert result.outcome is None
    assert not result.outcome_ok


def test_a_persona_that_leaves_stops_answering(tmp_path: Path) -> None:
    write_persona(
        tmp_path,
        answers={
            "use_case": "reports",
            "job_title": {"say": "not now", "leave": True},
        },
        expect={"outcome": [None, "nurture"]},
    )
    fake = FakeBot()
    result = play_with(fake, bp.load_personas(tmp_path)[0])

    assert fake.said == ["/greet", "hi", "reports", "not now"]
    assert result.outcome_ok
    assert result.passed


def test_a_chat_that_goes_nowhere_or_a_silent_bot_is_a_problem(
    tmp_path: Path,
) -> None:
    class SilentBot(FakeBot):
        def reply(self, message: str) -> list[dict[str, Any]]:
            self.said.append(message)
            return []

    write_persona(tmp_path, opening="hello?")
    result = play_with(SilentBot(), bp.load_personas(tmp_path)[0])

    assert result.problems == [
        "no reply to '/greet'",
        "no reply to 'hello?'",
        "the chat went nowhere: no question, no outcome",
    ]
    assert [c.answered for c in result.fields] == [False]
