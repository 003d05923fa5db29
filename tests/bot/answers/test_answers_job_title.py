"""Job titles as visitors type them, to title, seniority and department."""

from __future__ import annotations

import pytest

from bot.answers import JobTitle, mentions_job_search, parse_job_title
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "title", "seniority", "department"),
    [
        ("head of growth", "Head of Growth", "director", "marketing"),
        ("CMO", "CMO", "c_level", "marketing"),
        ("cmo", "CMO", "c_level", "marketing"),
        # A word the tables know is not "corrected" into a neighbour.
        (
            "freelance marketing consultant",
            "Freelance Marketing Consultant",
            "individual_contributor",
            "marketing",
        ),
        ("I run marketing ops", "Marketing Ops Lead", "manager", "marketing"),
        ("founder & ceo", "Founder & CEO", "c_level", "executive"),
        ("junior dev", "Junior Dev", "individual_contributor", "engineering"),
        ("i'm a student", "Student", "student", "other"),
        ("I’m a student", "Student", "student", "other"),
        ("VP Sales", "VP Sales", "vp", "sales"),
        (
            "Senior Software Engineer",
            "Senior Software Engineer",
            "individual_contributor",
            "engineering",
        ),
        ("marketing manager", "Marketing Manager", "manager", "marketing"),
        ("co-founder and CTO", "Co-Founder and CTO", "c_level", "engineering"),
        ("Director of Finance", "Director of Finance", "director", "finance"),
        ("IT manager", "IT Manager", "manager", "it"),
        ("Head of Sales EMEA", "Head of Sales EMEA", "director", "sales"),
        ("im the ceo", "CEO", "c_level", "executive"),
        ("President", "President", "c_level", "executive"),
        ("Managing Director", "Managing Director", "c_level", "executive"),
        (
            "vice-president of engineering",
            "Vice-President of Engineering",
            "vp",
            "engineering",
        ),
        (
            "Assistant to the CEO",
            "Assistant to the CEO",
            "individual_contributor",
            "executive",
        ),
        (
            "product marketing manager",
            "Product Marketing Manager",
            "manager",
            "marketing",
        ),
        ("Account Executive", "Account Executive", "individual_contributor", "sales"),
        ("data scientist", "Data Scientist", "individual_contributor", "engineering"),
        ("HR business partner", "HR Business Partner", "other", "hr"),
        ("summer intern in product", "Summer Intern in Product", "student", "product"),
        ("Sommelier", "Sommelier", "other", "other"),
    ],
)
def test_reads_title_seniority_and_department(
    text: str, title: str, seniority: str, department: str
) -> None:
    assert parse_job_title(text) == JobTitle(title, seniority, department)


@pytest.mark.parametrize(
    ("text", "title", "seniority", "department"),
    [
        (
            "senoir sofware enginer",
            "Senior Software Engineer",
            "individual_contributor",
            "engineering",
        ),
        ("markting mangr", "Marketing Manager", "manager", "marketing"),
        (
            "Directer of Engeneering",
            "Director of Engineering",
            "director",
            "engineering",
        ),
    ],
)
def test_tolerates_typos_in_known_words(
    text: str, title: str, seniority: str, department: str
) -> None:
    assert parse_job_title(text) == JobTitle(title, seniority, department)


@pytest.mark.parametrize(
    "text",
    ["looking for a job", "Job hunting at the moment", "unemployed, open to work"],
)
def test_flags_job_seekers(text: str) -> None:
    result = parse_job_title(text)
    assert result.job_seeker
    assert (result.seniority, result.department) == ("other", "other")


def test_a_job_seeker_keeps_a_level_they_name() -> None:
    result = parse_job_title("developer, between jobs")
    assert result.job_seeker
    assert result.seniority == "individual_contributor"


def test_buyers_are_not_job_seekers() -> None:
    assert not parse_job_title("VP Marketing").job_seeker


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "???",
        "12345",
        "well to be honest I would rather not say anything about that today",
    ],
)
def test_rejects_answers_without_a_role(text: str) -> None:
    with pytest.raises(InvalidInput, match="job title"):
        parse_job_title(text)


@pytest.mark.parametrize(
    ("text", "seeking"),
    [
        ("hi are you guys hiring? i'm a data analyst looking for a new job", True),
        ("r u guys hiring rn", True),
        ("Are you still hiring for the PMM position on your careers page?", True),
        ("do you have any job openings?", True),
        ("I'd like to apply for a job at Brightlane", True),
        ("where can I send my CV?", True),
        ("we are hiring a marketing ops person to own attribution", False),
        ("attribution for our job ads", False),
        ("we need to prove our linkedin spend works", False),
    ],
)
def test_a_free_answer_may_say_the_visitor_is_looking_for_a_job(
    text: str, seeking: bool
) -> None:
    assert mentions_job_search(text) is seeking


def test_a_sentence_is_kept_as_typed_not_title_cased() -> None:
    text = "officially i'm 'growth lead' but honestly i wear many hats, ops, analytics"
    assert parse_job_title(text).title == text
    styled = parse_job_title("head of growth and demand generation emea").title
    assert styled == "Head of Growth and Demand Generation EMEA"
