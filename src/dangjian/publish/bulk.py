"""The bulk dumps for triple-store loaders: dangjian.nt.gz, and dangjian.nq.gz with every
statement in the release's named graph. Both are made from the N-Triples text, by a full build
from the records' blocks and by a quick rebuild from the spliced dangjian.nt."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .gzipped import gzip_pieces
from .nquads import quads

BULK_DUMPS = ("dangjian.nt.gz", "dangjian.nq.gz")


def bulk_dumps(blocks: Callable[[], Iterable[bytes]], graph: str) -> dict[str, Iterator[bytes]]:
    """Both dumps as pieces; ``blocks()`` gives the N-Triples (UTF-8) afresh each time, in
    blocks of whole lines."""
    return {
        "dangjian.nt.gz": gzip_pieces(blocks()),
        "dangjian.nq.gz": gzip_pieces(quads(block, graph) for block in blocks()),
    }


def line_blocks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    """A file in blocks of about ``size`` bytes that end at line ends."""
    with open(path, "rb") as handle:
        rest = b""
        while chunk := handle.read(size):
            chunk = rest + chunk
            cut = chunk.rfind(b"\n") + 1
            rest = chunk[cut:]
            if cut:
                yield chunk[:cut]
        if rest:
            yield rest
