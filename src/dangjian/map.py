"""Map records to RDF triples through the ontology's JSON-LD context.

A record is read as a JSON-LD 1.1 document in ``ontology/context.jsonld``: its ``id`` and kind
give its IRI and class, and each key maps as its term definition says. This module implements
the part of JSON-LD the context uses (language maps, typed values, ``@id`` references with a
property-scoped ``@base``, ``@vocab`` values with a property-scoped ``@vocab``, ``@list``), with
two differences that make it strict where JSON-LD is lenient: an unknown key or an empty value
is a problem, not silently dropped; and scalars keep the lexical form the YAML file wrote
(``12.50`` stays ``12.50``). The mapper knows the context, not files or validation; it notes
where each statement came from so that problems can be reported at the YAML line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .load.records import Record
from .load.yaml12 import REFUSED, Mark
from .ontology import Ontology, Term
from .problems import Problem

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS_IDENTIFIER = "http://purl.org/dc/terms/identifier"

# BCP 47 in outline: a language, then subtags (zh-Hans, zh-Hant-TW, en).
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Origin:
    """Where a statement comes from: a file, a line and column, and the YAML key."""

    path: str
    mark: Mark
    key: str


@dataclass
class Mapped:
    """The triples of a set of records, and where each came from."""

    triples: list[Triple] = field(default_factory=list)
    # (subject, predicate, object), (subject, predicate) and (subject,) as N-Triples strings.
    origins: dict[tuple, Origin] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    records: dict[str, Record] = field(default_factory=dict)  # by IRI
    values: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (s, p) -> objects, in file order

    def origin(self, subject: str, predicate: str | None = None, value: str | None = None) -> Origin | None:
        for key in ((subject, predicate, value), (subject, predicate), (subject,)):
            if None not in key and key in self.origins:
                return self.origins[key]
        return None


def lexical(value) -> str:
    """A YAML scalar's lexical form: numbers as written, booleans as xsd:boolean writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _native_datatype(value) -> str | None:
    """The datatype JSON-LD gives a native scalar when its term coerces none."""
    if isinstance(value, bool):
        return XSD + "boolean"
    if isinstance(value, int):
        return XSD + "integer"
    if isinstance(value, Decimal):
        return XSD + "decimal"
    return None


