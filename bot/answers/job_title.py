"""Job titles: "head of growth", "CMO", "I run marketing ops" → title, level, team.

Seniority and department come from the ``seniority_*`` and ``department_*``
tables in ``data/lookups/job_titles.yml``. Near-miss spellings of table words
("enginer", "markting") are corrected first, so designers add words, not typos.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import cast

from bot.answers.lookups import (
    DEPARTMENTS,
    Department,
    Lookups,
    Seniority,
    default_lookups,
)
from bot.answers.phrases import Phrases, clean, correct_typos
from bot.errors import InvalidInput

# Most senior first; a student outranks "junior"/"developer" in "student dev".
_RANK: tuple[Seniority, ...] = (
    "c_level",
    "vp",
    "director",
    "manager",
    "student",
    "individual_contributor",
    "other",
)
_MINOR_WORDS = frozenset({"of", "and", "the", "for", "to", "at", "in", "&", "a", "an"})
_EDGE_PUNCTUATION = " .,;:!?-–—"
_MAX_UNMATCHED_WORDS = 8
_LEADING_ARTICLE = re.compile(r"^(?:the|our|my|a)\s+", re.IGNORECASE)

_NOT_UNDERSTOOD = (
    "Sorry, I didn't catch your role — what's your job title? "
    'For example "Marketing Manager" or "CTO".'
)


@dataclass(frozen=True)
class JobTitle:
    """A visitor's role as the lead score uses it.

    ``title`` is tidied for display ("Founder & CEO"); ``job_seeker`` marks
    someone looking for a job rather than buying.
    """

    title: str
    seniority: Seniority
    department: Department
    job_seeker: bool = False


@dataclass(frozen=True)
class _Matchers:
    seniority: Phrases
    department: Phrases
    seeker: Phrases
    lead_ins: Phrases
    team_lead: Phrases
    acronyms: frozenset[str]
    vocabulary: frozenset[str]


@functools.cache
def _matchers(lookups: Lookups) -> _Matchers:
    seniority = Phrases(lookups.family("seniority_"))
    department = Phrases(lookups.family("department_"))
    return _Matchers(
        seniority=seniority,
        department=department,
        seeker=Phrases({"seeker": lookups.terms("job_seeker_phrases")}),
        lead_ins=Phrases({"lead_in": lookups.terms("job_title_lead_ins")}),
        team_lead=Phrases({"lead": lookups.terms("job_title_team_lead_phrases")}),
        acronyms=frozenset(lookups.terms("job_title_acronyms")),
        vocabulary=seniority.vocabulary | department.vocabulary,
    )


def mentions_job_search(text: str, lookups: Lookups | None = None) -> bool:
    """Whether a free answer says the visitor is looking for a job.

    "hi are you guys hiring? i'm a data analyst looking for a new job" to
    "what would you like help with?": ``job_seeker_phrases`` name it.
    """
    matchers = _matchers(lookups or default_lookups())
    return bool(matchers.seeker.find(clean(text)))


def parse_job_title(text: str, lookups: Lookups | None = None) -> JobTitle:
    """Read a job title, its seniority and its department from a free answer.

    The longest table phrase wins where phrases overlap ("assistant to the
    ceo" is not a CEO); among the rest the most senior level wins ("Founder &
    CEO" is c_level) and the first department named wins. A C-level title
    with no department ("founder") belongs to ``executive``. Words that match
    no table still make a title, with seniority and department ``other``.

    Raises:
        InvalidInput: no words, or a long answer that names no role at all.
    """
    matchers = _matchers(lookups or default_lookups())
    cleaned = clean(text).strip(_EDGE_PUNCTUATION)
    if not any(char.isalpha() for char in cleaned):
        raise InvalidInput(_NOT_UNDERSTOOD)
    corrected = correct_typos(cleaned, matchers.vocabulary)

    job_seeker = bool(matchers.seeker.find(corrected))
    levels = {found.label for found in matchers.seniority.find(corrected)}
    seniority = next((level for level in _RANK if level in levels), None)
    departments = matchers.department.find(corrected)

    names_nothing = seniority is None and not departments and not job_seeker
    if names_nothing and len(corrected.split()) > _MAX_UNMATCHED_WORDS:
        raise InvalidInput(_NOT_UNDERSTOOD)
    if departments:
        department = departments[0].label
    elif seniority == "c_level":
        department = "executive"
    else:
        department = "other"
    assert department in DEPARTMENTS  # the loader allows no other table names
    level: Seniority = seniority or "other"

    title = "Job seeker" if job_seeker else _display_title(corrected, matchers)
    return JobTitle(
        title=title,
        seniority=level,
        department=cast(Department, department),
        job_seeker=job_seeker,
    )


#: Titles up to this many words are styled ("Junior Dev"); longer answers
#: are kept as typed.
_STYLED_WORDS = 8


def _display_title(corrected: str, matchers: _Matchers) -> str:
    """Tidy the answer for display: "i'm a junior dev" → "Junior Dev".

    "i run marketing ops" becomes "Marketing Ops Lead".
    """
    rest = corrected
    while True:
        lead_ins = matchers.lead_ins.find(rest)
        if not lead_ins or lead_ins[0].start != 0:
            break
        rest = rest[lead_ins[0].end :].strip(_EDGE_PUNCTUATION)
    suffix = ""
    team_lead = matchers.team_lead.find(rest)
    if team_lead and team_lead[0].start == 0:
        rest = _LEADING_ARTICLE.sub(
            "", rest[team_lead[0].end :].strip(_EDGE_PUNCTUATION)
        )
        suffix = " Lead"
    rest = rest or corrected
    if len(rest.split()) > _STYLED_WORDS:
        # A sentence, not a title: "Officially I'm 'Growth Lead' But Honestly
        # I Wear Many Hats" reads worse than what the visitor typed.
        return rest + suffix
    words = re.split(r"(\s+)", rest)
    styled = [
        _style_word(word, matchers.acronyms, first=index == 0)
        for index, word in enumerate(words)
    ]
    return "".join(styled) + suffix


def _style_word(word: str, acronyms: frozenset[str], *, first: bool) -> str:
    lowered = word.lower()
    if lowered in acronyms:
        return lowered.upper()
    if lowered in _MINOR_WORDS and not first:
        return lowered
    return "-".join(part[:1].upper() + part[1:] for part in lowered.split("-"))
