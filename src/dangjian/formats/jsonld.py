"""JSON-LD in the project's own context: each record reads much like its YAML file.

The context is embedded, so the file expands to the same graph offline, with no remote context
to fetch. Values take the context's short forms where the term fits them exactly (a language
map for labels, a plain string for a coerced number); anything else is written in full
(compact IRI keys and value objects), so nothing is lost or changed on the way.
"""

from __future__ import annotations

import json
import re

from ..model.ontology import CONTEXT_FILE, Ontology, Term
from ..model.namespaces import XSD_STRING
from ..model.terms import canonical_language, sort_key, split_literal
from .turtle import RDF_TYPE, TurtleWriter, find_collections, group

_CONTEXT_LANGUAGE = re.compile(r'("@language"\s*:\s*")([^"]+)(")')


def published_context(ontology: Ontology) -> str:
    """context.jsonld as published: the file as written, its default language in the one form
    every output gives a tag (:func:`canonical_language`)."""
    return _CONTEXT_LANGUAGE.sub(lambda m: m.group(1) + canonical_language(m.group(2)) + m.group(3),
                                 ontology.files()[CONTEXT_FILE])


class JsonLdWriter:
    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        self.terms = {f"<{term.predicate}>": term for term in ontology.terms.values()}
        self.names = TurtleWriter(ontology.prefixes)  # compact IRIs, same rules as Turtle
        self.id_key = ontology.id_key
        self._dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode

    def compact(self, iri: str) -> str:
        name = self.names.name(iri)
        return name[1:-1] if name.startswith("<") else name

    def generic(self, term: str) -> dict:
        if term[0] == "<":
            return {"@id": term[1:-1]}
        if term[0] == "_":
            return {"@id": term}
        _body, value, language, datatype = split_literal(term)
        if language:
            return {"@value": value, "@language": canonical_language(language)}
        if datatype is None or datatype == XSD_STRING:
            return {"@value": value}
        return {"@value": value, "@type": self.compact(datatype)}

    def short(self, term: Term, obj: str, lists):
        """The value in the term's own short form, or None where the term does not fit it."""
        shape = term.shape
        if shape in ("reference", "vocab"):
            return obj[1:-1] if obj[0] == "<" else None
        if obj[0] == "<":
            return None
        if shape == "list":
            items = lists.get(obj) if obj[0] == "_" else None
            if items is None:
                return None
            parsed = [split_literal(i) if i[0] == '"' else None for i in items]
            if all(p is not None and p[3] == term.datatype for p in parsed):
                return [p[1] for p in parsed]
            return None
        if obj[0] == "_":
            return None
        _body, value, language, datatype = split_literal(obj)
        if shape == "typed":
            return value if not language and datatype == term.datatype else None
        if shape == "plain":
            return value if term.language is None and not language and datatype in (None, XSD_STRING) else None
        return None  # language maps are built in node()

    def node(self, subject: str, predicates: dict, lists) -> dict:
        node: dict = {self.id_key: subject[1:-1] if subject[0] == "<" else subject}
        entries: list[tuple[str, object]] = []
        terms = self.terms
        for predicate, objects in predicates.items():
            if len(objects) > 1:
                objects = sorted(objects, key=sort_key)
            if predicate == RDF_TYPE:
                compacted = sorted(self.compact(t[1:-1]) for t in objects)
                node["@type"] = compacted[0] if len(compacted) == 1 else compacted
                continue
            term = terms.get(predicate)
            leftovers = objects
            if term is not None:
                if term.shape == "language":
                    short, leftovers = self.language_map(objects)
                    if short:
                        entries.append((term.key, short))
                else:
                    shorts, leftovers = [], []
                    for obj in objects:
                        value = self.short(term, obj, lists)
                        (leftovers.append(obj) if value is None else shorts.append(value))
                    if shorts:
                        if term.shape == "list":
                            # One list under a @list term is a plain array (as compaction writes it;
                            # rdflib reads a list object there as a list inside a list).
                            entries.append((term.key, shorts[0] if len(shorts) == 1 else [{"@list": s} for s in shorts]))
                        else:
                            entries.append((term.key, shorts[0] if len(shorts) == 1 else shorts))
            if leftovers:
                values = [self.full(o, lists) for o in leftovers]
                entries.append((self.compact(predicate[1:-1]), values[0] if len(values) == 1 else values))
        entries.sort()
        node.update(entries)
        return node

    @staticmethod
    def language_map(objects) -> tuple[dict, list]:
        """{language: text or [texts]} for the language-tagged literals; the rest left over."""
        by_language: dict[str, list[str]] = {}
        leftovers = []
        for obj in objects:
            if obj[0] == '"' and obj[-1] != '"' and obj[-1] != ">":
                _body, value, language, _datatype = split_literal(obj)
                by_language.setdefault(language, []).append(value)
            else:
                leftovers.append(obj)
        return {tag: v[0] if len(v) == 1 else v for tag, v in sorted(by_language.items())}, leftovers

    def full(self, obj: str, lists):
        if obj in lists:
            return {"@list": [self.full(item, lists) for item in lists[obj]]}
        return self.generic(obj)

    def record_block(self, record, subject: str, derived) -> str:
        """A record's nodes, the record first: its own node comes straight from its YAML values
        (a record is a JSON-LD document in the context), with what the build derived about it
        added; the nodes it owns follow."""
        node = self.record_node(record, subject)
        own = [t for t in derived if t[0] == subject]
        if own:
            extra = self.node(subject, group(own)[subject], find_collections({}))
            for key, value in extra.items():
                if key == "@type":
                    types = node.get("@type", [])
                    types = types if isinstance(types, list) else [types]
                    node["@type"] = sorted(set(types) | set(value if isinstance(value, list) else [value]))
                elif key != self.id_key:
                    node[key] = value
            first = {self.id_key: node.pop(self.id_key)}
            if "@type" in node:
                first["@type"] = node.pop("@type")
            node = {**first, **dict(sorted(node.items()))}
        others = [t for t in derived if t[0] != subject]
        return "    " + self._dumps(node) + ",\n" + (self.block(others) if others else "")

    def record_node(self, record, subject: str) -> dict:
        ontology = self.ontology
        node: dict = {self.id_key: subject[1:-1]}
        if not ontology.is_tombstone(record.data):  # a tombstone no longer says what the thing is (as the mapper)
            node["@type"] = self.compact(record.kind.class_iri)
        entries = [("identifier", record.id)] if "identifier" in ontology.terms else []
        for key, value in record.data.items():
            term = ontology.terms.get(key)
            if term is None:
                continue  # the id
            entries.append((key, self.value_of(term, value, record.kind.name)))
        entries.sort()
        node.update(entries)
        return node

    def value_of(self, term: Term, value, kind: str):
        """A YAML value as the context reads it; ``kind``: the record's own, which a reference
        names when its term has no kind of its own (as the mapper reads it)."""
        shape = term.shape
        if shape == "language":
            if isinstance(value, dict):
                return {canonical_language(tag): text for tag, text in sorted(value.items())}
            return {canonical_language(self.ontology.default_language): value}
        many = value if isinstance(value, list) else [value]
        if shape == "list":
            return [_lexical(v) for v in value]
        if shape == "reference":
            prefix = self.ontology.record_iri(term.target_kind or kind, "")
            items = [prefix + v for v in many]
        elif shape == "vocab":
            items = [term.vocab_prefix + v for v in many]
        elif shape == "typed":
            items = [_lexical(v) for v in many]
        else:  # plain: text, or a native number JSON-LD types as the mapper does
            items = [v if isinstance(v, (str, bool, int)) else {"@value": _lexical(v), "@type": "xsd:decimal"} for v in many]
        return items if isinstance(value, list) else items[0]

    def block(self, triples, first: str = "") -> str:
        """The nodes of some statements, one JSON object a line, ``first`` first, each line
        ending with a comma (the document drops the last one)."""
        by_subject = group(triples)
        lists = find_collections(by_subject)
        subjects = sorted(by_subject, key=sort_key)
        if first in by_subject:
            subjects.remove(first)
            subjects.insert(0, first)
        dumps = self._dumps
        return "".join(
            "    " + dumps(self.node(subject, by_subject[subject], lists)) + ",\n"
            for subject in subjects
            if subject not in lists.consumed
        )

    def head(self) -> str:
        # The context as ontology/context.jsonld writes it (a term a line), then the nodes.
        context = published_context(self.ontology).strip()
        context = context[context.index("{", 1):context.rindex("}")].strip()
        return f'{{\n  "@context": {context},\n  "@graph": [\n'

    def write(self, triples) -> bytes:
        return "".join(jsonld_document(self.head(), [self.block(triples)])).encode("utf-8")


def _lexical(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


JSONLD_TAIL = "  ]\n}\n"


def jsonld_document(head: str, blocks) -> list[str]:
    """A JSON-LD document from its head and the records' blocks, as pieces to write in order."""
    pieces = [head, *blocks]
    last = len(pieces) - 1
    while last > 0 and not pieces[last]:
        last -= 1
    if last > 0:
        newline = b"\n" if isinstance(pieces[last], bytes) else "\n"
        pieces[last] = pieces[last][:-2] + newline  # no comma after the last node
    pieces.append(JSONLD_TAIL)
    return pieces


def write_jsonld(triples, ontology: Ontology) -> bytes:
    return JsonLdWriter(ontology).write(triples)
