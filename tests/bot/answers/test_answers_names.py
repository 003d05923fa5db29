"""Names and company names: lead-ins cut, the rest kept as typed."""

from __future__ import annotations

import pytest

from bot.answers import clean_company, clean_name
from bot.answers.names import company_after_name, company_in_reply_to_guess
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


@pytest.mark.parametrize(
    "text",
    [
        "Dana Lee, dana@acme.io",
        "Dana Lee - VP Marketing at Acme, 250 ppl",
        "my name is Dana Lee; budget about $40k",
    ],
)
def test_a_name_followed_by_other_answers_is_the_name(text: str) -> None:
    assert clean_name(text) == "Dana Lee"


@pytest.mark.parametrize(
    "text",
    [
        "yes, dana@acme.io",
        "sure - dana@acme.io",
        "wait, I typed my email wrong: dana@acme.io",
        "no, my email is dana@acme.io",
        "not telling, here's my email: dana@acme.io",
        "anonymous, just use dana@acme.io",
        "who are you?",
    ],
)
def test_a_first_clause_that_is_no_name_is_asked_again(text: str) -> None:
    with pytest.raises(InvalidInput, match="your name"):
        clean_name(text)


def test_long_names_and_pronouns_are_names() -> None:
    assert clean_name("María de los Ángeles Ruiz García") == (
        "María de los Ángeles Ruiz García"
    )
    assert clean_name("Dana Lee (she/her)") == "Dana Lee (she/her)"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dana", "Dana"),
        ("dana lee", "dana lee"),
        ("José Manuel Fernández", "José Manuel Fernández"),
        ("maría de los ángeles ruiz", "maría de los ángeles ruiz"),
        ("Jean-Baptiste de la Croix", "Jean-Baptiste de la Croix"),
        ("Friedrich von Ahlen", "Friedrich von Ahlen"),
        ("fatima bin saleh", "fatima bin saleh"),
        ("youssef el amrani", "youssef el amrani"),
        ("Sean O'Sullivan", "Sean O'Sullivan"),
        ("Kim Min-jun", "Kim Min-jun"),
        ("i'm Dana", "Dana"),
        ("my name is Dana Lee", "Dana Lee"),
        ("it's Priya", "Priya"),
        ("call me Sam", "Sam"),
        ("Dr. Amara Okafor", "Dr. Amara Okafor"),
        ("Mary-Jane", "Mary-Jane"),
        ("Nguyen Van An", "Nguyen Van An"),  # "an" is an English stop word
        ("Jan ten Brink", "Jan ten Brink"),  # and so is "ten"
        ("Maria do Carmo", "Maria do Carmo"),
        ("Jun He", "Jun He"),
        ("Will", "Will"),
        ("may chen", "may chen"),
        ("Sim Hyun-woo", "Sim Hyun-woo"),  # "sim" is a yes in Portuguese
        ("N. Patel", "N. Patel"),  # and "n" a no
        ("Si-woo Park", "Si-woo Park"),
    ],
)
def test_names_in_their_many_forms_are_kept(text: str, name: str) -> None:
    assert clean_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "Dana Lee from Acme Robotics",
        "i am Dana Lee from Acme",
        "Dana Lee at Acme, dana@acme.io",
        "this is Dana Lee with Northwind",
        "Dana Lee here",
    ],
)
def test_where_the_visitor_works_is_not_part_of_the_name(text: str) -> None:
    assert clean_name(text) == "Dana Lee"


@pytest.mark.parametrize(
    "text",
    [
        "yes i sign off",  # the yes/no question before, answered late
        "no, our ceo decides",
        "sure",
        "no",
        "Nope.",
        "decision maker",
        "my boss does",
        "whatever it costs, if it works",  # the budget question
        "before that - actually i'm head of demand gen, we're about 120 people",
        "hmm let me think",
        "thanks",
        "someone from marketing",
    ],
)
def test_a_reply_that_reads_as_no_name_is_asked_again(text: str) -> None:
    with pytest.raises(InvalidInput, match="your name"):
        clean_name(text)


