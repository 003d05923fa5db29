"""A mapping that contradicts itself, or has a mistyped key, is refused.

Each case here used to be accepted and change the fit without a word: a
leaky column also listed as profile was learnt from, the outcome listed as
profile gave a perfect score, a key spelt 'profle' was ignored.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scoring.fit import FitInputError, mapping_from_dict

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def mapping(**keys: object) -> dict[str, object]:
    """A valid mapping with the given keys added or replaced."""
    return {"outcome": "won", "identifiers": ["lead_id"], "leaky": ["tags"], **keys}


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (
            {"profile": ["role", "tags"]},
            "'tags' is listed as leaky and as profile: remove it from profile",
        ),
        (
            {"engagement": ["visits", "won"]},
            "'won' is the outcome and listed as engagement: remove it from engagement",
        ),
        (
            {"profile": ["lead_id"]},
            "'lead_id' is listed as identifiers and as profile: remove it from profile",
        ),
        (
            {"profile": ["role"], "engagement": ["role"]},
            "'role' is listed as profile and as engagement: remove it from engagement",
        ),
        ({"profile": ["role", "role"]}, "'role' is listed twice under profile"),
    ],
)
def test_a_column_has_one_role(keys: dict[str, object], message: str) -> None:
    with pytest.raises(FitInputError) as caught:
        mapping_from_dict(mapping(**keys))
    assert str(caught.value).startswith(message)


def test_a_derived_pair_may_not_hide_a_leaky_column() -> None:
    derived = [{"name": "tag and role", "columns": ["tags", "role"]}]
    with pytest.raises(
        FitInputError,
        match="'tags' is listed as leaky and part of derived 'tag and role': "
        "remove it from derived 'tag and role'",
    ):
        mapping_from_dict(mapping(derived=derived))


def test_a_computed_attribute_needs_a_name_of_its_own() -> None:
    left_blank = {"values": ["Select"], "count_as": "role"}
    with pytest.raises(FitInputError, match=r"'role'.*name of its own"):
        mapping_from_dict(mapping(profile=["role"], left_blank=left_blank))


def test_an_unknown_key_names_the_nearest_known_one() -> None:
    with pytest.raises(FitInputError) as caught:
        mapping_from_dict(mapping(profle=["role"]))
    assert str(caught.value) == (
        "unknown key 'profle' in mapping; did you mean 'profile'?"
    )


def test_an_unknown_key_far_from_any_lists_the_keys() -> None:
    with pytest.raises(FitInputError, match=r"unknown key 'colour'.*the keys are"):
        mapping_from_dict(mapping(colour="blue"))


def test_a_derived_entry_key_is_checked_too() -> None:
    derived = [{"name": "pair", "colums": ["a", "b"]}]
    with pytest.raises(FitInputError, match="did you mean 'columns'"):
        mapping_from_dict(mapping(derived=derived))


@pytest.mark.parametrize("example", ["xeducation", "product"])
def test_the_shipped_mappings_pass_the_checks(example: str) -> None:
    raw = yaml.safe_load((EXAMPLES / example / "mapping.yml").read_text())
    assert mapping_from_dict(raw).outcome
