"""JSON-LD in the project's own context: each record reads much like its YAML file.

The context is embedded, so the file expands to the same graph offline, with no remote context
to fetch. Values take the context's short forms where the term fits them exactly (a language
map for labels, a plain string for a coerced number); anything else is written in full
(compact IRI keys and value objects), so nothing is lost or changed on the way.
"""

from __future__ import annotations

import json
from collections import defaultdict

from pyoxigraph import BlankNode, Literal, NamedNode

from ..ontology import Ontology, Term
from ..rdfterms import canonical_language
from .terms import XSD_STRING, sort_key
from .turtle import RDF_TYPE, TurtleWriter, find_collections


class JsonLdWriter:
    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        self.terms = {term.predicate: term for term in ontology.terms.values()}
        self.names = TurtleWriter(ontology.prefixes)  # compact IRIs, same rules as Turtle
        self.id_key = ontology.id_key

    def compact(self, iri: str) -> str:
        name = self.names.name(iri)
        return name[1:-1] if name.startswith("<") else name

    def generic(self, term) -> dict:
        if isinstance(term, NamedNode):
            return {"@id": term.value}
        if isinstance(term, BlankNode):
            return {"@id": f"_:{term.value}"}
        if term.language:
            return {"@value": term.value, "@language": canonical_language(term.language)}
        if term.datatype.value == XSD_STRING:
            return {"@value": term.value}
        return {"@value": term.value, "@type": self.compact(term.datatype.value)}

    def short(self, term: Term, obj, lists):
        """The value in the term's own short form, or None where the term does not fit it."""
        if term.shape in ("reference", "vocab"):
            return obj.value if isinstance(obj, NamedNode) else None
        if not isinstance(obj, (Literal, BlankNode)):
            return None
        if term.shape == "list":
            items = lists.get(obj.value) if isinstance(obj, BlankNode) else None
            if items is not None and all(isinstance(i, Literal) and i.datatype and i.datatype.value == term.datatype for i in items):
                return [i.value for i in items]
            return None
        if isinstance(obj, BlankNode):
            return None
        if term.shape == "typed":
            return obj.value if not obj.language and obj.datatype.value == term.datatype else None
        if term.shape == "plain":
            if term.language is None and not obj.language and obj.datatype.value == XSD_STRING:
                return obj.value
            return None
        return None  # language maps are built in node()

    def node(self, subject, predicates: dict, lists: dict) -> dict:
        node: dict = {self.id_key: subject.value if isinstance(subject, NamedNode) else f"_:{subject.value}"}
        types = predicates.get(NamedNode(RDF_TYPE), set())
        if types:
            compacted = sorted(self.compact(t.value) for t in types)
            node["@type"] = compacted[0] if len(compacted) == 1 else compacted
        entries: dict[str, object] = {}
        for predicate, objects in predicates.items():
            if predicate.value == RDF_TYPE:
                continue
            term = self.terms.get(predicate.value)
            leftovers = []
            if term is not None and term.shape == "language":
                by_language: dict[str, list[str]] = defaultdict(list)
                for obj in sorted(objects, key=sort_key):
                    if isinstance(obj, Literal) and obj.language:
                        by_language[canonical_language(obj.language)].append(obj.value)
                    else:
                        leftovers.append(obj)
                if by_language:
                    entries[term.key] = {tag: v[0] if len(v) == 1 else v for tag, v in sorted(by_language.items())}
            elif term is not None:
                shorts = []
                for obj in sorted(objects, key=sort_key):
                    value = self.short(term, obj, lists)
                    (leftovers.append(obj) if value is None else shorts.append(value))
                if shorts:
                    if term.shape == "list":
                        entries[term.key] = {"@list": shorts[0]} if len(shorts) == 1 else [{"@list": s} for s in shorts]
                    else:
                        entries[term.key] = shorts[0] if len(shorts) == 1 else shorts
            else:
                leftovers = sorted(objects, key=sort_key)
            if leftovers:
                values = [self.full(o, lists) for o in leftovers]
                entries[self.compact(predicate.value)] = values[0] if len(values) == 1 else values
        node.update(sorted(entries.items()))
        return node

    def full(self, obj, lists):
        if isinstance(obj, BlankNode) and obj.value in lists:
            return {"@list": [self.full(item, lists) for item in lists[obj.value]]}
        return self.generic(obj)

    def write(self, triples) -> bytes:
        by_subject: dict = defaultdict(lambda: defaultdict(set))
        for t in set(triples):
            by_subject[t.subject][t.predicate].add(t.object)
        lists = find_collections(by_subject)
        graph = [
            self.node(subject, by_subject[subject], lists)
            for subject in sorted(by_subject, key=sort_key)
            if not (isinstance(subject, BlankNode) and subject.value in lists.consumed)
        ]
        # The context as ontology/context.jsonld writes it (a term a line), then one node a block.
        context = self.ontology.files()["context.jsonld"].strip()
        context = context[context.index("{", 1):context.rindex("}")].strip()
        nodes = ",\n".join(_indent(json.dumps(node, ensure_ascii=False, indent=2), "    ") for node in graph)
        return f'{{\n  "@context": {context},\n  "@graph": [\n{nodes}\n  ]\n}}\n'.encode("utf-8")


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def write_jsonld(triples, ontology: Ontology) -> bytes:
    return JsonLdWriter(ontology).write(triples)

