"""Summarize an NLU cross-validation run against the product's quality bar.

``python -m bot.designer.nlu_report reports/nlu`` reads the reports that
``rasa test nlu --cross-validation`` wrote and prints intent macro F1 and
entity F1 beside the bar (0.95 and 0.90); it exits 1 when either is below.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

INTENT_BAR = 0.95
ENTITY_BAR = 0.90
#: Rasa's reports that are not about an entity extractor.
NOT_ENTITY_REPORTS = frozenset({"intent_report.json", "response_selection_report.json"})


def entity_reports(root: Path) -> list[Path]:
    """The entity extractors' reports (``<extractor>_report.json``), by name."""
    return sorted(
        path
        for path in root.glob("*_report.json")
        if path.name not in NOT_ENTITY_REPORTS
    )


def macro_f1(report: Path) -> float | None:
    """The macro-average F1 of a Rasa report, or None if it has none."""
    if not report.exists():
        return None
    data = json.loads(report.read_text(encoding="utf-8"))
    value = data.get("macro avg", {}).get("f1-score")
    return float(value) if value is not None else None


def worst_rows(report: Path, count: int = 5) -> list[tuple[str, float]]:
    """The intents (or entities) with the lowest F1: where examples are needed."""
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = [
        (name, float(row["f1-score"]))
        for name, row in data.items()
        if isinstance(row, dict)
        and "f1-score" in row
        and " avg" not in name
        and name != "accuracy"
    ]
    return sorted(scores, key=lambda item: item[1])[:count]


def main(folder: str) -> int:
    """Print the figures; 0 when both bars are met."""
    root = Path(folder)
    intent = macro_f1(root / "intent_report.json")
    entity = next(
        (f1 for path in entity_reports(root) if (f1 := macro_f1(path)) is not None),
        None,
    )
    if intent is None:
        print(f"no intent_report.json in {root}: run `make test-bot` first")
        return 1
    print(f"intent macro F1: {intent:.3f} (bar {INTENT_BAR})")
    print(
        "entity macro F1: "
        + ("no entities" if entity is None else f"{entity:.3f} (bar {ENTITY_BAR})")
    )
    for name, f1 in worst_rows(root / "intent_report.json"):
        print(f"  lowest intent: {name:<24} F1 {f1:.3f}")
    for path in entity_reports(root)[:1]:
        for name, f1 in worst_rows(path, count=3):
            print(f"  lowest entity: {name:<24} F1 {f1:.3f}")
    below = intent < INTENT_BAR or (entity is not None and entity < ENTITY_BAR)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "reports/nlu"))
