"""N-Triples: one statement a line, sorted, so that the same records give the same bytes."""

from __future__ import annotations

from .terms import nt


def write_ntriples(triples) -> bytes:
    lines = sorted({f"{nt(t.subject)} {nt(t.predicate)} {nt(t.object)} .\n" for t in triples})
    return "".join(lines).encode("utf-8")
