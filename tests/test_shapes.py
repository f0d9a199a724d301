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
    form of xsd:gYear, xsd:gYearMonth or xsd:gMonthDay; one YAML key holds one list of parts; the
    mapper refuses a language tag that sh:languageIn does not list.
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
    data.add((policy, rdflib.DCTERMS.date, rdflib.Literal("08-05")))
    amount = record("amount", "m")
    data.add((amount, RDF.type, dj.Amount))
    data.add((amount, dj.validFrom, rdflib.Literal("2015-01")))
    for items in (["1", "2"], ["3"]):
        head = rdflib.BNode()
        rdflib.collection.Collection(data, head, [rdflib.Literal(i, datatype=XSD.decimal) for i in items])
        data.add((amount, dj.parts, head))
    # A language the shapes do not list: the mapper refuses it before any engine sees it (each
    # such tag is a case in tests/bad/), so only another tool's data can make sh:languageIn fire.
    for (kind, predicate), _rule in ontology.language_rules.items():
        node = record(kind or "place", f"tagged-{kind}")
        data.add((node, RDF.type, rdflib.URIRef(ontology.kinds[kind or "place"].class_iri)))
        data.add((node, rdflib.URIRef(predicate), rdflib.Literal("x", lang="ja")))
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
    languages = sorted({ontology.key_for(predicate) for _kind, predicate in ontology.language_rules})
    assert only_foreign == sorted(["day", "identifier", "parts", "valid_from", "year", *languages])


# --- where the engines differ, the mapper decides first ------------------------------------------

PAY = "amounts/suzhou-2015-village-head-annual-pay.yaml"
EDGES = {
    "18 digits after the point": {PAY: [["value: 16300", 'value: "16300.000000000000000001"']]},
    "19 digits after the point": {PAY: [["value: 16300", 'value: "16300.0000000000000000001"']]},
    "19 after the point, plain": {PAY: [["value: 16300", "value: 0.0000000000000000001"]]},
    "20 digits before the point": {PAY: [["value: 16300", "value: 12345678901234567890"]]},
    "22 digits before the point": {PAY: [["value: 16300", 'value: "1234567890123456789012.5"']]},
    "a range whose max has 22 digits": {PAY: [["value: 16300", 'min: 5\nmax: "5.0000000000000000000001"']]},
    "zh-Hans-CN and en-GB": {"places/anhui.yaml": [["zh-Hans: 安徽省", "zh-Hans-CN: 安徽省"], ["en: Anhui Province", "en-GB: Anhui Province"]]},
    "ZH-HANS and EN": {"places/anhui.yaml": [["zh-Hans: 安徽省", "ZH-HANS: 安徽省"], ["en: Anhui Province", "EN: Anhui Province"]]},
}


@pytest.mark.parametrize("about", EDGES)
def test_both_engines_agree_where_they_would_differ(about, tmp_path, repo, ontology):
    """Decimals past the fast engine's precision and language tags with subtags: the mapper
    refuses what is beyond the bounds both engines hold to, before either sees it, so the two
    give one verdict; what is within them, both accept."""
    project = case_project(tmp_path, repo, {"about": about, "edits": EDGES[about]})
    mapped, _triples = map_records(load_records(project, ontology).records, ontology)
    fast = check_shapes(mapped, ontology, skip=set(), engine="shacl")
    reference = check_shapes(mapped, ontology, skip=set(), engine="pyshacl")
    assert [str(p) for p in fast] == [str(p) for p in reference]
    refused = any(word in about for word in ("19 digits after", "19 after", "22 digits", "zh-Hans-CN"))
    assert bool(mapped.problems) == refused, [str(p) for p in mapped.problems]
    assert refused or fast == []


def test_the_fast_engine_alone_would_differ(tmp_path, ontology):
    """Why the mapper checks digits first: on such a literal the `shacl` package (decimals as
    128-bit integers of 10⁻¹⁸) and pySHACL disagree. Should a release of the package agree, this
    test fails, and the bound can be raised."""
    import shacl
    from dangjian.records.limits import MAX_FRACTION_DIGITS

    value = "1." + "0" * MAX_FRACTION_DIGITS + "1"
    data = f'<x:a> <x:p> "{value}"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    shapes = ("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
              "<x:S> a sh:NodeShape ; sh:targetSubjectsOf <x:p> ; sh:property [ sh:path <x:p> ; sh:datatype xsd:decimal ] .")
    (tmp_path / "data.nt").write_text(data, encoding="utf-8")
    fast = shacl.Shapes.from_text(shapes, format="turtle").validate_file(str(tmp_path / "data.nt")).results
    reference = run_pyshacl(rdflib.Graph().parse(data=data, format="nt"), rdflib.Graph().parse(data=shapes, format="turtle"))
    assert len(fast) == 1 and not list(reference.subjects(SH.focusNode, None))
