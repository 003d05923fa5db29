"""Yes/no answers for the decision maker and consent questions."""

from __future__ import annotations

import pytest

from bot.answers import parse_yes_no
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    "text",
    [
        "yes I sign off",
        "yep",
        "Yes!",
        "Yesss",
        "yeah sure",
        "Absolutely",
        "of course",
        "I do",
        "that's me",
        "I make the call",
        "I'm the decision maker",
        "ok",
        "Y",
        "yes, I agree",
        "Sí, por favor",  # the accent is part of the word
        "i'm the owner lol, obviously",
        "no problem",  # longer than the "no" in it
        "sure, why not",
        "me and my cofounder decide together",
    ],
)
def test_yes(text: str) -> None:
    assert parse_yes_no(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "not really, my boss does",
        "nope",
        "No.",
        "noooo",
        "nah",
        "not me",
        "I don't",
        "I'm not the decision maker",
        "my manager decides",
        "no thanks",
        "N",
        "i'd rather not",
        "i'm afraid not",
        "no, the owner decides",
        "no im good",
    ],
)
def test_no(text: str) -> None:
    assert parse_yes_no(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "",
        "maybe",
        "purple",
        "sure, but my boss signs off",
        "yes and no",
        "i own the budget but the ceo signs",
    ],
)
def test_rejects_answers_that_are_neither_or_both(text: str) -> None:
    with pytest.raises(InvalidInput, match="yes or a no"):
        parse_yes_no(text)


@pytest.mark.parametrize(
    "text",
    [
        "only by email please, no calls",  # the "no" of "no calls" is no no
        "no calls",
        "no phone calls please",
        "email only",
        "only by email",
        "by email is fine",
        "please don't call, email is fine",
    ],
)
def test_contact_by_email_but_not_by_phone_is_a_yes(text: str) -> None:
    """At "May our team contact you at that address about this?"."""
    assert parse_yes_no(text) is True


@pytest.mark.parametrize(
    "text", ["no", "no thanks", "no, don't email me", "no emails please"]
)
def test_no_to_being_contacted_at_all_stays_a_no(text: str) -> None:
    assert parse_yes_no(text) is False
