"""One rules version name, one set of rules, for as long as the store lives.

Every stored score carries the name of the rules version that produced it
(`version:` in scoring.yml), so it can be explained later. That only holds
if a name is never reused for different rules: a marketer who edits the
file and forgets to raise `version` would leave two rule sets behind one
name, and the start-up re-score (`nightly`) would think nothing changed.

`register` records the rules behind each version the first time the product
runs them, and refuses to start with a changed file under a name already
recorded. The fingerprint is of the rules as data (comments, spacing and key
order do not count), never of our own classes, so upgrading the product
does not trip it.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import ConfigError
from bot.store.models import ScoringVersion
from scoring.rules import ScoringRules


class _RulesLoader(yaml.SafeLoader):
    """Reads values as the rules loader does: only true/false are booleans.

    YAML 1.1 would read a country key ``NO`` (Norway) or ``off`` as false,
    which the rules keep as text (`scoring.yaml_nodes`).
    """


_RulesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_RulesLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _plain(value: Any) -> Any:
    """Mappings with text keys, so keys of mixed types sort and hash alike."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def fingerprint(text: str) -> str:
    """A hash of what the rules say, blind to comments, spacing and key order."""
    data = _plain(yaml.load(text, Loader=_RulesLoader))  # noqa: S506 (safe loader)
    canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def register(sessions: sessionmaker[Session], rules: ScoringRules, path: Path) -> None:
    """Record the rules behind `rules.version`; refuse a changed file under it."""
    text = path.read_text(encoding="utf-8")
    mark = fingerprint(text)
    try:
        with sessions.begin() as session:
            known = session.get(ScoringVersion, rules.version)
            if known is None:
                session.add(
                    ScoringVersion(version=rules.version, fingerprint=mark, rules=text)
                )
                return
    except IntegrityError:  # another process recorded it first
        with sessions() as session:
            known = session.get_one(ScoringVersion, rules.version)
    if known.fingerprint != mark:
        raise ConfigError(
            f"{path} changed since scores were stored under version "
            f"'{rules.version}' (first used {known.first_used_at:%Y-%m-%d}): "
            f'raise its version (e.g. "{_next(rules.version)}") so old and new '
            "scores are never confused"
        )


def _next(version: str) -> str:
    """'v3' -> 'v4', '2026.1' -> '2026.2'; anything else gets '-2'."""
    head = version.rstrip("0123456789")
    tail = version[len(head) :]
    return f"{head}{int(tail) + 1}" if tail else f"{version}-2"
