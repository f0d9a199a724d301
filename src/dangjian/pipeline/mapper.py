"""Map records to RDF triples through the ontology's JSON-LD context.

A record is read as a JSON-LD 1.1 document in ``ontology/context.jsonld``: its ``id`` and kind
give its IRI and class, and each key maps as its term definition says. This module implements
the part of JSON-LD the context uses (language maps, typed values, ``@id`` references with a
property-scoped ``@base``, ``@vocab`` values with a property-scoped ``@vocab``, ``@list``), with
two differences that make it strict where JSON-LD is lenient: an unknown key or an empty value
is a problem, not silently dropped; and scalars keep the lexical form the YAML file wrote
(``12.50`` stays ``12.50``).

Triples are tuples of three N-Triples terms (``'<iri>'``, ``'"text"@zh-Hans'``): at a million
statements, strings are many times cheaper than term objects, and every output format starts
from them. Where each statement came from (file, line, key) is worked out again, for the few
records that have problems, by mapping them once more with tracing on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..records.limits import digits_problem
from ..records.loader import Record
from ..records.yaml12 import REFUSED, Mark
from ..model.ontology import Ontology, Term
from ..model.problems import Problem
from ..model import namespaces
from ..model.terms import Triple, canonical_language, iri, nt_literal, nt_string
from ..text.visible import hidden_or_alike, nearest, shown, shown_ascii, skeleton

DRAFT_KEY = "draft"  # what `dangjian draft` marks its records with: no key of the format, refused with its own message
RDF_TYPE, RDF_FIRST, RDF_REST, RDF_NIL = (iri(t) for t in (namespaces.RDF_TYPE, namespaces.RDF_FIRST, namespaces.RDF_REST, namespaces.RDF_NIL))

# BCP 47 in outline: a language, then subtags (zh-Hans, zh-Hant-TW, en).
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*\Z")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
NUMBER_TYPES = (namespaces.XSD + "decimal", namespaces.XSD + "integer")


@dataclass(frozen=True)
class Origin:
    """Where a statement comes from: a file, a line and column, and the YAML key."""

    path: str
    mark: Mark
    key: str


@dataclass
class Mapped:
    """A set of mapped records, as the checks see them; where each statement came from is
    traced on demand."""

    ontology: Ontology
    problems: list[Problem] = field(default_factory=list)
    records: dict[str, Record] = field(default_factory=dict)  # by subject term, '<iri>'
    owners: dict[str, str] = field(default_factory=dict)  # blank node -> its record's subject
    references: list[Triple] = field(default_factory=list)  # statements naming records or values
    ntriples: list[bytes] = field(default_factory=list)  # each record's statements, as N-Triples in UTF-8
    triples: int = 0  # how many statements, derived ones included
    checked: dict[str, list[Problem]] = field(default_factory=dict)  # by subject: what each record's own checks found
    _traces: dict[str, dict] = field(default_factory=dict, repr=False)

    def add(self, subject: str, record: Record, references: list, blanks: list, ntriples: bytes, triples: int,
            checked: list[Problem] | None = None) -> None:
        self.records[subject] = record
        if checked is not None:
            self.checked[subject] = checked
        self.references += references
        for blank in blanks:
            self.owners[blank] = subject
        self.ntriples.append(ntriples)
        self.triples += triples

    def record_of(self, subject: str) -> Record | None:
        subject = self.owners.get(subject, subject)
        record = self.records.get(subject)
        if record is None and "#" in subject:
            record = self.records.get(subject.split("#", 1)[0] + ">")
        return record

    def trace(self, record: Record) -> dict:
        """(s, p, o), (s, p) and (s,) -> Origin for every statement of one record."""
        subject = record_subject(self.ontology, record)
        if subject not in self._traces:
            origins: dict = {}
            RecordMapper(self.ontology).map(record, [], [], origins)
            self._traces[subject] = origins
        return self._traces[subject]

    def origin(self, subject: str, predicate: str | None = None, value: str | None = None) -> Origin | None:
        record = self.record_of(subject)
        if record is None:
            return None
        origins = self.trace(record)
        for key in ((subject, predicate, value), (subject, predicate), (subject,)):
            if None not in key and key in origins:
                return origins[key]
        return origins.get((record_subject(self.ontology, record),))

    def values(self, subject: str, predicate: str) -> list[str]:
        """The objects of (subject, predicate) in the order the file wrote them."""
        record = self.record_of(subject)
        if record is None:
            return []
        return [key[2] for key in self.trace(record) if len(key) == 3 and key[0] == subject and key[1] == predicate]


def record_subject(ontology: Ontology, record: Record) -> str:
    return f"<{ontology.record_iri(record.kind.name, record.id)}>"


def lexical(value) -> str:
    """A YAML scalar's lexical form: numbers as written, booleans as xsd:boolean writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _native_datatype(value) -> str | None:
    """The datatype JSON-LD gives a native scalar when its term coerces none."""
    if isinstance(value, bool):
        return namespaces.XSD + "boolean"
    if isinstance(value, int):
        return namespaces.XSD + "integer"
    if isinstance(value, Decimal):
        return namespaces.XSD + "decimal"
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


