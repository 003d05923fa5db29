"""Which intents the training examples mix up, in seconds.

``python -m bot.designer.nlu_overlap data/nlu`` cross-validates the bot's own
intent classifier (:mod:`bot.nlu.intent_model`, the one config.yml trains) on
the intent examples (entity annotations stripped) and prints each intent's
F1, the pairs of intents most often confused, and with ``--examples`` every
example that landed on the wrong intent. It is a designer's quick look
before the real cross-validation of ``make test-bot``, which trains Rasa's
whole pipeline (entities too) five times and takes far longer; the intent
figures of the two agree closely.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from bot.nlu import intent_model

#: ``[value](entity)``, ``[value](entity:canonical)`` and ``[value]{"entity": ..}``.
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
FOLDS = 5


@dataclass(frozen=True)
class Example:
    """One training message of an intent, as a visitor would type it."""

    intent: str
    text: str


@dataclass(frozen=True)
class Miss:
    """An example the model put in another intent."""

    example: Example
    predicted: str


def plain_text(annotated: str) -> str:
    """The message without entity markup: "[CMO](job_title)" is "CMO"."""
    return ANNOTATION.sub(r"\1", annotated).strip()


def read_examples(paths: Iterable[Path]) -> Iterator[Example]:
    """Every intent example in the given NLU files (lookups and regexes skipped)."""
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    yield Example(str(block["intent"]), plain_text(line[2:]))


def nlu_files(target: Path) -> list[Path]:
    """The YAML files of a folder, or the one file given."""
    if target.is_dir():
        return sorted(target.glob("*.yml")) + sorted(target.glob("*.yaml"))
    return [target]


def cross_validate(examples: list[Example], folds: int = FOLDS) -> list[str]:
    """Each example's intent as predicted by a model that never saw it."""
    texts = [example.text for example in examples]
    intents = [example.intent for example in examples]
    predicted = [""] * len(examples)
    split = StratifiedKFold(folds, shuffle=True, random_state=0)
    for train, test in split.split(texts, intents):
        model = intent_model.fit([texts[i] for i in train], [intents[i] for i in train])
        rankings = intent_model.rank(model, [texts[i] for i in test])
        for i, ranking in zip(test, rankings, strict=True):
            predicted[i] = ranking[0][0]
    return predicted


def per_intent_f1(intents: list[str], predicted: list[str]) -> dict[str, float]:
    """F1 of every intent, weakest first."""
    labels = sorted(set(intents))
    scores = f1_score(intents, predicted, labels=labels, average=None)
    pairs = zip(labels, map(float, scores), strict=True)
    return dict(sorted(pairs, key=lambda pair: pair[1]))


def main(argv: list[str] | None = None) -> int:
    """Print the figures; 2 when there is nothing to check."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", nargs="?", default="data/nlu", type=Path)
    parser.add_argument("--examples", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    examples = list(read_examples(nlu_files(args.target)))
    counts = Counter(example.intent for example in examples)
    too_few = [intent for intent, n in counts.items() if n < FOLDS]
    if len(counts) < 2 or too_few:
        print(
            f"{args.target}: need two or more intents with {FOLDS}+ examples each"
            + (f" (too few: {', '.join(sorted(too_few))})" if too_few else "")
        )
        return 2
    predicted = cross_validate(examples)
    intents = [example.intent for example in examples]
    macro = f1_score(intents, predicted, average="macro")
    print(f"{len(examples)} examples, {len(counts)} intents: macro F1 {macro:.3f}")
    for intent, f1 in per_intent_f1(intents, predicted).items():
        print(f"  {f1:.2f}  {intent} ({counts[intent]})")
    misses = [
        Miss(example, guess)
        for example, guess in zip(examples, predicted, strict=True)
        if guess != example.intent
    ]
    pairs = Counter((miss.example.intent, miss.predicted) for miss in misses)
    print("most confused (intent -> predicted):")
    for (intent, guess), n in pairs.most_common(15):
        print(f"  {n:>3}  {intent} -> {guess}")
    if args.examples:
        for miss in misses:
            print(
                f"{miss.example.intent:>20} -> {miss.predicted:<20} {miss.example.text}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
