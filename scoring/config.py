"""Loading scoring rules from YAML, checked line by line.

The YAML is what marketers edit (and what fitted scorecards are written as),
so it is validated completely at load: every problem is a
`ScoringConfigError` naming the file, the line and the fix. Nothing is
checked lazily while scoring, where a typo would only show as wrong scores.
"""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike
from pathlib import Path

import yaml

from scoring.config_engagement import read_behaviour_rule, read_engagement_rule
from scoring.config_fields import Catalogue, check_attributes
from scoring.config_questions import read_questions
from scoring.config_sections import (
    read_conversation_rule,
    read_fit_rule,
    read_negative_rule,
    read_rule_list,
)
from scoring.errors import ScoringConfigError
from scoring.model import Grade
from scoring.rules import (
    DEFAULT_CURRENCY,
    DEFAULT_GRADES,
    DEFAULT_LEVELS,
    Calibration,
    QuestionPolicy,
    ScoringRules,
    StageThresholds,
)
from scoring.yaml_nodes import NodeReader, suggest

TOP_KEYS = (
    "version", "base", "currency", "fit", "engagement", "conversation", "negative",
    "grades", "levels", "stages", "calibration", "questions",
)  # fmt: skip
CALIBRATION_METHODS = ("logistic",)
GRADE_LETTERS: tuple[Grade, ...] = ("A", "B", "C", "D")


def load_rules(
    path: str | PathLike[str], attributes: Catalogue | None = None
) -> ScoringRules:
    """Read and check a rules file; errors name it as `path` was given.

    With `attributes`, fit and negative rules may only read those attributes,
    and only their listed values (rules the chatbot scores with); without,
    any name (a scorecard fitted on a CSV's columns).
    """
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScoringConfigError(
            source, None, f"cannot read the rules file ({exc.strerror})",
            "check the path, or copy the default scoring.yml there",
        ) from exc  # fmt: skip
    except UnicodeDecodeError as exc:
        raise ScoringConfigError(
            source, None, "the rules file is not UTF-8 text", "save it as UTF-8"
        ) from exc
    return parse_rules(text, source, attributes)


def parse_rules(
    text: str, source: str, attributes: Catalogue | None = None
) -> ScoringRules:
    """Check YAML text and build the rules; `source` labels every error."""
    r = NodeReader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        raise ScoringConfigError(
            source, line, f"this is not valid YAML ({exc.problem})",
            "check the indentation and that text with ':' or '#' is in quotes",
        ) from exc  # fmt: skip
    if root is None:
        raise r.error(
            None, "the rules file is empty", "start it with 'version: \"v1\"'"
        )
    example = "'version: \"v1\"'"
    top = r.mapping(root, "the rules file", TOP_KEYS, ("version",), example)
    ids: dict[str, yaml.Node] = {}
    fit = _section(r, top, "fit", ("cap", "rules"))
    engagement = _section(r, top, "engagement", ("cap", "rules", "behaviour"))
    conversation = _section(r, top, "conversation", ("cap", "rules"))
    negative = _section(r, top, "negative", ("rules",))
    fit_example = "'- {id: seniority, field: seniority, points: {vp: 18}}'"
    rules = ScoringRules(
        version=_version(r, top["version"]),
        base=r.optional_number(top, "base", "the rules file", 0.0),
        currency=_currency(r, top["currency"]) if "currency" in top
        else DEFAULT_CURRENCY,
        fit_cap=_cap(r, fit, "fit"),
        fit_rules=_rules(r, fit, "fit", fit_example, read_fit_rule, ids),
        engagement_cap=_cap(r, engagement, "engagement"),
        engagement_rules=_rules(
            r, engagement, "engagement", "'- {id: pricing, event: page_view, ...}'",
            read_engagement_rule, ids,
        ),
        behaviour_rules=_rules(
            r, engagement, "engagement", "'- {id: frequent, feature: sessions, ...}'",
            read_behaviour_rule, ids, key="behaviour",
        ),
        conversation_cap=_cap(r, conversation, "conversation"),
        conversation_rules=_rules(
            r, conversation, "conversation", "'- {id: demo, signal: asked_demo, ...}'",
            read_conversation_rule, ids,
        ),
        negative_rules=_rules(
            r, negative, "negative", "'- {id: student, field: seniority, ...}'",
            read_negative_rule, ids,
        ),
        grades=_grades(r, top["grades"]) if "grades" in top else DEFAULT_GRADES,
        levels=_levels(r, top["levels"]) if "levels" in top else DEFAULT_LEVELS,
        stages=_stages(r, top["stages"]) if "stages" in top else StageThresholds(),
        calibration=_calibration(r, top["calibration"]) if "calibration" in top
        else None,
        questions=read_questions(r, top["questions"]) if "questions" in top
        else QuestionPolicy(),
        source=source,
    )  # fmt: skip
    _check_reachable(r, top, rules)
    if attributes is not None:
        check_attributes(text, source, attributes)
    return rules


def _best_fit(rules: ScoringRules) -> float:
    """The most fit points any lead could get under the rules."""
    best = 0.0
    for rule in rules.fit_rules:
        options = [rule.default, rule.missing, *rule.points.values()]
        options += [band.points for band in rule.bands]
        best += max(options)
    return best if rules.fit_cap is None else min(best, rules.fit_cap)


