"""'I don't know' in the visitor's words: the question is skipped, not asked again."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.answers import (
    DEFAULT_LOOKUPS_DIR,
    is_unknown,
    load_lookups,
    parse_budget,
    parse_company_size,
    parse_timeline,
)

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    "text",
    [
        "idk",
        "IDK!",
        "no clue",
        "no clue honestly",
        "not sure tbh",
        "dunno",
        "no idea really",
        "hard to say",
        "i really don't know",
        "honestly i have no idea",
        "not sure how many people",
        "no idea what our budget is",
        "not sure at the moment, sorry",
        "no idea",  # the table's own phrases, as before
        "I don’t know",
    ],
)
def test_dont_know_in_any_wording_is_unknown(text: str) -> None:
    assert is_unknown(text)


@pytest.mark.parametrize(
    "text",
    [
        "about 50, not sure exactly",  # 50 people
        "no idea, maybe fifty?",
        "not sure, a few hundred",
        "not sure, maybe next year",
        "no idea, probably healthcare",
        "not sure, just me",  # one person
        "no idea, no budget yet",
        "sure",
        "no",
        "",
    ],
)
def test_an_answer_beside_a_dont_know_is_not_unknown(text: str) -> None:
    assert not is_unknown(text)


def test_a_size_with_a_hedge_is_still_the_size() -> None:
    assert parse_company_size("about 50, not sure exactly") == 50
    assert parse_company_size("not sure, just me") == 1


@pytest.mark.parametrize("text", ["idk", "no clue honestly", "dunno tbh"])
def test_budget_and_timeline_read_dont_know_too(text: str) -> None:
    budget = parse_budget(text)
    assert (budget.status, budget.amount) == ("depends", None)
    timeline = parse_timeline(text, TODAY)
    assert (timeline.months, timeline.researching) == (None, False)


def test_a_designer_adds_a_dont_know_phrase_and_a_filler(tmp_path: Path) -> None:
    directory = tmp_path / "lookups"
    shutil.copytree(DEFAULT_LOOKUPS_DIR, directory)
    path = directory / "answers.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    - idk\n", "    - idk\n    - no se\n")
    text = text.replace("    - tbh\n", "    - tbh\n    - amigo\n")
    path.write_text(text, encoding="utf-8")
    lookups = load_lookups(directory)
    assert is_unknown("no se amigo", lookups=lookups)
    assert not is_unknown("no se amigo")
