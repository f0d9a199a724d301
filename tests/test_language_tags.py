"""One form of every language tag in every output, so that `lang(?l) = "zh-hans"` gives the
same rows on every store: the dump loaded into embedded Oxigraph, the Oxigraph server, Virtuoso,
rdflib and Jena (ARQ), asked the same questions; and every document of a record, loaded
together, gives each label once."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess

import pyoxigraph
import pytest
import rdflib

from dangjian.dataset.published import KnowledgeBase
from dangjian.query.formats import serialize
from dangjian.query.run import execute
from dangjian.serve.records import PublishedSite
from linked import install
from triplestores import (Virtuoso, differences, embedded_query, jena_classpath, jena_select, oxigraph_binary, remote_query,
                          start_oxigraph)

SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
# Every tag the data uses, with how many literals carry it.
TAGS = ("SELECT ?tag (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isLiteral(?o) && lang(?o) != \"\") "
        "BIND(lang(?o) AS ?tag) } GROUP BY ?tag")
# The documented tags, compared with =, as users write them.
EQUALS = {tag: SKOS + f'SELECT ?s ?l WHERE {{ ?s skos:prefLabel ?l FILTER(lang(?l) = "{tag}") }}'
          for tag in ("zh-hans", "zh-hant", "en")}
MATCHES = SKOS + 'SELECT ?s ?l WHERE { ?s skos:prefLabel ?l FILTER(langMatches(lang(?l), "zh-Hans")) }'
QUERIES = {"tags": TAGS, **{f"lang = {t}": q for t, q in EQUALS.items()}, "langMatches zh-Hans": MATCHES}
GRAPH = "urn:dangjian:test:language-tags"


@pytest.fixture(scope="module")
def dist(built_kb):
    return built_kb.project.dist


@pytest.fixture(scope="module")
def expected(dist):
    store = pyoxigraph.Store()
    store.bulk_load(path=str(dist / "dangjian.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return {name: embedded_query(store, query) for name, query in QUERIES.items()}


def test_the_dump_writes_each_tag_in_lower_case(expected, dist):
    tags = {row["tag"]["value"] for row in expected["tags"]["results"]["bindings"]}
    assert tags == {"zh-hans", "zh-hant", "en"}
    for name in ("dangjian.ttl", "dangjian.nt", "dangjian.jsonld", "ontology.ttl", "vocabulary.ttl", "void.ttl", "context.jsonld"):
        text = (dist / name).read_text(encoding="utf-8")
        assert not re.search(r'"@(zh-Hans|zh-Hant)\b|"(zh-Hans|zh-Hant)": "', text), name
    assert len(expected["lang = zh-hans"]["results"]["bindings"]) > 300
    assert len(expected["lang = zh-hant"]["results"]["bindings"]) > 0
    assert differences(expected["lang = zh-hans"], expected["langMatches zh-Hans"]) == []


@pytest.mark.parametrize("dump, fmt", [("dangjian.ttl", "turtle"), ("dangjian.nt", "nt"), ("dangjian.jsonld", "json-ld")])
def test_rdflib_answers_as_oxigraph(expected, dist, dump, fmt):
    graph = rdflib.Graph()
    graph.parse(dist / dump, format=fmt)
    for name, query in QUERIES.items():
        answer = graph.query(query).serialize(format="json")
        assert differences(expected[name], json.loads(answer)) == [], (dump, name)


def test_jena_answers_as_oxigraph(expected, dist, tmp_path_factory):
    classpath = jena_classpath(tmp_path_factory.mktemp("jena"))
    for name, query in QUERIES.items():
        assert differences(expected[name], jena_select(classpath, [dist / "dangjian.ttl"], query)) == [], name


def test_oxigraph_server_answers_as_the_embedded_store(expected, dist, tmp_path_factory):
    folder = tmp_path_factory.mktemp("oxigraph-tags")
    loaded = subprocess.run([oxigraph_binary(), "load", "--location", str(folder / "db"), "--file", str(dist / "dangjian.nq.gz")],
                            capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    release_graph = json.loads((dist / "manifest.json").read_text())["graph"]
    server = start_oxigraph(folder)
    try:
        for name, query in QUERIES.items():
            assert differences(expected[name], remote_query(server.base + "/query", query, release_graph)) == [], name
    finally:
        server.stop()


def test_virtuoso_answers_as_the_embedded_store(expected, dist, tmp_path_factory):
    load_folder = tmp_path_factory.mktemp("virtuoso-tags-load")
    with gzip.open(dist / "dangjian.nt.gz") as compressed:
        (load_folder / "dangjian.nt").write_bytes(compressed.read())
    virtuoso = Virtuoso(tmp_path_factory.mktemp("virtuoso-tags"), load_folder)
    server = virtuoso.start()
    try:
        assert virtuoso.bulk_load({"dangjian.nt": GRAPH}) == []
        for name, query in QUERIES.items():
            assert differences(expected[name], remote_query(server.base + "/sparql", query, GRAPH)) == [], name
    finally:
        virtuoso.stop()


# --- a record's documents, and answers to CONSTRUCT -------------------------------------------

RECORD = "https://w3id.org/dangjian/id/place/suzhou-anhui"
PARSE = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}


def test_every_document_of_a_record_writes_the_same_tags(built_kb):
    site = PublishedSite(KnowledgeBase(built_kb.project)).site
    together = rdflib.Graph()
    sizes = set()
    for extension, fmt in PARSE.items():
        body = site.description(RECORD, extension)
        one = rdflib.Graph().parse(data=body, format=fmt)
        sizes.add(len(one))
        together.parse(data=body, format=fmt)
        tags = {o.language for o in one.objects() if isinstance(o, rdflib.Literal) and o.language}
        assert tags and tags <= {"zh-hans", "zh-hant", "en"}, (extension, tags)
    assert len(sizes) == 1
    assert len(together) == sizes.pop(), "two documents of one record wrote a tag differently"


def test_rapper_reads_the_rdfxml_document_with_lower_case_tags(built_kb, tmp_path):
    if not shutil.which("rapper"):
        reason = install("raptor2-utils")
        if reason is not None:
            print(f"the Raptor check skipped: {reason}")
            pytest.skip(reason)
    site = PublishedSite(KnowledgeBase(built_kb.project)).site
    path = tmp_path / "record.rdf"
    path.write_bytes(site.description(RECORD, "rdf"))
    done = subprocess.run(["rapper", "-q", "-i", "rdfxml", "-o", "ntriples", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '@zh-hans .' in done.stdout and '@zh-Hans' not in done.stdout  # rapper escapes the Chinese


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "rdf"])
def test_construct_answers_write_lower_case_tags(built_kb, fmt):
    kb = KnowledgeBase(built_kb.project)
    results = execute(kb.store, SKOS + f"CONSTRUCT {{ <{RECORD}> skos:prefLabel ?l }} WHERE {{ <{RECORD}> skos:prefLabel ?l }}")
    written = serialize(results, fmt, kb.ontology)
    graph = rdflib.Graph().parse(data=written, format=PARSE[fmt])
    assert {o.language for o in graph.objects()} == {"zh-hans", "en"}, written
