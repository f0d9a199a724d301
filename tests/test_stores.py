"""The build in real triple stores: bulk-loaded and pushed into Oxigraph server and Virtuoso 7,
counted, compared statement by statement, and queried with the whole query catalogue, each
answer compared with the embedded store's. `dangjian push` is also run through a proxy that
fails on purpose, to see it retry, and to see a failed push leave the previous graph in place.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from dangjian.build import build
from dangjian.settings import Project
from triplestores import RESULT_SET_MAX_ROWS, FlakyProxy, Virtuoso, differences, embedded_query, oxigraph_binary, remote_query, start_oxigraph

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = sorted((REPO / "ontology" / "queries").glob("*.rq")) + sorted((REPO / "tests" / "queries").glob("*.rq"))
ALL_STATEMENTS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
STALE = "<urn:dangjian:test:stale> <urn:dangjian:test:says> \"left over from an earlier push\" ."
ELSEWHERE_GRAPH = "urn:dangjian:test:elsewhere"
ELSEWHERE = "<urn:dangjian:test:other> <urn:dangjian:test:says> \"in another graph\" ."


@dataclass
class Release:
    """A build of the real records, in a project folder of its own."""

    root: Path
    dist: Path
    graph: str
    triples: int
    store: pyoxigraph.Store  # the published graph (dangjian.nt) alone: what a push or a bulk load gives a store
    # (`dangjian query` and `serve` add the vocabulary's labels; a store gets them by loading vocabulary.ttl)

    def push(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "dangjian", "push", *args], cwd=self.root, capture_output=True,
                              text=True, timeout=300, env={**os.environ, **(env or {})})


def make_release(root: Path, records: Path) -> Release:
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(records, root / "records")
    project = Project(root)
    report = build(project)
    manifest = json.loads((report.out / "manifest.json").read_text())
    store = pyoxigraph.Store()
    store.bulk_load(path=str(report.out / "dangjian.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Release(root, report.out, manifest["graph"], report.triples, store)


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Release:
    return make_release(tmp_path_factory.mktemp("release"), REPO / "records")


@pytest.fixture(scope="module")
def release_with_list(tmp_path_factory) -> Release:
    """The curated records, whose ratios (1:1, 4:6, 1∶0.8∶0.7) keep their parts in RDF lists of
    blank nodes, some parts decimals."""
    root = tmp_path_factory.mktemp("release-with-list")
    return make_release(root / "kb", REPO / "records")


LIST_PARTS = ("PREFIX dj: <https://w3id.org/dangjian/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
              "SELECT ?amount ?first ?second WHERE { ?amount dj:parts ?list . ?list rdf:first ?first ; rdf:rest ?rest . "
              "?rest rdf:first ?second ; rdf:rest rdf:nil }")


def assert_list_intact(query_url: str, graph: str, release: Release, auth=None, **loose) -> None:
    expected = embedded_query(release.store, LIST_PARTS)
    assert len(expected["results"]["bindings"]) >= 2  # the two-part ratios
    problems = differences(expected, remote_query(query_url, LIST_PARTS, graph, auth), **loose)
    assert not problems, "\n".join(problems)


def count(query_url: str, graph: str, auth=None) -> int:
    answer = remote_query(query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", None, auth)
    return int(answer["results"]["bindings"][0]["n"]["value"])


def graphs(query_url: str, auth=None) -> set[str]:
    answer = remote_query(query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", None, auth)
    return {row["g"]["value"] for row in answer["results"]["bindings"]}


def assert_holds_the_build(query_url: str, graph: str, release: Release, auth=None, **loose) -> None:
    """The store's graph holds exactly the build: same count, same statements."""
    assert count(query_url, graph, auth) == release.triples
    problems = differences(embedded_query(release.store, ALL_STATEMENTS), remote_query(query_url, ALL_STATEMENTS, graph, auth), **loose)
    assert not problems, "\n".join(problems)


def assert_catalogue_agrees(query_url: str, graph: str, release: Release, auth=None, **loose) -> None:
    assert CATALOGUE, "no queries to run"
    failures = []
    for path in CATALOGUE:
        query = path.read_text(encoding="utf-8")
        problems = differences(embedded_query(release.store, query), remote_query(query_url, query, graph, auth), **loose)
        if problems:
            failures.append(f"{path.relative_to(REPO)}:\n  " + "\n  ".join(problems))
    assert not failures, "\n".join(failures)


