"""The quick rebuild: when a few records changed since the last build, read and check only what
they touch, and splice the dumps (see :mod:`dangjian.build.index` for why that is safe)."""

from __future__ import annotations

import json
import time
from bisect import bisect_right
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate, compress, count
from operator import ne
from pathlib import Path

from ..checks.references import Directory
from ..checks.run import Known, record_check, run
from ..dataset.manifest import Written, write_manifest
from ..dataset.releases import dataset_version
from ..dataset.void import write_void
from ..formats.jsonld import JSONLD_TAIL
from ..formats.nquads import release_graph
from ..model.ontology import Ontology
from ..records.companions import TextsOnDemand
from ..records.releases import releases
from ..settings import Project
from .bulk import BULK_DUMPS, ends_member, member_ends, piece_lengths, spans_of, spliced_bulk_dumps
from .index import (DUMPS, MOST_CHANGES, BuildIndex, Columns, Memory, ReferencesText, fingerprint, index_rows,
                    manifest_hash, referrers, signature_digest, signatures, splice_plan, spliced_columns)
from .outputs import RELEASES_FOLDER, dataset_facts, dump_heads, manifest_facts_of
from .report import BuildFailed, BuildReport, report_of_dist
from .shapes import beside
from .staging import build_lock, staged
from .workers import process_files


def quick_rebuild(project: Project, ontology: Ontology, out: Path, on_wait=None, scanned: tuple | None = None,
                  memory: Memory | None = None) -> BuildReport | None:
    """A spliced rebuild, or None when a full build is needed. It holds the build lock
    throughout: it reads the dumps another build could be replacing. ``memory``: see
    :class:`dangjian.build.index.Memory`."""
    with build_lock(out.parent, on_wait):
        return _quick_rebuild(project, ontology, out, scanned, memory)


def _quick_rebuild(project: Project, ontology: Ontology, out: Path, scanned: tuple | None, memory: Memory | None
                   ) -> BuildReport | None:
    started = time.perf_counter()
    index = BuildIndex(project, memory)
    meta = index.meta()
    if not meta or meta.get("manifest") != manifest_hash(out) or meta.get("fingerprint") != fingerprint(project, ontology.base):
        return None
    current, clean = signatures(project, ontology.kinds_by_folder, scanned)
    if not clean or not current:
        return None  # (no record at all: the full build refuses it, unless asked for)
    # The old rows stay columns throughout: made rows, looped over and made columns again, a
    # hundred thousand would cost more than all the rest of a one-record rebuild.
    old = index.ordered_columns(meta)
    if old is None:
        return None
    rows = old_rows(old, memory)
    if rows is None:
        return None  # rows out of order: not an index a rebuild can trust
    position_of, known = rows.position_of, rows.known
    # Which files are new or differ, in C loops (quicker than a loop in Python or a set
    # difference of the (file, signature) pairs).
    changed = sorted(compress(current, map(ne, map(known.get, current), current.values())))
    added = sum(1 for shown in changed if shown not in known)
    removed = known.keys() - current.keys() if len(current) - added != len(known) else set()
    if not changed and not removed:
        return report_of_dist(out, started)
    if len(changed) + len(removed) > max(50, MOST_CHANGES * len(known)):
        return None
    old_members = json.loads(meta.get("members") or "{}")
    if sorted(old_members) != sorted(BULK_DUMPS):
        return None  # an index from before the bulk dumps came in members
    old_ends = rows.ends
    if any(len(lengths) != len(spans_of(old_ends)) for lengths in old_members.values()):
        return None  # the index does not describe the old bulk dumps
    replaced = set(changed) | removed
    gone = sorted(position_of[shown] for shown in replaced if shown in position_of)

    # What to read again: the changed records, and the records that name a changed or removed one.
    naming = [old.shown[i] for i in referrers(old, {old.subject[i] for i in gone}, rows.references)]
    naming = sorted(set(naming) - replaced)
    items = [(project.root / shown, ontology.kinds_by_folder[Path(shown).parent.name], shown) for shown in (*changed, *naming)]
    processed = process_files(items, ontology, ontology.output_prefixes, render=True, texts=TextsOnDemand(project, ontology),
                              record_check=record_check(ontology))
    verdict = run(project, ontology, processed, rows.known_beside(replaced | {item.shown for item in processed}), engine=beside)
    if not verdict.valid:
        raise BuildFailed(verdict)

    blocks = {item.shown: item for item in processed if item.shown in replaced}
    fresh = index_rows(list(blocks.values()), current, ontology)
    segments = splice_plan(old.subject, gone, fresh)
    new = spliced_columns(old, segments)

    live = [not tombstone for tombstone in new.tombstone]
    by_kind = dict(sorted(Counter(compress(new.kind, live)).items()))
    triples = sum(new.triples)
    hashes = {subject[1:-1]: digest for subject, digest in zip(new.subject, new.hash)} if releases(project) else {}
    version, issued, previous = dataset_version(project, hashes, ontology.base)
    tombstones = len(live) - sum(live)
    facts = dataset_facts(ontology, version, issued, previous, by_kind, tombstones, triples)
    heads = dump_heads(ontology, version)
    old_manifest = _old_manifest(out)

    def splice(name: str) -> None:
        pieces = splice_pieces(name, segments, old.lengths(name), blocks, out / name, int(meta[f"head:{name}"]))
        staging.splice(name, heads[name], pieces, JSONLD_TAIL if name == "dangjian.jsonld" else "")

    with staged(out, locked=True) as staging, ThreadPoolExecutor(3) as threads:
        # Each dump in a thread of its own: copying, hashing and writing hundreds of megabytes
        # let go of the interpreter, so two cores share the work, and this thread finds the runs
        # of the bulk dumps meanwhile.
        spliced = {name: threads.submit(splice, name) for name in DUMPS}
        nt_offsets = list(accumulate(new.nt, initial=len(heads["dangjian.nt"].encode("utf-8"))))
        new_spans, reused = member_runs(old_ends, segments, len(new))
        spliced["dangjian.nt"].result()  # the bulk dumps' changed members are compressed from it
        bulk = spliced_bulk_dumps(old_members, out, old_manifest["graph"], new_spans, reused, nt_offsets,
                                  staging.folder / "dangjian.nt", release_graph(ontology.base, version))
        spliced.update((name, threads.submit(staging.splice, name, "", pieces)) for name, pieces in bulk.items())
        for done in spliced.values():
            done.result()
        for name, facts_of_file in old_manifest["files"].items():
            if name in DUMPS or name in ("void.ttl", "manifest.json") or not (out / name).is_file():
                continue
            if name.startswith(f"{RELEASES_FOLDER}/") or name in ("ontology.ttl", "vocabulary.ttl", "context.jsonld"):
                staging.link(name, out / name, Written(facts_of_file["bytes"], facts_of_file["sha256"]))
        first = next(compress(new.subject, live), None)
        staging.write("void.ttl", write_void(ontology, facts, dict(staging.written), first[1:-1] if first else None))
        staging.write("manifest.json", write_manifest(dict(staging.written), manifest_facts_of(facts)))
    members = {name: piece_lengths(pieces) for name, pieces in bulk.items()}
    index.write_changes({"manifest": staging.written["manifest.json"].sha256, "signatures": signature_digest(current),
                         "members": json.dumps(members), **{f"head:{n}": str(len(heads[n].encode())) for n in DUMPS}},
                        replaced, fresh, new)
    report = BuildReport(verdict, out, {n: w.bytes for n, w in staging.written.items()}, by_kind, triples,
                         time.perf_counter() - started)
    report.version, report.tombstones, report.facts = version, tombstones, facts
    report.hashes = hashes
    report.changed = len(changed) + len(removed)
    return report


