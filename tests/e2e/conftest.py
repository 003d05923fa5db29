"""One fast-trained model per test run, shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import Receiver, train_fast_model


@pytest.fixture(scope="session")
def fast_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's training data trained with fewer epochs."""
    return train_fast_model(tmp_path_factory.mktemp("model"))


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    """A local webhook receiver, one per test module (each boots its stack)."""
    hook = Receiver()
    server = hook.start()
    yield hook
    server.shutdown()
    server.server_close()
