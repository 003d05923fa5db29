"""Persona benchmark: scripted website visitors chat with the running bot.

Each persona in ``bench/personas/*.yml`` is a visitor with a true profile, a
way of phrasing things, an engagement history posted to ``POST /api/events``
before the chat, and the outcome a good qualifier would reach. The runner
plays every persona through the REST channel: it reads which question the
form is asking (``requested_slot``, through Rasa's HTTP API) and answers with
the persona's next phrasing for that question. Like the chat widget, it
opens every chat with ``/greet``, so the persona's first words answer (or
interrupt) the bot's first question. Then it reads the lead from
``GET /api/leads/{visitor_id}`` and compares outcome and normalized fields
with the persona's expectations.

Prints the share of personas reaching the right outcome, the share of fields
normalized correctly, questions asked per qualified persona next to a fixed
form that asks all twelve, REST turn latency (p50/p95), and a table of
failures with the end of each transcript. No assertions: the figures are the
result. See bench/README.md.

    .venv/bin/python bench/bench_personas.py --boot
    .venv/bin/python bench/bench_personas.py --rasa http://localhost:5005 \\
        --web http://localhost:8000 --token "$DMQL_RASA_TOKEN"
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
PERSONA_DIR = Path(__file__).resolve().parent / "personas"

#: The qualification form's questions, in the order the product lists them.
FORM_SLOTS = (
    "use_case", "job_title", "company", "company_size", "industry", "country",
    "timeline", "budget", "decision_maker", "name", "email", "consent",
)  # fmt: skip
OUTCOMES = frozenset({
    "handoff", "nurture", "student", "job_seeker", "competitor", "support",
    "no_consent",
})  # fmt: skip
#: Fields of ``GET /api/leads/{id}`` → ``lead`` a persona may expect.
LEAD_FIELDS = frozenset({
    *FORM_SLOTS, "seniority", "department", "timeline_months", "budget_amount",
    "budget_currency", "email_domain_kind",
})  # fmt: skip
EVENT_TYPES = frozenset({
    "page_view", "content_download", "webinar_signup", "newsletter_signup",
    "social_follow", "email_open", "email_click", "chat_message", "form_submit",
    "unsubscribe", "email_bounce",
})  # fmt: skip
#: The question whose answer sets each derived field.
SOURCE_SLOT = {
    "seniority": "job_title", "department": "job_title",
    "timeline_months": "timeline", "budget_amount": "budget",
    "budget_currency": "budget", "email_domain_kind": "email",
}  # fmt: skip
#: What a website form may tell the lead before the chat (see README).
FORM_FIELDS = ("name", "email", "company", "job_title")
FIXED_FORM_QUESTIONS = len(FORM_SLOTS)
MAX_TURNS = 60
TAIL_LINES = 8
TIMEOUT = httpx.Timeout(60.0, connect=5.0)  # Rasa holds a turn up to its 60 s lock
_AGO = re.compile(r"^(\d+(?:\.\d+)?)\s*([mhd])$")
_AGO_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class PersonaError(ValueError):
    """A persona file that cannot be played; the message names file and key."""


# ── Personas ────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Say:
    """One thing the persona types (or the button it presses)."""

    text: str
    button: bool = False  # answer with the payload of the button titled `text`
    leave: bool = False  # the persona closes the chat after this message


@dataclass(frozen=True)
class Persona:
    """A scripted visitor: what it says, what it did before, what should happen."""

    name: str
    kind: str
    styles: tuple[str, ...]
    page: str
    history: tuple[dict[str, Any], ...]
    opening: tuple[Say, ...]
    answers: Mapping[str, tuple[Say, ...]]
    after: Mapping[str, Say]
    expected_outcomes: tuple[str | None, ...]
    expected_fields: Mapping[str, Any]
    not_asked: tuple[str, ...]
    path: Path

    @property
    def qualified(self) -> bool:
        """A buyer who should reach sales by answering the form."""
        return self.kind == "qualified"

    @property
    def leaves_early(self) -> bool:
        steps = [*self.opening, *(s for said in self.answers.values() for s in said)]
        return any(step.leave for step in steps)

    def unscripted_slots(self) -> list[str]:
        """Questions this persona could not answer if the bot asked them."""
        return [slot for slot in FORM_SLOTS if not self.answers.get(slot)]


def _fail(path: Path, key: str, message: str) -> PersonaError:
    return PersonaError(f"{path.name}: {key}: {message}")


def _say(path: Path, key: str, raw: Any) -> Say:
    if isinstance(raw, str) and raw.strip():
        return Say(raw)
    if isinstance(raw, dict):
        unknown = set(raw) - {"say", "button", "leave"}
        if unknown:
            raise _fail(path, key, f"unknown keys {sorted(unknown)}")
        if ("say" in raw) == ("button" in raw):
            raise _fail(path, key, "give exactly one of 'say' or 'button'")
        text = raw.get("say", raw.get("button"))
        if not isinstance(text, str) or not text.strip():
            raise _fail(path, key, "the text must be a non-empty string")
        return Say(text, button="button" in raw, leave=bool(raw.get("leave", False)))
    raise _fail(path, key, "expected a string or {say: ..} / {button: ..}")


def _says(path: Path, key: str, raw: Any) -> tuple[Say, ...]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise _fail(path, key, "needs at least one phrasing")
    return tuple(_say(path, f"{key}[{i}]", item) for i, item in enumerate(items))


def _event(path: Path, key: str, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("type") not in EVENT_TYPES:
        raise _fail(path, key, f"needs a type among {sorted(EVENT_TYPES)}")
    ago = str(raw.get("ago", ""))
    if not _AGO.match(ago):
        raise _fail(path, key, "needs ago: like 20m, 5h or 3d")
    return dict(raw)


def _expected_outcomes(path: Path, raw: Any) -> tuple[str | None, ...]:
    items = raw if isinstance(raw, list) else [raw]
    for item in items:
        if item is not None and item not in OUTCOMES:
            raise _fail(path, "expect.outcome", f"{item!r} is not one of {OUTCOMES}")
    return tuple(items)


def _replace_tag(value: Any, tag: str) -> Any:
    if isinstance(value, str):
        return value.replace("{tag}", tag)
    if isinstance(value, list):
        return [_replace_tag(item, tag) for item in value]
    if isinstance(value, dict):
        return {k: _replace_tag(v, tag) for k, v in value.items()}
    return value


def load_persona(path: Path, tag: str = "") -> Persona:
    """Read one persona file; ``{tag}`` in any string becomes ``tag``.

    The tag keeps e-mail addresses unique per run, so a lead from an earlier
    run on the same store is not stitched onto this run's visitor.
    """
    try:
        raw = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise _fail(path, "(file)", f"not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise _fail(path, "(file)", "expected a mapping")
    raw = _replace_tag(raw, tag)
    unknown = set(raw) - {
        "name", "kind", "styles", "page", "history", "opening", "answers", "after",
        "expect", "notes",
    }  # fmt: skip
    if unknown:
        raise _fail(path, "(file)", f"unknown keys {sorted(unknown)}")
    if raw.get("name") != path.stem:
        raise _fail(path, "name", f"must equal the file name {path.stem!r}")
    answers = raw.get("answers") or {}
    after = raw.get("after") or {}
    for slot in [*answers, *after]:
        if slot not in FORM_SLOTS:
            raise _fail(path, f"answers.{slot}", "is not a question of the form")
    expect = raw.get("expect")
    if not isinstance(expect, dict) or "outcome" not in expect:
        raise _fail(path, "expect", "needs at least outcome:")
    fields = expect.get("fields") or {}
    for name in fields:
        if name not in LEAD_FIELDS:
            raise _fail(path, f"expect.fields.{name}", "is not a field of the lead")
    not_asked = tuple(expect.get("not_asked") or ())
    for slot in not_asked:
        if slot not in FORM_SLOTS:
            raise _fail(path, "expect.not_asked", f"{slot!r} is not a question")
    return Persona(
        name=raw["name"],
        kind=str(raw.get("kind", "")),
        styles=tuple(raw.get("styles") or ()),
        page=str(raw.get("page", "/")),
        history=tuple(
            _event(path, f"history[{i}]", e)
            for i, e in enumerate(raw.get("history") or [])
        ),
        opening=_says(path, "opening", raw.get("opening", "hi")),
        answers={s: _says(path, f"answers.{s}", v) for s, v in answers.items()},
        after={s: _say(path, f"after.{s}", v) for s, v in after.items()},
        expected_outcomes=_expected_outcomes(path, expect["outcome"]),
        expected_fields=dict(fields),
        not_asked=not_asked,
        path=path,
    )


def load_personas(
    directory: Path = PERSONA_DIR, tag: str = "", only: str | None = None
) -> list[Persona]:
    """Every persona in ``directory``, sorted by name; ``only`` picks one."""
    personas = [load_persona(p, tag) for p in sorted(directory.glob("*.yml"))]
    if only is not None:
        personas = [p for p in personas if p.name == only]
        if not personas:
            raise PersonaError(f"no persona named {only!r} in {directory}")
    return personas


def history_events(
    persona: Persona, visitor_id: str, now: datetime
) -> list[dict[str, Any]]:
    """The persona's history as ``POST /api/events`` wants it, dated from now."""
    events = []
    count = len(persona.history)
    for i, item in enumerate(persona.history):
        amount, unit = _AGO.match(str(item["ago"])).groups()  # type: ignore[union-attr]
        # A second per position keeps same-time events in the file's order
        # (and every event in the past).
        ago = timedelta(**{_AGO_UNITS[unit]: float(amount)})
        at = now - ago - timedelta(seconds=count - i)
        properties = {k: v for k, v in item.items() if k not in ("type", "ago")}
        events.append({
            "event_id": f"{visitor_id}-{i}"[-64:],
            "type": item["type"],
            "occurred_at": at.isoformat(),
            "properties": properties,
        })  # fmt: skip
    return events


