"""The ontology as the code sees it: record kinds, and how each YAML key maps to RDF.

Everything here is read from ``ontology/``, never written down in Python:

- ``context.jsonld`` (a JSON-LD 1.1 context) maps each YAML key to its RDF term: the predicate,
  the datatype or language container, and, through property-scoped contexts, the folder of
  records a reference points into (``@base``) or the concept scheme a controlled value comes
  from (``@vocab``). A record is a JSON-LD document in this context; :mod:`dangjian.pipeline.mapper`
  implements exactly that subset of JSON-LD, and the tests check it against a full processor.
- ``shapes.ttl`` names the record kinds (``dj:recordKind``, ``dj:recordFolder`` on each node
  shape, with its ``sh:targetClass``) and holds the constraints.
- ``vocabulary.ttl`` defines the project's own terms and controlled values.

A reference term without a scoped ``@base`` (``replaced_by``) names a record of the same kind:
a record is a JSON-LD document whose base is its own IRI, so ``new-id`` resolves next to it.
The targets of ``dj:TombstoneShape`` (``sh:targetSubjectsOf``) are the predicates whose keys
make a record a tombstone.

The files are written with :data:`dangjian.settings.DEFAULT_BASE`; when the base setting
differs, their IRIs are moved to the configured base as they are read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph
import rdflib
import rdflib.collection
from rdflib.namespace import DCTERMS, RDF, SH

from .. import settings
from .rdfterms import to_rdflib
from .terms import display_language

DJ_PATH = "ontology#"
CONTEXT_FILE = "context.jsonld"
SHAPES_FILE = "shapes.ttl"
VOCABULARY_FILE = "vocabulary.ttl"


@dataclass(frozen=True)
class Kind:
    """A kind of record: the folder its files live in and the class its records have."""

    name: str  # "amount": the IRI path segment, {base}id/amount/{id}
    folder: str  # "amounts": records/amounts/{id}.yaml
    class_iri: str
    shape_iri: str
    label: str


@dataclass(frozen=True)
class Term:
    """How one YAML key maps to RDF, read from its JSON-LD term definition."""

    key: str
    predicate: str
    shape: str  # "language", "reference", "vocab", "list", "typed" or "plain"
    datatype: str | None = None  # for "typed" and "list"
    target_kind: str | None = None  # for "reference": the kind its ids name; None: the record's own kind
    vocab_prefix: str | None = None  # for "vocab": IRI prefix of the allowed values
    language: str | None = None  # for "plain": the default language, None for untagged text


class Ontology:
    """The parsed ontology folder of one project."""

    def __init__(self, folder: Path, base: str | None = None):
        self.folder = folder
        self.base = base or settings.base_iri()
        self.vocabulary_iri = self.base + DJ_PATH
        context = json.loads(self._read(CONTEXT_FILE))["@context"]
        self.context = context
        self.prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}
        self.default_language = context.get("@language")
        self.id_key = next(k for k, v in context.items() if v == "@id")
        self.terms = {
            key: self._term(key, definition)
            for key, definition in context.items()
            if isinstance(definition, dict) and not key.startswith("@")
        }
        self.keys_by_predicate: dict[str, str] = {}
        for term in self.terms.values():
            if term.predicate in self.keys_by_predicate:
                raise ValueError(f"{CONTEXT_FILE}: keys {self.keys_by_predicate[term.predicate]!r} and {term.key!r} map to one predicate")
            self.keys_by_predicate[term.predicate] = term.key

    # --- files ---------------------------------------------------------------------------

    def _read(self, name: str) -> str:
        text = (self.folder / name).read_text(encoding="utf-8")
        return text.replace(settings.DEFAULT_BASE, self.base) if self.base != settings.DEFAULT_BASE else text

    @cached_property
    def shapes_graph(self) -> rdflib.Graph:
        return _graph(self._read(SHAPES_FILE))

    @cached_property
    def vocabulary_graph(self) -> rdflib.Graph:
        return _graph(self._read(VOCABULARY_FILE))

    @cached_property
    def vocabulary_ntriples(self) -> str:
        """The vocabulary as N-Triples: what a SHACL engine reads beside the records, whose
        controlled values it defines."""
        quads = pyoxigraph.parse(self._read(VOCABULARY_FILE).encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
        triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]
        return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8")

    def files(self) -> dict[str, str]:
        """The ontology files' text, rebased: what the publisher copies out."""
        return {name: self._read(name) for name in (VOCABULARY_FILE, SHAPES_FILE, CONTEXT_FILE)}

    # --- kinds ---------------------------------------------------------------------------

    @cached_property
    def kinds(self) -> dict[str, Kind]:
        dj = rdflib.Namespace(self.vocabulary_iri)
        shapes = self.shapes_graph
        kinds = {}
        for shape, name in shapes.subject_objects(dj.recordKind):
            kinds[str(name)] = Kind(
                name=str(name),
                folder=str(shapes.value(shape, dj.recordFolder)),
                class_iri=str(shapes.value(shape, SH.targetClass)),
                shape_iri=str(shape),
                label=str(shapes.value(shape, rdflib.RDFS.label) or name),
            )
        return dict(sorted(kinds.items()))

    @cached_property
    def kinds_by_folder(self) -> dict[str, Kind]:
        return {kind.folder: kind for kind in self.kinds.values()}

    @cached_property
    def kinds_by_class(self) -> dict[str, Kind]:
        return {kind.class_iri: kind for kind in self.kinds.values()}

    @cached_property
    def id_pattern(self) -> re.Pattern:
        """The pattern every record id matches: the sh:pattern on dcterms:identifier."""
        shapes = self.shapes_graph
        for shape in shapes.subjects(SH.path, DCTERMS.identifier):
            pattern = shapes.value(shape, SH.pattern)
            if pattern is not None:
                return re.compile(str(pattern))
        raise ValueError(f"{SHAPES_FILE}: no sh:pattern for dcterms:identifier")

    @cached_property
    def language_rules(self) -> dict[tuple[str | None, str], tuple[tuple[str, ...], str]]:
        """(kind, predicate) -> (the language tags its values may have, the shape's message),
        from every property shape with sh:languageIn: the kind is that of the node shape holding
        it, None for a node shape of no kind (the tombstones'), which holds for every kind."""
        shapes = self.shapes_graph
        kind_of_shape = {rdflib.URIRef(kind.shape_iri): kind.name for kind in self.kinds.values()}
        rules: dict[tuple[str | None, str], tuple[tuple[str, ...], str]] = {}
        for node, prop in sorted(shapes.subject_objects(SH.property)):
            listed = shapes.value(prop, SH.languageIn)
            path = shapes.value(prop, SH.path)
            if listed is None or not isinstance(path, rdflib.URIRef):
                continue
            tags = tuple(str(tag) for tag in rdflib.collection.Collection(shapes, listed))
            key = (kind_of_shape.get(node), str(path))
            earlier = rules.get(key)
            if earlier:  # several shapes: a value must pass them all
                tags = tuple(tag for tag in earlier[0] if tag in tags)
            message = earlier[1] if earlier else str(shapes.value(prop, SH.message) or f"expected text tagged {', '.join(tags)}")
            rules[key] = (tags, message)
        return rules

    def languages(self, kind: str, predicate: str) -> tuple[tuple[str, ...], str]:
        """The language tags a kind's values of a predicate may have (empty: any), and the
        message that says so."""
        own = self.language_rules.get((kind, predicate))
        anywhere = self.language_rules.get((None, predicate))
        if own and anywhere:
            return tuple(tag for tag in own[0] if tag in anywhere[0]), own[1]
        return own or anywhere or ((), "")

    @cached_property
    def tombstone_predicates(self) -> frozenset[str]:
        """Predicates whose presence makes a record a tombstone (the targets of dj:TombstoneShape)."""
        shape = rdflib.URIRef(self.vocabulary_iri + "TombstoneShape")
        return frozenset(str(p) for p in self.shapes_graph.objects(shape, SH.targetSubjectsOf))

    @cached_property
    def tombstone_keys(self) -> frozenset[str]:
        return frozenset(self.key_for(p) for p in self.tombstone_predicates)

    def is_tombstone(self, data: dict) -> bool:
        """Whether a record's YAML data makes it a tombstone."""
        return not self.tombstone_keys.isdisjoint(data)  # asked of every record, several times a build

    def replacement_of(self, data: dict) -> str | None:
        """The id that replaced a tombstone, None when it was withdrawn."""
        for predicate in sorted(self.tombstone_predicates):
            key = self.key_for(predicate)
            if self.terms[key].shape == "reference" and isinstance(data.get(key), str):
                return data[key]
        return None

    @cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        """rdfs:label and skos:prefLabel of every term the ontology labels, by IRI and language."""
        out: dict[str, dict[str, str]] = {}
        for graph in (self.vocabulary_graph, self.shapes_graph):
            for predicate in (rdflib.RDFS.label, rdflib.SKOS.prefLabel):
                for subject, label in graph.subject_objects(predicate):
                    if isinstance(label, rdflib.Literal) and label.language:  # keyed zh-Hans, en
                        out.setdefault(str(subject), {}).setdefault(display_language(label.language), str(label))
        return out

    @cached_property
    def inverses(self) -> dict[str, str]:
        """Each property's inverse (owl:inverseOf, read both ways) by IRI: how a link is named
        from the record it points to."""
        out: dict[str, str] = {}
        for a, b in self.vocabulary_graph.subject_objects(rdflib.OWL.inverseOf):
            out.setdefault(str(b), str(a))
            out.setdefault(str(a), str(b))
        return out

    @cached_property
    def output_prefixes(self) -> dict[str, str]:
        """The context's prefixes, plus one per kind of record (amount: -> {base}id/amount/)."""
        return {**self.prefixes, **{kind: self.record_iri(kind, "") for kind in self.kinds}}

    def record_iri(self, kind: str, record_id: str) -> str:
        return f"{self.base}id/{kind}/{record_id}"

    def split_record_iri(self, iri: str) -> tuple[str, str] | None:
        """(kind, id) of a record IRI, ignoring any #fragment; None for other IRIs."""
        prefix = self.base + "id/"
        if not iri.startswith(prefix):
            return None
        kind, _, rest = iri[len(prefix):].partition("/")
        record_id = rest.partition("#")[0]
        return (kind, record_id) if kind in self.kinds and record_id else None

    def vocabulary_values(self, term: Term) -> list[str]:
        """The values a controlled-vocabulary key accepts, as written in YAML."""
        prefix = term.vocab_prefix or ""
        return sorted(
            str(s)[len(prefix):]
            for s in set(self.vocabulary_graph.subjects(RDF.type, None))
            if str(s).startswith(prefix) and len(str(s)) > len(prefix)
        )

    # --- terms ---------------------------------------------------------------------------

    def expand(self, compact: str) -> str:
        prefix, sep, local = compact.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return compact

    def _term(self, key: str, definition: dict) -> Term:
        predicate = self.expand(definition["@id"])
        kind = definition.get("@type")
        scoped = definition.get("@context", {})
        if definition.get("@container") == "@language":
            return Term(key, predicate, "language")
        if definition.get("@container") == "@list":
            return Term(key, predicate, "list", datatype=self.expand(kind) if kind else None)
        if kind == "@id":
            if "@base" not in scoped:
                return Term(key, predicate, "reference", target_kind=None)
            base = scoped["@base"]
            target = base[len(self.base + "id/"):].strip("/")
            return Term(key, predicate, "reference", target_kind=target)
        if kind == "@vocab":
            return Term(key, predicate, "vocab", vocab_prefix=scoped["@vocab"])
        if kind:
            return Term(key, predicate, "typed", datatype=self.expand(kind))
        return Term(key, predicate, "plain", language=definition.get("@language", self.default_language))

    def key_for(self, predicate: str) -> str:
        """The YAML key of a predicate, for messages; the predicate itself when it has none."""
        return self.keys_by_predicate.get(predicate, predicate)


def _graph(turtle: str) -> rdflib.Graph:
    """An rdflib graph of a Turtle text, parsed by pyoxigraph (several times faster)."""
    graph = rdflib.Graph()
    for quad in pyoxigraph.parse(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph
