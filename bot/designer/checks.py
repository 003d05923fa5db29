"""Checks of what conversation designers and marketers edit, beyond Rasa's own.

`make validate` runs ``rasa data validate`` and then these: every form
question has an ``utter_ask_`` and a "why do you ask?" answer; every lookup
table loads; every response is used somewhere; every field the scoring rules
read is a real slot or a field the actions or scoring derive, and the rules'
base currency has an exchange rate; every intent a question's ``not_intent``
names has a rule for the middle of the questions (the form hands such a
message to that rule). Also what ``rasa data validate`` lets through or only
warns about, and ``make train`` or the running bot then trips on: rules and
stories naming intents or actions the domain lacks
(:mod:`.conversation_checks`), response placeholders that are no slot
(:mod:`.response_checks`), intents and entities the NLU examples and the
domain disagree on and examples under two intents (:mod:`.nlu_checks`),
lookup tables no code reads (:mod:`.lookup_names`), and questions the actions
cannot store (:mod:`.question_checks`). Each problem names the file, the line
where there is one, and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.answers import load_lookups
from bot.designer.conversation_checks import check_conversations
from bot.designer.domain_file import read_domain
from bot.designer.lookup_names import check_lookup_names
from bot.designer.nlu_checks import check_nlu
from bot.designer.problem import Problem
from bot.designer.question_checks import check_questions, question_lines
from bot.designer.response_checks import action_values, check_placeholders
from bot.errors import ConfigError
from bot.qualification.scorer import FLAG_EVENTS, FLAG_SIGNALS, currency_problem
from bot.store.leads import DERIVED_FIELDS, LEAD_FIELDS
from scoring.config import load_rules
from scoring.errors import ScoringConfigError
from scoring.rules import ScoringRules
from scoring.vocabulary import LEAD_ATTRIBUTES

FORM = "qualification_form"
RESPONSE_IN_CODE = re.compile(r"""["'](utter_[a-z0-9_]+)["']""")
#: Responses the actions build from a slot name at run time.
DYNAMIC_PREFIXES = ("utter_ask_", "utter_why_")
#: Responses Rasa's own fallback actions utter.
RASA_RESPONSES = frozenset({"utter_default", "utter_ask_rephrase"})

__all__ = ["Problem", "Project", "check"]


@dataclass(frozen=True)
class Project:
    """Where the designer's files are."""

    root: Path

    @property
    def domain(self) -> Path:
        return self.root / "domain.yml"

    @property
    def rules(self) -> Path:
        return self.root / "scoring.yml"

    def name(self, path: Path) -> str:
        """How messages name a file: its path in the project."""
        return str(path.relative_to(self.root))


def check(project: Project) -> list[Problem]:
    """Every problem found, file by file; empty when all is well."""
    domain, lines = _load_domain(project.domain)
    declared = read_domain(project.domain)
    problems = list(_form_responses(project, domain, lines))
    problems += check_placeholders(
        declared, project.name(project.domain), action_values(project.root / "actions")
    )
    problems += _lookups(project)
    problems += check_lookup_names(project.root)
    problems += _unused_responses(project, domain, lines)
    problems += _interruptions_without_rule(project, domain)
    problems += check_conversations(
        project.root, declared, project.name(project.domain)
    )
    problems += check_nlu(project.root, declared, project.name(project.domain))
    rules = _rules(project, problems)
    if rules is not None:
        problems += _scoring_fields(project, domain, rules)
    return problems


def _load_domain(path: Path) -> tuple[dict[str, object], dict[str, int]]:
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "responses" and isinstance(value, yaml.MappingNode):
                for name, _ in value.value:
                    lines[str(name.value)] = name.start_mark.line + 1
    return data, lines


def _form_slots(domain: dict[str, object]) -> list[str]:
    forms = domain.get("forms")
    form = forms.get(FORM, {}) if isinstance(forms, dict) else {}
    slots = form.get("required_slots", []) if isinstance(form, dict) else []
    return [str(s) for s in slots]


def _responses(domain: dict[str, object]) -> dict[str, object]:
    responses = domain.get("responses")
    return responses if isinstance(responses, dict) else {}


def _form_responses(
    project: Project, domain: dict[str, object], lines: dict[str, int]
) -> Iterator[Problem]:
    responses = _responses(domain)
    for slot in _form_slots(domain):
        for prefix, what in (("utter_ask_", "question"), ("utter_why_", "reason")):
            if f"{prefix}{slot}" not in responses:
                yield Problem(
                    project.name(project.domain), None,
                    f"form slot '{slot}' has no {what} response '{prefix}{slot}'",
                    f"add '{prefix}{slot}:' with a text under 'responses:'",
                )  # fmt: skip


def _lookups(project: Project) -> list[Problem]:
    try:
        load_lookups(project.root / "data" / "lookups")
    except ConfigError as exc:
        return [Problem("data/lookups", None, str(exc), "fix the table as it says")]
    return []


def _used_names(project: Project) -> str:
    texts = [
        p.read_text(encoding="utf-8") for p in (project.root / "data").rglob("*.yml")
    ]
    stories = project.root / "tests" / "stories"
    if stories.exists():
        texts += [p.read_text(encoding="utf-8") for p in stories.rglob("*.yml")]
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in (project.root / "actions").rglob("*.py")
    )
    return "\n".join(texts) + "\n" + " ".join(RESPONSE_IN_CODE.findall(code))


