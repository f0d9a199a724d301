"""N-Triples: one statement a line, sorted, so that the same records give the same bytes."""

from __future__ import annotations


def write_ntriples(triples) -> bytes:
    lines = sorted({f"{s} {p} {o} .\n" for s, p, o in triples})
    return "".join(lines).encode("utf-8")
