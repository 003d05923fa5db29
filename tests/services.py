"""Finding the real services a test needs, or skipping (failing in CI) without them.

``DMQL_REQUIRE_SERVICES=1`` (set by CI) turns a missing service into a test
failure, so a green CI run means the tests really ran against it.
"""

from __future__ import annotations

import os
import socket

import pytest

POSTGRES_URL = os.environ.get(
    "DMQL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def services_required() -> bool:
    """True when CI demands every service-backed test to run."""
    return os.environ.get("DMQL_REQUIRE_SERVICES") == "1"


def port_open(host: str, port: int) -> bool:
    """Whether something listens on host:port (a cheap reachability probe)."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need(service: str, host: str, port: int) -> None:
    """Skip (or, when required, fail) unless the service is reachable."""
    if port_open(host, port):
        return
    reason = f"{service} is not reachable at {host}:{port}"
    if services_required():
        pytest.fail(f"{reason}, and DMQL_REQUIRE_SERVICES=1 requires it")
    pytest.skip(reason)