def _check_reachable(
    r: NodeReader, top: dict[str, yaml.Node], rules: ScoringRules
) -> None:
    """Thresholds a marketer set that no lead could ever reach.

    Checked only where the file sets grades or stages itself: a short file
    that leans on the defaults is a draft, not a mistake.
    """
    stages = top.get("stages")
    if stages is not None and rules.stages.dmql_total > 100:
        dmql = next(v for k, v in stages.value if k.value == "dmql")
        raise r.error(
            dmql, f"stages dmql is {rules.stages.dmql_total:g}, but a score "
            "runs from 0 to 100, so no lead could be handed to sales",
            "use at most 100, e.g. 'dmql: 60'",
        )  # fmt: skip
    if stages is None and "grades" not in top:
        return
    grade = rules.stages.dmql_min_grade
    needed = dict(rules.grades).get(grade)
    best = _best_fit(rules)
    if needed is not None and rules.fit_rules and best < needed:
        raise r.error(
            top.get("grades", stages),
            f"no lead can reach grade {grade} ({needed:g} fit points), which a "
            f"DMQL needs: the fit rules give at most {best:g}",
            f"lower grade {grade} to {best:g} or less, raise the fit cap, or "
            "lower stages dmql_min_grade",
        )  # fmt: skip


def _version(r: NodeReader, node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode) and not isinstance(r.scalar(node), str):
        raise r.error(
            node, f"version is {node.value}, which YAML reads as a number or a date",
            f"quote it so it is kept as written, e.g. 'version: \"{node.value}\"'",
        )  # fmt: skip
    return r.text(node, "version", "'version: \"v1\"'")


def _currency(r: NodeReader, node: yaml.Node) -> str:
    code = r.text(node, "currency", "'currency: USD'")
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise r.error(
            node, f"currency '{code}' is not a three-letter ISO 4217 code",
            "write the code of the currency the money bands are in, e.g. "
            "'currency: USD' or 'currency: EUR'",
        )  # fmt: skip
    return code.upper()


def _section(
    r: NodeReader, top: dict[str, yaml.Node], name: str, allowed: tuple[str, ...]
) -> dict[str, yaml.Node]:
    if name not in top:
        return {}
    return r.mapping(top[name], f"'{name}'", allowed, (), f"'{name}:' then 'rules:'")


def _cap(r: NodeReader, section: dict[str, yaml.Node], name: str) -> float | None:
    if "cap" not in section:
        return None
    return r.positive(section["cap"], f"{name} cap", "cap: 40")


def _rules[RuleT](
    r: NodeReader,
    section: dict[str, yaml.Node],
    name: str,
    example: str,
    read_one: Callable[[NodeReader, yaml.Node], RuleT],
    ids: dict[str, yaml.Node],
    key: str = "rules",
) -> tuple[RuleT, ...]:
    if key not in section:
        return ()
    return read_rule_list(r, section[key], f"{name} {key}", example, read_one, ids)


def _descending(
    r: NodeReader, node: yaml.Node, what: str, names: tuple[str, ...], example: str
) -> list[float]:
    keys = r.mapping(node, what, names, names, example)
    values = [r.number(keys[n], f"{what} {n}", example) for n in names]
    for above, below in zip(range(len(names)), range(1, len(names)), strict=False):
        if values[below] >= values[above]:
            raise r.error(
                keys[names[below]],
                f"{what} {names[below]} needs {values[below]:g} points,"
                f" {names[above]} only {values[above]:g}",
                f"each step needs fewer points than the one above, e.g. {example}",
            )
    return values


def _grades(r: NodeReader, node: yaml.Node) -> tuple[tuple[Grade, float], ...]:
    names = GRADE_LETTERS[:3]
    values = _descending(r, node, "grades", names, "'grades: {A: 45, B: 30, C: 15}'")
    return tuple(zip(names, values, strict=True))


def _levels(r: NodeReader, node: yaml.Node) -> tuple[tuple[int, float], ...]:
    example = "'levels: {4: 25, 3: 15, 2: 5}'"
    values = _descending(r, node, "levels", ("4", "3", "2"), example)
    return tuple(zip((4, 3, 2), values, strict=True))


def _stages(r: NodeReader, node: yaml.Node) -> StageThresholds:
    example = "'stages: {mql: 35, dmql: 60, dmql_min_grade: B}'"
    allowed = ("mql", "dmql", "dmql_min_grade")
    keys = r.mapping(node, "stages", allowed, ("mql", "dmql"), example)
    mql = r.number(keys["mql"], "stages mql", "mql: 35")
    dmql = r.number(keys["dmql"], "stages dmql", "dmql: 60")
    if dmql < mql:
        raise r.error(
            keys["dmql"], f"stages dmql ({dmql:g}) is below mql ({mql:g})",
            "a lead handed to sales must score at least as high as an MQL",
        )  # fmt: skip
    grade: Grade = "B"
    if "dmql_min_grade" in keys:
        text = r.text(keys["dmql_min_grade"], "stages dmql_min_grade", "B")
        if text not in GRADE_LETTERS:
            raise r.error(
                keys["dmql_min_grade"], f"dmql_min_grade '{text}' is not a fit grade",
                "use A, B, C or D (D lets any fit through)",
            )  # fmt: skip
        grade = text
    return StageThresholds(mql_total=mql, dmql_total=dmql, dmql_min_grade=grade)


def _calibration(r: NodeReader, node: yaml.Node) -> Calibration:
    example = "'calibration: {method: logistic, intercept: -4.2, slope: 0.08}'"
    allowed = ("method", "intercept", "slope")
    keys = r.mapping(node, "calibration", allowed, ("intercept", "slope"), example)
    method = "logistic"
    if "method" in keys:
        method = r.text(keys["method"], "calibration method", "'method: logistic'")
        if method not in CALIBRATION_METHODS:
            raise r.error(
                keys["method"], f"calibration method '{method}' is not supported",
                suggest(method, CALIBRATION_METHODS),
            )  # fmt: skip
    return Calibration(
        intercept=r.number(
            keys["intercept"], "calibration intercept", "intercept: -4.2"
        ),
        slope=r.number(keys["slope"], "calibration slope", "slope: 0.08"),
        method=method,
    )
