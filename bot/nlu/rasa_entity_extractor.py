"""Rasa's CRF entity extractor, loaded from the CRFs it trained.

Rasa 3.6's ``CRFEntityExtractor`` stores its training set, not its model, and
trains the CRFs again every time a model loads: the server's start-up takes
as long as the CRF's training. That ruled out a CRF worth having (a wider
window over the neighbouring words, more iterations), whose training takes
minutes. This extractor is Rasa's in every other way (features, tagging,
confidences, the same configuration keys) but stores each trained CRF's own
model file, which CRFsuite reads back in a moment. A CRFsuite model file is
plain weights, not pickle: loading one runs no code.

config.yml names this class in the NLU pipeline. Only the Rasa environment
imports this module (it imports ``rasa``). It overrides Rasa 3.6's
``persist``, ``load``, ``extract_entities`` and ``_pattern_of_token``, so an
upgrade of Rasa (pinned in requirements/rasa.lock) must re-run
tests/bot/nlu/test_rasa_entity_extractor.py.
"""

from __future__ import annotations

import shutil
from collections import OrderedDict
from pathlib import Path
from typing import Any

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import ENTITY_ATTRIBUTE_CONFIDENCE_TYPE
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken
from rasa.shared.nlu.training_data.message import Message

from bot.errors import ConfigError

ORDER_FILE = "crf_order.json"


class MissingModelFile(ConfigError):
    """A stored entity model lacks, or cannot read, the CRF for one of its tags."""


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True
)
class StoredCrfEntityExtractor(CRFEntityExtractor):
    """Rasa's CRF entity extractor that loads its trained CRFs, not its data."""

    # The helpers are methods: Rasa's training cache keys a component by its
    # class's source, so a change here retrains the CRF.

    @staticmethod
    def family(table: str) -> str:
        """The family a lookup table or regex belongs to: its name's first word.

        ``industry_energy`` and ``industry_media`` are both ``industry``;
        ``country_names`` and ``country_alias_de`` are both ``country``.
        """
        return "family:" + table.split("_", 1)[0]

    @staticmethod
    def tagger_file(directory: Path, tag_name: str) -> Path:
        """Where the CRF that predicts ``tag_name`` is stored."""
        return directory / f"crf_{tag_name}.crfsuite"

    @staticmethod
    def open_tagger(path: Path) -> Any:
        """The CRF stored at ``path``, read into memory now, not at first use."""
        import sklearn_crfsuite

        if not path.is_file():
            raise MissingModelFile(
                f"{path} is missing from the trained model: "
                "train it again (`make train`)"
            )
        tagger = sklearn_crfsuite.CRF(model_filename=str(path))
        try:
            tagger.tagger_  # noqa: B018 - opening the tagger reads the file
        except (OSError, ValueError) as error:
            raise MissingModelFile(
                f"{path} is not a CRFsuite model ({error}): "
                "train it again (`make train`)"
            ) from error
        return tagger

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Rasa's, plus ``min_confidence``: entities below it are left out."""
        return {**CRFEntityExtractor.get_default_config(), "min_confidence": 0.0}

    def extract_entities(self, message: Message) -> list[dict[str, Any]]:
        """Rasa's entities, without those the CRF itself is unsure of.

        An unsure entity ("Honestly" as a name at the start of a sentence)
        would fill a question the visitor never answered; left out, the form
        asks it.
        """
        floor = float(self.component_config.get("min_confidence", 0.0))
        return [
            entity
            for entity in super().extract_entities(message)
            if float(entity.get(ENTITY_ATTRIBUTE_CONFIDENCE_TYPE, 1.0)) >= floor
        ]

    @staticmethod
    def _pattern_of_token(message: Message, idx: int) -> dict[str, bool]:
        """The lookup tables and regexes that match the token, and only those.

        Rasa gives the CRF every pattern with True or False; CRFsuite turns a
        False into a feature whose value is 0, which never changes a score
        but is still carried through every training step: with ~200 lookup
        tables, on every word of the window. Leaving them out trains the
        same model many times faster.
        """
        patterns = CRFEntityExtractor._pattern_of_token(message, idx)
        matched = [name for name, hit in patterns.items() if hit]
        return {
            key: True
            for name in matched
            for key in (name, StoredCrfEntityExtractor.family(name))
        }

    def persist(self, dataset: list[list[CRFToken]]) -> None:
        """Store the tag order and each trained CRF's model file."""
        with self._model_storage.write_to(self._resource) as directory:
            rasa.shared.utils.io.dump_obj_as_json_to_file(
                directory / ORDER_FILE, self.crf_order
            )
            for tag_name, tagger in (self.entity_taggers or {}).items():
                shutil.copyfile(
                    tagger.modelfile.name, self.tagger_file(directory, tag_name)
                )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> StoredCrfEntityExtractor:
        """Read the stored CRFs back; an extractor that never trained tags nothing."""
        try:
            with model_storage.read_from(resource) as directory:
                crf_order = rasa.shared.utils.io.read_json_file(directory / ORDER_FILE)
                paths = {tag: cls.tagger_file(directory, tag) for tag in crf_order}
        except ValueError:
            # Trained without entity examples, so nothing was stored.
            return cls(config, model_storage, resource)
        taggers = OrderedDict((tag, cls.open_tagger(p)) for tag, p in paths.items())
        extractor = cls(config, model_storage, resource, taggers)
        extractor.crf_order = crf_order
        return extractor