# ── Comparing what the bot stored with what the persona meant ───────────────


def _canon(text: str) -> str:
    return " ".join(text.split()).casefold()


def field_matches(expected: Any, actual: Any) -> bool:
    """Whether a stored field value is what the persona meant.

    Text compares ignoring case and extra spaces; numbers compare as numbers
    (``60000`` equals ``60000.0``); ``{min: a, max: b}`` is an inclusive
    range (for answers whose month count depends on today's date) and
    ``{one_of: [...]}`` accepts any listed value.
    """
    if isinstance(expected, dict):
        if "one_of" in expected:
            return any(field_matches(option, actual) for option in expected["one_of"])
        if not isinstance(actual, int | float) or isinstance(actual, bool):
            return False
        low, high = expected.get("min", -math.inf), expected.get("max", math.inf)
        return bool(low <= actual <= high)
    if expected is None or isinstance(expected, bool):
        return actual is expected
    if isinstance(expected, int | float):
        if not isinstance(actual, int | float) or isinstance(actual, bool):
            return False
        return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-6)
    if isinstance(expected, str):
        return isinstance(actual, str) and _canon(expected) == _canon(actual)
    return bool(expected == actual)


@dataclass
class FieldCheck:
    """One expected field against the stored one.

    ``answered`` tells whether the visitor got to give this information (it
    answered the question behind the field, gave it on a website form, or
    the bot stored something for it): a field never asked because the chat
    got stuck earlier is a conversation failure, not a parsing one.
    """

    field: str
    expected: Any
    actual: Any
    ok: bool
    answered: bool = True


