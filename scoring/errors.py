"""The scoring engine's exception tree.

Catch :class:`ScoringError` at the boundary (CLI, web app start-up, action
server) and show its message: every message is written for the person who has
to act on it.

::

    ScoringError                 anything the scoring engine refuses to do
    ├── ScoringConfigError       a rules file is wrong; names the file, the line
    │                            and the fix (raised at load, never mid-score)
    └── StaleAggregatesError     stored engagement aggregates were built for
                                 other engagement rules; re-aggregate from events
"""

from __future__ import annotations


class ScoringError(Exception):
    """Base class of every error the scoring engine raises on purpose."""


class ScoringConfigError(ScoringError):
    """A scoring rules file cannot be used as written.

    The message reads ``<file> line <n>: <problem>; <fix>.`` so a marketer who
    edited the YAML can go straight to the line and change it. The parts are
    kept as attributes for callers that render them differently.

    Attributes:
        source: The file name (or label) the rules came from.
        line: The 1-based line of the offending key or value, or None when the
            problem is the file itself (missing, unreadable, empty).
        problem: What is wrong, in the marketer's terms.
        fix: What to write instead, ideally with an example.
    """

    def __init__(self, source: str, line: int | None, problem: str, fix: str):
        self.source = source
        self.line = line
        self.problem = problem
        self.fix = fix
        where = source if line is None else f"{source} line {line}"
        fix_text = fix if fix.endswith((".", "?", "!")) else fix + "."
        super().__init__(f"{where}: {problem}; {fix_text}")


class StaleAggregatesError(ScoringError):
    """Engagement aggregates do not match the engagement rules in use.

    Aggregates count events per engagement rule, so they stay valid while
    points, caps and half-lives change, but not when a rule's event type or
    filter changes. Rebuild them from the lead's events with ``aggregate``.
    """
