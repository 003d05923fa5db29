"""The entity extractor as Rasa runs it: train, store, load without retraining.

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
import json, shutil, sys
from pathlib import Path
from unittest import mock

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.rasa_entity_extractor import MissingModelFile, StoredCrfEntityExtractor

tagger_file = StoredCrfEntityExtractor.tagger_file

NLU = '''
version: "3.1"
nlu:
- intent: inform
  examples: |
    - i work at [Acme](company)
    - i'm with [Globex](company) in [France](country)
    - we are [Initech](company), based in [Spain](country)
    - [Hooli](company) from [Germany](country)
    - it's [Vandelay](company)
    - the company is [Umbrella](company)
    - i work for [Stark](company) in [Italy](country)
    - [Wayne](company), [Brazil](country)
    - based in [Japan](country)
    - we're in [Canada](country)
- lookup: country
  examples: |
    - france
    - spain
    - germany
    - italy
    - brazil
    - japan
    - canada
    - portugal
'''

storage_dir = Path(sys.argv[1])
storage = LocalModelStorage(storage_dir)
context = ExecutionContext(GraphSchema({}), "test")
training = RasaYAMLReader().reads(NLU)
tokenizer = WhitespaceTokenizer.create(
    WhitespaceTokenizer.get_default_config(), storage, Resource("tokens"), context
)
regex = RegexFeaturizer.create(
    {**RegexFeaturizer.get_default_config(), "case_sensitive": False},
    storage, Resource("regex"), context,
)
tokenizer.process_training_data(training)
regex.train(training)
regex.process_training_data(training)

config = {**CRFEntityExtractor.get_default_config(), "max_iterations": 30}
resource = Resource("entities")
StoredCrfEntityExtractor.create(config, storage, resource, context).train(training)
stored = sorted(p.name for p in (storage_dir / resource.name).iterdir())

def extract(extractor, text):
    message = Message.build(text=text)
    tokenizer.process([message])
    regex.process([message])
    extractor.process([message])
    return {e["entity"]: e["value"] for e in message.get("entities", [])}

with mock.patch.object(
    StoredCrfEntityExtractor, "train_model", side_effect=AssertionError("retrained")
):
    loaded = StoredCrfEntityExtractor.load(config, storage, resource, context)
    # Every entity below 1.01 is left out.
    strict = StoredCrfEntityExtractor.load(
        {**config, "min_confidence": 1.01}, storage, resource, context
    )
# The stored files may go once loaded: the CRFs are in memory.
shutil.rmtree(storage_dir / resource.name)
out = {"stored": stored, "entities": extract(loaded, "i work at Acme in Portugal")}
out["strict"] = extract(strict, "i work at Acme in Portugal")

probe = Message.build(text="we are in PORTUGAL")
tokenizer.process([probe])
regex.process([probe])
out["patterns"] = [
    StoredCrfEntityExtractor._pattern_of_token(probe, i) for i in range(4)
]

untrained = StoredCrfEntityExtractor.load(config, storage, Resource("never"), context)
out["untrained"] = extract(untrained, "i work at Acme in Portugal")

StoredCrfEntityExtractor.create(config, storage, resource, context).train(training)
tagger_file(storage_dir / resource.name, "entity").write_bytes(b"not a model")
try:
    StoredCrfEntityExtractor.load(config, storage, resource, context)
except MissingModelFile as error:
    out["corrupt"] = str(error)
tagger_file(storage_dir / resource.name, "entity").unlink()
try:
    StoredCrfEntityExtractor.load(config, storage, resource, context)
except MissingModelFile as error:
    out["missing"] = str(error)
print(json.dumps(out))
"""


def test_rasa_trains_stores_and_loads_the_crfs_without_retraining(
    tmp_path: Path,
) -> None:
    out = run_in_rasa_env(SCRIPT, tmp_path)
    assert out["stored"] == ["crf_entity.crfsuite", "crf_order.json"]
    assert out["entities"] == {"company": "Acme", "country": "Portugal"}
    # Only the tables that match, each also under its family (first word).
    assert out["patterns"] == [{}, {}, {}, {"country": True, "family:country": True}]
    assert out["strict"] == {}
    assert out["untrained"] == {}
    assert "is not a CRFsuite model" in out["corrupt"]
    assert "is missing from the trained model" in out["missing"]
    assert "make train" in out["missing"]
