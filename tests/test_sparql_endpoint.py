"""The SPARQL 1.1 Protocol at /sparql, against the real `dangjian serve` on 127.0.0.1 (the
`served` fixture in conftest.py): every way of asking, every format parsed back with a real
parser, the dataset parameters, the HTML page, CORS, and every catalogue query answered as the
embedded store answers it."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import httpx
import pyoxigraph
import pytest

from dangjian.dataset.published import KnowledgeBase
from dangjian.query.catalogue import catalogue

RESULTS = pyoxigraph.QueryResultsFormat
RDF = pyoxigraph.RdfFormat
LABELS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?place ?label WHERE { ?place a <http://schema.org/AdministrativeArea> ; skos:prefLabel ?label }
ORDER BY ?place ?label"""
PLACES = """CONSTRUCT { ?place <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }
WHERE { ?place a <http://schema.org/AdministrativeArea> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"""


@pytest.fixture(scope="module")
def kb(served_project) -> KnowledgeBase:
    return KnowledgeBase(served_project)


@pytest.fixture(scope="module")
def client(served):
    with httpx.Client(base_url=served.base, timeout=30) as client:
        yield client


def term(t) -> str:
    """A term for comparison; blank nodes are renamed by every load, so they compare as one."""
    return "_:b" if isinstance(t, pyoxigraph.BlankNode) else str(t)


def rows(solutions) -> list[tuple]:
    variables = [v.value for v in solutions.variables]
    return [tuple((name, term(s[name])) for name in variables) for s in solutions]


def triples(graph) -> set[tuple]:
    return {(term(t.subject), term(t.predicate), term(t.object)) for t in graph}


def embedded(kb: KnowledgeBase, query: str):
    """The embedded store's answer: rows (sorted unless ordered), a boolean, or a set of triples."""
    result = kb.store.query(query)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return bool(result)
    if isinstance(result, pyoxigraph.QuerySolutions):
        return rows(result)
    return triples(result)


def answered(response: httpx.Response):
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        result = pyoxigraph.parse_query_results(response.content, format=RESULTS.JSON)
        return bool(result) if isinstance(result, pyoxigraph.QueryBoolean) else rows(result)
    return triples(pyoxigraph.parse(response.content, format=RDF.TURTLE))


# --- every way of asking -----------------------------------------------------------------------


