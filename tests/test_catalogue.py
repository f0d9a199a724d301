"""The query catalogue (ontology/queries/): every question runs through the real `dangjian
query` command against a real build of the curated records and gives its expected answer.

The expected answers, tests/catalogue/NAME.expected.tsv (SPARQL TSV results), were read
against the articles in records/sources/ when they were written: a change in an answer is a
change in what the knowledge base says, to be reviewed the same way, not re-recorded blindly.
Rows are compared as a multiset (stores may order ties differently), terms exactly.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from dangjian.cli import main
from dangjian.settings import Project
from dangjian.query.catalogue import catalogue

REPO = Path(__file__).resolve().parent.parent
EXPECTED = REPO / "tests" / "catalogue"
QUESTIONS = catalogue(Project(REPO))


def run(kb, *args: str):
    return CliRunner().invoke(main, ["query", *args], env={"DANGJIAN_ROOT": str(kb.root)}, catch_exceptions=False)


def parse_tsv(data: bytes) -> tuple[list[str], Counter]:
    results = pyoxigraph.parse_query_results(data, format=pyoxigraph.QueryResultsFormat.TSV)
    variables = [v.value for v in results.variables]
    rows = Counter(tuple(str(solution[v]) if solution[v] is not None else "" for v in variables) for solution in results)
    return variables, rows


def test_the_catalogue_has_at_least_twelve_questions_each_saying_what_it_asks():
    assert len(QUESTIONS) >= 12
    for question in QUESTIONS:
        first = question.text.splitlines()[0]
        assert first.startswith("# "), f"{question.name}.rq must open with a # comment saying what it asks"
        assert len(question.comment) > 60 and question.title != question.name, question.name


def test_every_question_has_an_expected_answer_and_every_answer_a_question():
    names = {q.name for q in QUESTIONS}
    answers = {p.name.removesuffix(".expected.tsv") for p in EXPECTED.glob("*.expected.tsv")}
    assert names == answers


@pytest.mark.parametrize("name", [q.name for q in QUESTIONS])
def test_question_gives_its_expected_answer(built_kb, name):
    result = run(built_kb, name, "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    variables, rows = parse_tsv(result.stdout_bytes)
    expected_variables, expected_rows = parse_tsv((EXPECTED / f"{name}.expected.tsv").read_bytes())
    assert variables == expected_variables
    assert sum(rows.values()) > 0, f"{name} answers nothing"
    missing, extra = expected_rows - rows, rows - expected_rows
    assert not missing and not extra, f"{name}:\nmissing: {sorted(missing)}\nunexpected: {sorted(extra)}"


def test_list_names_and_titles_every_question(built_kb):
    result = run(built_kb, "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(QUESTIONS)
    for line, question in zip(lines, QUESTIONS):
        assert line.startswith(question.name + " ") and line.endswith(question.title)


# --- a few answers spelled out: what the articles say, checked by hand ----------------------------

def values(kb, name: str) -> list[dict[str, str]]:
    result = run(kb, name, "--format", "json")
    import json

    answer = json.loads(result.stdout)
    return [{k: v["value"] for k, v in row.items()} for row in answer["results"]["bindings"]]


def test_suzhou_new_funding_adds_up_to_6204_48_wan_yuan(built_kb):
    # 市财政增加投入1154.48万元 + 共投入1290万元 + 新增投入350万元 + 新增投入2420万元 + 新增投入990万元
    rows = values(built_kb, "article-new-funding")
    assert sorted(r["asWritten"] for r in rows) == sorted(["1154.48万元", "1290万元", "350万元", "2420万元", "990万元"])
    assert {r["articleTotal"] for r in rows} == {"62044800"}


def test_nanyang_pay_follows_its_ratio(built_kb):
    rows = values(built_kb, "pay-ratio")
    assert [(r["stated"], r["part"], r["difference"]) for r in rows] == [("1100", "1", "0"), ("880", "0.8", "0"), ("770", "0.7", "0")]


def test_nanyang_yearly_venue_targets_sum_to_496(built_kb):
    # 2014年,已解决95个 …;2015年将解决200个、2016年将解决201个 … 分3年完成496个
    (row,) = values(built_kb, "yearly-targets")
    assert (row["years"], row["sum"], row["totalValue"], row["difference"]) == ("3", "496", "496", "0")


def test_policies_in_anhui_go_down_the_place_hierarchy_and_stop_at_the_border(built_kb):
    places = {r["placeLabel"] for r in values(built_kb, "policies-in-region")}
    assert {"合肥市", "宿州市", "大通区", "九龙岗镇", "龙居社区", "马庙村", "居南社区"} == places  # city, district, town, community, village
    assert not places & {"南阳市", "南召县"}  # 河南


def test_the_readme_shows_real_answers(built_kb):
    """Every `$ dangjian query NAME` block in README.md is what the command prints now."""
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n\$ dangjian query ([a-z0-9-]+)\n(.*?)```", readme, re.S)
    assert len(blocks) >= 3
    for name, shown in blocks:
        assert name in {q.name for q in QUESTIONS}
        assert run(built_kb, name).stdout == shown, f"README.md's answer to {name} is out of date"