def check_fields(
    expected: Mapping[str, Any],
    lead: Mapping[str, Any],
    answered_slots: Collection[str] | None = None,
) -> list[FieldCheck]:
    """One check per field the persona has an expectation for."""
    checks = []
    for name, want in expected.items():
        actual = lead.get(name)
        ok = field_matches(want, actual)
        answered = (
            answered_slots is None
            or ok
            or actual is not None
            or SOURCE_SLOT.get(name, name) in answered_slots
        )
        checks.append(FieldCheck(name, want, actual, ok, answered))
    return checks


# ── One persona's run and the figures over all of them ──────────────────────


@dataclass
class PersonaResult:
    """What happened when one persona chatted with the bot."""

    name: str
    kind: str
    visitor_id: str
    expected_outcomes: list[str | None]
    outcome: str | None = None
    fields: list[FieldCheck] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # every question, re-asks too
    re_asked_known: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)  # questions answered
    latencies_s: list[float] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def outcome_ok(self) -> bool:
        return self.outcome in self.expected_outcomes

    @property
    def questions(self) -> int:
        """Distinct form questions the visitor was asked."""
        return len(set(self.asked))

    @property
    def finished(self) -> bool:
        """The chat reached an outcome without getting stuck on the way."""
        return self.outcome is not None and not self.problems

    @property
    def passed(self) -> bool:
        """Right outcome, every answered field right, nothing went wrong.

        A field the bot chose not to ask about is not held against a chat
        that finished; a stuck chat fails through its problem already.
        """
        return (
            self.outcome_ok
            and all(check.ok for check in self.fields if check.answered)
            and not self.re_asked_known
            and not self.problems
        )


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0-100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Figures:
    """The benchmark's headline numbers."""

    personas: int
    outcome_ok: int
    fields_checked: int
    fields_ok: int
    fields_answered: int
    fields_answered_ok: int
    qualified_personas: int
    qualified_finished: int
    median_questions: float | None
    median_asks: float | None
    fixed_form_questions: int
    turns: int
    latency_p50_s: float | None
    latency_p95_s: float | None
    by_field: dict[str, tuple[int, int, int]]  # field -> (ok, answered, checked)
    passed: int

    @property
    def outcome_share(self) -> float | None:
        return self.outcome_ok / self.personas if self.personas else None

    @property
    def fields_share(self) -> float | None:
        return self.fields_ok / self.fields_checked if self.fields_checked else None

    @property
    def normalized_share(self) -> float | None:
        if not self.fields_answered:
            return None
        return self.fields_answered_ok / self.fields_answered


