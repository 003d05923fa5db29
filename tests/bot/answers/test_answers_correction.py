"""Visitors correcting an earlier answer, and answers that only look like it."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import (
    DEFAULT_LOOKUPS_DIR,
    Correction,
    detect_correction,
    load_lookups,
    parse_budget,
    parse_company_size,
    parse_country,
    parse_email,
    parse_industry,
    parse_job_title,
    parse_timeline,
)
from bot.errors import ConfigError

TODAY = date(2025, 5, 14)  # mid Q2


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("actually we're 500 people", "company_size", "500 people"),
        ("sorry, my email is dana@acme.io", "email", "dana@acme.io"),
        ("wait, I meant director of marketing", "job_title", "director of marketing"),
        ("my title is actually VP Sales", "job_title", "VP Sales"),
        ("correction: budget is more like €50k", "budget", "€50k"),
        ("we're based in Canada, not the US", "country", "Canada"),
        ("timeline changed, it's next quarter now", "timeline", "next quarter"),
        ("I'm at Globex, not Initech", "company", "Globex"),
        ("my name is actually Sam", "name", "Sam"),
        # Lower case, typos, other cues and word orders.
        ("acutally were 200 ppl", "company_size", "200 ppl"),
        (
            "actually we have about fifty employees",
            "company_size",
            "about fifty employees",
        ),
        ("update: we're now 80 staff", "company_size", "80 staff"),
        ("make that 120 people", "company_size", "120 people"),
        ("not 50 but 500 people", "company_size", "500 people"),
        ("oops typo: dana@acme.io", "email", "dana@acme.io"),
        ("sorry wrong email, it's Sam.Lee@Globex.com", "email", "sam.lee@globex.com"),
        ("actually i'm the head of marketing", "job_title", "head of marketing"),
        ("sorry, I meant the marketing team", "job_title", "the marketing team"),
        ("scratch that, our budget is 20k a year", "budget", "20k a year"),
        ("my bad, it's $30,000 per year", "budget", "$30,000 per year"),
        ("I meant Canada not the US", "country", "Canada"),
        ("actually, we're in germany", "country", "germany"),
        ("Actually we're in the UK", "country", "UK"),
        ("sorry i meant Q3", "timeline", "Q3"),
        ("i meant 2 months not 6", "timeline", "2 months"),
        ("actually we need it now", "timeline", "we need it now"),
        ("sorry, the name of the company is Globex", "company", "Globex"),
        ("actually the company is Initech", "company", "Initech"),
        ("oh, and my name is Dana Lee, not Diana", "name", "Dana Lee"),
        ("actually we're in fintech", "industry", "fintech"),
        ("actually our industry is healthcare", "industry", "healthcare"),
        ("actually we're a SaaS company, not an agency", "industry", "a SaaS company"),
        # A second sentence explains the change; a cut clause leaves a space.
        (
            "Sorry, correction on the head-count: it's 1,500, not 150. "
            "We merged with another company last year.",
            "company_size",
            "on the head-count: it's 1,500 We merged with another company last year",
        ),
    ],
)
def test_reads_the_slot_and_the_new_answer(text: str, slot: str, value: str) -> None:
    assert detect_correction(text, TODAY) == Correction(slot, value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        # Plain answers to the question being asked.
        "500 people",
        "dana@acme.io",
        "VP Sales",
        "we're based in Canada",
        "next quarter",
        "we're a SaaS company",
        "no budget yet",
        # Negations and hedges are not "X, not Y".
        "not sure yet",
        "not right now",
        "not at all",
        "of course not",
        "we're not based in the US",
        "I'm not the decision maker",
        # Cues with nothing credible to correct.
        "sorry",
        "actually",
        "sorry, what do you mean?",
        "Sorry for the wait",
        "hmm let me think",
        "actually, can I talk to a human?",
        "wait, how much does Brightlane cost?",
        "actually I don't know",
        "actually that's all, thanks",
        "I mean, we're a small team",
        "nothing changed",
        "can you update me on pricing?",
        "it's Sam, not Sandra",  # a name, but of which slot?
        "",
    ],
)
def test_answers_that_correct_nothing(text: str) -> None:
    assert detect_correction(text, TODAY) is None


def test_the_value_feeds_the_slots_own_parser() -> None:
    def value(text: str) -> str:
        found = detect_correction(text, TODAY)
        assert found is not None, text
        return found.value

    assert parse_company_size(value("actually we're 500 people")) == 500
    email = parse_email(value("sorry, my email is dana@acme.io"))
    assert email.address == "dana@acme.io"
    title = parse_job_title(value("wait, I meant director of marketing"))
    assert (title.seniority, title.department) == ("director", "marketing")
    budget = parse_budget(value("correction: budget is more like €50k"))
    assert (budget.amount, budget.currency) == (Decimal(50000), "EUR")
    assert parse_country(value("we're based in Canada, not the US")).code == "CA"
    timeline = parse_timeline(value("timeline changed, it's next quarter now"), TODAY)
    assert timeline.months == 2
    assert parse_industry(value("actually we're in fintech")).key == (
        "financial_services"
    )


def test_a_cue_word_points_at_a_slot_only_if_its_parser_agrees() -> None:
    # "team" usually means the company size; no number, so a job title.
    found = detect_correction("sorry, I meant the marketing team", TODAY)
    assert found == Correction("job_title", "the marketing team")
    # An address outranks the other cue words around it.
    found = detect_correction("actually my title email is sam@globex.com", TODAY)
    assert found == Correction("email", "sam@globex.com")


PLAIN_ANSWERS = st.sampled_from(
    [
        "500 people",
        "VP of Sales",
        "€50k a year",
        "Canada",
        "next quarter",
        "dana@acme.io",
        "Globex",
        "we're a SaaS company",
        "head of growth",
        "in 3 months",
    ]
)


@settings(max_examples=60, deadline=None)
@given(PLAIN_ANSWERS)
def test_a_plain_answer_is_not_a_correction(answer: str) -> None:
    assert detect_correction(answer, TODAY) is None


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["actually", "sorry, I meant", "correction:", "oops, typo:"]),
    st.sampled_from(
        [
            ("we're 500 people", "company_size"),
            ("my email is dana@acme.io", "email"),
            ("VP of Sales", "job_title"),
            ("our budget is €50k a year", "budget"),
            ("we're based in Canada", "country"),
            ("next quarter", "timeline"),
        ]
    ),
)
def test_any_cue_before_an_answer_makes_a_correction(
    cue: str, answer: tuple[str, str]
) -> None:
    text, slot = answer
    found = detect_correction(f"{cue} {text}", TODAY)
    assert found is not None
    assert found.slot == slot
    assert found.value.lower() in text.lower()  # cut, never rewritten


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_never_raises(text: str) -> None:
    found = detect_correction(text, TODAY)
    assert found is None or found.value


def test_a_designer_adds_a_cue(tmp_path: Path) -> None:
    directory = tmp_path / "lookups"
    shutil.copytree(DEFAULT_LOOKUPS_DIR, directory)
    extra = directory / "extra.yml"
    extra.write_text(
        'version: "3.1"\nnlu:\n- lookup: correction_slot_phone\n'
        "  examples: |\n    - phone\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"extra\.yml:3: unknown lookup"):
        load_lookups(directory)
    path = directory / "corrections.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    - actually\n", "    - actually\n    - eigentlich\n", 1
        ),
        encoding="utf-8",
    )
    extra.write_text("", encoding="utf-8")
    lookups = load_lookups(directory)
    found = detect_correction("eigentlich 500 people", TODAY, lookups=lookups)
    assert found == Correction("company_size", "500 people")
    assert detect_correction("eigentlich 500 people", TODAY) is None