def test_get_gives_sparql_json_by_default(client, kb):
    response = client.get("/sparql", params={"query": LABELS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert "Accept" in response.headers["vary"]
    assert answered(response) == embedded(kb, LABELS)
    assert len(answered(response)) > 20


def test_post_form_and_post_query_give_the_same_answer(client, kb):
    by_get = client.get("/sparql", params={"query": LABELS})
    by_form = client.post("/sparql", data={"query": LABELS})
    by_body = client.post("/sparql", content=LABELS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert by_form.status_code == by_body.status_code == 200
    assert by_get.content == by_form.content == by_body.content


def test_form_with_a_charset_parameter(client):
    response = client.post("/sparql", content=httpx.QueryParams({"query": "ASK {}"}).__str__().encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"})
    assert response.status_code == 200 and response.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("media, fmt", [
    ("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tsv")])
def test_every_results_format_parses_back(client, kb, media, fmt):
    expected = embedded(kb, LABELS)
    for response in (client.get("/sparql", params={"query": LABELS}, headers={"Accept": media}),
                     client.get("/sparql", params={"query": LABELS, "format": fmt})):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media
        if fmt == "csv":  # lossy by design (no term types): compare the values
            table = list(csv.reader(io.StringIO(response.text)))
            assert table[0] == ["place", "label"]
            assert [tuple(r) for r in table[1:]] == [(p[1].strip("<>"), pyoxigraph_value(label[1])) for p, label in expected]
        else:
            parsed = pyoxigraph.parse_query_results(response.content, format={"json": RESULTS.JSON, "xml": RESULTS.XML,
                                                                               "tsv": RESULTS.TSV}[fmt])
            assert rows(parsed) == expected


def pyoxigraph_value(literal: str) -> str:
    """The lexical form of a literal written as N-Triples."""
    return next(iter(pyoxigraph.parse(f"<x:s> <x:p> {literal} .".encode(), format=RDF.N_TRIPLES))).object.value


@pytest.mark.parametrize("fmt", [RESULTS.JSON, RESULTS.XML])
def test_ask_in_json_and_xml(client, fmt):
    for query, truth in (("ASK { ?s a <http://schema.org/AdministrativeArea> }", True),
                         ("ASK { ?s a <https://w3id.org/dangjian/ontology#Nothing> }", False)):
        response = client.get("/sparql", params={"query": query}, headers={"Accept": fmt.media_type})
        assert response.status_code == 200
        assert bool(pyoxigraph.parse_query_results(response.content, format=fmt)) is truth


@pytest.mark.parametrize("media, fmt, name", [
    ("text/turtle", RDF.TURTLE, "turtle"), ("application/n-triples", RDF.N_TRIPLES, "ntriples"),
    ("application/ld+json", RDF.JSON_LD, "jsonld"), ("application/rdf+xml", RDF.RDF_XML, "rdfxml")])
def test_every_graph_format_parses_back(client, kb, media, fmt, name):
    expected = embedded(kb, PLACES)
    assert len(expected) > 20
    for response in (client.get("/sparql", params={"query": PLACES}, headers={"Accept": media}),
                     client.get("/sparql", params={"query": PLACES, "format": name})):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media
        assert triples(pyoxigraph.parse(response.content, format=fmt)) == expected


@pytest.mark.parametrize("accept", [None, "*/*", "text/*, */*;q=0.1"])
def test_graphs_default_to_turtle_and_results_to_json(client, accept):
    headers = {"Accept": accept} if accept else {}
    graph = client.get("/sparql", params={"query": PLACES}, headers=headers)
    table = client.get("/sparql", params={"query": "ASK {}"}, headers=headers)
    assert graph.headers["content-type"].startswith("text/turtle")
    expected = "text/" if accept and accept.startswith("text/*") else "application/sparql-results+json"
    assert table.headers["content-type"].startswith(expected)


def test_q_values_are_weighed(client):
    response = client.get("/sparql", params={"query": "ASK {}"},
                          headers={"Accept": "application/sparql-results+json;q=0.5, application/sparql-results+xml"})
    assert response.headers["content-type"].startswith("application/sparql-results+xml")


def test_describe_gives_the_record(client, kb):
    query = "DESCRIBE <https://w3id.org/dangjian/id/place/anhui>"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    got = triples(pyoxigraph.parse(response.content, format=RDF.TURTLE))
    assert got == embedded(kb, query) and got


def test_turtle_declares_only_the_prefixes_it_uses(client):
    text = client.get("/sparql", params={"query": PLACES}).text
    assert "@prefix skos:" in text and "@prefix place:" in text
    assert "@prefix oa:" not in text and "@prefix prov:" not in text


# --- the dataset ---------------------------------------------------------------------------------


def test_default_and_named_graph_uris(client, kb):
    graph = kb.manifest["graph"]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(**params) -> int:
        response = client.get("/sparql", params={"query": count, **params})
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    total = kb.manifest["triples"]
    vocabulary = len(list(pyoxigraph.parse(path=str(kb.dist / "vocabulary.ttl"), format=RDF.TURTLE)))
    assert vocabulary > 500
    assert n() == total + vocabulary  # the records and the vocabulary's labels
    assert n(**{"default-graph-uri": graph}) == total
    assert n(**{"default-graph-uri": kb.ontology.base + "ontology"}) == vocabulary
    assert n(**{"default-graph-uri": "https://example.org/no-such-graph"}) == 0
    assert n(**{"named-graph-uri": graph}) == 0  # a dataset of named graphs only: an empty default graph
    named = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                          "named-graph-uri": graph}).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [graph]
    by_from = client.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"}).json()
    assert int(by_from["results"]["bindings"][0]["n"]["value"]) == total
    bad = client.get("/sparql", params={"query": count, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400 and "default-graph-uri" in bad.text


def test_graph_store_reads_the_published_graph(client, kb):
    response = client.get("/store", params={"default": ""}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert len(list(pyoxigraph.parse(response.content, format=RDF.N_TRIPLES))) == kb.manifest["triples"]
    assert client.get("/store", params={"graph": kb.manifest["graph"]}).headers["content-type"].startswith("text/turtle")
    assert client.get("/store", params={"graph": "https://example.org/other"}).status_code == 404


def test_the_endpoints_answer_their_slash_form_with_a_redirect(client):
    """/sparql/, /store/ and /search/: 307 to the endpoint, query kept, so a POSTed query arrives
    with its body; no other path of the server has such an alias (test_static_equals_server)."""
    for path in ("/sparql", "/store", "/search"):
        moved = client.get(path + "/?x=1")
        assert (moved.status_code, moved.headers["location"]) == (307, path + "?x=1"), path
    direct = client.get("/sparql", params={"query": LABELS})
    assert client.get("/sparql/", params={"query": LABELS}, follow_redirects=True).content == direct.content
    posted = client.post("/sparql/", content=LABELS.encode(), headers={"Content-Type": "application/sparql-query"},
                         follow_redirects=True)
    assert posted.status_code == 200 and posted.content == direct.content
    searched = client.get("/search/", params={"q": "安徽"}, headers={"Accept": "application/json"}, follow_redirects=True)
    assert searched.status_code == 200 and searched.json()["total"] > 0


# --- errors that are the client's -------------------------------------------------------------


def test_a_malformed_query_gets_400_with_line_and_column(client):
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?s = )\n}"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "does not parse" in response.text and re.search(r"error at \d+:\d+", response.text)
    assert "Traceback" not in response.text


def test_no_query(client):
    response = client.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 400 and "no query" in response.text
    assert client.post("/sparql", data={"format": "json"}).status_code == 400


def test_repeated_query_parameter(client):
    response = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400 and "once" in response.text


def test_unsupported_body_type(client):
    response = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 415 and "application/sparql-query" in response.text


# --- the browser ---------------------------------------------------------------------------------


def test_the_query_page_lists_the_catalogue(client, served_project):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<form method="get" action="/sparql">' in page and "<textarea" in page and "<script" not in page
    import html

    queries = catalogue(served_project)
    assert queries
    for query in queries:
        assert html.escape(query.title) in page
        assert f"example={query.name}" in page


def test_an_example_fills_the_form(client, served_project):
    query = catalogue(served_project)[0]
    page = client.get("/sparql", params={"example": query.name}, headers={"Accept": "text/html"}).text
    import html

    assert html.escape(query.text.splitlines()[-1]) in page


def test_the_form_shows_results_as_a_table(client, kb):
    response = client.get("/sparql", params={"query": LABELS, "format": "html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    expected = embedded(kb, LABELS)
    assert f"{len(expected)} rows" in response.text
    assert response.text.count("<tr>") == len(expected) + 1
    assert 'href="/id/place/anhui"' in response.text  # record IRIs link to this server


def test_a_browser_asking_for_a_query_gets_html(client):
    response = client.get("/sparql", params={"query": "ASK {}"},
                          headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.headers["content-type"].startswith("text/html") and "<strong>true</strong>" in response.text
    graph = client.get("/sparql", params={"query": PLACES, "format": "html"})
    assert "<th>?subject</th>" in graph.text


def test_a_bad_query_from_the_form_comes_back_in_the_form(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE {", "format": "html"})
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert 'class="error"' in response.text and "SELECT * WHERE {</textarea>" in response.text


# --- CORS -----------------------------------------------------------------------------------------


def test_cors_on_answers_and_refusals(client):
    origin = {"Origin": "https://example.org"}
    assert client.get("/sparql", params={"query": "ASK {}"}, headers=origin).headers["access-control-allow-origin"] == "*"
    refused = client.post("/sparql", data={"update": "CLEAR ALL"}, headers=origin)
    assert refused.status_code == 403 and refused.headers["access-control-allow-origin"] == "*"


def test_cors_preflight(client):
    response = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type, accept"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


# --- the catalogue: the endpoint agrees with the embedded store, query by query -------------


def catalogue_queries():
    from conftest import REPO
    from dangjian.settings import Project

    return catalogue(Project(REPO))


@pytest.mark.parametrize("query", catalogue_queries(), ids=lambda q: q.name)
def test_every_catalogue_query_answers_as_the_embedded_store(client, kb, query):
    assert query.title and query.comment, f"{query.name} has no comment saying what it asks"
    expected = embedded(kb, query.text)
    via_get = client.get("/sparql", params={"query": query.text})
    via_post = client.post("/sparql", content=query.text.encode(), headers={"Content-Type": "application/sparql-query"})
    for response in (via_get, via_post):
        assert response.status_code == 200, response.text
        got = answered(response)
        if isinstance(expected, list) and "ORDER BY" not in query.text.upper():
            got, expected = sorted(got), sorted(expected)
        assert got == expected


# --- the command ---------------------------------------------------------------------------------


def test_serve_help():
    result = subprocess.run([sys.executable, "-m", "dangjian", "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for option in ("--host", "--port", "--timeout", "--max-rows", "--max-bytes", "--max-body", "--workers", "--memory"):
        assert option in result.stdout


def test_serve_without_a_build_says_what_to_run(sandbox):
    result = sandbox.cli("serve", "--port", "0")
    assert result.returncode == 1
    assert "dangjian build" in result.stderr and "Traceback" not in result.stderr


def test_serve_says_where_it_listens(served):
    assert f"http://127.0.0.1:{served.port}/" in served.output()
    assert "sparql" in served.output()


def test_ctrl_c_stops_the_server_and_its_query_workers(served_project):
    from serving import ServeProcess

    server = ServeProcess(served_project.root, "--workers", "2").start()
    assert httpx.get(server.url("/sparql"), params={"query": "ASK {}"}, timeout=30).status_code == 200
    pid = server.process.pid
    workers = [int(entry.name) for entry in __import__("pathlib").Path("/proc").iterdir() if entry.name.isdigit()
               and _parent(int(entry.name)) == pid]
    assert len(workers) == 2
    assert server.stop() == 0
    assert "stopped" in server.output() and "Traceback" not in server.output()
    for worker in workers:
        assert _parent(worker) in (None, 0), f"query worker {worker} outlived the server"


def _parent(pid: int) -> int | None:
    """The parent of a live process (None when it is gone, or a zombie)."""
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] == "Z" else int(fields[1])
