"""Booting the whole product for end-to-end tests.

Trains a model with fewer epochs, starts ``dmql run`` (Rasa, action server,
web app) on free ports with its own data folder, and a local webhook
receiver that records what a CRM would receive.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
#: config.yml's intent classifier is imported from bot/nlu; no telemetry.
RASA_ENV = {"PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
FAST_EPOCHS = {"DIETClassifier": 40, "TEDPolicy": 20}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_in_rasa_env(source: str, work: Path) -> dict[str, Any]:
    """Run a script in the Rasa environment with a fresh storage folder.

    The script gets the folder as its argument and prints one JSON line
    last; that line is returned.
    """
    if not RASA_PYTHON.exists():
        raise RuntimeError(f"{RASA_PYTHON} is missing: run `make setup` first")
    script = work / "script.py"
    script.write_text(source, encoding="utf-8")
    storage = work / "storage"
    storage.mkdir()
    done = subprocess.run(
        [str(RASA_PYTHON), str(script), str(storage)],
        capture_output=True,
        text=True,
        env={**os.environ, **RASA_ENV},
        cwd=work,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def train_fast_model(out_dir: Path) -> Path:
    """Train the project's data with fewer epochs; returns the model file."""
    if not RASA.exists():
        raise RuntimeError(f"{RASA} is missing: run `make setup` first")
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    for component in [*config["pipeline"], *config["policies"]]:
        if component["name"] in FAST_EPOCHS:
            component["epochs"] = FAST_EPOCHS[component["name"]]
    config_path = out_dir / "config.yml"
    config_path.write_text(yaml.safe_dump(config))
    subprocess.run(
        [
            str(RASA), "train",
            "--data", str(ROOT / "data"),
            "--domain", str(ROOT / "domain.yml"),
            "--config", str(config_path),
            "--out", str(out_dir / "models"),
            "--fixed-model-name", "e2e",
        ],
        check=True,
        cwd=out_dir,
        env={**os.environ, **RASA_ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        timeout=900,
    )  # fmt: skip
    return out_dir / "models" / "e2e.tar.gz"


@dataclass
class Receiver:
    """A local HTTP server standing in for a CRM's webhook endpoint."""

    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    port: int = 0

    def start(self) -> http.server.ThreadingHTTPServer:
        received = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                received.append((dict(self.headers.items()), self.rfile.read(length)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                return

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/crm/hook"


@dataclass
class Stack:
    """A running ``dmql run`` and how to reach its three servers."""

    process: subprocess.Popen[bytes]
    log_path: Path
    web: str
    rasa: str
    actions: str
    token: str

    def wait_ready(self, timeout_s: float = 240) -> None:
        deadline = time.monotonic() + timeout_s
        checks = {
            "web": f"{self.web}/health",
            "actions": f"{self.actions}/health",
            "rasa": f"{self.rasa}/status?token={self.token}",
        }
        pending = dict(checks)
        while pending:
            if self.process.poll() is not None:
                raise RuntimeError(f"dmql run exited early:\n{self.log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"not ready: {sorted(pending)}\n{self.log()}")
            for name, url in list(pending.items()):
                try:
                    if httpx.get(url, timeout=2).status_code == 200:
                        del pending[name]
                except httpx.HTTPError:
                    pass
            time.sleep(1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def stop(self) -> int:
        """Ctrl-C, as an operator would; returns the exit code."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def start_stack(work: Path, model: Path, webhook_url: str, secret: str) -> Stack:
    """Start ``dmql run`` with everything on free ports under ``work``."""
    ports = {name: free_port() for name in ("web", "rasa", "actions")}
    env = {
        **os.environ,
        "DMQL_DATA_DIR": str(work / "var"),
        "DMQL_MODELS_DIR": str(model.parent),
        "DMQL_WEB_PORT": str(ports["web"]),
        "DMQL_RASA_PORT": str(ports["rasa"]),
        "DMQL_ACTIONS_PORT": str(ports["actions"]),
        "DMQL_RASA_TOKEN": "e2e-token",
        "DMQL_WEBHOOK_URL": webhook_url,
        "DMQL_WEBHOOK_SECRET": secret,
        "DMQL_OUTBOX_POLL_S": "0.5",
    }
    env.pop("DMQL_DATABASE_URL", None)
    log_path = work / "stack.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Stack(
        process=process,
        log_path=log_path,
        web=f"http://127.0.0.1:{ports['web']}",
        rasa=f"http://127.0.0.1:{ports['rasa']}",
        actions=f"http://127.0.0.1:{ports['actions']}",
        token="e2e-token",
    )


@contextmanager
def running_stack(
    work: Path, model: Path, webhook_url: str, secret: str
) -> Iterator[Stack]:
    """A started, ready stack, stopped (Ctrl-C) at the end; its log on failure."""
    running = start_stack(work, model, webhook_url, secret)
    try:
        running.wait_ready()
        yield running
    finally:
        code = running.stop()
        print(running.log())  # shown by pytest only when a test failed
        assert code in (0, -2, 130), f"dmql run exited with {code}"


def say(stack: Stack, visitor_id: str, text: str) -> list[dict[str, Any]]:
    """Send one message through the REST channel; returns the bot's replies."""
    response = httpx.post(
        f"{stack.rasa}/webhooks/rest/webhook",
        json={"sender": visitor_id, "message": text, "metadata": {"page": "/pricing"}},
        timeout=60,
    )
    response.raise_for_status()
    replies: list[dict[str, Any]] = response.json()
    return replies


def requested_slot(stack: Stack, visitor_id: str) -> str | None:
    """What the form is asking for now, read through Rasa's HTTP API."""
    response = httpx.get(
        f"{stack.rasa}/conversations/{visitor_id}/tracker",
        params={"token": stack.token, "include_events": "NONE"},
        timeout=10,
    )
    response.raise_for_status()
    slot: str | None = response.json()["slots"].get("requested_slot")
    return slot


def as_json(body: bytes) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(body)
    return loaded