def _unused_responses(
    project: Project, domain: dict[str, object], lines: dict[str, int]
) -> Iterator[Problem]:
    used = set(re.findall(r"utter_[a-z0-9_]+", _used_names(project)))
    for name in _responses(domain):
        if name in used or name in RASA_RESPONSES or name.startswith(DYNAMIC_PREFIXES):
            continue
        yield Problem(
            project.name(project.domain), lines.get(name),
            f"response '{name}' is never used",
            "use it in a rule or story under data/, or delete it",
        )  # fmt: skip


def _mid_form_rule_intents(project: Project) -> set[str]:
    """Intents that open a rule in data/rules/ with ``active_loop: <the form>``."""
    intents: set[str] = set()
    for path in sorted((project.root / "data" / "rules").rglob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue  # `rasa data validate` names the broken file
        rules = data.get("rules") if isinstance(data, dict) else None
        for rule in rules or []:
            condition = rule.get("condition") or []
            steps = rule.get("steps") or []
            in_form = any(c.get("active_loop") == FORM for c in condition)
            if in_form and steps and "intent" in steps[0]:
                intents.add(str(steps[0]["intent"]))
    return intents


def _interruptions_without_rule(
    project: Project, domain: dict[str, object]
) -> Iterator[Problem]:
    slots = domain.get("slots")
    named: dict[str, str] = {}
    for slot, spec in (slots if isinstance(slots, dict) else {}).items():
        for mapping in (spec or {}).get("mappings") or []:
            for intent in mapping.get("not_intent") or []:
                named.setdefault(str(intent), str(slot))
    handled = _mid_form_rule_intents(project)
    for intent, slot in sorted(named.items()):
        if intent not in handled:
            yield Problem(
                project.name(project.domain), None,
                f"intent '{intent}' is no answer to '{slot}' (not_intent) but has "
                f"no rule for the middle of the questions",
                f"add a rule with 'condition: - active_loop: {FORM}' that starts "
                f"with '- intent: {intent}' (DESIGNING.md, Add an interruption)",
            )  # fmt: skip


def _rules(project: Project, problems: list[Problem]) -> ScoringRules | None:
    try:
        return load_rules(project.rules, LEAD_ATTRIBUTES)
    except ScoringConfigError as exc:
        problems.append(
            Problem(project.name(project.rules), exc.line, exc.problem, exc.fix)
        )
        return None


def _scoring_fields(
    project: Project, domain: dict[str, object], rules: ScoringRules
) -> Iterator[Problem]:
    # The rules' own fields were checked, with their lines, when they loaded
    # (`load_rules` with the lead attributes).
    currency = currency_problem(rules)
    if currency is not None:
        yield Problem(project.name(project.rules), None, *currency)
    form = set(_form_slots(domain))
    lines, _ = question_lines(project.rules)
    for question in rules.questions.all_questions:
        if question not in form:
            yield Problem(
                project.name(project.rules), lines.get(question),
                f"questions name '{question}', which is not a slot of {FORM}",
                "add it to the form in domain.yml or remove it from questions",
            )  # fmt: skip
    yield from check_questions(
        project.rules,
        project.name(project.rules),
        rules.questions.all_questions,
        _fields(domain),
    )


def _fields(domain: dict[str, object]) -> set[str]:
    """Every field a scoring rule may read: slots, lead fields, derived, flags."""
    slots = domain.get("slots")
    known = {str(s) for s in slots} if isinstance(slots, dict) else set()
    known |= set(LEAD_FIELDS) | set(DERIVED_FIELDS)
    return known | set(FLAG_EVENTS.values()) | set(FLAG_SIGNALS)