def compute_figures(results: Sequence[PersonaResult], qualified: set[str]) -> Figures:
    """Aggregate per-persona results; ``qualified`` names the buyer personas."""
    checks = [check for result in results for check in result.fields]
    by_field: dict[str, tuple[int, int, int]] = {}
    for check in checks:
        ok, answered, seen = by_field.get(check.field, (0, 0, 0))
        by_field[check.field] = (ok + check.ok, answered + check.answered, seen + 1)
    buyers = [r for r in results if r.name in qualified]
    # Questions are compared over finished chats only: a chat stuck on its
    # third question asked few questions because it failed, not by design.
    done = [r for r in buyers if r.finished]
    latencies = [s for result in results for s in result.latencies_s]
    return Figures(
        personas=len(results),
        outcome_ok=sum(r.outcome_ok for r in results),
        fields_checked=len(checks),
        fields_ok=sum(check.ok for check in checks),
        fields_answered=sum(check.answered for check in checks),
        fields_answered_ok=sum(check.ok and check.answered for check in checks),
        qualified_personas=len(buyers),
        qualified_finished=len(done),
        median_questions=statistics.median(r.questions for r in done) if done else None,
        median_asks=statistics.median(len(r.asked) for r in done) if done else None,
        fixed_form_questions=FIXED_FORM_QUESTIONS,
        turns=len(latencies),
        latency_p50_s=percentile(latencies, 50),
        latency_p95_s=percentile(latencies, 95),
        by_field=dict(sorted(by_field.items())),
        passed=sum(r.passed for r in results),
    )


# ── Talking to the stack ────────────────────────────────────────────────────


