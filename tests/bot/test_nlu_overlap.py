"""The designers' quick check of which intents their examples mix up."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.designer import nlu_overlap

GREETINGS = ["hi", "hello", "hey there", "good morning", "hiya", "hello again"]
PRICES = [
    "how much is it",
    "what does it cost",
    "price per seat?",
    "how much for 50 seats",
    "what are your prices",
    "is it expensive",
]


def nlu_file(path: Path, intents: dict[str, list[str]]) -> Path:
    blocks = "".join(
        f"  - intent: {intent}\n    examples: |\n"
        + "".join(f"      - {text}\n" for text in texts)
        for intent, texts in intents.items()
    )
    path.write_text(f'version: "3.1"\nnlu:\n{blocks}', encoding="utf-8")
    return path


def test_entity_markup_is_stripped() -> None:
    assert (
        nlu_overlap.plain_text(
            'I\'m the [CMO](job_title) at [Acme]{"entity": "company"}'
        )
        == "I'm the CMO at Acme"
    )
    assert nlu_overlap.plain_text("[5k](company_size:5000)+") == "5k+"


def test_lookups_and_regexes_are_not_examples(tmp_path: Path) -> None:
    path = tmp_path / "nlu.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n  - lookup: countries\n    examples: |\n      - France\n'
        "  - intent: greet\n    examples: |\n      - hi [Dana](name)\n",
        encoding="utf-8",
    )
    assert list(nlu_overlap.read_examples([path])) == [
        nlu_overlap.Example("greet", "hi Dana")
    ]


def test_separate_intents_score_high_and_a_mislabel_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nlu_file(tmp_path / "a.yml", {"greet": GREETINGS, "ask_pricing": PRICES})
    nlu_file(
        tmp_path / "b.yml",
        {
            "goodbye": [
                "bye",
                "see you",
                "ciao",
                "bye bye",
                "gotta go",
                "what does it cost",
            ]
        },
    )
    assert nlu_overlap.main([str(tmp_path), "--examples"]) == 0
    out = capsys.readouterr().out
    assert "18 examples, 3 intents" in out
    assert "goodbye -> ask_pricing" in out
    assert "what does it cost" in out.split("most confused")[1]


def test_too_few_examples_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = nlu_file(tmp_path / "nlu.yml", {"greet": GREETINGS, "thanks": ["thanks"]})
    assert nlu_overlap.main([str(path)]) == 2
    assert "too few: thanks" in capsys.readouterr().out
