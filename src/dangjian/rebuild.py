"""The quick rebuild: when a few records changed since the last build, read and check only what
they touch, and splice the dumps (see :mod:`dangjian.incremental` for why that is safe)."""

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

from .build import (DATASET_DESCRIPTION, DATASET_NAME, RELEASES_FOLDER, BuildFailed, BuildReport, dump_heads,
                    manifest_facts_of)
from .cite import DATASET_AUTHOR
from .incremental import (DUMPS, HASH, ID, KIND, MOST_CHANGES, ORDERED_COLUMNS, REPLACEMENT, SHOWN, SIGNATURE, SUBJECT,
                          TOMBSTONE, TRIPLES, BuildIndex, ReferencesText, fingerprint, forget_kept_index, index_rows,
                          manifest_hash, referrers, signature_digest, signatures, splice_plan, spliced_columns)
from .load.companions import TextsOnDemand
from .load.records import IdRegister
from .map import Mapped
from .ontology import Ontology
from .process import process_files
from .publish.bulk import BULK_DUMPS, member_ends, ends_member, piece_lengths, spans_of, spliced_bulk_dumps
from .publish.dist import Written, build_lock, staged
from .publish.jsonld import JSONLD_TAIL
from .publish.manifest import write_manifest
from .publish.nquads import release_graph
from .publish.void import write_void
from .releases import dataset_version, releases
from .settings import Project
from .validate import Verdict, facts_problems, first_word_wins, gather
from .validate.hierarchy import check_hierarchy
from .validate.references import Directory, check_references
from .validate.releases import check_releases
from .validate.shacl import check_shapes

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
NT_LENGTH = ORDERED_COLUMNS.index("dangjian.nt")


def quick_rebuild(project: Project, ontology: Ontology, out: Path, on_wait=None, scanned: tuple | None = None) -> BuildReport | None:
    """A spliced rebuild, or None when a full build is needed. It holds the build lock
    throughout: it reads the dumps another build could be replacing."""
    with build_lock(out.parent, on_wait):
        return _quick_rebuild(project, ontology, out, scanned)


def _quick_rebuild(project: Project, ontology: Ontology, out: Path, scanned: tuple | None = None) -> BuildReport | None:
    started = time.perf_counter()
    index = BuildIndex(project)
    meta = index.meta()
    if not meta or meta.get("manifest") != manifest_hash(out) or meta.get("fingerprint") != fingerprint(project, ontology.base):
        return None
    current, clean = signatures(project, ontology.kinds_by_folder, scanned)
    if not clean:
        return None
    # The old rows stay columns throughout: a hundred thousand rows made tuples, looped over
    # and made columns again cost more than all the rest of a one-record rebuild.
    old = index.ordered_columns(meta)
    if old is None:
        return None
    rows = old_rows(old)
    if rows is None:
        return None  # rows out of order: not an index a rebuild can trust
    position_of, known = rows.position_of, rows.known
    # Which files are new or differ, in C loops (0.06 s at 100,000 files; a loop in Python or a
    # set difference of the (file, signature) pairs took 0.1 s).
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
    naming = [old[SHOWN][i] for i in referrers(old, {old[SUBJECT][i] for i in gone}, rows.references)]
    naming = sorted(set(naming) - replaced)
    items = [(project.root / shown, ontology.kinds_by_folder[Path(shown).parent.name], shown) for shown in (*changed, *naming)]
    processed = process_files(items, ontology, ontology.output_prefixes, render=True, texts=TextsOnDemand(project, ontology))
    verdict = check_some(project, ontology, processed, rows, replaced)
    if not verdict.valid:
        raise BuildFailed(verdict)

    blocks = {item.shown: item for item in processed if item.shown in replaced}
    fresh = index_rows(list(blocks.values()), current, ontology)
    segments = splice_plan(old[SUBJECT], gone, fresh)
    new = spliced_columns(old, segments)

    live = [not tombstone for tombstone in new[TOMBSTONE]]
    by_kind = dict(sorted(Counter(compress(new[KIND], live)).items()))
    triples = sum(new[TRIPLES])
    hashes = {subject[1:-1]: digest for subject, digest in zip(new[SUBJECT], new[HASH])} if releases(project) else {}
    version, issued, previous = dataset_version(project, hashes, ontology.base)
    tombstones = len(live) - sum(live)
    facts = {"dataset": DATASET_NAME, "version": version, "issued": issued, "previous": previous, "base": ontology.base,
             "records": by_kind, "tombstones": tombstones, "triples": triples,
             "description": DATASET_DESCRIPTION, "creator": DATASET_AUTHOR}
    heads = dump_heads(ontology, version)
    old_manifest = _old_manifest(out)

    def splice(name: str) -> None:
        column = ORDERED_COLUMNS.index(name)
        pieces = splice_pieces(name, segments, old[column], blocks, out / name, int(meta[f"head:{name}"]))
        staging.splice(name, heads[name], pieces, JSONLD_TAIL if name == "dangjian.jsonld" else "")

    with staged(out, locked=True) as staging, ThreadPoolExecutor(3) as threads:
        # Each dump in a thread of its own: copying, hashing and writing hundreds of megabytes
        # let go of the interpreter, so two cores share the work, and this thread finds the runs
        # of the bulk dumps meanwhile.
        spliced = {name: threads.submit(splice, name) for name in DUMPS}
        nt_offsets = list(accumulate(new[NT_LENGTH], initial=len(heads["dangjian.nt"].encode("utf-8"))))
        new_spans, reused = member_runs(old_ends, segments, len(new[SUBJECT]))
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
        first = next(compress(new[SUBJECT], live), None)
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
            new_ends.append(ends_member(segment[1][SUBJECT]))
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


