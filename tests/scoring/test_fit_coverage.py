"""What a scorecard cannot read in a batch of leads is found before scoring.

A rules file is built inline for each case, so each test shows the card
and the leads side by side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.config import parse_rules
from scoring.fit import mapping_from_dict
from scoring.fit.coverage import (
    event_sections,
    infinite_cells,
    missing_fields,
    unlisted_values,
)

CARD = """\
version: test
fit:
  rules:
    - id: lead_profile
      field: Lead Profile
      points: {Potential Lead: 18, Student of SomeSchool: 0, left blank: 9}
      default: 22
    - id: visits
      field: visits
      bands: [{max: 3, points: 0}, {min: 3, points: 10}]
negative:
  rules:
    - {id: competitor, field: is_competitor, equals: true, points: -20}
"""


def test_missing_fields_names_what_the_card_reads_and_the_csv_lacks() -> None:
    rules = parse_rules(CARD, "card")
    assert missing_fields(rules, ["Lead Profile", "visits"]) == ["is_competitor"]
    assert missing_fields(rules, ["a"]) == ["Lead Profile", "visits", "is_competitor"]


def test_values_the_card_does_not_list_are_counted_with_examples() -> None:
    rules = parse_rules(CARD, "card")
    frame = pd.DataFrame(
        {
            "Lead Profile": [
                "Potential Lead", " potential lead", "Studnet of SomeSchool",
                "Studnet of SomeSchool", "Lateral", None, "left blank",
            ],
            "visits": [1.0, 2.0, 99.0, np.nan, 4.0, 5.0, 6.0],
        }
    )  # fmt: skip
    [found] = unlisted_values(rules, frame)
    assert found.field == "Lead Profile"
    assert found.leads == 3
    assert found.examples == ("Studnet of SomeSchool", "Lateral")
    assert found.points == 22


def test_listed_values_alone_raise_nothing() -> None:
    rules = parse_rules(CARD, "card")
    frame = pd.DataFrame({"Lead Profile": ["POTENTIAL LEAD", None], "visits": [1, 2]})
    assert unlisted_values(rules, frame) == []


def test_event_sections_are_named_when_the_card_has_them() -> None:
    events = CARD + (
        "engagement:\n  rules:\n    - {id: demo, event: webinar_signup, points: 10}\n"
    )
    assert event_sections(parse_rules(CARD, "card")) == []
    assert event_sections(parse_rules(events, "card")) == ["engagement"]


def test_infinite_cells_are_counted_per_candidate_column() -> None:
    leads = pd.DataFrame(
        {"ratio": [np.inf, 1.0, -np.inf], "text": ["inf", "a", "b"], "won": [0, 1, 0]}
    )
    counts = infinite_cells(leads, mapping_from_dict({"outcome": "won"}))
    assert counts == {"ratio": 2, "text": 1}
