"""Every SHACL constraint fires on an invalid record, at the right file and line, with its message.

The cases live in tests/cases/shapes.yaml. The coverage test reads the constraints out of
ontology/shapes.ttl, so a constraint added without a case fails here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
import yaml
from rdflib.namespace import SH

from dangjian.records.loader import load_records
from dangjian.pipeline.process import map_records
from dangjian.records.companions import cleaned_texts
from dangjian.settings import Project
from dangjian.build import validate_project
from dangjian.checks.shacl import check_shapes, run_pyshacl

HERE = Path(__file__).parent
CASES = yaml.safe_load((HERE / "cases" / "shapes.yaml").read_text(encoding="utf-8"))

# SHACL constraint parameters and the component each one makes.
PARAMETERS = {
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.datatype: "Datatype", SH["class"]: "Class",
    SH.pattern: "Pattern", SH.languageIn: "LanguageIn", SH.uniqueLang: "UniqueLang", SH["in"]: "In",
    SH.minInclusive: "MinInclusive", SH.lessThan: "LessThan", SH.xone: "Xone", SH["or"]: "Or", SH.closed: "Closed",
    SH.qualifiedMinCount: "QualifiedMinCount",
}


def case_project(root: Path, repo: Project, case: dict) -> Project:
    shutil.copytree(repo.ontology, root / "ontology")
    shutil.copytree(HERE / "fixtures" / "records", root / "records")
    for relative, replacements in (case.get("edits") or {}).items():
        path = root / "records" / relative
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"case {case['about']!r}: {old!r} not in {relative}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    for relative, text in (case.get("files") or {}).items():
        path = root / "records" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Project(root)


def test_fixture_records_are_valid(tmp_path, repo, ontology):
    verdict = validate_project(case_project(tmp_path, repo, {"about": "none"}), ontology)
    assert verdict.problems == []


@pytest.mark.parametrize("case", CASES, ids=[c["about"] for c in CASES])
def test_case_reports_exact_lines(case, tmp_path, repo, ontology):
    verdict = validate_project(case_project(tmp_path, repo, case), ontology)
    assert [str(p) for p in verdict.problems] == case["expect"]


@pytest.mark.parametrize("case", CASES, ids=[c["about"] for c in CASES])
def test_both_engines_give_the_same_problems(case, tmp_path, repo, ontology):
    """The fast engine the pipeline runs and pySHACL, the reference, agree on every case, on
    the graph a build would publish."""
    project = case_project(tmp_path, repo, case)
    mapped, _results = map_records(load_records(project, ontology).records, ontology, cleaned_texts(project, ontology))
    fast = check_shapes(mapped, ontology, skip=set(), engine="shacl")
    reference = check_shapes(mapped, ontology, skip=set(), engine="pyshacl")
    assert [str(p) for p in fast] == [str(p) for p in reference]


def constraints(shapes: rdflib.Graph) -> set[tuple[str, str]]:
    found = set()
    for shape in set(shapes.subjects(SH.message, None)):
        for parameter, component in PARAMETERS.items():
            if (shape, parameter, None) in shapes:
                found.add((str(shape), f"shacl:{component}"))
    return found


def fired_by_cases(tmp_path, repo, ontology) -> set[tuple[str, str]]:
    fired = set()
    for number, case in enumerate(CASES):
        project = case_project(tmp_path / str(number), repo, case)
        mapped, _results = map_records(load_records(project, ontology).records, ontology, cleaned_texts(project, ontology))
        # No statements skipped: references that the did-you-mean check reports first must
        # still be caught by their sh:class constraint.
        fired |= {(p.shape, p.rule) for p in check_shapes(mapped, ontology, skip=set(), every_result=True, engine="pyshacl")}
    return fired


def foreign_graph(ontology) -> rdflib.Graph:
    """Records as another tool might write them, breaking what YAML records cannot.

    The loader checks ids (with the pattern read from dj:IdentifierSlug) before mapping; the
    context coerces years and months to their datatypes, and pySHACL does not check the lexical
    form of xsd:gYear or xsd:gYearMonth; one YAML key holds one list of parts.
    """
    dj = rdflib.Namespace(ontology.vocabulary_iri)
    record = lambda kind, name: rdflib.URIRef(ontology.record_iri(kind, name))  # noqa: E731
    XSD, RDF = rdflib.XSD, rdflib.RDF
    data = rdflib.Graph()
    data += ontology.vocabulary_graph
    place_class = rdflib.URIRef(ontology.kinds["place"].class_iri)
    identifiers = {"a": [], "b": [rdflib.Literal("B b")], "c": [rdflib.Literal("c"), rdflib.Literal("cc")], "d": [rdflib.Literal("7", datatype=XSD.integer)]}
    for name, values in identifiers.items():
        data.add((record("place", name), RDF.type, place_class))
        for value in values:
            data.add((record("place", name), rdflib.DCTERMS.identifier, value))
    policy = record("policy", "p")
    data.add((policy, RDF.type, dj.Policy))
    data.add((policy, dj.year, rdflib.Literal("2015", datatype=XSD.integer)))
    data.add((policy, dj.validFrom, rdflib.Literal("2015-01")))
    amount = record("amount", "m")
    data.add((amount, RDF.type, dj.Amount))
    data.add((amount, dj.validFrom, rdflib.Literal("2015-01")))
    for items in (["1", "2"], ["3"]):
        head = rdflib.BNode()
        rdflib.collection.Collection(data, head, [rdflib.Literal(i, datatype=XSD.decimal) for i in items])
        data.add((amount, dj.parts, head))
    return data


def test_every_constraint_is_proven(tmp_path, repo, ontology):
    """Each constraint fires on some case; the few YAML cannot break fire on a foreign graph."""
    by_cases = fired_by_cases(tmp_path, repo, ontology)
    results = run_pyshacl(foreign_graph(ontology), ontology.shapes_graph)
    by_foreign = {
        (str(results.value(r, SH.sourceShape)), "shacl:" + str(results.value(r, SH.sourceConstraintComponent)).rsplit("#")[-1].removesuffix("ConstraintComponent"))
        for r in results.subjects(SH.focusNode, None)
    }
    shapes = ontology.shapes_graph

    def describe(shape: str, rule: str) -> str:
        node = rdflib.URIRef(shape) if shape.startswith("http") else rdflib.BNode(shape)
        return f"{ontology.key_for(str(shapes.value(node, SH.path)))} {rule}: {shapes.value(node, SH.message)}"

    wanted = constraints(shapes)
    missing = sorted(describe(*c) for c in wanted - by_cases - by_foreign)
    assert not missing, "constraints that nothing fires:\n" + "\n".join(missing)
    only_foreign = sorted({describe(*c).split(" ")[0] for c in wanted - by_cases})
    assert only_foreign == ["identifier", "parts", "valid_from", "year"]