def member_runs(old_ends: list[bool], segments: list[tuple], count_new: int) -> tuple[list[tuple[int, int]], list[int | None]]:
    """The new runs of records of the bulk dumps' gzip members, and for each the number of the
    old member it is a copy of (a run of old records, in the same order, that was a member), or
    None. ``old_ends``: whether a member ended after each old record. That depends on the
    record's subject alone, so the old rows' answers are copied along with them and only new
    rows are asked."""
    new_ends: list[bool] = []
    copied: list[tuple[int, int, int]] = []  # (new start, new end, old start) of each run of old rows
    for segment in segments:
        if segment[0] == "old":
            _, i, j = segment
            copied.append((len(new_ends), len(new_ends) + j - i, i))
            new_ends += old_ends[i:j]
        else:
            new_ends.append(ends_member(segment[1].subject))
    assert len(new_ends) == count_new
    old_spans = {start: (number, end) for number, (start, end) in enumerate(spans_of(old_ends))}
    new_spans = spans_of(new_ends)
    copied_starts = [start for start, _end, _old in copied]
    reused: list[int | None] = []
    for start, end in new_spans:
        at = bisect_right(copied_starts, start) - 1
        number = None
        if at >= 0 and end <= copied[at][1]:
            old_start = start - copied[at][0] + copied[at][2]
            number, old_end = old_spans.get(old_start, (None, None))
            if number is not None and old_end - old_start != end - start:
                number = None
        reused.append(number)
    return new_spans, reused


def _old_manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def ids_by_kind(kinds: list[str], ids: list[str]) -> dict[str, set[str]]:
    """The old rows' ids by kind. Rows in subject order come grouped by kind (a subject is
    ``<{base}id/{kind}/{id}>``), so each kind is one slice."""
    grouped: dict[str, set[str]] = {}
    start = 0
    while start < len(kinds):
        kind = kinds[start]
        end = start + kinds.count(kind)
        if kinds[end - 1] != kind or kind in grouped:
            raise ValueError("the index's rows are not in subject order")
        grouped[kind] = set(ids[start:end])
        start = end
    return grouped


