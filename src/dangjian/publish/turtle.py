"""Readable, deterministic Turtle: prefixes, one block per subject, everything sorted.

Written by hand rather than by a library's serialiser for three reasons: the same graph must
give the same bytes; numbers keep the form the record wrote (``12.50``); and no prefixed name
may need a backslash escape (``amount:x\\#quote``), which Virtuoso keeps as part of the IRI.
Names that would need one are written as full IRIs.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pyoxigraph import BlankNode, Literal, NamedNode

from .terms import XSD, literal, sort_key

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDF_FIRST, RDF_REST, RDF_NIL = RDF + "first", RDF + "rest", RDF + "nil"

_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?[0-9]*\.[0-9]+$")


class TurtleWriter:
    def __init__(self, prefixes: dict[str, str]):
        # Longest namespace first, so that the most specific prefix wins.
        self.prefixes = dict(sorted(prefixes.items()))
        self._by_length = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))

    def name(self, value: str) -> str:
        for prefix, namespace in self._by_length:
            if value.startswith(namespace):
                local = value[len(namespace):]
                if local == "" or _SAFE_LOCAL.match(local):
                    return f"{prefix}:{local}"
        return f"<{value}>"

    def term(self, term, lists: dict) -> str:
        if isinstance(term, NamedNode):
            return self.name(term.value)
        if isinstance(term, BlankNode):
            if term.value in lists:
                return "( " + " ".join(self.term(item, lists) for item in lists[term.value]) + " )"
            return f"_:{term.value}"
        return self.literal(term)

    def literal(self, term: Literal) -> str:
        if not term.language:
            datatype = term.datatype.value
            if datatype == XSD + "integer" and _INTEGER.match(term.value):
                return term.value
            if datatype == XSD + "decimal" and _DECIMAL.match(term.value):
                return term.value
            if datatype == XSD + "boolean" and term.value in ("true", "false"):
                return term.value
        return literal(term, datatype_text=self.name)

    def write(self, triples, header: str = "") -> bytes:
        by_subject: dict = defaultdict(lambda: defaultdict(set))
        for t in set(triples):
            by_subject[t.subject][t.predicate].add(t.object)
        lists = find_collections(by_subject)
        out = []
        if header:
            out.extend(f"# {line}\n" if line else "#\n" for line in header.splitlines())
        out.extend(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in self.prefixes.items())
        for subject in sorted(by_subject, key=sort_key):
            if isinstance(subject, BlankNode) and subject.value in lists.consumed:
                continue
            out.append("\n")
            out.append(self.term(subject, lists) + "\n")
            predicates = sorted(by_subject[subject], key=lambda p: (p.value != RDF_TYPE, self.name(p.value)))
            for index, predicate in enumerate(predicates):
                verb = "a" if predicate.value == RDF_TYPE else self.name(predicate.value)
                objects = sorted(by_subject[subject][predicate], key=sort_key)
                rendered = " ,\n        ".join(self.term(o, lists) for o in objects)
                end = " ." if index == len(predicates) - 1 else " ;"
                out.append(f"    {verb} {rendered}{end}\n")
        return "".join(out).encode("utf-8")


class _Lists(dict):
    consumed: set


def find_collections(by_subject) -> _Lists:
    """Blank nodes that head well-formed RDF lists referenced once, with their items."""
    references: dict[str, int] = defaultdict(int)
    for predicates in by_subject.values():
        for objects in predicates.values():
            for o in objects:
                if isinstance(o, BlankNode):
                    references[o.value] += 1
    lists, consumed = _Lists(), set()

    def walk(node: BlankNode):
        items, seen = [], []
        while isinstance(node, BlankNode):
            predicates = by_subject.get(node, {})
            keys = {p.value for p in predicates}
            firsts = predicates.get(NamedNode(RDF_FIRST), set())
            rests = predicates.get(NamedNode(RDF_REST), set())
            if keys != {RDF_FIRST, RDF_REST} or len(firsts) != 1 or len(rests) != 1 or references[node.value] != 1:
                return None
            items.append(next(iter(firsts)))
            seen.append(node.value)
            node = next(iter(rests))
        return (items, seen) if node == NamedNode(RDF_NIL) else None

    for predicates in by_subject.values():
        for objects in predicates.values():
            for o in objects:
                if isinstance(o, BlankNode) and o.value not in consumed:
                    found = walk(o)
                    if found:
                        lists[o.value] = found[0]
                        consumed.update(found[1])
    lists.consumed = consumed
    return lists


def write_turtle(triples, prefixes: dict[str, str], header: str = "") -> bytes:
    return TurtleWriter(prefixes).write(triples, header)

