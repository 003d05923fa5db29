"""Intents from a message's text: tf-idf n-grams, its meaning, a linear SVM.

Visitors' messages are short, so the model reads both words (and word pairs,
keeping "?", "!" and currency signs as words of their own: "cost?" asks, "cost
per channel" states a need), the characters inside words (typos, plurals,
"pricing"/"price") and the shape of the message: which words are capitalized
and how many there are ("Dmitri Volkov" is a name given, "nach dem Sommer" a
phrase in another language, though neither is an English word), and what
the message means as a pre-trained sentence encoder reads it
(:mod:`bot.nlu.sentence_meaning`: "does brightlane support mfa" lies near
the security questions though no example says "mfa"). A linear SVM
separates the intents; its scores become probabilities through a sigmoid
fitted on held-out folds, so the fallback's confidence threshold means what
it says.

Scikit-learn and the encoder only: it runs unchanged under the Rasa
environment's scikit-learn 1.1 and the app environment's current release.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.svm import LinearSVC

from bot.nlu.sentence_meaning import SentenceMeaning

#: Words, plus the marks that change what a short message means.
WORDS_AND_MARKS = r"(?u)\b\w+\b|[?!€$£¥₹]"
#: How much the message's shape counts beside its words and characters.
SHAPE_WEIGHT = 0.5
#: How much its meaning counts (0.5 to 1 give the same cross-validated F1).
MEANING_WEIGHT = 0.5
#: The shapes are separated by spaces.
SHAPE_TOKENS = r"\S+"
#: Marks around a word that don't change its shape ("Dana," "Hi!").
_AROUND = "\"'’.,;:!?()[]{}<>"
#: Messages of this many words or more have the same length feature.
_LONG = 6

#: Folds for fitting the probabilities; fewer when an intent has fewer examples.
CALIBRATION_FOLDS = 5
#: How much the SVM may bend to fit every training example (scikit-learn's C).
DEFAULT_C = 1.0


class TooFewExamples(ValueError):
    """An intent has too few examples to learn and calibrate it."""


def word_shapes(text: str) -> str:
    """The message's words as shapes, then its length: "Dmitri Volkov" is
    "x Xx n2", "CISO" "XX n1", "ab Januar" "x Xx n2", "50 seats" "d x n2".

    The first word's capital says nothing (phone keyboards add it: "Pricing",
    "No"), so it reads as lower case.
    """
    shapes = [_shape(word) for word in text.split()]
    if shapes and shapes[0] == "Xx":
        shapes[0] = "x"
    return " ".join([*shapes, f"n{min(len(shapes), _LONG)}"])


def _shape(word: str) -> str:
    core = word.strip(_AROUND)
    if not core:
        return "o"
    if any(char.isdigit() for char in core):
        return "d"
    if len(core) > 1 and core.isupper():
        return "XX"
    if core[0].isupper():
        return "Xx"
    if core.islower():
        return "x"
    return "o"


def build(
    labels: Sequence[str], c: float = DEFAULT_C, random_state: int = 0
) -> Pipeline:
    """An untrained model sized for these training labels.

    Raises :class:`TooFewExamples` naming the intents with fewer than two
    examples, or when there are fewer than two intents.
    """
    counts = Counter(labels)
    if len(counts) < 2:
        raise TooFewExamples(
            f"intent classification needs two or more intents, got {len(counts)}"
        )
    scarce = sorted(intent for intent, n in counts.items() if n < 2)
    if scarce:
        raise TooFewExamples(
            "these intents need at least two examples each: " + ", ".join(scarce)
        )
    folds = min(CALIBRATION_FOLDS, min(counts.values()))
    features = FeatureUnion(
        [
            (
                "characters",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 2), sublinear_tf=True, token_pattern=WORDS_AND_MARKS
                ),
            ),
            (
                "shape",
                TfidfVectorizer(
                    preprocessor=word_shapes,
                    ngram_range=(1, 3),
                    sublinear_tf=True,
                    token_pattern=SHAPE_TOKENS,
                    lowercase=False,
                ),
            ),
            ("meaning", SentenceMeaning()),
        ],
        transformer_weights={"shape": SHAPE_WEIGHT, "meaning": MEANING_WEIGHT},
    )
    classifier = CalibratedClassifierCV(
        LinearSVC(C=c, random_state=random_state), cv=folds, ensemble=False
    )
    return make_pipeline(features, classifier)


def fit(texts: Sequence[str], labels: Sequence[str], c: float = DEFAULT_C) -> Pipeline:
    """A model trained on these messages and their intents."""
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} messages but {len(labels)} intents")
    model = build(labels, c=c)
    # An array, not a list: scikit-learn 1.1 counts a list's classes as empty.
    model.fit(list(texts), np.asarray(labels))
    return model


def rank(model: Pipeline, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
    """For each message, every intent with its probability, most likely first."""
    if not texts:
        return []
    intents = [str(intent) for intent in model.classes_]
    return [
        sorted(zip(intents, map(float, row), strict=True), key=lambda pair: -pair[1])
        for row in model.predict_proba(list(texts))
    ]