class Bot:
    """The three HTTP surfaces the benchmark uses, over one client."""

    def __init__(
        self,
        rasa: str,
        web: str,
        token: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.rasa, self.web, self.token = rasa.rstrip("/"), web.rstrip("/"), token
        self.client = httpx.Client(timeout=TIMEOUT, transport=transport)

    def close(self) -> None:
        self.client.close()

    def post_events(self, visitor_id: str, events: list[dict[str, Any]]) -> None:
        for start in range(0, len(events), 100):
            response = self.client.post(
                f"{self.web}/api/events",
                json={"visitor_id": visitor_id, "events": events[start : start + 100]},
            )
            if response.status_code != 202:
                raise RuntimeError(
                    f"events refused: {response.status_code} {response.text}"
                )

    def say(
        self, visitor_id: str, text: str, page: str
    ) -> tuple[list[dict[str, Any]], float]:
        """One REST turn; returns the bot's messages and the wall time."""
        started = time.perf_counter()
        response = self.client.post(
            f"{self.rasa}/webhooks/rest/webhook",
            json={"sender": visitor_id, "message": text, "metadata": {"page": page}},
        )
        elapsed = time.perf_counter() - started
        response.raise_for_status()
        return response.json(), elapsed

    def requested_slot(self, visitor_id: str) -> str | None:
        response = self.client.get(
            f"{self.rasa}/conversations/{visitor_id}/tracker",
            params={"token": self.token, "include_events": "NONE"},
        )
        response.raise_for_status()
        slot: str | None = response.json()["slots"].get("requested_slot")
        return slot

    def lead(self, visitor_id: str) -> dict[str, Any] | None:
        response = self.client.get(f"{self.web}/api/leads/{visitor_id}")
        if response.status_code == 404:
            return None
        response.raise_for_status()
        lead: dict[str, Any] = response.json()
        return lead


def _button_payload(replies: Sequence[dict[str, Any]], title: str) -> str | None:
    for reply in reversed(replies):
        for button in reply.get("buttons") or []:
            if _canon(title) in (
                _canon(button.get("title", "")),
                _canon(button.get("payload", "")),
            ):
                return str(button["payload"])
    return None


class Conversation:
    """One persona's chat: sends messages, keeps the transcript and timings."""

    def __init__(self, bot: Bot, persona: Persona, result: PersonaResult) -> None:
        self.bot, self.persona, self.result = bot, persona, result
        self.last_replies: list[dict[str, Any]] = []

    def send(self, step: Say) -> None:
        text = step.text
        if step.button:
            payload = _button_payload(self.last_replies, step.text)
            if payload is None:
                self.result.problems.append(f"no button {step.text!r}; typed it")
            else:
                text = payload
        self.result.transcript.append(("visitor", text))
        replies, elapsed = self.bot.say(self.result.visitor_id, text, self.persona.page)
        self.result.latencies_s.append(elapsed)
        self.last_replies = replies
        if not replies:
            self.result.problems.append(f"no reply to {text[:60]!r}")
        for reply in replies:
            shown = reply.get("text") or ""
            if reply.get("buttons"):
                shown += (
                    " ["
                    + " | ".join(b.get("title", "") for b in reply["buttons"])
                    + "]"
                )
            self.result.transcript.append(("bot", shown))


def play(bot: Bot, persona: Persona, tag: str) -> PersonaResult:
    """Chat as the persona until the form stops asking, then read the lead."""
    visitor_id = f"bench-{persona.name}-{tag}"[:64]
    result = PersonaResult(
        name=persona.name,
        kind=persona.kind,
        visitor_id=visitor_id,
        expected_outcomes=list(persona.expected_outcomes),
    )
    if persona.history:
        bot.post_events(
            visitor_id, history_events(persona, visitor_id, datetime.now(UTC))
        )
    chat = Conversation(bot, persona, result)
    try:
        _chat(bot, persona, chat, result)
    except httpx.HTTPError as exc:
        result.problems.append(f"HTTP error: {exc!r}")
    lead = bot.lead(visitor_id)
    if lead is None:
        result.problems.append("no lead stored for the visitor")
    result.outcome = lead.get("outcome") if lead else None
    opened_only = not result.asked and not any(s.leave for s in persona.opening)
    if opened_only and result.outcome is None:
        result.problems.append("the chat went nowhere: no question, no outcome")
    given = {
        name for event in persona.history for name in FORM_FIELDS if event.get(name)
    }
    result.fields = check_fields(
        persona.expected_fields,
        (lead or {}).get("lead", {}),
        answered_slots={*result.answered, *given},
    )
    return result


#: What the chat widget sends when a visitor opens it (bot/web/static/widget.js).
WIDGET_OPENS = Say("/greet")


def _chat(
    bot: Bot, persona: Persona, chat: Conversation, result: PersonaResult
) -> None:
    chat.send(WIDGET_OPENS)
    for step in persona.opening:
        chat.send(step)
        if step.leave:
            return
    answered: dict[str, int] = {}
    pending_after: Say | None = None
    for _turn in range(MAX_TURNS):
        slot = bot.requested_slot(result.visitor_id)
        if slot is None:
            return
        result.asked.append(slot)
        if slot in persona.not_asked and slot not in result.re_asked_known:
            result.re_asked_known.append(slot)
        if pending_after is not None:
            chat.send(pending_after)
            pending_after = None
            continue
        phrasings = persona.answers.get(slot, ())
        count = answered.get(slot, 0)
        if not phrasings:
            result.problems.append(f"asked {slot}, which the persona has no answer for")
            return
        if count > len(phrasings):  # said everything, and the last one twice
            result.problems.append(f"stuck: {slot} asked {count + 1} times")
            return
        step = phrasings[min(count, len(phrasings) - 1)]
        answered[slot] = count + 1
        if slot not in result.answered:
            result.answered.append(slot)
        chat.send(step)
        if step.leave:
            return
        if count == 0 and slot in persona.after:
            pending_after = persona.after[slot]
    result.problems.append(f"still asking after {MAX_TURNS} turns")


# ── Report ──────────────────────────────────────────────────────────────────


def _share(ok: int, total: int) -> str:
    return f"{ok}/{total} ({ok / total:.0%})" if total else "n/a"


def _seconds(value: float | None) -> str:
    return f"{value * 1000:.0f} ms" if value is not None else "n/a"


def _show(value: Any) -> str:
    return (
        json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    )


def report(
    console: Console, results: Sequence[PersonaResult], figures: Figures
) -> None:
    """The headline figures, then per-field accuracy, then every failure."""
    headline = Table(title="Persona benchmark", show_header=False)
    headline.add_row("personas", str(figures.personas))
    headline.add_row("right outcome", _share(figures.outcome_ok, figures.personas))
    headline.add_row(
        "fields normalized correctly (of those the visitor got to answer)",
        _share(figures.fields_answered_ok, figures.fields_answered),
    )
    headline.add_row(
        "fields right (of all expected)",
        _share(figures.fields_ok, figures.fields_checked),
    )
    headline.add_row(
        "personas passing every check", _share(figures.passed, figures.personas)
    )
    headline.add_row(
        "questions per qualified persona (median over the "
        f"{figures.qualified_finished} of {figures.qualified_personas} "
        "whose chat finished)",
        f"bot {_num(figures.median_questions)} distinct "
        f"({_num(figures.median_asks)} with re-asks)  vs  fixed form "
        f"{figures.fixed_form_questions}",
    )
    headline.add_row(
        f"turn latency over {figures.turns} REST calls",
        f"p50 {_seconds(figures.latency_p50_s)}  p95 {_seconds(figures.latency_p95_s)}",
    )
    console.print(headline)

    per_field = Table(title="Fields by name")
    per_field.add_column("field")
    per_field.add_column("correct of answered", justify="right")
    per_field.add_column("correct of expected", justify="right")
    for name, (ok, answered, seen) in figures.by_field.items():
        per_field.add_row(name, _share(ok, answered), _share(ok, seen))
    console.print(per_field)

    failures = [r for r in results if not r.passed]
    if not failures:
        return
    table = Table(title=f"Failures ({len(failures)})", show_lines=True)
    table.add_column("persona", ratio=2)
    table.add_column("outcome\nexpected → got", ratio=2)
    table.add_column("what went wrong", ratio=4)
    table.add_column("transcript tail", ratio=7)
    for result in failures:
        wrong = [
            f"{c.field}: {_show(c.expected)} → {_show(c.actual)}"
            for c in result.fields
            if not c.ok and c.answered
        ]
        unreached = [c.field for c in result.fields if not c.answered]
        if unreached:
            wrong.append("never reached: " + ", ".join(unreached))
        if result.re_asked_known:
            wrong.append("asked again: " + ", ".join(result.re_asked_known))
        wrong += result.problems
        expected = " / ".join(str(o) for o in result.expected_outcomes)
        mark = "" if result.outcome_ok else " ✗"
        table.add_row(
            f"{result.name}\n({result.kind})",
            f"{expected} → {result.outcome}{mark}",
            "\n".join(wrong) or "-",
            "\n".join(
                f"{who[0].upper()}: {text[:110]}"
                for who, text in result.transcript[-TAIL_LINES:]
            ),
        )
    console.print(table)


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g}"


