"""Wherever rdflib still reads our data (pySHACL's graph, the ontology files), literal forms
survive unchanged: rdflib.NORMALIZE_LITERALS is off, so "1154.480" stays "1154.480" and
"01"^^xsd:integer is not merged with "1"^^xsd:integer (which would drop a statement).

The setting is made by the entry points (the command, the server, the tests' own conftest) through
dangjian.settings.configure_process. The entry points are checked each in a fresh interpreter that
imports only it, so that the setting is proved to come from there, not from another test that set it;
that pySHACL's entry point, which turns it back on, is followed by the setting again is checked here,
in this process, after the reference engine has run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


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


def forms_after(code: str) -> tuple[str, str, set[str]]:
    """Run ``code`` in a fresh interpreter, then parse DATA with rdflib as the reference SHACL
    engine reads records: the flag, the number of statements kept and their objects' forms."""
    out = run_isolated(code + f"""
        import rdflib
        graph = rdflib.Graph().parse(data={DATA!r}, format="nt")
        print(rdflib.NORMALIZE_LITERALS, len(graph))
        print("|".join(sorted(str(o) for o in graph.objects())))
    """)
    flag, size = out.splitlines()[-2].split()
    return flag, size, set(out.splitlines()[-1].split("|"))


def test_the_command_turns_normalisation_off(repo):
    # `dangjian slug --help`: the command's group runs its set-up, and nothing imports rdflib.
    flag, size, forms = forms_after(f"""
        import os, sys
        os.environ["DANGJIAN_ROOT"] = {str(repo.root)!r}
        from dangjian.cli import main
        try:
            main(["slug", "--help"], standalone_mode=False)
        finally:
            assert "rdflib" not in sys.modules, "the command's set-up imported rdflib"
    """)
    assert (flag, size, forms) == ("False", "5", FORMS)


def test_the_server_turns_normalisation_off(built_kb):
    flag, size, forms = forms_after(f"""
        from pathlib import Path
        from dangjian.dataset.published import KnowledgeBase
        from dangjian.serve.app import create_app
        from dangjian.settings import Project
        create_app(KnowledgeBase(Project(Path({str(built_kb.root)!r}))))
    """)
    assert (flag, size, forms) == ("False", "5", FORMS)


def test_nothing_else_turns_it_off(repo):
    # The modules that use rdflib leave it alone when imported: the setting has one place.
    flag, size, _forms = forms_after("""
        import dangjian.checks.shacl, dangjian.model.rdfterms, dangjian.model.ontology
    """)
    assert flag == "True" and int(size) < 5


def test_the_setting_stands_again_once_the_reference_engine_has_run(ontology):
    import rdflib

    from dangjian.checks.shacl import run_pyshacl

    assert rdflib.NORMALIZE_LITERALS is False  # the tests' entry point (conftest) made it
    data = rdflib.Graph().parse(data=DATA, format="nt")
    run_pyshacl(data, ontology.shapes_graph)
    assert rdflib.NORMALIZE_LITERALS is False
    again = rdflib.Graph().parse(data=DATA, format="nt")
    assert len(again) == 5 and {str(o) for o in again.objects()} == FORMS


def test_forms_survive_the_round_trip_between_pyoxigraph_and_rdflib():
    out = run_isolated(f"""
        import pyoxigraph
        from dangjian.model.rdfterms import from_rdflib_graph, to_rdflib_graph
        from dangjian.settings import configure_process
        configure_process()  # as an entry point does
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
