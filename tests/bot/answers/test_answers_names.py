"""Names and company names: lead-ins cut, the rest kept as typed."""

from __future__ import annotations

import pytest

from bot.answers import clean_company, clean_name
from bot.answers.names import company_in_reply_to_guess
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dana Lee", "Dana Lee"),
        ("my name is Sam Carter", "Sam Carter"),
        ("hi, I'm Priya.", "Priya"),
        ("it's Jörg Müller", "Jörg Müller"),
        ("Aisha Al Mansouri", "Aisha Al Mansouri"),
        ("  call me   Max ", "Max"),
        ("Imogen Park", "Imogen Park"),
    ],
)
def test_names(text: str, name: str) -> None:
    assert clean_name(text) == name


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("I work at Globex Corp.", "Globex Corp"),
        ("Vereda Logística", "Vereda Logística"),
        ("we're called Brightline Health", "Brightline Health"),
        ("at Initech", "Initech"),
        ("Meridian Health Partners", "Meridian Health Partners"),
        ("Atlas Copco", "Atlas Copco"),
    ],
)
def test_companies(text: str, company: str) -> None:
    assert clean_company(text) == company


@pytest.mark.parametrize(
    "text",
    [
        "about $50k a year",  # the answer to another question
        "around 250 people",
        "dana@acme.io",
        "€5k",
        "one two three four five six seven eight nine",
    ],
)
def test_what_no_name_holds_is_asked_again(text: str) -> None:
    with pytest.raises(InvalidInput, match="your name"):
        clean_name(text)


def test_long_names_and_pronouns_are_names() -> None:
    assert clean_name("María de los Ángeles Ruiz García") == (
        "María de los Ángeles Ruiz García"
    )
    assert clean_name("Dana Lee (she/her)") == "Dana Lee (she/her)"


@pytest.mark.parametrize("text", ["my name is", "...", "i'm !"])
def test_nothing_left_is_asked_again(text: str) -> None:
    with pytest.raises(InvalidInput, match="name"):
        clean_name(text)


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("no, it's Meridian Health Partners", "Meridian Health Partners"),
        ("nope, we are Meridian Health Partners", "Meridian Health Partners"),
        ("Nope - Pixel & Pine", "Pixel & Pine"),
        ("it's Meridian Health Partners actually", "Meridian Health Partners"),
        ("wrong, I work for Tessellate Cloud", "Tessellate Cloud"),
        ("not quite, it's Fjällgren Outdoor.", "Fjällgren Outdoor"),
        ("we're meridian health partners", "meridian health partners"),
        ("it is Pixel and Pine thanks", "Pixel and Pine"),
        ("it's actually Meridian Health Partners", "Meridian Health Partners"),
        ("no - Pixel & Pine :)", "Pixel & Pine"),
        ("nope, it's Acme (UK)!", "Acme (UK)"),
        ("no, actually we're Meridian Health Partners", "Meridian Health Partners"),
    ],
)
def test_a_reply_to_the_guessed_company_names_the_right_one(
    text: str, company: str
) -> None:
    assert company_in_reply_to_guess(text) == company


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "yes please",
        "no",
        "no thanks",
        "no thank you",
        "that's right",
        "it's fine",
        "it's correct",
        "nope, not interested",
        "no, not now",
        "No, it's wrong",
        "no, that's wrong",
        "no, meridian health partners",  # lower case after a bare "no"
        "Meridian Health Partners",  # neither a denial nor a lead-in
        "no, it's dana@meridian.com",
        "no, it's a company with far too many words in its name",
    ],
)
def test_a_yes_a_no_or_anything_else_names_no_company(text: str) -> None:
    assert company_in_reply_to_guess(text) is None


def test_a_company_the_nlu_tagged_counts_in_any_case() -> None:
    tagged = ["meridian health partners"]
    reply = "no, meridian health partners"
    assert company_in_reply_to_guess(reply, tagged=tagged) == "meridian health partners"
    assert company_in_reply_to_guess("Meridian Health Partners", tagged=tagged)
    assert company_in_reply_to_guess("yes", tagged=["yes"]) is None