@pytest.mark.parametrize("text", ["my name is", "...", "i'm !"])
def test_nothing_left_is_asked_again(text: str) -> None:
    with pytest.raises(InvalidInput, match="name"):
        clean_name(text)


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("no, it's Meridian Health Partners", "Meridian Health Partners"),
        ("nope, we are Meridian Health Partners", "Meridian Health Partners"),
        ("it's Meridian Health Partners actually", "Meridian Health Partners"),
        ("it's actually Meridian Health Partners", "Meridian Health Partners"),
        ("no, actually we're Meridian Health Partners", "Meridian Health Partners"),
        ("wrong, I work for Tessellate Cloud", "Tessellate Cloud"),
        ("Not quite, the company is Tessellate Cloud.", "Tessellate Cloud"),
        ("the company is called pixel and pine", "pixel and pine"),
        ("Actually it's Vereda Logística", "Vereda Logística"),
        ("No, it's AT&T", "AT&T"),  # "at" is a lead-in only as a whole word
        ("No, it's At Home Health", "At Home Health"),
        ("nope, it's Acme (UK)!", "Acme (UK)"),
        ("no, it is Pixel and Pine thanks", "Pixel and Pine"),
        ("no, it's meridian health partners", "meridian health partners"),
        ("no its meridian health partners", "meridian health partners"),
        ("No, it’s Meridian Health Partners", "Meridian Health Partners"),
        ("Nope, we’re Meridian Health Partners", "Meridian Health Partners"),
        ("No, Meridian Health Partners", "Meridian Health Partners"),
        ("No. Bank of Ireland.", "Bank of Ireland"),
        ("no - Pixel & Pine :)", "Pixel & Pine"),
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
        "no thanks",
        "that's right",
        "it's fine",
        "No, it's wrong",
        "No, I'm good",  # declining the question asked with the guess
        "No, Maybe Later",
        "Nope, I'm just browsing",
        "No, I want to talk to sales",
        "Actually, I'd prefer email only",
        "Sorry, How much is it?",
        "We're about 300 people",  # answers to the next question
        "It's VP Marketing",
        "It's about $50k",
        "We're evaluating attribution tools",
        "we're meridian health partners",  # a plain lead-in needs a denial
        "Meridian Health Partners",  # neither, and not tagged by the NLU
        "no, meridian health partners",  # a bare lower-case name after "no"
        "No, Not Now",
        "our company is",
        "no, it's dana@meridian.com",
        "no, it's a company with far too many words in its name",
    ],
)
def test_a_yes_a_no_or_anything_else_names_no_company(text: str) -> None:
    assert company_in_reply_to_guess(text) is None


def test_a_company_the_nlu_tagged_counts_bare_or_after_a_denial() -> None:
    tagged = ["meridian health partners"]
    reply = "no, meridian health partners"
    assert company_in_reply_to_guess(reply, tagged=tagged) == "meridian health partners"
    assert company_in_reply_to_guess("Meridian Health Partners", tagged=tagged)
    assert company_in_reply_to_guess("yes", tagged=["yes"]) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hi, my name is Dana", "Dana"),
        ("Good morning, I'm Dana", "Dana"),
        ("Yes, it's Dana", "Dana"),
        ("Thanks! It's Dana", "Dana"),
        ("hello it's Dana", "Dana"),
        ("Sure - Dana Lee", "Dana Lee"),
        ("Yes Dana", "Dana"),
        ("Yes, Dana", "Dana"),
        ("yep Dana", "Dana"),
        ("ok, it's Dana, 555 1234", "Dana"),
        ("Shin Min-a", "Shin Min-a"),
        ("Lee Da-in", "Lee Da-in"),
        ("Go Ah-ra", "Go Ah-ra"),
        ("Else Andersen", "Else Andersen"),
        ("Sim Hyun-woo", "Sim Hyun-woo"),
    ],
)
def test_a_greeting_or_a_yes_before_the_name_is_no_part_of_it(
    text: str, name: str
) -> None:
    """A phone capitalizes "Yes Dana"; a hyphen joins a name, it splits none."""
    assert clean_name(text) == name


@pytest.mark.parametrize("text", ["Hi", "hello!", "Sure.", "Good morning"])
def test_a_greeting_alone_is_no_name(text: str) -> None:
    with pytest.raises(InvalidInput):
        clean_name(text)


@pytest.mark.parametrize(
    "text", ["smallish, like 15", "smallish", "tiny, 5 people", "like 15"]
)
def test_a_company_size_at_the_name_question_is_no_name(text: str) -> None:
    with pytest.raises(InvalidInput, match="your name"):
        clean_name(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ana-María López", "Ana-María López"),
        ("Jo Park", "Jo Park"),
        ("Dana Lee from Acme Robotics", "Dana Lee"),
        ("Shin Min-a", "Shin Min-a"),
        ("Dana Lee, like 15 people", "Dana Lee"),  # the name, then the size
    ],
)
def test_names_beside_the_size_words_are_still_names(text: str, name: str) -> None:
    assert clean_name(text) == name


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Chris from Acme Widgets", "Acme Widgets"),
        ("Hi, I'm Sam from Globex, sam@globex.com", "Globex"),
        ("Dana from Marketing", None),  # a team, not a company
        ("chris from acme", None),  # not written as a name
        ("Dana Lee", None),
    ],
)
def test_a_company_given_with_the_name(text: str, company: str | None) -> None:
    assert company_after_name(text) == company


def test_a_company_is_never_markup() -> None:
    pasted = '<a href="http://evil.example">Evil Corp</a>'
    assert clean_company(pasted) == "Evil Corp"
    assert clean_company("Procter & Gamble") == "Procter & Gamble"
