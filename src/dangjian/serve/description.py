"""The SPARQL 1.1 Service Description of ``/sparql``: what ``GET /sparql`` without a query
answers a client that asks for RDF (https://www.w3.org/TR/sparql11-service-description/).

It says what the endpoint does (SPARQL 1.1 Query; no Update, no SERVICE), which formats it
writes, and which dataset it answers from: the default graph (the records and the vocabulary)
and the two named graphs (the release's, and the vocabulary's ``{base}ontology``)."""

from __future__ import annotations

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..query import formats

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
# The W3C's IRIs for the formats the endpoint writes (https://www.w3.org/ns/formats/).
FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
               "tsv": "SPARQL_Results_TSV", "ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "rdf": "RDF_XML"}
WRITERS = {"ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
           "jsonld": pyoxigraph.RdfFormat.JSON_LD, "rdf": pyoxigraph.RdfFormat.RDF_XML}
MEDIA_TYPES = {f.media_type: f.name for f in formats.FORMATS if f.name in WRITERS}


def description(endpoint: str, dataset: str, graphs: dict[str, int], default_triples: int) -> list[Triple]:
    """``graphs``: each named graph with its number of triples."""
    out: list[Triple] = []
    service = NamedNode(endpoint)

    def add(s, p, o):
        out.append(Triple(s, NamedNode(p) if isinstance(p, str) else p, o))

    add(service, RDF_TYPE, NamedNode(SD + "Service"))
    add(service, SD + "endpoint", service)
    add(service, DCTERMS + "title", Literal(f"{dataset}: SPARQL endpoint", language="en"))
    add(service, SD + "supportedLanguage", NamedNode(SD + "SPARQL11Query"))
    for name in FORMAT_IRIS.values():
        add(service, SD + "resultFormat", NamedNode(FORMATS_NS + name))
    default_dataset, default_graph = BlankNode("dataset"), BlankNode("default")
    add(service, SD + "defaultDataset", default_dataset)
    add(default_dataset, RDF_TYPE, NamedNode(SD + "Dataset"))
    add(default_dataset, SD + "defaultGraph", default_graph)
    add(default_graph, RDF_TYPE, NamedNode(SD + "Graph"))
    add(default_graph, VOID + "triples", Literal(str(default_triples), datatype=XSD_INTEGER))
    for n, (name, triples) in enumerate(sorted(graphs.items())):
        named, graph = BlankNode(f"named{n}"), BlankNode(f"graph{n}")
        add(default_dataset, SD + "namedGraph", named)
        add(named, RDF_TYPE, NamedNode(SD + "NamedGraph"))
        add(named, SD + "name", NamedNode(name))
        add(named, SD + "graph", graph)
        add(graph, RDF_TYPE, NamedNode(SD + "Graph"))
        add(graph, VOID + "triples", Literal(str(triples), datatype=XSD_INTEGER))
    return out


def written(triples: list[Triple], name: str) -> bytes:
    prefixes = {"sd": SD, "formats": FORMATS_NS, "void": VOID, "dcterms": DCTERMS}
    if WRITERS[name] in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.RDF_XML):
        return pyoxigraph.serialize(triples, format=WRITERS[name], prefixes=prefixes)
    return pyoxigraph.serialize(triples, format=WRITERS[name])


def content_type(name: str) -> str:
    return formats.media_type(name)