def update(url: str, text: str, auth=None) -> None:
    response = httpx.post(url, content=text.encode(), headers={"Content-Type": "application/sparql-update"}, auth=auth, timeout=60)
    assert response.is_success, response.text


def seed_previous_state(update_url: str, graph: str, auth=None) -> None:
    """A stale statement in the target graph (a push must remove it) and one elsewhere (it must not)."""
    update(update_url, f"INSERT DATA {{ GRAPH <{graph}> {{ {STALE} }} GRAPH <{ELSEWHERE_GRAPH}> {{ {ELSEWHERE} }} }}", auth)


def asks(query_url: str, pattern: str, auth=None) -> bool:
    return remote_query(query_url, f"ASK {{ {pattern} }}", None, auth)["boolean"]


def no_temporary_graphs(query_url: str, auth=None) -> bool:
    return not [g for g in graphs(query_url, auth) if g.startswith("urn:dangjian:push:")]


# --- the comparison itself: it must see real differences -----------------------------------------

def _answer(*values: dict) -> dict:
    return {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": v} for v in values]}}


def test_comparison_allows_only_the_known_differences():
    decimal = "http://www.w3.org/2001/XMLSchema#decimal"
    same = [
        ({"type": "literal", "value": "12.50", "datatype": decimal}, {"type": "typed-literal", "value": "12.5", "datatype": decimal}),
        ({"type": "literal", "value": "CNY", "datatype": "http://www.w3.org/2001/XMLSchema#string"}, {"type": "literal", "value": "CNY"}),
        ({"type": "bnode", "value": "b0"}, {"type": "bnode", "value": "nodeID://b10001"}),
    ]
    for ours, theirs in same:
        assert differences(_answer(ours), _answer(theirs)) == [], (ours, theirs)
    different = [
        ({"type": "literal", "value": "12.50", "datatype": decimal}, {"type": "literal", "value": "12.6", "datatype": decimal}),
        ({"type": "literal", "value": "12", "datatype": decimal}, {"type": "literal", "value": "12", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}),
        ({"type": "literal", "value": "宿州", "xml:lang": "zh-Hans"}, {"type": "literal", "value": "宿州", "xml:lang": "zh-Hant"}),
        # lang() returns a tag as the store keeps it: a case that differs is a different answer
        ({"type": "literal", "value": "宿州", "xml:lang": "zh-Hans"}, {"type": "literal", "value": "宿州", "xml:lang": "zh-hans"}),
        ({"type": "literal", "value": "宿州", "xml:lang": "zh-Hans"}, {"type": "literal", "value": "宿州"}),
        ({"type": "uri", "value": "https://w3id.org/dangjian/id/amount/x#quote"}, {"type": "uri", "value": "https://w3id.org/dangjian/id/amount/x\\#quote"}),
        ({"type": "literal", "value": "2015", "datatype": "http://www.w3.org/2001/XMLSchema#gYear"}, {"type": "literal", "value": "2015-01-01", "datatype": "http://www.w3.org/2001/XMLSchema#date"}),
    ]
    for ours, theirs in different:
        assert differences(_answer(ours), _answer(theirs)), (ours, theirs)
    row = {"type": "uri", "value": "urn:x"}
    assert differences(_answer(row, row), _answer(row)), "a missing duplicate row counts"


def test_comparison_sees_an_answer_cut_short():
    row = {"type": "literal", "value": "x"}
    full = _answer(*[row] * RESULT_SET_MAX_ROWS)
    assert "ResultSetMaxRows" in differences(full, full)[0]


# --- Oxigraph server -------------------------------------------------------------------------

@dataclass
class Oxigraph:
    base: str
    load_seconds: float

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def endpoints(self) -> list[str]:
        return ["--endpoint", self.base + "/query", "--update-endpoint", self.base + "/update", "--store-endpoint", self.base + "/store"]


@pytest.fixture(scope="module")
def oxigraph(release, tmp_path_factory):
    folder = tmp_path_factory.mktemp("oxigraph")
    # The bulk loader wants the store to itself, so it runs before the server starts.
    loaded = subprocess.run([oxigraph_binary(), "load", "--location", str(folder / "db"), "--file", str(release.dist / "dangjian.nq.gz")],
                            capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    server = start_oxigraph(folder)
    try:
        yield Oxigraph(server.base, 0.0)
    finally:
        server.stop()


def test_oxigraph_bulk_load_of_the_nquads_holds_the_build(oxigraph, release):
    assert_holds_the_build(oxigraph.query, release.graph, release)
    assert graphs(oxigraph.query) == {release.graph}  # nothing in any other graph
    assert remote_query(oxigraph.query, "ASK { ?s ?p ?o }", "urn:dangjian:test:none")["boolean"] is False


def test_oxigraph_answers_the_catalogue_as_the_embedded_store_does(oxigraph, release):
    assert_catalogue_agrees(oxigraph.query, release.graph, release)


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_push_to_oxigraph_replaces_the_graph(oxigraph, release, protocol):
    seed_previous_state(oxigraph.base + "/update", release.graph)
    result = release.push(*oxigraph.endpoints, "--protocol", protocol, "--batch-size", "40")
    assert result.returncode == 0, result.stderr
    assert f"{release.triples:,} triples now in <{release.graph}>" in result.stdout
    assert f"(was {release.triples + 1:,};" in result.stdout  # the build and the stale statement
    assert "loading" in result.stderr  # the progress bar
    assert_holds_the_build(oxigraph.query, release.graph, release)
    assert not asks(oxigraph.query, f"GRAPH ?g {{ {STALE.rstrip(' .')} }}")
    assert asks(oxigraph.query, f"GRAPH <{ELSEWHERE_GRAPH}> {{ {ELSEWHERE.rstrip(' .')} }}")
    assert no_temporary_graphs(oxigraph.query)


def test_push_keeps_blank_nodes_of_a_list_together_across_batches(oxigraph, release_with_list):
    """A ratio's parts are an RDF list of blank nodes; batches of one statement must not split it."""
    graph = "urn:dangjian:test:lists"
    result = release_with_list.push(*oxigraph.endpoints, "--graph", graph, "--batch-size", "1")
    assert result.returncode == 0, result.stderr
    assert_holds_the_build(oxigraph.query, graph, release_with_list)
    assert_list_intact(oxigraph.query, graph, release_with_list)


def test_push_retries_transient_failures(oxigraph, release):
    def plan(number, method, path, body):
        if method == "PUT" and path.startswith("/store") and plan.failed_puts < 2:
            plan.failed_puts += 1
            return 503 if plan.failed_puts == 1 else 429
        if method == "POST" and path.startswith("/query") and not plan.dropped:
            plan.dropped = True
            return "drop"
        return "pass"
    plan.failed_puts, plan.dropped = 0, False

    with FlakyProxy(oxigraph.base, plan) as proxy:
        endpoints = ["--endpoint", proxy.base + "/query", "--update-endpoint", proxy.base + "/update", "--store-endpoint", proxy.base + "/store"]
        result = release.push(*endpoints, "--retries", "3")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("retrying:") >= 3
    assert "503" in result.stderr and "429" in result.stderr and "RemoteProtocolError" in result.stderr
    assert_holds_the_build(oxigraph.query, release.graph, release)
    assert no_temporary_graphs(oxigraph.query)


def test_push_that_fails_midway_leaves_the_previous_graph(oxigraph, release):
    seed_previous_state(oxigraph.base + "/update", release.graph)
    before = count(oxigraph.query, release.graph)

    def plan(number, method, path, body):  # the store breaks down after the first batch
        return 503 if method == "POST" and path.startswith("/store") else "pass"

    with FlakyProxy(oxigraph.base, plan) as proxy:
        endpoints = ["--endpoint", proxy.base + "/query", "--update-endpoint", proxy.base + "/update", "--store-endpoint", proxy.base + "/store"]
        result = release.push(*endpoints, "--batch-size", "30", "--retries", "1")
    assert result.returncode == 1
    assert "push failed: POST " in result.stderr and "failed (tried 2 times): 503" in result.stderr
    assert f"<{release.graph}> was not touched (it held {before:,} triples before the push); the temporary graph was dropped" in result.stderr
    assert count(oxigraph.query, release.graph) == before
    assert asks(oxigraph.query, f"GRAPH <{release.graph}> {{ {STALE.rstrip(' .')} }}")
    assert no_temporary_graphs(oxigraph.query)


def test_push_whose_move_answer_is_lost_checks_and_succeeds(oxigraph, release):
    seed_previous_state(oxigraph.base + "/update", release.graph)

    def plan(number, method, path, body):
        return "pass-then-drop" if body.startswith(b"MOVE") else "pass"

    with FlakyProxy(oxigraph.base, plan) as proxy:
        endpoints = ["--endpoint", proxy.base + "/query", "--update-endpoint", proxy.base + "/update", "--store-endpoint", proxy.base + "/store"]
        result = release.push(*endpoints)
        moves = [seen for seen in proxy.seen if seen[0] == "POST" and seen[1].startswith("/update")]
    assert result.returncode == 0, result.stderr
    assert_holds_the_build(oxigraph.query, release.graph, release)
    assert no_temporary_graphs(oxigraph.query)
    assert len(moves) == 1  # the MOVE was not sent twice


def test_push_waits_for_a_move_still_under_way_and_does_not_send_it_twice(oxigraph, release):
    seed_previous_state(oxigraph.base + "/update", release.graph)

    def plan(number, method, path, body):  # the connection breaks; the store carries the MOVE out 1.5 s later
        return 1.5 if body.startswith(b"MOVE") else "pass"

    with FlakyProxy(oxigraph.base, plan) as proxy:
        endpoints = ["--endpoint", proxy.base + "/query", "--update-endpoint", proxy.base + "/update", "--store-endpoint", proxy.base + "/store"]
        result = release.push(*endpoints)
        moves = [seen for seen in proxy.seen if seen[0] == "POST" and seen[1].startswith("/update")]
    assert result.returncode == 0, result.stderr
    assert "waiting for the store to finish it" in result.stderr
    assert len(moves) == 1
    assert_holds_the_build(oxigraph.query, release.graph, release)
    assert no_temporary_graphs(oxigraph.query)


def test_push_whose_move_fails_says_what_the_store_holds(oxigraph, release):
    seed_previous_state(oxigraph.base + "/update", release.graph)
    before = count(oxigraph.query, release.graph)

    def plan(number, method, path, body):
        return 500 if body.startswith(b"MOVE") else "pass"

    with FlakyProxy(oxigraph.base, plan) as proxy:
        endpoints = ["--endpoint", proxy.base + "/query", "--update-endpoint", proxy.base + "/update", "--store-endpoint", proxy.base + "/store"]
        result = release.push(*endpoints, "--retries", "1")
    assert result.returncode == 1
    assert "the final MOVE did not complete" in result.stderr
    assert f"<{release.graph}> was not touched (it held {before:,} triples before the push); the temporary graph was dropped" in result.stderr
    assert count(oxigraph.query, release.graph) == before
    assert no_temporary_graphs(oxigraph.query)


def test_push_answers_a_basic_auth_challenge_and_sends_no_password_before_it(oxigraph, release):
    with FlakyProxy(oxigraph.base, basic_auth=("curator", "s3cret")) as proxy:
        endpoints = ["--endpoint", proxy.base + "/query", "--update-endpoint", proxy.base + "/update", "--store-endpoint", proxy.base + "/store"]
        wrong = release.push(*endpoints, "--user", "curator", "--password-env", "DANGJIAN_TEST_PASSWORD", env={"DANGJIAN_TEST_PASSWORD": "guess"})
        right = release.push(*endpoints, "--user", "curator", "--password-env", "DANGJIAN_TEST_PASSWORD", env={"DANGJIAN_TEST_PASSWORD": "s3cret"})
        sent = list(proxy.authorizations)
    assert wrong.returncode == 1 and "401 Unauthorized" in wrong.stderr and "nothing was changed" in wrong.stderr
    assert right.returncode == 0, right.stderr
    assert sent[0] is None  # each push asks without credentials first: they go only where asked for
    assert sent.count(None) == 2 and all(a and a.startswith("Basic ") for a in sent if a is not None)
    assert "s3cret" not in right.stdout + right.stderr
    assert_holds_the_build(oxigraph.query, release.graph, release)


def test_push_usage_errors_exit_2(release):
    assert release.push("--endpoint", "http://127.0.0.1:9/query", "--protocol", "gsp").returncode == 2
    assert release.push("--endpoint", "http://127.0.0.1:9/query", "--user", "dba").returncode == 2
    missing = release.push("--endpoint", "http://127.0.0.1:9/query", "--user", "dba", "--password-env", "DANGJIAN_TEST_NO_SUCH_VAR")
    assert missing.returncode == 2 and "DANGJIAN_TEST_NO_SUCH_VAR" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad_graph = release.push("--endpoint", "http://127.0.0.1:9/query", "--graph", "urn:x> } ; DROP ALL ; {")
    assert bad_graph.returncode == 2 and "not an absolute IRI" in bad_graph.stderr
    assert release.push("--endpoint", "ftp://127.0.0.1/query").returncode == 2


# --- Virtuoso 7 --------------------------------------------------------------------------------

TURTLE_GRAPH = "urn:dangjian:test:turtle"


@dataclass
class VirtuosoStore:
    base: str
    auth: httpx.DigestAuth
    load_errors: list[str]

    @property
    def query(self) -> str:
        return self.base + "/sparql"

    @property
    def endpoints(self) -> list[str]:
        return ["--endpoint", self.base + "/sparql-auth", "--store-endpoint", self.base + "/sparql-graph-crud-auth",
                "--user", "dba", "--password-env", "DANGJIAN_TEST_VIRTUOSO_PASSWORD"]


@pytest.fixture(scope="module")
def virtuoso(release, tmp_path_factory):
    load_folder = tmp_path_factory.mktemp("virtuoso-load")
    for name in ("dangjian.nq.gz", "dangjian.ttl"):
        shutil.copy(release.dist / name, load_folder / name)
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"), load_folder)
    started = server.start()
    try:
        errors = server.bulk_load({"dangjian.nq.gz": "urn:dangjian:test:unused", "dangjian.ttl": TURTLE_GRAPH})
        yield VirtuosoStore(started.base, httpx.DigestAuth("dba", "dba"), errors)
    finally:
        server.stop()


def test_virtuoso_bulk_load_of_the_nquads_holds_the_build(virtuoso, release):
    assert virtuoso.load_errors == []
    assert_holds_the_build(virtuoso.query, release.graph, release)


def test_virtuoso_reads_our_turtle_to_exactly_our_iris(virtuoso, release):
    """Virtuoso keeps the backslash of an escaped prefixed name (amount:x\\#quote) in the IRI."""
    assert_holds_the_build(virtuoso.query, TURTLE_GRAPH, release)
    iris = "SELECT DISTINCT ?iri WHERE { { ?iri ?p ?o } UNION { ?s ?iri ?o } UNION { ?s ?p ?iri } FILTER(isIRI(?iri)) }"
    ours = {row["iri"]["value"] for row in embedded_query(release.store, iris)["results"]["bindings"]}
    theirs = {row["iri"]["value"] for row in remote_query(virtuoso.query, iris, TURTLE_GRAPH)["results"]["bindings"]}
    assert theirs == ours
    assert any("#quote" in iri for iri in ours)  # the names a careless writer would escape


def test_virtuoso_answers_the_catalogue_as_the_embedded_store_does(virtuoso, release):
    assert_catalogue_agrees(virtuoso.query, release.graph, release, **VIRTUOSO_ANSWERS)


# Virtuoso answers a computed boolean (BIND(?a = ?b AS ?ok)) as the integer 1 or 0.
VIRTUOSO_ANSWERS = {"booleans_as_integers": True}
# What Virtuoso rewrites in literals that arrive by SPARQL Update (README.md tells users).
VIRTUOSO_UPDATE_REWRITES = {"integral_decimals_as_integers": True, "year_months_as_years": True}
VIRTUOSO_ENV = {"DANGJIAN_TEST_VIRTUOSO_PASSWORD": "dba"}
UPDATE_GRAPH = "urn:dangjian:test:by-update"
SCHEMA_VALUE = "SELECT ?amount ?value WHERE { ?amount <http://schema.org/value> ?value }"


def test_push_to_virtuoso_by_graph_store_protocol_replaces_the_graph(virtuoso, release):
    seed_previous_state(virtuoso.base + "/sparql-auth", release.graph, virtuoso.auth)
    result = release.push(*virtuoso.endpoints, "--batch-size", "40", env=VIRTUOSO_ENV)
    assert result.returncode == 0, result.stderr
    assert "by gsp" in result.stdout and f"(was {release.triples + 1:,};" in result.stdout
    assert_holds_the_build(virtuoso.query, release.graph, release)
    assert not asks(virtuoso.query, f"GRAPH <{release.graph}> {{ {STALE.rstrip(' .')} }}")
    assert asks(virtuoso.query, f"GRAPH <{ELSEWHERE_GRAPH}> {{ {ELSEWHERE.rstrip(' .')} }}")
    assert no_temporary_graphs(virtuoso.query)
    assert_catalogue_agrees(virtuoso.query, release.graph, release, **VIRTUOSO_ANSWERS)


def test_push_to_virtuoso_by_sparql_update(virtuoso, release):
    """Everything arrives; but Virtuoso keeps an integral xsd:decimal that comes by SPARQL Update
    (16300) as an xsd:integer, which README.md tells users (and why GSP is the default)."""
    seed_previous_state(virtuoso.base + "/sparql-auth", UPDATE_GRAPH, virtuoso.auth)
    result = release.push(*virtuoso.endpoints, "--graph", UPDATE_GRAPH, "--protocol", "update", "--batch-size", "40", env=VIRTUOSO_ENV)
    assert result.returncode == 0, result.stderr
    assert "by update" in result.stdout and "(was 1;" in result.stdout
    assert_holds_the_build(virtuoso.query, UPDATE_GRAPH, release, **VIRTUOSO_UPDATE_REWRITES)
    assert not asks(virtuoso.query, f"GRAPH <{UPDATE_GRAPH}> {{ {STALE.rstrip(' .')} }}")
    assert asks(virtuoso.query, f"GRAPH <{ELSEWHERE_GRAPH}> {{ {ELSEWHERE.rstrip(' .')} }}")
    assert no_temporary_graphs(virtuoso.query)
    rewritten = differences(embedded_query(release.store, SCHEMA_VALUE), remote_query(virtuoso.query, SCHEMA_VALUE, UPDATE_GRAPH))
    assert rewritten and "XMLSchema#integer" in "\n".join(rewritten), "Virtuoso no longer rewrites decimals: update README.md"


def test_push_to_virtuoso_keeps_lists_and_decimal_values(virtuoso, release_with_list):
    """Virtuoso rewrites 1.50 as 1.5 (the same value); blank nodes must survive batches of one,
    though Virtuoso refuses them in INSERT DATA."""
    graph = "urn:dangjian:test:lists"
    result = release_with_list.push(*virtuoso.endpoints, "--graph", graph, "--protocol", "update", "--batch-size", "1", env=VIRTUOSO_ENV)
    assert result.returncode == 0, result.stderr
    assert_holds_the_build(virtuoso.query, graph, release_with_list, **VIRTUOSO_UPDATE_REWRITES)
    assert_list_intact(virtuoso.query, graph, release_with_list, **VIRTUOSO_UPDATE_REWRITES)
    by_gsp = "urn:dangjian:test:lists-by-gsp"
    result = release_with_list.push(*virtuoso.endpoints, "--graph", by_gsp, "--batch-size", "1", env=VIRTUOSO_ENV)
    assert result.returncode == 0, result.stderr
    assert_holds_the_build(virtuoso.query, by_gsp, release_with_list)
    assert_list_intact(virtuoso.query, by_gsp, release_with_list)


def test_push_to_virtuoso_with_a_wrong_password_changes_nothing(virtuoso, release):
    before = count(virtuoso.query, release.graph)
    result = release.push(*virtuoso.endpoints, env={"DANGJIAN_TEST_VIRTUOSO_PASSWORD": "not-the-password"})
    assert result.returncode == 1
    assert "401 Unauthorized" in result.stderr and "nothing was changed in the store" in result.stderr
    assert "not-the-password" not in result.stderr + result.stdout
    assert count(virtuoso.query, release.graph) == before


def test_push_to_virtuoso_without_update_rights_fails_at_once(virtuoso, release):
    """Virtuoso answers 500 to a refused permission too; its SQL state says trying again is useless."""
    result = release.push("--endpoint", virtuoso.base + "/sparql", "--protocol", "update", "--graph", "urn:dangjian:test:refused")
    assert result.returncode == 1
    assert "SR186" in result.stderr and "retrying" not in result.stderr
    assert "<urn:dangjian:test:refused> was not touched" in result.stderr
