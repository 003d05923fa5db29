"""Turning rule outcomes into sentences a sales rep can read.

The UI prefixes the points ("+15 · "), so a reason is only the why: the
value that matched and what it means, in plain words.
"""

from __future__ import annotations

from collections.abc import Mapping

from scoring.model import AttributeValue

#: Codes a rep reads better written out ("Seniority: VP", "Works in HR").
SPELLED = {"c_level": "C-level", "vp": "VP", "hr": "HR", "it": "IT"}


def show(value: AttributeValue) -> str:
    """An attribute value as a person would write it (25,000; yes; C-level)."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}"
    return SPELLED.get(value, value.replace("_", " "))


def plural(value: object) -> str:
    """The "{s}" of a reason: "s" unless the number is one ("1 webinar")."""
    return "" if isinstance(value, int | float) and value == 1 else "s"


def label(name: str) -> str:
    """A field or event name as a label: 'company_size' -> 'Company size'."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def days_ago(days: int) -> str:
    """How long ago something happened, in days."""
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def fill(template: str, fields: Mapping[str, object]) -> str:
    """Fill a reason template; templates were tried against samples at load."""
    return template.format(**fields)
