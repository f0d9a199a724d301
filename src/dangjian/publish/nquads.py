"""N-Quads: the N-Triples statements, each in the release's named graph, sorted.

One named graph per release ({base}graph/{version}) rather than the default graph: a store can
then hold several releases side by side, and `dangjian push` replaces exactly one graph without
touching anything else the store holds.
"""

from __future__ import annotations

from .terms import iri, nt


def release_graph(base: str, version: str) -> str:
    """The IRI of the named graph a release is published in."""
    return f"{base}graph/{version}"


def write_nquads(triples, graph: str) -> bytes:
    name = iri(graph)
    lines = sorted({f"{nt(t.subject)} {nt(t.predicate)} {nt(t.object)} {name} .\n" for t in triples})
    return "".join(lines).encode("utf-8")
