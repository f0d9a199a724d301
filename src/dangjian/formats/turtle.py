"""Readable, deterministic Turtle: prefixes, one block per subject, everything sorted.

Written by hand rather than by a library's serialiser for three reasons: the same graph must
give the same bytes; numbers keep the form the record wrote (``12.50``); and no prefixed name
may need a backslash escape (``amount:x\\#quote``), which Virtuoso keeps as part of the IRI.
Names that would need one are written as full IRIs.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..model import namespaces
from ..model.namespaces import XSD
from ..model.terms import iri, sort_key

RDF_TYPE = iri(namespaces.RDF_TYPE)
RDF_FIRST, RDF_REST, RDF_NIL = iri(namespaces.RDF_FIRST), iri(namespaces.RDF_REST), iri(namespaces.RDF_NIL)

_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*\Z")
_INTEGER = re.compile(r"^[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"^[+-]?[0-9]*\.[0-9]+\Z")
_SHORT_NUMBERS = {XSD + "integer": _INTEGER, XSD + "decimal": _DECIMAL}


class Lists(dict):
    """Blank nodes that head well-formed RDF lists, with their items; ``consumed`` holds every
    node of those lists, which are written inline and not as subjects of their own."""

    consumed: set


def group(triples) -> dict:
    """{subject: {predicate: [objects]}}, each object once, in the order first seen."""
    by_subject: dict = {}
    for s, p, o in triples:
        predicates = by_subject.get(s)
        if predicates is None:
            predicates = by_subject[s] = {}
        objects = predicates.get(p)
        if objects is None:
            predicates[p] = [o]
        elif o not in objects:
            objects.append(o)
    return by_subject


_NO_LISTS = Lists()
_NO_LISTS.consumed = frozenset()


def find_collections(by_subject) -> Lists:
    """Blank nodes that head well-formed RDF lists referenced once, with their items."""
    if not any(s[0] == "_" for s in by_subject):
        return _NO_LISTS
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
        self._names: dict[str, str] = {}  # '<iri>' -> its name in Turtle
        self._order: dict[str, tuple] = {}  # predicate -> its place in a paragraph
        self._records = ""  # '<{base}id/' when the prefixes name each kind of record

    def name_records(self, records_base: str) -> "TurtleWriter":
        """Name record IRIs ({records_base}{kind}/{id}) by their kind's prefix, quickly."""
        self._records = f"<{records_base}"
        return self

    def name(self, iri: str) -> str:
        """A prefixed name for an IRI (given bare), or the IRI in angle brackets."""
        return self.iri_term(f"<{iri}>")

    def iri_term(self, term: str) -> str:
        cached = self._names.get(term)
        if cached is not None:
            return cached
        if self._records and term.startswith(self._records):
            # A record IRI, {base}id/{kind}/{id}: named by its kind's prefix, not cached (there
            # are as many as records).
            kind, _, local = term[len(self._records):-1].partition("/")
            if kind in self.prefixes:
                return f"{kind}:{local}" if _SAFE_LOCAL.match(local) else term
        iri = term[1:-1]
        result = term
        for prefix, namespace in self._by_length:
            if iri.startswith(namespace):
                local = iri[len(namespace):]
                if local == "" or _SAFE_LOCAL.match(local):
                    result = f"{prefix}:{local}"
                    break
        self._names[term] = result
        return result

    def predicate_order(self, predicate: str) -> tuple:
        order = self._order.get(predicate)
        if order is None:
            order = self._order[predicate] = (predicate != RDF_TYPE, self.iri_term(predicate))
        return order

    def term(self, term: str, lists: Lists) -> str:
        first = term[0]
        if first == "<":
            return self._names.get(term) or self.iri_term(term)
        if first == "_":
            if term in lists:
                return "( " + " ".join(self.term(item, lists) for item in lists[term]) + " )"
            return term
        if term[-1] != ">":
            return term  # a plain or language-tagged string, written as N-Triples writes it
        cut = term.rfind('"^^<')
        body, datatype = term[1:cut], term[cut + 4:-1]
        pattern = _SHORT_NUMBERS.get(datatype)
        if pattern is not None and pattern.match(body):
            return body
        if datatype == XSD + "boolean" and body in ("true", "false"):
            return body
        return f'"{body}"^^{self.iri_term(term[cut + 3:])}'

    def literal(self, term: str) -> str:
        return self.term(term, _NO_LISTS)

    def block(self, triples, first: str = "") -> str:
        """The Turtle of some statements: one paragraph per subject, ``first`` first, then the
        others sorted; each paragraph ends with a blank line."""
        by_subject = group(triples)
        lists = find_collections(by_subject)
        consumed = lists.consumed
        out: list[str] = []
        subjects = sorted(by_subject, key=sort_key)
        if first in by_subject:
            subjects.remove(first)
            subjects.insert(0, first)
        for subject in subjects:
            if subject not in consumed:
                self.paragraph(out, subject, by_subject[subject], lists)
        return "".join(out)

    def paragraph(self, out: list[str], subject: str, predicates: dict[str, list[str]], lists) -> None:
        """Append one subject's paragraph to ``out``: its predicates in order, each with its
        objects sorted, and a blank line."""
        term = self.term
        out.append(term(subject, lists))
        out.append("\n")
        ordered = sorted(predicates, key=self.predicate_order)
        last = ordered[-1]
        for predicate in ordered:
            verb = "a" if predicate == RDF_TYPE else self.iri_term(predicate)
            objects = predicates[predicate]
            if len(objects) == 1:
                rendered = term(objects[0], lists)
            else:
                rendered = " ,\n        ".join(term(o, lists) for o in sorted(objects, key=sort_key))
            out.append(f"    {verb} {rendered}{' .' if predicate is last else ' ;'}\n")
        out.append("\n")

    def record_block(self, record, subject: str, triples) -> str:
        """A record's paragraph, then those of the nodes it owns.

        The record's own statements are the first ``own`` of ``triples`` that have ``subject``
        as subject (the mapper's, then the derived ones); they are grouped here without the
        general machinery, since one subject and short lists of objects are all a record has.
        """
        predicates: dict[str, list[str]] = {}
        others = []
        for s, p, o in triples:
            if s != subject:
                others.append((s, p, o))
                continue
            objects = predicates.get(p)
            if objects is None:
                predicates[p] = [o]
            elif o not in objects:
                objects.append(o)
        lists = find_collections(group(others)) if any(o[0] == "_" for p in predicates.values() for o in p) else _NO_LISTS
        out: list[str] = []
        self.paragraph(out, subject, predicates, lists)
        rest = [t for t in others if t[0] not in lists.consumed]
        return "".join(out) + (self.block(rest) if rest else "")

    def head(self, header: str = "") -> str:
        out = [f"# {line}\n" if line else "#\n" for line in header.splitlines()] if header else []
        out.extend(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in self.prefixes.items())
        return "".join(out) + "\n"

    def write(self, triples, header: str = "") -> bytes:
        return (self.head(header) + self.block(triples)).encode("utf-8")


def turtle_document(head: str, blocks) -> list[str]:
    """A Turtle document from its head and the records' blocks, as pieces to write in order."""
    return [head, *blocks]