def holds_refused(value) -> bool:
    """Whether the reader refused the value or anything in it (it said why)."""
    if value is REFUSED:
        return True
    if isinstance(value, list):
        return any(map(holds_refused, value))
    if isinstance(value, dict):
        return any(map(holds_refused, value.values()))
    return False


def _describe_word(value) -> str:
    """A value where an ASCII word belongs (an id, a controlled value): every other character
    as an escape, so that a look-alike or an invisible one shows."""
    return f'"{shown_ascii(value)}"' if isinstance(value, str) else _describe(value)


def _meant(value, words=None, pattern: re.Pattern | None = None) -> str:
    """"; did you mean `x`?" for a word with hidden or look-alike characters, where what it looks
    like is one of ``words``, or matches ``pattern``; else nothing."""
    if not isinstance(value, str) or not hidden_or_alike(value):
        return ""
    if words is not None:
        meant = nearest(value, words)
    else:
        meant = skeleton(value).strip()
        meant = meant if pattern is not None and pattern.fullmatch(meant) else None
    return f"; did you mean `{meant}`?" if meant else ""


@dataclass(frozen=True)
class _Compiled:
    """A term with its N-Triples pieces worked out once."""

    term: Term
    predicate: str  # '<iri>'
    suffix: str = ""  # '^^<datatype>' for typed literals
    prefix: str = ""  # '<{base}id/{kind}/' for references, '<{vocab prefix}' for vocabulary values