def _describe(value) -> str:
    """A value as YAML shows it: numbers bare, text in double quotes."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (bool, int, Decimal)):
        return lexical(value)
    return '"' + str(value).replace('"', '\\"') + '"'



class RecordMapper:
    """Maps one record at a time, collecting triples, origins and problems into a Mapped."""

    def __init__(self, ontology: Ontology, mapped: Mapped):
        self.ontology = ontology
        self.mapped = mapped

    def map(self, record: Record) -> None:
        ontology = self.ontology
        subject = NamedNode(ontology.record_iri(record.kind.name, record.id))
        self.record = record
        self.subject = subject
        self.mapped.records[subject.value] = record
        id_key = ontology.id_key
        self.mapped.origins[(str(subject),)] = Origin(record.shown_path, record.key_mark(id_key), id_key)
        if not ontology.is_tombstone(record.data):  # a tombstone no longer says what the thing is
            self.add(NamedNode(RDF + "type"), NamedNode(record.kind.class_iri), record.key_mark(id_key), id_key)
        identifier_key = ontology.key_for(DCTERMS_IDENTIFIER)
        self.add(NamedNode(DCTERMS_IDENTIFIER), Literal(record.id), record.value_mark(id_key), id_key)
        for key, value in record.data.items():
            if key == id_key:
                continue
            if key == identifier_key:
                self.problem((key,), f"`{key}` is set from `{id_key}`; remove it", at_key=True)
                continue
            term = ontology.terms.get(key)
            if term is None:
                self.unknown_key(key)
                continue
            self.map_value(term, value)

    # --- helpers ---------------------------------------------------------------------------

    def add(self, predicate: NamedNode, obj, mark: Mark, key: str) -> None:
        triple = Triple(self.subject, predicate, obj)
        self.mapped.triples.append(triple)
        origin = Origin(self.record.shown_path, mark, key)
        origins = self.mapped.origins
        origins[(str(self.subject), str(predicate), str(obj))] = origin
        origins.setdefault((str(self.subject), str(predicate)), origin)
        self.mapped.values.setdefault((str(self.subject), str(predicate)), []).append(str(obj))

    def problem(self, path: tuple, message: str, rule: str = "record", at_key: bool = False) -> None:
        mark = self.record.key_mark(*path) if at_key else self.record.value_mark(*path)
        key = ".".join(str(p) for p in path)
        self.mapped.problems.append(Problem(self.record.shown_path, mark.line, mark.column, key, message, rule))

    def unknown_key(self, key: str) -> None:
        allowed = sorted(self.ontology.terms)
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.75)
        hint = f"; did you mean `{close[0]}`?" if close else "; see the record format in README.md"
        self.problem((key,), f"unknown key{hint}", at_key=True)

    # --- values ----------------------------------------------------------------------------

    def map_value(self, term: Term, value) -> None:
        key = term.key
        if value is REFUSED or (isinstance(value, list) and any(v is REFUSED for v in value)):
            return  # the reader has reported it
        if value is None or value == [] or value == {}:
            self.problem((key,), "empty value; give one, or remove the key", at_key=True)
            return
        predicate = NamedNode(term.predicate)
        if term.shape == "language":
            self.map_language(term, predicate, value)
            return
        if term.shape == "list":
            self.map_list(term, predicate, value)
            return
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            path = (key, index) if isinstance(value, list) else (key,)
            obj = self.convert(term, item, path)
            if obj is not None:
                self.add(predicate, obj, self.record.value_mark(*path), ".".join(map(str, path)))

    def convert(self, term: Term, item, path: tuple):
        if isinstance(item, (dict, list)) or item is None:
            self.problem(path, f"expected a single value, got {_describe(item) if item is not None else 'nothing'}")
            return None
        if term.shape == "reference":
            kind = term.target_kind or self.record.kind.name
            if not isinstance(item, str) or not _SLUG.match(item):
                self.problem(path, f"expected the id of a {kind} record (a lowercase slug), got {_describe(item)}")
                return None
            return NamedNode(self.ontology.record_iri(kind, item))
        if term.shape == "vocab":
            if not isinstance(item, str) or not _SLUG.match(item):
                values = ", ".join(self.ontology.vocabulary_values(term))
                self.problem(path, f"expected one of: {values}; got {_describe(item)}")
                return None
            return NamedNode(term.vocab_prefix + item)
        if term.shape == "typed":
            return Literal(lexical(item), datatype=NamedNode(term.datatype))
        # plain: text in the term's language, or a native scalar with JSON-LD's datatype
        datatype = _native_datatype(item)
        if datatype:
            return Literal(lexical(item), datatype=NamedNode(datatype))
        if term.language:
            return Literal(item, language=term.language)
        return Literal(item)

    def map_language(self, term: Term, predicate: NamedNode, value) -> None:
        key = term.key
        if isinstance(value, dict):
            entries = [((key, tag), tag, text) for tag, text in value.items()]
        else:
            entries = [((key,), self.ontology.default_language, value)]
        for path, tag, texts in entries:
            if texts is REFUSED or (isinstance(texts, list) and REFUSED in texts):
                continue
            if not _LANGUAGE_TAG.match(str(tag)):
                self.problem(path, f"`{tag}` is not a language tag; use zh-Hans, zh-Hant or en", "record")
                continue
            for index, text in enumerate(texts if isinstance(texts, list) else [texts]):
                where = path + (index,) if isinstance(texts, list) else path
                if not isinstance(text, str):
                    self.problem(where, f"expected text, got {_describe(text)}")
                    continue
                if not text.strip():
                    self.problem(where, "empty text; give one, or remove the key")
                    continue
                self.add(predicate, Literal(text, language=tag), self.record.value_mark(*where), ".".join(map(str, where)))

    def map_list(self, term: Term, predicate: NamedNode, value) -> None:
        key = term.key
        if not isinstance(value, list):
            self.problem((key,), f"expected a list, such as [1, 0.8, 0.7], got {_describe(value)}")
            return
        # Blank nodes named after the record, so that the same records give the same bytes.
        nodes = [BlankNode(f"{self.record.kind.name}-{self.record.id}-{key}-{i}") for i in range(len(value))]
        mark = self.record.value_mark(key)
        self.add(predicate, nodes[0], mark, key)
        subject = self.subject
        for index, (node, item) in enumerate(zip(nodes, value)):
            if isinstance(item, (dict, list)) or item is None:
                self.problem((key, index), f"expected a number, got {_describe(item) if item is not None else 'nothing'}")
                item = ""
            self.subject = node
            datatype = NamedNode(term.datatype) if term.datatype else None
            self.add(NamedNode(RDF + "first"), Literal(lexical(item), datatype=datatype), self.record.value_mark(key, index), f"{key}.{index}")
            rest = nodes[index + 1] if index + 1 < len(nodes) else NamedNode(RDF + "nil")
            self.add(NamedNode(RDF + "rest"), rest, mark, key)
        self.subject = subject


def map_records(records: list[Record], ontology: Ontology) -> Mapped:
    mapped = Mapped()
    mapper = RecordMapper(ontology, mapped)
    for record in records:
        mapper.map(record)
    return mapped
