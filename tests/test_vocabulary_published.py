"""The vocabulary as linked data, asked of the real server (`dangjian serve`): /ontology negotiates
its formats, each the same graph; every term of the vocabulary has its entry on the reference
page; its labels answer at /sparql; and the endpoint describes itself (SPARQL 1.1 Service
Description) and writes TSV and plain text. Also: what the smaller fixes of issue 22 say."""

from __future__ import annotations

import re
import shutil
import subprocess

import httpx
import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from dangjian.dataset import cite

DJ = "https://w3id.org/dangjian/ontology#"
PARSE = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}
MEDIA = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt", "application/rdf+xml": "rdf",
         "text/html": "html"}


def get(served, path: str, accept: str | None = None, **params) -> httpx.Response:
    return httpx.get(served.url(path), headers={"Accept": accept} if accept else {}, params=params, timeout=30)


@pytest.mark.parametrize("accept, extension", list(MEDIA.items()))
def test_ontology_answers_303_to_the_format_asked_for(served, accept, extension):
    response = get(served, "/ontology", accept)
    assert response.status_code == 303 and response.headers["location"] == f"/ontology.{extension}"
    assert "Accept" in response.headers["vary"]
    document = get(served, f"/ontology.{extension}")
    assert document.status_code == 200 and document.headers["content-type"].startswith(accept)
    assert document.headers["etag"] and document.headers["cache-control"]


def test_every_format_of_the_vocabulary_is_one_graph(served):
    graphs = {x: rdflib.Graph().parse(data=get(served, f"/ontology.{x}").content, format=f) for x, f in PARSE.items()}
    assert len(graphs["ttl"]) > 1000
    for extension, graph in graphs.items():
        assert isomorphic(graph, graphs["ttl"]), extension
    assert get(served, "/ontology.ttl").content == get(served, "/download/ontology.ttl").content
    # and what rapper reads, the same number of statements
    if shutil.which("rapper"):
        rapped = subprocess.run(["rapper", "-q", "-i", "rdfxml", "-o", "ntriples", "-", DJ], capture_output=True,
                                input=get(served, "/ontology.rdf").content)
        assert rapped.returncode == 0 and rapped.stdout.count(b"\n") == len(graphs["ttl"])


def test_every_term_has_its_entry_on_the_reference_page(served):
    page = get(served, "/ontology.html").text
    graph = rdflib.Graph().parse(data=get(served, "/ontology.ttl").content, format="turtle")
    terms = {str(s)[len(DJ):] for s in graph.subjects(rdflib.RDF.type, None) if str(s).startswith(DJ) and str(s) != DJ
             and (s, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")) not in graph
             and (s, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#PropertyShape")) not in graph}
    assert {"Policy", "bound-exact", "period-year", "unit-square-metre", "validFrom", "bounds"} <= terms
    anchors = set(re.findall(r' id="([^"]+)"', page))
    assert terms <= anchors, sorted(terms - anchors)
    assert "确数" in page and "exactly" in page  # a controlled value in both languages
    assert "every policy needs one policy_type" in page  # the shapes in plain words


def test_labels_of_controlled_values_answer_at_sparql(served):
    query = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dj: <https://w3id.org/dangjian/ontology#> "
             "SELECT ?amount ?label WHERE { ?amount dj:bound dj:bound-exact . dj:bound-exact skos:prefLabel ?label "
             "FILTER(lang(?label) = 'en') } LIMIT 1")
    answer = get(served, "/sparql", "application/sparql-results+json", query=query).json()
    assert answer["results"]["bindings"][0]["label"]["value"] == "exactly"
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/dangjian/ontology> { ?s ?p ?o } }"
    assert int(get(served, "/sparql", "application/sparql-results+json", query=count).json()["results"]["bindings"][0]["n"]["value"]) > 500


@pytest.mark.parametrize("accept, fmt", [("text/turtle", pyoxigraph.RdfFormat.TURTLE), ("application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML),
                                         ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD)])
def test_sparql_without_a_query_describes_the_service(served, accept, fmt):
    response = get(served, "/sparql", accept)
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    store = pyoxigraph.Store()
    store.load(response.content, format=fmt)
    sd = "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
    assert store.query(sd + f"ASK {{ ?s a sd:Service ; sd:endpoint <{served.url('/sparql')}> ; sd:supportedLanguage sd:SPARQL11Query }}")
    names = {r["g"].value for r in store.query(sd + "SELECT ?g WHERE { ?s sd:defaultDataset/sd:namedGraph/sd:name ?g }")}
    assert "https://w3id.org/dangjian/ontology" in names and len(names) == 2
    assert get(served, "/sparql", "text/html,application/xhtml+xml,*/*;q=0.8").headers["content-type"].startswith("text/html")


def test_sparql_writes_tsv_and_plain_text(served):
    query = "SELECT ?s WHERE { ?s a <http://schema.org/AdministrativeArea> } ORDER BY ?s LIMIT 2"
    tsv = get(served, "/sparql", "text/tsv", query=query)
    assert tsv.status_code == 200 and tsv.text.startswith("?s\n<https://w3id.org/dangjian/id/place/")
    text = get(served, "/sparql", "text/plain", query=query)
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert text.text.splitlines()[0].strip() == "s" and text.text.rstrip().endswith("(2 rows)")
    graph = get(served, "/sparql", "text/plain", query="CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3")
    assert graph.headers["content-type"].startswith("text/plain")
    assert len(list(pyoxigraph.parse(graph.content, format=pyoxigraph.RdfFormat.N_TRIPLES))) == 3


def test_valid_from_is_never_a_schema_org_date_without_a_day(served_project):
    nt = (served_project.dist / "dangjian.nt").read_text(encoding="utf-8")
    assert "<http://schema.org/validFrom>" not in nt
    assert f'<{DJ}validFrom> "2015-01"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>' in nt


def test_a_page_citation_prints_no_placeholder_for_the_access_date():
    citation = cite.Citation("宿州市", "Suzhou", "place", "suzhou-anhui", "https://w3id.org/dangjian/id/place/suzhou-anhui",
                             "Dangjian KB", "1.0.0", "2026-06-01", None)
    text = cite.text(citation)
    assert "<" not in text and "accessed" not in text and text.endswith("/id/place/suzhou-anhui.")
