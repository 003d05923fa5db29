"""`dmql validate`: designers' mistakes named with their file and fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.designer.checks import Project, check
from bot.settings import PROJECT_ROOT


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A copy of the project's designer files, to break on purpose."""
    for name in ("domain.yml", "scoring.yml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    shutil.copytree(PROJECT_ROOT / "data", tmp_path / "data")
    shutil.copytree(PROJECT_ROOT / "actions", tmp_path / "actions")
    if (PROJECT_ROOT / "tests" / "stories").exists():
        shutil.copytree(
            PROJECT_ROOT / "tests" / "stories", tmp_path / "tests" / "stories"
        )
    return Project(tmp_path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def messages(project: Project) -> list[str]:
    return [str(p) for p in check(project)]


def test_a_missing_why_answer_is_named_with_its_fix(project: Project) -> None:
    edit(project.domain, "  utter_why_budget:", "  utter_why_budget_old:")
    found = messages(project)
    assert any(
        "form slot 'budget' has no reason response 'utter_why_budget'" in m
        and "add 'utter_why_budget:'" in m
        for m in found
    ), found


def test_an_unused_response_is_named_with_its_line(project: Project) -> None:
    edit(
        project.domain,
        "responses:\n",
        "responses:\n  utter_forgotten:\n    - text: hi\n",
    )
    found = messages(project)
    assert any("response 'utter_forgotten' is never used" in m for m in found), found
    assert any("domain.yml line" in m for m in found if "utter_forgotten" in m)


def test_a_scoring_rule_on_an_unknown_field_is_named(project: Project) -> None:
    edit(project.rules, "field: company_size", "field: company_headcount")
    found = messages(project)
    assert any("reads 'company_headcount'" in m for m in found), found


def test_a_question_that_is_not_a_form_slot_is_named(project: Project) -> None:
    edit(
        project.rules,
        "contact: [name, email, consent]",
        "contact: [name, email, phone]",
    )
    found = messages(project)
    assert any("questions name 'phone'" in m for m in found), found


def test_a_broken_lookup_table_is_reported(project: Project) -> None:
    table = next((project.root / "data" / "lookups").glob("*.yml"))
    table.write_text("nlu:\n  - lookup: [unclosed\n")
    found = messages(project)
    assert any(table.name in m for m in found), found


def test_a_broken_rules_file_is_reported_with_its_line(project: Project) -> None:
    project.rules.write_text('version: "v1"\nfit:\n  cap: lots\n')
    found = messages(project)
    assert any("scoring.yml line 3" in m for m in found), found


def test_the_budget_in_the_base_currency_is_a_field_rules_may_read(
    project: Project,
) -> None:
    assert "field: budget_base" in project.rules.read_text()
    assert not [m for m in messages(project) if "budget_base" in m]


def test_a_base_currency_without_an_exchange_rate_is_named(project: Project) -> None:
    edit(project.rules, "currency: USD", "currency: AED")
    found = messages(project)
    assert any(
        "currency 'AED' has no rate" in m and "use one of: AUD," in m for m in found
    ), found


def test_an_interruption_without_a_mid_form_rule_is_named(project: Project) -> None:
    assert messages(project) == []
    rules = project.root / "data" / "rules" / "interruptions.yml"
    edit(rules, "      - intent: why_ask\n", "      - intent: ask_why_again\n")
    found = messages(project)
    assert any("intent 'why_ask'" in m and "no rule for the middle" in m for m in found)
    assert any("- intent: why_ask" in m for m in found), "the fix names the step"


def problems_about(project: Project, *words: str) -> list[str]:
    """The messages that contain every one of `words`."""
    return [m for m in messages(project) if all(w in m for w in words)]


def test_a_rule_naming_an_unknown_response_is_named_with_its_line(
    project: Project,
) -> None:
    rules = project.root / "data" / "rules" / "faq.yml"
    edit(
        rules,
        "      - action: utter_integrations\n",
        "      - action: utter_integration\n",
    )
    found = problems_about(project, "'- action: utter_integration'")
    assert found == [
        "data/rules/faq.yml line 29: '- action: utter_integration' is neither a "
        "response nor an action in domain.yml ('make train' fails on it after "
        "minutes); did you mean 'utter_integrations'? otherwise add it under "
        "'responses:' in domain.yml (a custom action needs a developer)"
    ], messages(project)


def test_rasa_default_actions_and_the_form_are_known_actions(
    project: Project,
) -> None:
    stories = project.root / "data" / "stories" / "clarify.yml"
    edit(
        stories,
        "      - action: utter_ask_rephrase\n",
        "      - action: action_default_ask_rephrase\n      - action: action_listen\n",
    )
    assert messages(project) == []


def test_a_rule_step_with_an_unknown_intent_is_named(project: Project) -> None:
    rules = project.root / "data" / "rules" / "faq.yml"
    edit(rules, "      - intent: ask_product\n", "      - intent: ask_prodcut\n")
    found = problems_about(project, "'- intent: ask_prodcut'")
    assert len(found) == 1, messages(project)
    assert found[0].startswith("data/rules/faq.yml line 12: ")
    assert "did you mean 'ask_product'?" in found[0]


def test_an_unknown_intent_among_or_alternatives_is_named(project: Project) -> None:
    rules = project.root / "data" / "rules" / "faq.yml"
    edit(
        rules,
        "      - intent: ask_product\n",
        "      - or:\n          - intent: ask_product\n          - intent: ask_prise\n",
    )
    found = problems_about(project, "'- intent: ask_prise'")
    assert len(found) == 1, messages(project)
    assert found[0].startswith("data/rules/faq.yml line 14: ")


def test_an_unknown_intent_in_an_anchored_list_is_named_once(
    project: Project,
) -> None:
    edit(
        project.domain,
        "intent: &about_themselves [inform,",
        "intent: &about_themselves [infrom,",
    )
    found = problems_about(project, "'infrom'")
    assert len(found) == 1, found  # the aliases (*about_themselves) add no more
    assert "did you mean 'inform'?" in found[0]
    assert found[0].startswith("domain.yml line ")


def test_a_response_placeholder_that_is_no_slot_is_named(project: Project) -> None:
    edit(project.domain, '"Welcome back, {name}!', '"Welcome back, {first_name}!')
    found = problems_about(project, "{first_name}")
    assert len(found) == 1, messages(project)
    assert "response 'utter_greet_returning' says {first_name}" in found[0]
    assert "did you mean '{name}'?" not in found[0]
    assert found[0].startswith("domain.yml line ")


def test_a_placeholder_an_action_passes_is_no_problem(project: Project) -> None:
    edit(project.domain, '"Welcome back, {name}!', '"Welcome back, {rep_name}!')
    assert problems_about(project, "{rep_name}")
    (project.root / "actions" / "greeting_extra.py").write_text(
        "def greet(dispatcher):\n"
        '    dispatcher.utter_message(response="utter_greet_returning", '
        'rep_name="Jo")\n'
    )
    assert not problems_about(project, "{rep_name}"), messages(project)


def test_an_intent_without_examples_is_named(project: Project) -> None:
    edit(project.domain, "  - stop\n", "  - stop\n  - ask_careers\n")
    found = problems_about(project, "intent 'ask_careers' has no examples")
    assert len(found) == 1, messages(project)
    assert found[0].startswith("domain.yml line 23: ")


def test_examples_under_an_intent_the_domain_lacks_are_named(
    project: Project,
) -> None:
    nlu = project.root / "data" / "nlu" / "product.yml"
    nlu.write_text(
        nlu.read_text() + "  - intent: ask_pricng\n    examples: |\n"
        "      - what does a seat cost per month\n"
    )
    found = problems_about(project, "intent 'ask_pricng' has examples")
    assert len(found) == 1, messages(project)
    assert "did you mean 'ask_pricing'?" in found[0]
    assert found[0].startswith("data/nlu/product.yml line ")


def test_an_entity_the_domain_lacks_is_named_with_its_line(project: Project) -> None:
    nlu = project.root / "data" / "nlu" / "answers.yml"
    edit(nlu, "[founder](job_title) i decide", "[founder](jobtitle) i decide")
    edit(nlu, "      - yep\n", '      - yep, [Acme]{"entity": "compnay"}\n')
    found = problems_about(project, "is not in domain.yml, so it is never extracted")
    assert any(
        m.startswith("data/nlu/answers.yml line 97: entity 'jobtitle'")
        and "did you mean 'job_title'?" in m
        for m in found
    ), found
    assert any("entity 'compnay'" in m and "'company'?" in m for m in found), found


def test_one_example_under_two_intents_names_both_places(project: Project) -> None:
    nlu = project.root / "data" / "nlu" / "answers.yml"
    edit(nlu, "      - yep\n", "      - yep\n      - PRICING  \n")
    found = problems_about(project, "example 'pricing'")
    assert found == [
        "data/nlu/product.yml line 9: example 'pricing' is under intent "
        "'ask_pricing' here and under 'affirm' at data/nlu/answers.yml line 40; "
        "keep it under the one intent it means, and delete the other"
    ], messages(project)


def test_a_lookup_table_no_code_reads_is_named(project: Project) -> None:
    tables = project.root / "data" / "lookups" / "industries.yml"
    edit(tables, "- lookup: industry_saas\n", "- lookup: industy_saas\n")
    found = problems_about(project, "lookup table 'industy_saas'")
    assert found == [
        "data/lookups/industries.yml line 50: no code reads lookup table "
        "'industy_saas', so its terms change nothing; did you mean "
        "'industry_saas'? otherwise rename it to a table a parser reads "
        "(bot/answers/lookups.py), or move it to data/lookups/entity_cues.yml "
        "if it is only a cue for the entity extractor"
    ], messages(project)


def test_a_question_without_an_answer_reader_is_named(project: Project) -> None:
    edit(project.domain, "      - consent\n", "      - consent\n      - current_tool\n")
    edit(
        project.domain,
        "\nslots:\n",
        "\nslots:\n  current_tool:\n    type: any\n    influence_conversation: false\n"
        "    mappings: [{type: custom}]\n",
    )
    edit(project.domain, "responses:\n", "responses:\n"
        "  utter_ask_current_tool:\n    - text: Which tool do you use today?\n"
        "  utter_why_current_tool:\n    - text: So we can compare.\n")  # fmt: skip
    edit(
        project.rules,
        "        company, country]",
        "        company, country, current_tool]",
    )
    found = problems_about(project, "'current_tool'")
    assert found == [
        "scoring.yml line 281: question 'current_tool' has no answer reader in "
        "bot/qualification/normalize.py, so the bot cannot store its answer; a "
        "developer must add one before it can be asked; until then remove it "
        "from questions"
    ], messages(project)


def test_an_informs_field_nothing_fills_is_named(project: Project) -> None:
    edit(project.rules, "budget: [budget_base]", "budget: [budget_bsae]")
    found = problems_about(project, "'budget_bsae'")
    assert len(found) == 1, messages(project)
    assert found[0].startswith("scoring.yml line 285: ")
    assert "did you mean 'budget_base'?" in found[0]


def test_an_informs_entry_that_is_no_question_is_named_with_its_line(
    project: Project,
) -> None:
    edit(project.rules, "informs:\n    job_title:", "informs:\n    job_titel:")
    found = problems_about(project, "'job_titel', which is not a question")
    assert len(found) == 1, messages(project)
    assert found[0].startswith("scoring.yml line 284: ")