def report_of_dist(out: Path, started: float, changed: int | None = 0) -> BuildReport:
    """The report of the build in ``out``, as its manifest tells (``changed``: see BuildReport)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    report = BuildReport(Verdict([], None, []), out, {n: f["bytes"] for n, f in manifest["files"].items()},
                         manifest["records"], manifest["triples"], time.perf_counter() - started)
    report.version, report.tombstones = manifest.get("version", ""), manifest.get("tombstones", 0)
    report.changed = changed
    return report


def _old_manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def check_some(project: Project, ontology: Ontology, processed, rows: "OldRows", replaced: set[str]) -> Verdict:
    """Validate the records read again, against every record there is (``rows``: the old ones)."""
    mapped = Mapped(ontology)
    register = IdRegister(ontology.id_key)
    position_of = rows.position_of
    leaving = {position_of[shown] for shown in replaced | {item.shown for item in processed} if shown in position_of}
    ids, kinds = rows.columns[ID], rows.columns[KIND]
    # Copies: what is made once for the old rows is never changed.
    unchanged, kind_of_id, tombstones = rows.shown_by_id.copy(), rows.kind_of_id.copy(), rows.tombstones.copy()
    by_kind = {kind: ids_of_kind.copy() for kind, ids_of_kind in rows.ids_by_kind.items()}
    for i in leaving:
        del unchanged[ids[i]], kind_of_id[ids[i]]
        tombstones.pop(ids[i], None)
        by_kind[kinds[i]].discard(ids[i])
    register.first = _Claimed(unchanged)
    problems, unreadable, kept = gather(processed, mapped, register)
    own = Directory.of(mapped, ontology)
    directory = Directory.of_kinds(kind_of_id, tombstones, by_kind)
    for kind, own_ids in own.ids_by_kind.items():
        directory.ids_by_kind.setdefault(kind, set()).update(own_ids)
        directory.kind_of_id.update((record_id, kind) for record_id in own_ids)
    directory.tombstones.update(own.tombstones)
    reference_problems, flagged = check_references(mapped, ontology, unreadable, directory)
    # The records named from outside the set exist (or the reference check said otherwise): a
    # statement of their class is all SHACL needs of them. Results about them are not asked for.
    outside = set()
    for _s, _p, o in mapped.references:
        split = ontology.split_record_iri(o[1:-1]) if o not in mapped.records else None
        if split and split[1] in directory.ids_by_kind.get(split[0], ()):
            outside.add((o, split[0]))
    extra = "".join(f"{o} {RDF_TYPE} <{ontology.kinds[kind].class_iri}> .\n" for o, kind in sorted(outside))
    checked = {item.shown for item in kept}
    shacl_problems = [p for p in check_shapes(mapped, ontology, flagged, extra=extra) if p.path in checked]
    released = []
    if releases(project):
        present = {(kind, record_id) for kind, ids in directory.ids_by_kind.items() for record_id in ids}
        released = check_releases(project, present, ontology)
    problems = first_word_wins(problems + reference_problems + shacl_problems + released)
    # Against their sources, as in a full validation: the records read again include every amount
    # of a source whose capture or text changed, since they name it.
    problems += check_hierarchy(mapped, ontology, project) + facts_problems(project, mapped, ontology, {p.path for p in problems})
    kept.sort(key=lambda item: item.subject)
    return Verdict([item.record for item in kept], mapped, sorted(set(problems)), kept)


class _Stub:
    """An unchanged record, as the id register needs it: where its id is claimed."""

    def __init__(self, shown: str):
        self.shown_path = shown


class _Claimed(dict):
    """The id register's claims: the records read again, and the unchanged records' ids (each
    made a _Stub only when asked: a hundred thousand objects cost more than the whole check)."""

    def __init__(self, unchanged: dict[str, str]):
        super().__init__()
        self.unchanged = unchanged

    def get(self, record_id, default=None):
        found = super().get(record_id)
        if found is None and record_id in self.unchanged:
            return _Stub(self.unchanged[record_id])
        return default if found is None else found


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
    maps and lists of a hundred thousand entries each, 0.15-0.2 s at 100,000 records. Made once
    for a set of rows and kept with them (see old_rows()): `dangjian build --watch` makes them
    while it waits for the next change, and its rebuild finds them ready. Never changed."""

    columns: list[list]
    position_of: dict[str, int]  # each row's position, by file as shown
    known: dict[str, tuple]  # each file's signature, as shown
    ends: list[bool]  # whether a gzip member ends after each row
    shown_by_id: dict[str, str]
    kind_of_id: dict[str, str]
    tombstones: dict[str, str | None]  # with the id that replaced each, or None
    ids_by_kind: dict[str, set[str]]
    references: ReferencesText

    @classmethod
    def of(cls, columns: list[list]) -> "OldRows":
        ids, kinds = columns[ID], columns[KIND]
        return cls(columns, dict(zip(columns[SHOWN], count())), dict(zip(columns[SHOWN], columns[SIGNATURE])),
                   member_ends(columns[SUBJECT]), dict(zip(ids, columns[SHOWN])), dict(zip(ids, kinds)),
                   {ids[i]: columns[REPLACEMENT][i] for i in compress(count(), columns[TOMBSTONE])},
                   ids_by_kind(kinds, ids), ReferencesText(columns))


_old_rows: list[OldRows] = []  # those of the rows last asked for


def old_rows(columns: list[list]) -> OldRows | None:
    """The OldRows of ``columns``, made unless they are those last asked for (the very same lists);
    None when the rows are not in subject order."""
    if not _old_rows or _old_rows[0].columns is not columns:
        try:
            made = OldRows.of(columns)
        except ValueError:
            return None
        _old_rows[:] = [made]
    return _old_rows[0]


def forget_rows() -> None:
    """Let go of the rows kept in memory (see BuildIndex._keep and old_rows())."""
    _old_rows.clear()
    forget_kept_index()


def prepare(project: Project) -> None:
    """Make ready what the next rebuild would first work out from the index (see OldRows), while
    nothing else is waiting (`dangjian build --watch`)."""
    index = BuildIndex(project)
    meta = index.meta()
    old = index.ordered_columns(meta) if meta.get("manifest") else None
    if old is not None:
        old_rows(old)


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
            text = getattr(blocks[segment[1][SHOWN]], _ATTRIBUTE[name])
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