def as_json(results: Sequence[PersonaResult], figures: Figures) -> dict[str, Any]:
    """Everything the run found, for ``--json``."""
    return {
        "figures": {
            **asdict(figures),
            "outcome_share": figures.outcome_share,
            "fields_share": figures.fields_share,
            "normalized_share": figures.normalized_share,
        },
        "personas": [
            {
                **asdict(result),
                "outcome_ok": result.outcome_ok,
                "questions": result.questions,
                "passed": result.passed,
            }
            for result in results
        ],
    }


# ── Command line ────────────────────────────────────────────────────────────


@contextmanager
def booted_stack(
    console: Console, model: Path | None
) -> Iterator[tuple[str, str, str]]:
    """Train (unless a model is given) and boot the stack as the e2e test does."""
    sys.path.insert(0, str(ROOT))
    from tests.e2e.stack import Receiver, start_stack, train_fast_model

    work = Path(tempfile.mkdtemp(prefix="dmql-personas-"))
    if model is None:
        console.print(f"training a model with the e2e test's epochs in {work} ...")
        model = train_fast_model(work)
    receiver = Receiver()
    server = receiver.start()
    secret = "whsec_" + "YmVuY2gtcGVyc29uYXMtb25seS1zZWNyZXQ="
    stack = start_stack(work, model.resolve(), receiver.url, secret)
    try:
        console.print("booting the stack ...")
        stack.wait_ready()
        yield stack.rasa, stack.web, stack.token
    finally:
        code = stack.stop()
        server.shutdown()
        server.server_close()
        console.print(f"stack stopped (exit {code}); its log: {stack.log_path}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rasa", default="http://127.0.0.1:5005", help="Rasa server")
    parser.add_argument("--web", default="http://127.0.0.1:8000", help="web app")
    parser.add_argument(
        "--token",
        default=os.environ.get("DMQL_RASA_TOKEN", ""),
        help="token of Rasa's HTTP API (default: $DMQL_RASA_TOKEN)",
    )
    parser.add_argument(
        "--boot", action="store_true", help="train and boot a stack on free ports"
    )
    parser.add_argument(
        "--model", type=Path, help="with --boot: use this trained model, skip training"
    )
    parser.add_argument("--only", metavar="NAME", help="play one persona")
    parser.add_argument("--json", type=Path, metavar="FILE", help="save the results")
    args = parser.parse_args(argv)
    if args.model and not args.boot:
        parser.error("--model goes with --boot")
    if not args.boot and not args.token:
        parser.error("give --token (or set DMQL_RASA_TOKEN), or use --boot")
    return args


