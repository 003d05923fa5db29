"""``dmql run``: start the Rasa server, the action server and the web app.

The processes run under honcho's process manager: every log line is
prefixed with the process that wrote it, one Ctrl-C stops them all, and a
process that dies is reported and stops the rest (the exit code is passed
on), so nothing keeps half-running.
"""

from __future__ import annotations

import os
import secrets
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from honcho.manager import Manager
from honcho.printer import Printer

from bot.errors import ConfigError
from bot.qualification import scorer
from bot.settings import PROJECT_ROOT, Settings


@dataclass(frozen=True)
class Process:
    """One process to start: its name, command line and extra environment."""

    name: str
    argv: list[str]
    env: dict[str, str]


def rasa_token(settings: Settings) -> tuple[str, bool]:
    """The Rasa HTTP API token, and whether it was generated just now."""
    if settings.rasa_token:
        return settings.rasa_token, False
    return secrets.token_urlsafe(24), True


def latest_model(models_dir: Path) -> Path:
    """The newest trained model; a clear error when there is none."""
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise ConfigError(
            f"no trained model in {models_dir}: run `make run` (it trains one) "
            "or `make train`"
        )
    return models[-1]


def processes(settings: Settings, token: str, model: Path) -> list[Process]:
    """The processes' command lines, bound to ``settings.host``.

    Rasa, the action server and the web app; and the daily re-score unless
    ``DMQL_RESCORE_AT`` is off.
    """
    rasa_bin = _tool(".venv-rasa", "rasa")
    app_python = _tool(".venv", "python")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    web_origins = [
        f"http://localhost:{settings.web_port}",
        f"http://127.0.0.1:{settings.web_port}",
    ]
    shared = {"DMQL_RASA_PORT": str(settings.rasa_port), "PYTHONUNBUFFERED": "1"}
    return [
        Process(
            "rasa",
            [
                rasa_bin, "run",
                "--model", str(model),
                "--enable-api", "--auth-token", token,
                "--interface", settings.host,
                "--port", str(settings.rasa_port),
                "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
                "--credentials", str(PROJECT_ROOT / "credentials.yml"),
                "--cors", *web_origins,
            ],
            {
                **shared,
                "DMQL_ACTION_ENDPOINT": (
                    f"http://{settings.host}:{settings.actions_port}/webhook"
                ),
                "DMQL_TRACKER_DB": str(settings.data_dir / "rasa-tracker.db"),
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                # config.yml's intent classifier lives in bot/nlu.
                "PYTHONPATH": str(PROJECT_ROOT),
                # Rasa would report usage to its makers; visitors' chats stay here.
                "RASA_TELEMETRY_ENABLED": "false",
            },
        ),
        Process(
            "actions",
            [
                app_python, "-m", "rasa_sdk",
                "--actions", "actions",
                "--port", str(settings.actions_port),
            ],
            {**shared, "SANIC_HOST": settings.host},
        ),
        Process(
            "web",
            [
                app_python, "-m", "uvicorn", "bot.web.app:create_app", "--factory",
                "--host", settings.host,
                "--port", str(settings.web_port),
            ],
            shared,
        ),
        *(
            [Process("rescore", [app_python, "-m", "bot.cli", "rescore", "--daily"],
                     shared)]
            if settings.rescore_at is not None
            else []
        ),
    ]  # fmt: skip


def run(settings: Settings) -> int:
    """Check the config, start every process and wait; returns the exit code."""
    scorer.load(settings.rules_path)
    token, generated = rasa_token(settings)
    model = latest_model(settings.models_dir)
    if generated:
        print(
            f"Rasa HTTP API token (generated, set DMQL_RASA_TOKEN to fix it): {token}",
            flush=True,
        )
    print(
        f"Starting DMQL Bot: website http://localhost:{settings.web_port} , "
        f"sales inbox http://localhost:{settings.web_port}/sales",
        flush=True,
    )
    env = {**os.environ, "DMQL_RASA_TOKEN": token}
    return supervise(processes(settings, token, model), env)


def supervise(procs: list[Process], env: dict[str, str]) -> int:
    """Run processes until one stops or Ctrl-C; the first failure's exit code."""
    manager = Manager(Printer(sys.stdout))
    for process in procs:
        manager.add_process(
            process.name,
            shlex.join(process.argv),
            env={**env, **process.env},
            cwd=str(PROJECT_ROOT),
        )
    manager.loop()
    return int(manager.returncode or 0)


def _tool(venv: str, name: str) -> str:
    path = PROJECT_ROOT / venv / "bin" / name
    if not path.exists():
        raise ConfigError(f"{path} is missing: run `make run`, which sets it up")
    return str(path)
