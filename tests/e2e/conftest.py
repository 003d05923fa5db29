"""One fast-trained model per test run, shared by the end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.stack import train_fast_model


@pytest.fixture(scope="session")
def fast_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's training data trained with fewer epochs."""
    return train_fast_model(tmp_path_factory.mktemp("model"))
