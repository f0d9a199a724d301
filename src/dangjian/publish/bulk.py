"""The bulk dumps for triple-store loaders: dangjian.nt.gz, and dangjian.nq.gz with every
statement in the release's named graph. Both are made from the N-Triples text, by a full build
from the records' blocks and by a quick rebuild from the spliced dangjian.nt."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .dist import joined
from .gzipped import gzip_pieces
from .nquads import quads

BULK_DUMPS = ("dangjian.nt.gz", "dangjian.nq.gz")


def bulk_dumps(blocks: Callable[[], Iterable[bytes]], graph: str) -> dict[str, Iterable[bytes]]:
    """Both dumps as pieces; ``blocks()`` gives the N-Triples (UTF-8) afresh each time, in
    blocks of whole lines. Each is compressed at once in a thread of its own (zlib lets go of
    the interpreter while it compresses), while the caller writes the other dumps; iterating
    the pieces waits for it. The bytes are those of compressing in one go."""
    return {
        "dangjian.nt.gz": InBackground(lambda: gzip_pieces(joined(blocks()))),
        "dangjian.nq.gz": InBackground(lambda: gzip_pieces(quads(block, graph) for block in joined(blocks()))),
    }


class InBackground:
    """The pieces ``make()`` gives, made in a thread started now; iterating waits for them."""

    def __init__(self, make: Callable[[], Iterable[bytes]]):
        self._pieces: list[bytes] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(make,), daemon=True)
        self._thread.start()

    def _run(self, make) -> None:
        try:
            self._pieces = list(make())
        except BaseException as error:  # handed to whoever reads the pieces
            self._error = error

    def __iter__(self) -> Iterator[bytes]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return iter(self._pieces)


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
