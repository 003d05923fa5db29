"""Free chat answers turned into the normalized fields the lead score uses.

One module per kind of answer; every parser is a pure function of the text
(and ``today`` for timelines) that returns a frozen dataclass or raises
:class:`bot.errors.InvalidInput` with a message the bot can show the visitor.
Vocabularies come from the designer-editable tables in ``data/lookups/``
(see :mod:`bot.answers.lookups`); each parser takes an optional ``lookups``
argument and otherwise uses the project's tables, read once per process.
Nothing here downloads a model or data: spaCy runs as ``spacy.blank("en")``.
"""

from bot.answers.budget import Budget, parse_budget
from bot.answers.company_domain import email_domain_company
from bot.answers.company_size import parse_company_size
from bot.answers.competitor import competitor_name, is_competitor
from bot.answers.correction import Correction, detect_correction
from bot.answers.country import Country, parse_country
from bot.answers.email_address import Email, is_free_email_domain, parse_email
from bot.answers.expansion import wants_more
from bot.answers.industry import Industry, parse_industry
from bot.answers.job_title import JobTitle, mentions_job_search, parse_job_title
from bot.answers.lookups import (
    DEFAULT_LOOKUPS_DIR,
    Lookups,
    default_lookups,
    load_lookups,
)
from bot.answers.names import clean_company, clean_name
from bot.answers.preload import preload
from bot.answers.timeline import Timeline, parse_timeline
from bot.answers.unknown import is_unknown
from bot.answers.yes_no import parse_yes_no

__all__ = [
    "DEFAULT_LOOKUPS_DIR",
    "Budget",
    "Correction",
    "Country",
    "Email",
    "Industry",
    "JobTitle",
    "Lookups",
    "Timeline",
    "clean_company",
    "clean_name",
    "competitor_name",
    "default_lookups",
    "detect_correction",
    "email_domain_company",
    "is_competitor",
    "is_free_email_domain",
    "is_unknown",
    "load_lookups",
    "mentions_job_search",
    "parse_budget",
    "parse_company_size",
    "parse_country",
    "parse_email",
    "parse_industry",
    "parse_job_title",
    "parse_timeline",
    "parse_yes_no",
    "preload",
    "wants_more",
]
