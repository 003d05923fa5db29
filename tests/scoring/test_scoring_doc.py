"""The examples in SCORING.md are valid rules, so the reference cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.config import parse_rules

DOC = Path(__file__).resolve().parents[2] / "SCORING.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
EXAMPLES = [b for b in BLOCKS if "[...]" not in b]


def test_the_reference_has_examples_for_each_section() -> None:
    assert len(EXAMPLES) >= 7


@pytest.mark.parametrize("block", EXAMPLES)
def test_each_example_loads(block: str) -> None:
    if block.startswith("  behaviour:"):
        block = "engagement:\n" + block
    text = block if block.startswith("version:") else 'version: "doc"\n' + block

    rules = parse_rules(text, "SCORING.md")

    assert rules.version in {"doc", "v1"}
