"""The conversation tests in tests/stories/ pass against the trained model.

`make test-bot` runs the same check on the full model; here it runs on the
fast model so CI catches a rule or story that no longer holds.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.e2e.stack import RASA, RASA_ENV, ROOT

pytestmark = pytest.mark.e2e
STORIES = ROOT / "tests" / "stories"


def count_stories() -> int:
    return sum(
        len(yaml.safe_load(path.read_text()).get("stories", []))
        for path in STORIES.glob("*.yml")
    )


def test_there_are_at_least_forty_conversation_tests() -> None:
    assert count_stories() >= 40


def test_every_conversation_test_passes(fast_model: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            str(RASA), "test", "core",
            "--stories", str(STORIES),
            "--model", str(fast_model),
            "--fail-on-prediction-errors",
            "--out", str(tmp_path / "results"),
        ],
        cwd=tmp_path,
        env={**os.environ, **RASA_ENV},
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip
    failed = tmp_path / "results" / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else result.stdout[-3000:]
    assert result.returncode == 0, details
