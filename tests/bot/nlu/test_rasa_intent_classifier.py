"""The classifier as Rasa runs it: train, store, load, classify, refuse.

Runs in the Rasa environment (Python 3.10, Rasa 3.6), as ``rasa train`` and
``rasa run`` do, through a short script; the e2e tests then use it inside
the whole trained model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.stack import run_in_rasa_env

pytestmark = pytest.mark.e2e

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
    out = run_in_rasa_env(SCRIPT, tmp_path)
    assert out["intent"]["name"] == "ask_pricing"
    assert out["intent"]["confidence"] > 0.5
    assert out["ranking"] == [out["intent"]]
    assert out["empty"] is None
    assert out["untrained"] is None
    assert "builtins.print" in out["refused"]
    assert "retrain the model" in out["refused"]
