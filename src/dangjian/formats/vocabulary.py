"""The vocabulary as published: ontology.ttl, vocabulary.ttl, and the document behind
``{base}ontology`` (every ``{base}ontology#Term``) in each RDF format.

The files in ``ontology/`` are written by hand with tags as people write them (``@zh-Hans``);
what is published writes them in the one form every output uses (:func:`canonical_language`),
and is checked to say exactly what the hand-written files say.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph

from ..model.namespaces import OWL, RDFS, SH
from ..model.ontology import SHAPES_FILE, VOCABULARY_FILE, Ontology
from ..model.rdfterms import as_tuples
from ..model.terms import canonical_language
from .jsonld import write_jsonld

# The document that describes the vocabulary; its terms are its #fragments.
ONTOLOGY_PATH = "ontology"
_TURTLE_TAG = re.compile(r'(?<=["\'])@([A-Za-z]+(?:-[A-Za-z0-9]+)*)')


def document_iri(ontology: Ontology) -> str:
    return ontology.base + ONTOLOGY_PATH


def lowercase_turtle_tags(text: str) -> str:
    """Turtle text (the ontology files, as written by hand) with its language tags in the
    published form; the caller checks that the statements are otherwise the same."""
    return _TURTLE_TAG.sub(lambda m: "@" + canonical_language(m.group(1)), text)


def _published_turtle(text: str) -> str:
    published = lowercase_turtle_tags(text)
    if _statements(published) != {_lowercased(t) for t in _statements(text)}:
        raise ValueError("the language tags of the ontology could not be rewritten without changing a statement")
    return published


def _statements(text: str) -> set:
    return {(t.subject, t.predicate, t.object) for t in pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
            if not isinstance(t.subject, pyoxigraph.BlankNode) and not isinstance(t.object, pyoxigraph.BlankNode)}


def _lowercased(triple):
    s, p, o = triple
    if isinstance(o, pyoxigraph.Literal) and o.language:
        o = pyoxigraph.Literal(o.value, language=canonical_language(o.language))
    return s, p, o


def vocabulary_turtle(ontology: Ontology) -> str:
    """vocabulary.ttl as published: classes, properties and controlled values."""
    return _cached(ontology, VOCABULARY_FILE)


def ontology_turtle(ontology: Ontology) -> str:
    """ontology.ttl: the vocabulary, then the SHACL shapes (comments kept)."""
    return vocabulary_turtle(ontology) + "\n" + _cached(ontology, SHAPES_FILE)


def _cached(ontology: Ontology, name: str) -> str:
    return _published(ontology.files()[name])


@lru_cache(maxsize=8)
def _published(text: str) -> str:
    return _published_turtle(text)


def vocabulary_triples(ontology: Ontology) -> list[pyoxigraph.Triple]:
    """The vocabulary's statements (no shapes): what the SPARQL endpoint adds to the records."""
    return list(pyoxigraph.parse(vocabulary_turtle(ontology).encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE))


def ontology_triples(ontology: Ontology) -> list[pyoxigraph.Triple]:
    return list(pyoxigraph.parse(ontology_turtle(ontology).encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE))


def _labelled_blank_nodes(triples) -> list[pyoxigraph.Triple]:
    """The triples with their blank nodes named in the order the text introduces them
    (a parser names them at random), so that the same ontology gives the same bytes."""
    names: dict = {}

    def named(term):
        if isinstance(term, pyoxigraph.BlankNode):
            if term not in names:
                names[term] = pyoxigraph.BlankNode(f"b{len(names)}")
            return names[term]
        return term

    return [pyoxigraph.Triple(named(t.subject), t.predicate, named(t.object)) for t in triples]


def vocabulary_document(ontology: Ontology, extension: str) -> bytes:
    """The document behind ``{base}ontology``: ontology.ttl in the format of ``extension``."""
    if extension == "ttl":
        return ontology_turtle(ontology).encode("utf-8")
    triples = _labelled_blank_nodes(ontology_triples(ontology))
    if extension == "nt":
        return "".join(sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)).encode("utf-8")
    if extension == "rdf":
        ordered = sorted(triples, key=str)
        prefixes = {**ontology.prefixes, "sh": SH, "owl": OWL, "rdfs": RDFS}
        return pyoxigraph.serialize(ordered, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=prefixes)
    if extension == "jsonld":
        return write_jsonld(as_tuples(triples), ontology)
    raise KeyError(extension)
