"""Conversions between pyoxigraph terms (the pipeline's own) and rdflib terms (for pySHACL)."""

from __future__ import annotations

import re
from functools import lru_cache

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

rdflib.NORMALIZE_LITERALS = False  # keep every literal's form as written

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@lru_cache(maxsize=1024)  # a knowledge base writes a handful of tags, a hundred thousand times
def canonical_language(tag: str) -> str:
    """The one form of a language tag in every RDF output: lower case (zh-Hans -> zh-hans).

    Tags compare case-insensitively (BCP 47), but SPARQL's ``lang()`` returns the tag as the
    store keeps it: Oxigraph and Virtuoso lowercase tags, Jena and rdflib keep them as
    written. Written in lower case, ``lang(?l) = "zh-hans"`` gives the same rows on all four;
    any other case gives none on some of them. (``langMatches`` works on every store whatever
    the case, and is what the examples use.)
    """
    return tag.lower()


@lru_cache(maxsize=64)
def display_language(tag: str) -> str:
    """BCP 47 case conventions, for people and HTML ``lang`` attributes (zh-hans -> zh-Hans,
    zh-hant-tw -> zh-Hant-TW); never for RDF (see :func:`canonical_language`)."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


_TURTLE_TAG = re.compile(r'(?<=["\'])@([A-Za-z]+(?:-[A-Za-z0-9]+)*)')


def lowercase_turtle_tags(text: str) -> str:
    """Turtle text (the ontology files, as written by hand) with its language tags in the
    published form; the caller checks that the statements are otherwise the same."""
    return _TURTLE_TAG.sub(lambda m: "@" + canonical_language(m.group(1)), text)


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
