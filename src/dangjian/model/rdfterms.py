"""Conversions between the pipeline's N-Triples strings, pyoxigraph terms (the published graph's)
and rdflib terms (for pySHACL)."""

from __future__ import annotations

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .namespaces import XSD_STRING
from .terms import canonical_language


def to_rdflib(term):
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=canonical_language(term.language))
        if term.datatype.value == XSD_STRING:
            return rdflib.Literal(term.value)  # rdflib tells plain and xsd:string apart; RDF 1.1 does not
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


def from_rdflib(term):
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        datatype = term.datatype or rdflib.XSD.string
        return Literal(str(term), datatype=NamedNode(str(datatype)))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib_graph(triples, graph: rdflib.Graph | None = None) -> rdflib.Graph:
    graph = graph if graph is not None else rdflib.Graph()
    for triple in triples:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph


def from_rdflib_graph(graph: rdflib.Graph) -> list[Triple]:
    return [Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in graph]


def nt_term(term) -> str:
    """A pyoxigraph term as the pipeline writes it in N-Triples (language tags in the published form)."""
    if isinstance(term, Literal) and term.language:
        return str(Literal(term.value)).rstrip() + "@" + canonical_language(term.language)
    return str(term)


def as_tuples(triples) -> list[tuple[str, str, str]]:
    """pyoxigraph triples as the pipeline's (subject, predicate, object) N-Triples strings."""
    return [(nt_term(t.subject), nt_term(t.predicate), nt_term(t.object)) for t in triples]
