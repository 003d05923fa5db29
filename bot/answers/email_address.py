"""Email addresses: found in a sentence, validated, and told business from free.

``email-validator`` does the validating, offline (``check_deliverability``
off: no DNS look-up while the visitor waits). Free-mail domains come from
``free_email_domains`` in ``data/lookups/email_domains.yml``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from email_validator import EmailNotValidError, validate_email

from bot.answers.lookups import Lookups, default_lookups
from bot.answers.phrases import clean
from bot.errors import InvalidInput

EmailKind = Literal["business", "free"]

_NOT_AN_EMAIL = "That doesn't look like an email address — could you check it?"
# Candidates only: anything around an "@" up to white space or brackets.
_CANDIDATE = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")
# "dana at acme dot io", as people write to dodge spam bots.
_SPELLED_AT = re.compile(r"\s+(?:at|\[at\]|\(at\))\s+", re.IGNORECASE)
_SPELLED_DOT = re.compile(r"\s+(?:dot|\[dot\]|\(dot\))\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Email:
    """A valid address, lower-cased so one person is one lead."""

    address: str
    domain: str
    kind: EmailKind


@functools.cache
def _free_domains(lookups: Lookups) -> frozenset[str]:
    return frozenset(lookups.terms("free_email_domains"))


def is_free_email_domain(domain: str, lookups: Lookups | None = None) -> bool:
    """Whether anyone can sign up for an address at ``domain``."""
    return domain.lower().strip(".") in _free_domains(lookups or default_lookups())


def parse_email(text: str, lookups: Lookups | None = None) -> Email:
    """Find and validate the email address in an answer.

    "sorry, my email is dana@acme.io." gives ``dana@acme.io``. The address
    is lower-cased as a whole: mail providers ignore case in practice, and
    "Dana@Acme.io" and "dana@acme.io" must stitch to the same lead.

    Raises:
        InvalidInput: no address, more than one, or one that is not valid.
    """
    said = clean(text)
    candidates = [match.strip(".!?") for match in _CANDIDATE.findall(said)]
    if not candidates:
        spelled = _SPELLED_DOT.sub(".", _SPELLED_AT.sub("@", said))
        candidates = [m.strip(".!?") for m in _CANDIDATE.findall(spelled)]
    if len(set(candidates)) != 1:
        if candidates:
            raise InvalidInput(
                "I see more than one email address there — which one should we use?"
            )
        raise InvalidInput(_NOT_AN_EMAIL)
    try:
        valid = validate_email(candidates[0], check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(_NOT_AN_EMAIL) from exc
    address = valid.normalized.lower()
    domain = valid.domain.lower()
    kind: EmailKind = "free" if is_free_email_domain(domain, lookups) else "business"
    return Email(address=address, domain=domain, kind=kind)
