"""Publishing: the real records build; every format loads to the same graph; same bytes twice;
and a failed or interrupted build leaves the previous dist/ as it was."""

from __future__ import annotations

import hashlib
import json

import pyoxigraph
import pytest
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

import shutil

from dangjian.build import staging as dist_module
from dangjian.build import BuildFailed, build
from dangjian.checks.shacl import run_pyshacl

rdflib.NORMALIZE_LITERALS = False


def triples_of(path, fmt) -> set:
    """A file's statements as pyoxigraph reads them (it lowercases language tags)."""
    return {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(path=str(path), format=fmt)}


def same_graph(one: set, other: set) -> bool:
    """The same statements, blank nodes aside: equal without them, isomorphic with them."""
    def blank(t):
        return isinstance(t.subject, pyoxigraph.BlankNode) or isinstance(t.object, pyoxigraph.BlankNode)

    if {t for t in one if not blank(t)} != {t for t in other if not blank(t)}:
        return False
    as_graph = lambda ts: rdflib.Graph().parse(data=pyoxigraph.serialize(sorted(ts, key=str), format=pyoxigraph.RdfFormat.N_TRIPLES).decode(), format="nt")  # noqa: E731
    return isomorphic(as_graph({t for t in one if blank(t)}), as_graph({t for t in other if blank(t)}))


def lowercase_languages(graph: rdflib.Graph) -> rdflib.Graph:
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.language:
            o = rdflib.Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


@pytest.fixture
def built(sandbox):
    report = build(sandbox.project)
    return sandbox, report


def test_real_records_build(repo, tmp_path):
    report = build(repo, out=tmp_path / "dist")
    assert report.verdict.problems == []
    assert sum(report.records_by_kind.values()) == len(list(repo.records.rglob("*.yaml")))
    assert set(report.files) == {"dangjian.ttl", "dangjian.nt", "dangjian.jsonld", "ontology.ttl", "vocabulary.ttl", "context.jsonld", "void.ttl", "dangjian.nt.gz", "dangjian.nq.gz", "manifest.json"}


def test_turtle_loads_in_rdflib_and_pyoxigraph_to_the_same_graph(built):
    sandbox, report = built
    ttl = report.out / "dangjian.ttl"
    by_rdflib = rdflib.Graph().parse(ttl, format="turtle")
    by_oxigraph = rdflib.Graph().parse(data=pyoxigraph.serialize(pyoxigraph.parse(path=str(ttl), format=pyoxigraph.RdfFormat.TURTLE), format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
    assert len(by_rdflib) == report.triples
    assert isomorphic(lowercase_languages(by_rdflib), by_oxigraph)


def test_every_format_holds_the_same_statements(built):
    _sandbox, report = built
    out = report.out
    nt = triples_of(out / "dangjian.nt", pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(nt) == report.triples
    # Lists (the parts of a ratio) are blank nodes, named afresh by each parser: compare graphs.
    assert same_graph(triples_of(out / "dangjian.ttl", pyoxigraph.RdfFormat.TURTLE), nt)
    assert same_graph(triples_of(out / "dangjian.jsonld", pyoxigraph.RdfFormat.JSON_LD), nt)
    # A second JSON-LD processor, the reference one, reads the embedded context the same way.
    expanded = jsonld.to_rdf(json.loads((out / "dangjian.jsonld").read_text()), {"format": "application/n-quads"})
    assert same_graph({pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(expanded.encode(), format=pyoxigraph.RdfFormat.N_QUADS)}, nt)
    by_rdflib = rdflib.Graph().parse(out / "dangjian.jsonld", format="json-ld")
    assert isomorphic(lowercase_languages(by_rdflib), lowercase_languages(rdflib.Graph().parse(out / "dangjian.nt", format="nt")))


def test_literal_forms_survive(sandbox):
    sandbox.write("amounts/suzhou-2015-village-head-annual-pay.yaml", sandbox.read("amounts/suzhou-2015-village-head-annual-pay.yaml").replace("value: 16300", "value: 16300.00"))
    report = build(sandbox.project)
    for name in ("dangjian.ttl", "dangjian.nt"):
        assert "16300.00" in (report.out / name).read_text()
    nt = (report.out / "dangjian.nt").read_text()
    assert '"16300.00"^^<http://www.w3.org/2001/XMLSchema#decimal>' in nt
    assert '"11544800"^^<http://www.w3.org/2001/XMLSchema#decimal>' in nt  # not turned into an integer


def test_the_published_graph_conforms_to_the_shapes_in_pyshacl(built):
    """What users load, validated with the published ontology, by the reference engine."""
    _sandbox, report = built
    data = rdflib.Graph().parse(report.out / "dangjian.ttl", format="turtle")
    data.parse(report.out / "ontology.ttl", format="turtle")
    shapes = rdflib.Graph().parse(report.out / "ontology.ttl", format="turtle")
    results = run_pyshacl(data, shapes)
    assert (None, rdflib.SH.conforms, rdflib.Literal(True)) in results


def test_same_records_give_same_bytes(sandbox, tmp_path):
    first = build(sandbox.project, out=tmp_path / "one")
    second = build(sandbox.project, out=tmp_path / "two")
    for name in first.files:
        assert (first.out / name).read_bytes() == (second.out / name).read_bytes(), name


def test_manifest_lists_each_file_with_its_hash(built):
    _sandbox, report = built
    manifest = json.loads((report.out / "manifest.json").read_text())
    assert manifest["triples"] == report.triples
    assert manifest["records"] == report.records_by_kind
    for name, facts in manifest["files"].items():
        content = (report.out / name).read_bytes()
        assert facts == {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_failed_validation_leaves_dist_untouched(built):
    sandbox, report = built
    before = snapshot(report.out)
    sandbox.write("amounts/suzhou-2015-village-head-annual-pay.yaml", sandbox.read("amounts/suzhou-2015-village-head-annual-pay.yaml").replace("value: 16300", 'value: "abc"'))
    with pytest.raises(BuildFailed):
        build(sandbox.project)
    assert snapshot(report.out) == before


@pytest.mark.parametrize("quick", [False, True], ids=["full build", "quick rebuild"])
def test_interrupted_build_leaves_dist_untouched(built, monkeypatch, quick):
    sandbox, report = built
    before = snapshot(report.out)
    if not quick:
        shutil.rmtree(sandbox.root / ".cache")  # no index: a full build
    sandbox.remove("people/zhang-shuguang.yaml")  # a real change, so the new build would differ
    written = []

    def die_on_the_third_file(self, name, *args, **kwargs):
        written.append(name)
        if len(written) == 3:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C while files were being written
        return original[self_method(name, args)](self, name, *args, **kwargs)

    original = {"write": dist_module.Staging.write, "splice": dist_module.Staging.splice}
    self_method = lambda name, args: "splice" if len(args) >= 2 else "write"  # noqa: E731
    monkeypatch.setattr(dist_module.Staging, "write", die_on_the_third_file)
    monkeypatch.setattr(dist_module.Staging, "splice", die_on_the_third_file)
    with pytest.raises(KeyboardInterrupt):
        build(sandbox.project)
    assert snapshot(report.out) == before
    monkeypatch.undo()
    again = build(sandbox.project)
    assert (again.changed is not None) == quick
    assert snapshot(report.out) != before
    assert not [p for p in report.out.parent.glob(".dist-*") if p.name != ".dist-spare"]  # no staging folders left behind