def run(
    bot: Bot, personas: Sequence[Persona], tag: str, console: Console
) -> list[PersonaResult]:
    results = []
    for persona in personas:
        result = play(bot, persona, tag)
        mark = (
            "ok" if result.passed else ("outcome ok" if result.outcome_ok else "FAIL")
        )
        console.print(
            f"  {persona.name:<40} {mark:<10} outcome={result.outcome} "
            f"questions={result.questions}"
        )
        results.append(result)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # A log file or pipe gets wide tables rather than rich's 80 columns.
    console = Console() if sys.stdout.isatty() else Console(width=180)
    tag = secrets.token_hex(3)
    try:
        personas = load_personas(tag=tag, only=args.only)
    except PersonaError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    qualified = {p.name for p in personas if p.qualified}

    def bench(rasa: str, web: str, token: str) -> list[PersonaResult]:
        bot = Bot(rasa, web, token)
        try:
            console.print(
                f"{len(personas)} personas against {rasa} and {web} (run {tag})"
            )
            return run(bot, personas, tag, console)
        finally:
            bot.close()

    if args.boot:
        with booted_stack(console, args.model) as (rasa, web, token):
            results = bench(rasa, web, token)
    else:
        results = bench(args.rasa, args.web, args.token)
    figures = compute_figures(results, qualified)
    report(console, results, figures)
    if args.json:
        args.json.write_text(
            json.dumps(as_json(results, figures), indent=2, default=str)
        )
        console.print(f"results saved to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
