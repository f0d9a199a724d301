"""Readable, deterministic Turtle: prefixes, one block per subject, everything sorted.

Written by hand rather than by a library's serialiser for three reasons: the same graph must
give the same bytes; numbers keep the form the record wrote (``12.50``); and no prefixed name
may need a backslash escape (``amount:x\\#quote``), which Virtuoso keeps as part of the IRI.
Names that would need one are written as full IRIs.
"""

from __future__ import annotations

import re
from collections import defaultdict

from .terms import XSD, sort_key, split_literal

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = f"<{RDF}type>"
RDF_FIRST, RDF_REST, RDF_NIL = f"<{RDF}first>", f"<{RDF}rest>", f"<{RDF}nil>"

_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?[0-9]*\.[0-9]+$")
_SHORT_NUMBERS = {XSD + "integer": _INTEGER, XSD + "decimal": _DECIMAL}


class Lists(dict):
    """Blank nodes that head well-formed RDF lists, with their items; ``consumed`` holds every
    node of those lists, which are written inline and not as subjects of their own."""

    consumed: set


def group(triples) -> dict:
    by_subject: dict = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        by_subject[s][p].add(o)
    return by_subject


def find_collections(by_subject) -> Lists:
    """Blank nodes that head well-formed RDF lists referenced once, with their items."""
    references: dict[str, int] = defaultdict(int)
    for subject, predicates in by_subject.items():
        for objects in predicates.values():
            for o in objects:
                if o[0] == "_":
                    references[o] += 1
    lists, consumed = Lists(), set()

    def walk(node: str):
        items, seen = [], []
        while node[0] == "_":
            predicates = by_subject.get(node, {})
            firsts, rests = predicates.get(RDF_FIRST, ()), predicates.get(RDF_REST, ())
            if set(predicates) != {RDF_FIRST, RDF_REST} or len(firsts) != 1 or len(rests) != 1 or references[node] != 1:
                return None
            items.append(next(iter(firsts)))
            seen.append(node)
            node = next(iter(rests))
        return (items, seen) if node == RDF_NIL else None

    tails = {o for s, predicates in by_subject.items() if s[0] == "_" for o in predicates.get(RDF_REST, ())}
    for node in sorted(references):
        if node in tails:
            continue  # the rest of a list, not its head
        found = walk(node)
        if found:
            lists[node] = found[0]
            consumed.update(found[1])
    lists.consumed = consumed
    return lists


class TurtleWriter:
    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = dict(sorted(prefixes.items()))
        # Longest namespace first, so that the most specific prefix wins.
        self._by_length = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self._names: dict[str, str] = {}

    def name(self, iri: str) -> str:
        """A prefixed name for an IRI (given bare), or the IRI in angle brackets."""
        cached = self._names.get(iri)
        if cached is not None:
            return cached
        result = f"<{iri}>"
        for prefix, namespace in self._by_length:
            if iri.startswith(namespace):
                local = iri[len(namespace):]
                if local == "" or _SAFE_LOCAL.match(local):
                    result = f"{prefix}:{local}"
                    break
        self._names[iri] = result
        return result

    def term(self, term: str, lists: Lists) -> str:
        first = term[0]
        if first == "<":
            return self.name(term[1:-1])
        if first == "_":
            if term in lists:
                return "( " + " ".join(self.term(item, lists) for item in lists[term]) + " )"
            return term
        return self.literal(term)

    def literal(self, term: str) -> str:
        if term.endswith('"'):
            return term  # a plain string
        body, _value, language, datatype = split_literal(term)
        if language:
            return term
        pattern = _SHORT_NUMBERS.get(datatype)
        if pattern is not None and pattern.match(body):
            return body
        if datatype == XSD + "boolean" and body in ("true", "false"):
            return body
        return f'"{body}"^^{self.name(datatype)}'

    def write(self, triples, header: str = "") -> bytes:
        by_subject = group(triples)
        lists = find_collections(by_subject)
        out = []
        if header:
            out.extend(f"# {line}\n" if line else "#\n" for line in header.splitlines())
        out.extend(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in self.prefixes.items())
        for subject in sorted(by_subject, key=sort_key):
            if subject in lists.consumed:
                continue
            out.append("\n")
            out.append(self.term(subject, lists) + "\n")
            predicates = sorted(by_subject[subject], key=lambda p: (p != RDF_TYPE, self.name(p[1:-1])))
            last = len(predicates) - 1
            for index, predicate in enumerate(predicates):
                verb = "a" if predicate == RDF_TYPE else self.name(predicate[1:-1])
                objects = sorted(by_subject[subject][predicate], key=sort_key)
                rendered = " ,\n        ".join(self.term(o, lists) for o in objects)
                out.append(f"    {verb} {rendered}{' .' if index == last else ' ;'}\n")
        return "".join(out).encode("utf-8")


def write_turtle(triples, prefixes: dict[str, str], header: str = "") -> bytes:
    return TurtleWriter(prefixes).write(triples, header)