@dataclass
class OldRows:
    """What a rebuild works out from the old rows alone, before it knows what changed: a dozen
    maps and lists of as many entries as there are records. Made once for a set of rows and kept
    with them in a Memory (see old_rows()): `dangjian build --watch` makes them while it waits
    for the next change, and its rebuild finds them ready. Never changed."""

    columns: Columns
    position_of: dict[str, int]  # each row's position, by file as shown
    known: dict[str, tuple]  # each file's signature, as shown
    ends: list[bool]  # whether a gzip member ends after each row
    shown_by_id: dict[str, str]
    kind_of_id: dict[str, str]
    tombstones: dict[str, str | None]  # with the id that replaced each, or None
    ids_by_kind: dict[str, set[str]]
    references: ReferencesText

    @classmethod
    def of(cls, columns: Columns) -> "OldRows":
        ids, kinds = columns.id, columns.kind
        return cls(columns, dict(zip(columns.shown, count())), dict(zip(columns.shown, columns.signature)),
                   member_ends(columns.subject), dict(zip(ids, columns.shown)), dict(zip(ids, kinds)),
                   {ids[i]: columns.replacement[i] for i in compress(count(), columns.tombstone)},
                   ids_by_kind(kinds, ids), ReferencesText(columns))

    def known_beside(self, leaving: set[str]) -> Known:
        """The records the checks know of beside those read again: these rows but the files
        ``leaving`` (changed, removed, or read again), in copies (these maps are never changed)."""
        ids, kinds = self.columns.id, self.columns.kind
        claimed, kind_of_id, tombstones = self.shown_by_id.copy(), self.kind_of_id.copy(), self.tombstones.copy()
        by_kind = {kind: ids_of_kind.copy() for kind, ids_of_kind in self.ids_by_kind.items()}
        for i in (self.position_of[shown] for shown in leaving if shown in self.position_of):
            del claimed[ids[i]], kind_of_id[ids[i]]
            tombstones.pop(ids[i], None)
            by_kind[kinds[i]].discard(ids[i])
        return Known(claimed, Directory.of_kinds(kind_of_id, tombstones, by_kind))


def old_rows(columns: Columns, memory: Memory | None = None) -> OldRows | None:
    """The OldRows of ``columns``, made unless ``memory`` holds them already (made of the very same
    columns); None when the rows are not in subject order."""
    if memory is not None and memory.old_rows is not None and memory.old_rows.columns is columns:
        return memory.old_rows
    try:
        made = OldRows.of(columns)
    except ValueError:
        return None
    if memory is not None and memory.columns is columns:
        memory.old_rows = made
    return made


def prepare(project: Project, memory: Memory) -> None:
    """Make ready in ``memory`` what the next rebuild would first work out from the index (see
    OldRows), while nothing else is waiting (`dangjian build --watch`)."""
    index = BuildIndex(project, memory)
    meta = index.meta()
    old = index.ordered_columns(meta) if meta.get("manifest") else None
    if old is not None:
        old_rows(old, memory)


def splice_pieces(name: str, segments: list[tuple], lengths: list[int], blocks: dict, old_path: Path, old_head: int) -> list:
    """The new dump as pieces: the new rows' blocks, and runs of unchanged records' blocks
    copied from the old file (see splice_plan()); ``lengths``: the old blocks' lengths in this
    dump, in order. The work is proportional to the changes, not to the records."""
    jsonld = name == "dangjian.jsonld"
    offsets = list(accumulate(lengths, initial=old_head))  # offsets[i]: where old block i starts
    count_old = len(lengths)
    pieces: list = []
    last = len(segments) - 1
    for number, segment in enumerate(segments):
        final = number == last
        if segment[0] == "new":
            text = getattr(blocks[segment[1].shown], _ATTRIBUTE[name])
            pieces.append(text[:-2] + b"\n" if jsonld and final else text)
            continue
        _, i, j = segment
        start, end = offsets[i], offsets[j]
        if jsonld and j == count_old:
            end -= 1  # the old file's last block has no comma
        if not jsonld or final == (j == count_old):
            pieces.append((old_path, start, end - start))
        elif final:  # an old block that now ends the document: drop its comma
            pieces += [(old_path, start, end - start - 2), "\n"]
        else:  # the old last block, no longer last: give it its comma
            pieces += [(old_path, start, end - start - 1), ",\n"]
    return pieces


_ATTRIBUTE = {"dangjian.ttl": "turtle", "dangjian.nt": "ntriples", "dangjian.jsonld": "jsonld"}
