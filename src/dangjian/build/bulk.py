"""The bulk dumps for triple-store loaders: dangjian.nt.gz, and dangjian.nq.gz with every
statement in the release's named graph, both made from the records' N-Triples blocks.

Each is a series of gzip members (see :mod:`dangjian.formats.gzipped`), one per run of about
RECORDS_PER_MEMBER records. Where a run ends depends on nothing but the subject of its last
record, so a full build and a rebuild cut the same runs, and a rebuild after an edit compresses
the edited record's run again and copies every other member byte for byte."""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator, Sequence
from itertools import accumulate, compress, count
from pathlib import Path

from ..formats.gzipped import gzip_member
from ..formats.nquads import quads

BULK_DUMPS = ("dangjian.nt.gz", "dangjian.nq.gz")
RECORDS_PER_MEMBER = 64  # on average: about 100 kB of N-Triples (deflate looks back 32 kB only: no loss)


def ends_member(subject: str) -> bool:
    """Whether a member ends after the record with this subject (its IRI in angle brackets)."""
    return member_ends([subject])[0]


def member_ends(subjects: Sequence[str]) -> list[bool]:
    # The rule, for many subjects at once (a hundred thousand at every rebuild): no Python
    # call a subject.
    return [check % RECORDS_PER_MEMBER == 0 for check in map(zlib.crc32, map(str.encode, subjects))]


def member_spans(subjects: Sequence[str]) -> list[tuple[int, int]]:
    """The runs of records, as [start, end) positions in ``subjects`` (in dump order); one
    empty run when there are no records, so that a dump is never an empty file."""
    return spans_of(member_ends(subjects))


def spans_of(ends: Sequence[bool]) -> list[tuple[int, int]]:
    """The runs of records, from whether a member ends after each (see member_spans())."""
    stops = list(compress(count(1), ends))
    spans = list(zip([0, *stops], stops))
    if not spans or spans[-1][1] < len(ends):
        spans.append((stops[-1] if stops else 0, len(ends)))
    return spans


class Members:
    """A dump's members, compressed in a thread started now (zlib lets go of the interpreter
    while it compresses, so this runs beside the writing of the other dumps); iterating waits."""

    def __init__(self, runs: Sequence, transform=None):
        self._members: list[bytes] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(runs, transform), daemon=True)
        self._thread.start()

    def _run(self, runs, transform) -> None:
        try:
            for run in runs:
                data = run() if callable(run) else run
                self._members.append(gzip_member(transform(data) if transform else data))
        except BaseException as error:  # handed to whoever reads the members
            self._error = error

    def __iter__(self) -> Iterator[bytes]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return iter(self._members)

    @property
    def lengths(self) -> list[int]:
        return [len(member) for member in self]


def bulk_dumps(blocks: Sequence[bytes], subjects: Sequence[str], graph: str) -> dict[str, Members]:
    """Both dumps from the records' N-Triples blocks and subjects, in dump order."""
    runs = [_Run(blocks, start, end) for start, end in member_spans(subjects)]
    return {"dangjian.nt.gz": Members(runs), "dangjian.nq.gz": Members(runs, lambda data: quads(data, graph))}


class _Run:
    """The N-Triples of one member, joined when its thread needs it (not all at once)."""

    def __init__(self, blocks: Sequence[bytes], start: int, end: int):
        self.blocks, self.start, self.end = blocks, start, end

    def __call__(self) -> bytes:
        return b"".join(self.blocks[self.start:self.end])


def spliced_bulk_dumps(old: dict[str, list[int]], old_folder: Path, old_graph: str, new_spans: list[tuple[int, int]],
                       reused: list[int | None], nt_offsets: Sequence[int], nt_path: Path, graph: str) -> dict[str, list]:
    """Both dumps as pieces for :meth:`dangjian.build.staging.Staging.splice`: each member whose
    records are all unchanged is a byte range of the old dump; the others are compressed again
    from the new dangjian.nt. ``old``: the old members' lengths in each dump (from the index);
    ``reused[k]``: the number of the old member that new run ``new_spans[k]`` is a copy of, or
    None; ``nt_offsets[i]``: where new record i starts in the new dangjian.nt (one more at the end)."""
    starts = {name: list(accumulate(lengths, initial=0)) for name, lengths in old.items()}
    pieces: dict[str, list] = {name: [] for name in BULK_DUMPS}
    with open(nt_path, "rb") as nt:
        for (start, end), number in zip(new_spans, reused):
            data = None
            for name in BULK_DUMPS:
                if number is not None and (name == "dangjian.nt.gz" or graph == old_graph):
                    pieces[name].append((old_folder / name, starts[name][number], old[name][number]))
                    continue
                if data is None:
                    nt.seek(nt_offsets[start])
                    data = nt.read(nt_offsets[end] - nt_offsets[start])
                pieces[name].append(gzip_member(quads(data, graph) if name == "dangjian.nq.gz" else data))
    return pieces


def piece_lengths(pieces: list) -> list[int]:
    """The length of each member among a spliced dump's pieces."""
    return [piece[2] if isinstance(piece, tuple) else len(piece) for piece in pieces]
