"""The build's statements cut into batches that can be sent one request each.

A blank node is local to the document (or the update request) it appears in, so statements
that share a blank node, directly or through a chain (an RDF list), travel in one batch;
otherwise the store would make two nodes of one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode


@dataclass(frozen=True)
class Statements:
    lines: list[str]  # one N-Triples line each, without the newline
    blank_nodes: list[tuple[str, ...]]  # the blank-node labels of each statement


def read_ntriples(path: Path) -> Statements:
    """Each distinct statement of an N-Triples file once, as written there, in the file's order.

    pyoxigraph checks the file and finds the blank nodes; the lines themselves are kept as they
    are (pyoxigraph would write language tags in lower case).
    """
    text = path.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    quads = list(pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES))
    if len(quads) != len(lines):
        raise ValueError(f"{path}: {len(lines)} lines but {len(quads)} statements")
    seen: dict[str, tuple[str, ...]] = {}
    for line, q in zip(lines, quads):
        if line not in seen:
            seen[line] = tuple(t.value for t in (q.subject, q.object) if isinstance(t, BlankNode))
    return Statements(list(seen), list(seen.values()))


def units(blank_nodes: list[tuple[str, ...]]) -> list[list[int]]:
    """Indexes of statements, grouped so that statements sharing a blank node are together."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for nodes in blank_nodes:
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
    grouped: dict[str, list[int]] = {}
    out: list[list[int]] = []
    for index, nodes in enumerate(blank_nodes):
        if not nodes:
            out.append([index])
            continue
        key = root(nodes[0])
        if key not in grouped:
            grouped[key] = []
            out.append(grouped[key])
        grouped[key].append(index)
    return out


@dataclass
class Batch:
    lines: list[str]
    has_blank_nodes: bool = False


def batches(statements: Statements, size: int) -> list[Batch]:
    """Batches of at most ``size`` statements (more only where one blank-node group is larger)."""
    out: list[Batch] = []
    current = Batch([])
    for unit in units(statements.blank_nodes):
        if current.lines and len(current.lines) + len(unit) > size:
            out.append(current)
            current = Batch([])
        current.lines.extend(statements.lines[i] for i in unit)
        current.has_blank_nodes |= bool(statements.blank_nodes[unit[0]])
    if current.lines:
        out.append(current)
    return out
