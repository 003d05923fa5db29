"""The intent classifier's model: what it learns, and what it refuses."""

from __future__ import annotations

import math

import pytest

from bot.nlu import intent_model

GREET = ["hi", "hello there", "hey", "good morning", "hiya", "morning all"]
PRICING = [
    "how much is it",
    "what does it cost?",
    "price per seat?",
    "how much for 50 seats",
    "what are your prices",
    "is it expensive?",
]
DEMO = [
    "can i get a demo",
    "book a demo please",
    "show me the product live",
    "i'd like a walkthrough",
    "schedule a demo for tuesday",
    "demo?",
]


def training() -> tuple[list[str], list[str]]:
    texts = [*GREET, *PRICING, *DEMO]
    labels = ["greet"] * len(GREET) + ["ask_pricing"] * 6 + ["request_demo"] * 6
    return texts, labels


def test_it_tells_unseen_messages_apart() -> None:
    model = intent_model.fit(*training())
    rankings = intent_model.rank(
        model, ["hello!", "how much does it cost per seat", "a demo please"]
    )
    assert [ranking[0][0] for ranking in rankings] == [
        "greet",
        "ask_pricing",
        "request_demo",
    ]


def test_a_ranking_holds_every_intent_most_likely_first() -> None:
    model = intent_model.fit(*training())
    (ranking,) = intent_model.rank(model, ["what are the prices?"])
    assert {name for name, _ in ranking} == {"greet", "ask_pricing", "request_demo"}
    confidences = [p for _, p in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert math.isclose(sum(confidences), 1.0, rel_tol=1e-6)
    assert ranking[0][1] > 0.5


def test_question_marks_and_currency_signs_are_words() -> None:
    model = intent_model.build(["a", "a", "b", "b"])
    words = model.steps[0][1].transformer_list[1][1].build_analyzer()
    assert words("cost? $20k") == ["cost", "?", "$", "20k", "cost ?", "? $", "$ 20k"]


def test_an_intent_with_few_examples_is_calibrated_on_fewer_folds() -> None:
    texts, labels = training()
    model = intent_model.fit(
        [*texts, "bye", "see you"], [*labels, "goodbye", "goodbye"]
    )
    assert intent_model.rank(model, ["bye now"])[0][0][0] == "goodbye"


def test_an_intent_with_one_example_is_named() -> None:
    texts, labels = training()
    with pytest.raises(intent_model.TooFewExamples, match=r"at least two .*: thanks$"):
        intent_model.fit([*texts, "thanks"], [*labels, "thanks"])


def test_one_intent_is_not_a_classification() -> None:
    with pytest.raises(intent_model.TooFewExamples, match="two or more intents, got 1"):
        intent_model.fit(GREET, ["greet"] * len(GREET))


def test_messages_and_intents_must_pair_up() -> None:
    with pytest.raises(ValueError, match="3 messages but 2 intents"):
        intent_model.fit(["hi", "hello", "hey"], ["greet", "greet"])


def test_no_messages_no_rankings() -> None:
    assert intent_model.rank(intent_model.fit(*training()), []) == []


@pytest.mark.parametrize(
    ("text", "shapes"),
    [
        ("Dmitri Volkov", "x Xx n2"),
        ("Étienne Lefèvre", "x Xx n2"),
        ("Sean O'Sullivan", "x Xx n2"),
        ("ab Januar", "x Xx n2"),
        ("CISO", "XX n1"),
        ("Dana, VP", "x XX n2"),
        ("Pricing", "x n1"),
        ("50 seats", "d x n2"),
        ("🤣🤣", "o n1"),
        ("we are a team of about twelve people here", "x x x x x x x x x n6"),
    ],
)
def test_a_message_shape_is_its_capitals_digits_and_length(text, shapes) -> None:
    assert intent_model.word_shapes(text) == shapes


def test_the_shape_of_a_message_is_one_of_its_features() -> None:
    """A name and a phrase in another language differ in shape, not in words."""
    model = intent_model.build(["a", "a", "b", "b"])
    union = model.steps[0][1]
    assert [name for name, _ in union.transformer_list] == [
        "characters",
        "words",
        "shape",
        "meaning",
    ]
    shape = union.transformer_list[2][1].build_analyzer()
    assert shape("Lorenzo Esposito") == ["x", "Xx", "n2", "x Xx", "Xx n2", "x Xx n2"]


def test_a_capital_from_the_keyboard_changes_nothing() -> None:
    """Phones capitalize a message's first letter: "Pricing" is "pricing"."""
    texts, labels = training()
    texts += ["Dana Lee", "Omar Haddad", "dana lee", "wei zhang"] * 2
    labels += ["inform"] * 8
    model = intent_model.fit(texts, labels)
    lower, capital = intent_model.rank(model, ["how much is it", "How much is it"])
    assert dict(lower) == pytest.approx(dict(capital))