class RecordMapper:
    """Maps records one at a time into a triples list and a problems list."""

    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        self.compiled = {key: self._compile(term) for key, term in ontology.terms.items()}
        self.id_key = ontology.id_key
        self.identifier_key = ontology.key_for(namespaces.DCTERMS_IDENTIFIER)
        self.identifier = f"<{namespaces.DCTERMS_IDENTIFIER}>"
        self.classes = {kind.name: f"<{kind.class_iri}>" for kind in ontology.kinds.values()}

    def _compile(self, term: Term) -> _Compiled:
        predicate = f"<{term.predicate}>"
        if term.shape == "typed":
            return _Compiled(term, predicate, suffix=f"^^<{term.datatype}>")
        if term.shape == "reference" and term.target_kind:
            return _Compiled(term, predicate, prefix="<" + self.ontology.record_iri(term.target_kind, ""))
        if term.shape == "vocab":
            return _Compiled(term, predicate, prefix="<" + term.vocab_prefix)
        return _Compiled(term, predicate)

    def map(self, record: Record, triples: list, problems: list, trace: dict | None = None) -> str:
        """Append the record's triples and problems; fill ``trace`` with origins when given."""
        self.record, self.triples, self.problems, self.origins = record, triples, problems, trace
        subject = record_subject(self.ontology, record)
        self.subject = subject
        id_key = self.id_key
        if trace is not None:
            trace[(subject,)] = Origin(record.shown_path, record.key_mark(id_key), id_key)
        if not self.ontology.is_tombstone(record.data):  # a tombstone no longer says what the thing is
            self.add(RDF_TYPE, self.classes[record.kind.name], (id_key,), at_key=True)
        self.add(self.identifier, nt_string(record.id), (id_key,))
        compiled = self.compiled
        for key, value in record.data.items():
            if key == id_key:
                continue
            if key == self.identifier_key:
                self.problem((key,), f"`{key}` is set from `{id_key}`; remove it", at_key=True)
                continue
            term = compiled.get(key)
            if term is None:
                self.unknown_key(key)
                continue
            self.map_value(term, value)
        return subject

    # --- helpers ---------------------------------------------------------------------------

    def add(self, predicate: str, obj: str, path: tuple, at_key: bool = False) -> None:
        self.triples.append((self.subject, predicate, obj))
        if self.origins is not None:
            mark = self.record.key_mark(*path) if at_key else self.record.value_mark(*path)
            origin = Origin(self.record.shown_path, mark, ".".join(map(str, path)))
            self.origins[(self.subject, predicate, obj)] = origin
            self.origins.setdefault((self.subject, predicate), origin)

    def problem(self, path: tuple, message: str, rule: str = "record", at_key: bool = False) -> None:
        mark = self.record.key_mark(*path) if at_key else self.record.value_mark(*path)
        key = ".".join(str(p) for p in path)
        self.problems.append(Problem(self.record.shown_path, mark.line, mark.column, key, message, rule))

    def unknown_key(self, key: str) -> None:
        if key == DRAFT_KEY:
            self.problem((key,), "a draft from `dangjian draft`: check every value marked `# suggestion`, fill in "
                                 "what it left as comments, then delete this line", at_key=True)
            return
        close = nearest(key, self.compiled, cutoff=0.75)
        hint = f"; did you mean `{close}`?" if close else "; see the record format in README.md"
        written = f" `{shown_ascii(key)}`" if shown_ascii(key) != shown(key) else ""  # a look-alike letter shows only so
        self.problem((key,), f"unknown key{written}{hint}", at_key=True)

    # --- values ----------------------------------------------------------------------------

    def map_value(self, compiled: _Compiled, value) -> None:
        term = compiled.term
        key = term.key
        if holds_refused(value) and not (term.shape == "language" and isinstance(value, dict)):
            return  # the reader has reported it (a language map keeps its other languages)
        if value is None or value == [] or value == {}:
            self.problem((key,), "empty value; give one, or remove the key", at_key=True)
            return
        if term.shape == "language":
            self.map_language(compiled, value)
            return
        if term.shape == "list":
            self.map_list(compiled, value)
            return
        if isinstance(value, list):
            for index, item in enumerate(value):
                obj = self.convert(compiled, item, (key, index))
                if obj is not None:
                    self.add(compiled.predicate, obj, (key, index))
        else:
            obj = self.convert(compiled, value, (key,))
            if obj is not None:
                self.add(compiled.predicate, obj, (key,))

    def convert(self, compiled: _Compiled, item, path: tuple) -> str | None:
        term = compiled.term
        if item is REFUSED:
            return None  # the reader has reported it
        if isinstance(item, (dict, list)) or item is None:
            self.problem(path, f"expected a single value, got {_describe(item) if item is not None else 'nothing'}")
            return None
        shape = term.shape
        if shape == "reference":
            kind = term.target_kind or self.record.kind.name  # no scoped @base: the record's own kind
            if not isinstance(item, str) or not _SLUG.match(item):
                self.problem(path, f"expected the id of a {kind} record (a lowercase slug), got {_describe_word(item)}{_meant(item, pattern=_SLUG)}")
                return None
            prefix = compiled.prefix or "<" + self.ontology.record_iri(kind, "")
            return f"{prefix}{item}>"
        if shape == "vocab":
            if not isinstance(item, str) or not _SLUG.match(item):
                allowed = self.ontology.vocabulary_values(term)
                self.problem(path, f"expected one of: {', '.join(allowed)}; got {_describe_word(item)}{_meant(item, allowed)}")
                return None
            return f"{compiled.prefix}{item}>"
        if shape == "typed":
            if term.datatype in NUMBER_TYPES and self.too_long(item, path):
                return None
            return nt_string(lexical(item)) + compiled.suffix
        # plain: text in the term's language, or a native scalar with JSON-LD's datatype
        datatype = _native_datatype(item)
        if datatype:
            return f"{nt_string(lexical(item))}^^<{datatype}>"
        return nt_literal(item, language=term.language)

    def too_long(self, item, path: tuple) -> bool:
        """Whether a number has more digits than both SHACL engines compare exactly (reported;
        it is then left out of the statements, so that neither engine sees it)."""
        problem = digits_problem(lexical(item)) if isinstance(item, (str, int, Decimal)) and not isinstance(item, bool) else None
        if problem:
            self.problem(path, problem)
        return problem is not None

    def map_language(self, compiled: _Compiled, value) -> None:
        key = compiled.term.key
        if isinstance(value, dict):
            entries = [((key, tag), tag, text) for tag, text in value.items()]
        else:
            entries = [((key,), self.ontology.default_language, value)]
        allowed, message = self.ontology.languages(self.record.kind.name, compiled.term.predicate)
        allowed_tags = {canonical_language(t) for t in allowed}
        for path, tag, texts in entries:
            if holds_refused(texts):
                continue
            if not _LANGUAGE_TAG.match(str(tag)):
                listed = f"{', '.join(allowed[:-1])} or {allowed[-1]}" if len(allowed) > 1 else "".join(allowed)
                self.problem(path, f"`{shown_ascii(str(tag))}` is not a language tag; use {listed}{_meant(tag, allowed)}")
                continue
            suffix = "@" + canonical_language(tag)
            # Only the tags the shapes allow, whole (tags compare without regard to case), and
            # checked here: SHACL's sh:languageIn also takes zh-Hans-CN for zh-Hans (and engines
            # differ on it); neither sees one.
            refused = allowed and canonical_language(tag) not in allowed_tags
            for index, text in enumerate(texts if isinstance(texts, list) else [texts]):
                where = path + (index,) if isinstance(texts, list) else path
                if not isinstance(text, str):
                    self.problem(where, f"expected text, got {_describe(text)}")
                    continue
                if not text.strip():
                    self.problem(where, "empty text; give one, or remove the key")
                    continue
                if refused:
                    self.problem(where, f"{message}, got {_describe(text)}@{tag}", rule="language")  # the tag as written
                    continue
                self.add(compiled.predicate, nt_string(text) + suffix, where)

    def map_list(self, compiled: _Compiled, value) -> None:
        """A list of numbers (parts of a ratio or a split), as an RDF collection."""
        term = compiled.term
        key = term.key
        if not isinstance(value, list):
            self.problem((key,), f"expected a list, such as [1, 0.8, 0.7], got {_describe(value)}")
            return
        # Blank nodes named after the record, so that the same records give the same bytes.
        nodes = [f"_:{self.record.kind.name}-{self.record.id}-{key}-{i}" for i in range(len(value))]
        self.add(compiled.predicate, nodes[0], (key,))
        subject = self.subject
        suffix = f"^^<{term.datatype}>" if term.datatype else ""
        for index, (node, item) in enumerate(zip(nodes, value)):
            if item is REFUSED:
                item = ""  # the reader has reported it
            elif not _is_number(item):
                self.problem((key, index), f"expected a number, got {_describe(item) if item is not None else 'nothing'}")
                item = ""
            elif term.datatype in NUMBER_TYPES and self.too_long(item, (key, index)):
                item = ""
            self.subject = node
            self.add(RDF_FIRST, nt_string(lexical(item)) + suffix, (key, index))
            self.add(RDF_REST, nodes[index + 1] if index + 1 < len(nodes) else RDF_NIL, (key,))
        self.subject = subject


_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def _is_number(item) -> bool:
    """A YAML number, or text that is one (a quoted "0.8"); not a boolean, not empty text."""
    if isinstance(item, bool):
        return False
    if isinstance(item, Decimal):
        return item.is_finite()
    if isinstance(item, (int, float)):
        return item == item and item not in (float("inf"), float("-inf"))
    return isinstance(item, str) and _DECIMAL.fullmatch(item) is not None
