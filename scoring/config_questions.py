"""Reading the ``questions:`` section: what the chatbot may ask, and in what order.

The planner (:mod:`scoring.questions`) orders the ``ask`` questions by how
much their answers can move the score, so this section only says which
questions exist, which come first and which are contact details.
"""

from __future__ import annotations

import yaml

from scoring.rules import QuestionPolicy
from scoring.yaml_nodes import NodeReader

EXAMPLE = "'questions: {first: [use_case], ask: [job_title, budget], contact: [email]}'"
KEYS = ("first", "ask", "contact", "informs")


def read_questions(r: NodeReader, node: yaml.Node) -> QuestionPolicy:
    """Check the questions section; a question may appear in one list only."""
    keys = r.mapping(node, "questions", KEYS, ("ask",), EXAMPLE)
    seen: dict[str, str] = {}
    lists: dict[str, tuple[str, ...]] = {}
    for name in ("first", "ask", "contact"):
        items = (
            r.sequence(keys[name], f"questions {name}", EXAMPLE) if name in keys else []
        )
        names: list[str] = []
        for item in items:
            question = r.text(item, f"a question in questions {name}", "job_title")
            if question in seen:
                raise r.error(
                    item,
                    f"question '{question}' is in questions {seen[question]}"
                    f" and in questions {name}",
                    "list each question once",
                )
            seen[question] = name
            names.append(question)
        lists[name] = tuple(names)
    informs: dict[str, tuple[str, ...]] = {}
    if "informs" in keys:
        example = "'informs: {job_title: [seniority, department]}'"
        for key_node, value_node in r.free_mapping(
            keys["informs"], "questions informs", example
        ):
            question = str(key_node.value)
            if question not in seen:
                raise r.error(
                    key_node,
                    f"questions informs names '{question}', which is not a question",
                    "add it to questions ask (or first/contact), or remove it here",
                )
            informs[question] = tuple(
                r.text(item, f"a field of '{question}'", "seniority")
                for item in r.sequence(value_node, f"informs {question}", example)
            )
    return QuestionPolicy(
        first=lists["first"],
        ask=lists["ask"],
        contact=lists["contact"],
        informs=informs,
    )
