"""Building every parser's matchers ahead of the first visitor.

Parsers build their tables and spaCy matchers lazily on first use (about a
second, mostly importing spaCy). A server that would rather pay that at
start-up than on a visitor's first answer calls :func:`preload` once.
"""

from __future__ import annotations

from datetime import date

from bot.answers.budget import parse_budget
from bot.answers.company_domain import email_domain_company
from bot.answers.company_size import parse_company_size
from bot.answers.country import parse_country
from bot.answers.email_address import parse_email
from bot.answers.job_title import parse_job_title
from bot.answers.lookups import Lookups, default_lookups
from bot.answers.timeline import parse_timeline
from bot.answers.unknown import is_unknown
from bot.answers.yes_no import parse_yes_no


def preload(lookups: Lookups | None = None) -> None:
    """Read the tables and build every matcher now, once per process.

    Raises:
        ConfigError: a lookup table is broken (named by file and line).
    """
    tables = lookups or default_lookups()
    parse_job_title("marketing manager", lookups=tables)
    parse_company_size("just me", lookups=tables)
    parse_budget("no budget yet", lookups=tables)
    parse_timeline("by March", date.today(), lookups=tables)
    parse_email("dana@acme.io", lookups=tables)
    email_domain_company("acme.io", lookups=tables)
    parse_country("Germany", lookups=tables)
    parse_yes_no("yes", lookups=tables)
    is_unknown("no clue honestly", lookups=tables)
