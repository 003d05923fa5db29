"""The classifier as Rasa runs it: train, store, load, classify, refuse.

Runs in the Rasa environment (Python 3.10, Rasa 3.6), as ``rasa train`` and
``rasa run`` do, through a short script; the e2e tests then use it inside
the whole trained model.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[3]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"

SCRIPT = """
import json, sys
from pathlib import Path

import skops.io
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.preprocessing import FunctionTransformer

from bot.nlu.rasa_intent_classifier import (
    MODEL_FILE, SvmIntentClassifier, UntrustedModelFile,
)

storage = LocalModelStorage(Path(sys.argv[1]))
resource = Resource("intents")
context = ExecutionContext(GraphSchema({}), "test")
examples = {
    "greet": ["hi", "hello there", "hey", "good morning", "hiya", "morning all"],
    "ask_pricing": [
        "how much is it", "what does it cost?", "price per seat?",
        "how much for 50 seats", "what are your prices", "is it expensive?",
    ],
}
training = TrainingData(
    [Message.build(text=t, intent=i) for i, texts in examples.items() for t in texts]
)
SvmIntentClassifier.create({}, storage, resource, context).train(training)

loaded = SvmIntentClassifier.load({"ranking_length": 1}, storage, resource, context)
messages = [Message.build(text="how much per seat?"), Message.build(text="")]
loaded.process(messages)
out = {
    "intent": messages[0].get("intent"),
    "ranking": messages[0].get("intent_ranking"),
    "empty": messages[1].get("intent"),
}

untrained = SvmIntentClassifier.load({}, storage, Resource("never"), context)
blank = [Message.build(text="hi")]
untrained.process(blank)
out["untrained"] = blank[0].get("intent")

with storage.write_to(resource) as directory:
    skops.io.dump(FunctionTransformer(func=print), directory / MODEL_FILE)
try:
    SvmIntentClassifier.load({}, storage, resource, context)
except UntrustedModelFile as error:
    out["refused"] = str(error)
print(json.dumps(out))
"""


def test_rasa_trains_stores_loads_and_classifies_with_it(tmp_path: Path) -> None:
    if not RASA_PYTHON.exists():
        pytest.fail(f"{RASA_PYTHON} is missing: run `make setup` first")
    script = tmp_path / "classify.py"
    script.write_text(SCRIPT, encoding="utf-8")
    storage = tmp_path / "storage"
    storage.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    done = subprocess.run(
        [str(RASA_PYTHON), str(script), str(storage)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["intent"]["name"] == "ask_pricing"
    assert out["intent"]["confidence"] > 0.5
    assert out["ranking"] == [out["intent"]]
    assert out["empty"] is None
    assert out["untrained"] is None
    assert "builtins.print" in out["refused"]
    assert "retrain the model" in out["refused"]
