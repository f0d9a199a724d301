"""Wherever rdflib still reads our data (pySHACL's graph, the ontology files), literal forms
survive unchanged: rdflib.NORMALIZE_LITERALS is off, so "1154.480" stays "1154.480" and
"01"^^xsd:integer is not merged with "1"^^xsd:integer (which would drop a statement).

Each check runs in a fresh interpreter that imports only the module under test, so that the
setting is proved to come from that module, not from another test that set it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

XSD = "http://www.w3.org/2001/XMLSchema#"
DATA = (
    f'<urn:x:a> <urn:x:value> "1154.480"^^<{XSD}decimal> .\n'
    f'<urn:x:a> <urn:x:value> "12.50"^^<{XSD}decimal> .\n'
    f'<urn:x:a> <urn:x:count> "01"^^<{XSD}integer> .\n'
    f'<urn:x:a> <urn:x:count> "1"^^<{XSD}integer> .\n'
    f'<urn:x:a> <urn:x:year> "2015"^^<{XSD}gYear> .\n'
)
FORMS = {"1154.480", "12.50", "01", "1", "2015"}


def run_isolated(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("module", ["dangjian.checks.shacl", "dangjian.model.rdfterms", "dangjian.model.ontology"])
def test_the_modules_that_use_rdflib_turn_normalisation_off(module):
    out = run_isolated(f"""
        import {module}, rdflib
        graph = rdflib.Graph().parse(data={DATA!r}, format="nt")  # as the reference SHACL engine reads records
        print(rdflib.NORMALIZE_LITERALS, len(graph))
        print("|".join(sorted(str(o) for o in graph.objects())))
    """)
    flag, size = out.splitlines()[0].split()
    assert (flag, size) == ("False", "5")
    assert set(out.splitlines()[1].split("|")) == FORMS


def test_forms_survive_the_round_trip_between_pyoxigraph_and_rdflib():
    out = run_isolated(f"""
        import pyoxigraph
        from dangjian.model.rdfterms import from_rdflib_graph, to_rdflib_graph
        triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in pyoxigraph.parse({DATA!r}.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)]
        back = from_rdflib_graph(to_rdflib_graph(triples))
        print(sorted(map(str, back)) == sorted(map(str, triples)), len(back))
    """)
    assert out.split() == ["True", "5"]


def test_without_the_setting_rdflib_would_change_them():
    # The reason for the setting, shown: rdflib's default rewrites the forms and merges 01 with 1.
    out = run_isolated(f"""
        import rdflib
        graph = rdflib.Graph().parse(data={DATA!r}, format="nt")
        print(rdflib.NORMALIZE_LITERALS, len(graph))
    """)
    flag, size = out.split()
    assert flag == "True" and int(size) < 5
