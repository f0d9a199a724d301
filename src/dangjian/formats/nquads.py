"""N-Quads: the N-Triples statements, each in the release's named graph.

One named graph per release ({base}graph/{version}) rather than the default graph: a store can
then hold several releases side by side, and `dangjian push` replaces exactly one graph without
touching anything else the store holds.
"""

from __future__ import annotations


def release_graph(base: str, version: str) -> str:
    """The IRI of the named graph a release is published in."""
    return f"{base}graph/{version}"


def quads(ntriples: bytes, graph: str) -> bytes:
    """N-Triples lines (UTF-8), each ending in " .\n", as N-Quads lines in ``graph``.

    A line break inside a literal is written \\n, so " .\n" occurs only where a line ends.
    """
    return ntriples.replace(b" .\n", f" <{graph}> .\n".encode("utf-8"))
