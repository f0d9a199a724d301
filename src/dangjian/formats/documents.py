"""One record's description as a document, in each RDF format a client may ask for.

The formats here are the ones record URIs negotiate (``/id/{kind}/{id}``) and the extensions
their documents have (``/doc/{kind}/{id}.{ext}``); HTML pages are rendered by :mod:`dangjian.site.pages`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph

from ..model.rdfterms import as_tuples
from ..model.ontology import Ontology
from .jsonld import write_jsonld
from .ntriples import write_ntriples
from .turtle import TurtleWriter


@dataclass(frozen=True)
class Format:
    extension: str
    media_type: str
    name: str


HTML = Format("html", "text/html", "HTML")
RDF_FORMATS = (
    Format("ttl", "text/turtle", "Turtle"),
    Format("jsonld", "application/ld+json", "JSON-LD"),
    Format("nt", "application/n-triples", "N-Triples"),
    Format("rdf", "application/rdf+xml", "RDF/XML"),
)
FORMATS = (HTML, *RDF_FORMATS)
BY_EXTENSION = {f.extension: f for f in FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}


def _rdfxml(triples, prefixes: dict[str, str]) -> bytes:
    ordered = sorted(set(triples), key=str)  # the serialiser keeps the order it is given
    return pyoxigraph.serialize(ordered, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=prefixes)


def render_document(triples, extension: str, ontology: Ontology, prefixes: dict[str, str], header: str = "") -> bytes:
    """The description (pyoxigraph triples) in the format of ``extension`` (ttl, jsonld, nt, rdf)."""
    if extension == "ttl":
        return TurtleWriter(prefixes).write(as_tuples(triples), header)
    if extension == "nt":
        return write_ntriples(as_tuples(triples))
    if extension == "jsonld":
        return write_jsonld(as_tuples(triples), ontology)
    if extension == "rdf":
        return _rdfxml(triples, {k: v for k, v in ontology.prefixes.items()})
    raise KeyError(extension)
