"""The quick rebuild: when a few records changed since the last build, read and check only what
they touch, and splice the dumps (see :mod:`dangjian.incremental` for why that is safe)."""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from itertools import accumulate
from pathlib import Path

from .build import (DATASET_DESCRIPTION, DATASET_NAME, RELEASES_FOLDER, BuildFailed, BuildReport, dump_heads,
                    manifest_facts_of)
from .cite import DATASET_AUTHOR
from .incremental import (DUMPS, HASH, ID, KIND, MOST_CHANGES, ORDERED_COLUMNS, REPLACEMENT, SHOWN, SIGNATURE, SUBJECT,
                          TOMBSTONE, TRIPLES, BuildIndex, as_ordered, columns_of, fingerprint, manifest_hash, referrers,
                          row_of, signature_digest, signatures)
from .load.companions import TextsOnDemand
from .load.records import IdRegister
from .map import Mapped
from .ontology import Ontology
from .process import process_files
from .publish.bulk import BULK_DUMPS, piece_lengths, spliced_bulk_dumps
from .publish.dist import Written, build_lock, staged
from .publish.jsonld import JSONLD_TAIL
from .publish.manifest import write_manifest
from .publish.nquads import release_graph
from .publish.void import write_void
from .releases import dataset_version, releases
from .settings import Project
from .validate import Verdict, first_word_wins
from .validate.amounts import check_amounts
from .validate.hierarchy import check_hierarchy
from .validate.references import Directory, check_references
from .validate.releases import check_releases
from .validate.shacl import check_shapes
from .validate.sources import check_sources

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
    old_rows = index.ordered_rows(meta)
    if old_rows is None:
        return None
    known = {row[SHOWN]: row[SIGNATURE] for row in old_rows}
    changed = sorted(shown for shown, signature in current.items() if known.get(shown) != signature)
    removed = {shown for shown in known if shown not in current}
    if not changed and not removed:
        return unchanged_report(out, started)
    if len(changed) + len(removed) > max(50, MOST_CHANGES * len(known)):
        return None
    old_members = json.loads(meta.get("members") or "{}")
    if sorted(old_members) != sorted(BULK_DUMPS):
        return None  # an index from before the bulk dumps came in members
    replaced = set(changed) | removed

    # What to read again: the changed records, and the records that name a changed or removed one.
    touched = {row[SUBJECT] for row in old_rows if row[SHOWN] in replaced}
    naming = sorted(referrers(old_rows, touched) - replaced)
    items = [(project.root / shown, ontology.kinds_by_folder[Path(shown).parent.name], shown) for shown in (*changed, *naming)]
    processed = process_files(items, ontology, ontology.output_prefixes, render=True, texts=TextsOnDemand(project, ontology))
    verdict = check_some(project, ontology, processed, old_rows, replaced)
    if not verdict.valid:
        raise BuildFailed(verdict)

    fresh = {}
    for item in processed:
        if item.shown in replaced:
            tombstone = ontology.is_tombstone(item.record.data)
            fresh[item.shown] = row_of(item, current[item.shown], ontology, tombstone,
                                       ontology.replacement_of(item.record.data) if tombstone else None)
    new_rows = sorted([row for row in old_rows if row[SHOWN] not in replaced] + [as_ordered(row) for row in fresh.values()],
                      key=lambda row: row[SUBJECT])
    blocks = {item.shown: item for item in processed if item.shown in fresh}

    live = [row for row in new_rows if not row[TOMBSTONE]]
    by_kind = dict(sorted(Counter(row[KIND] for row in live).items()))
    triples = sum(row[TRIPLES] for row in new_rows)
    hashes = {row[SUBJECT][1:-1]: row[HASH] for row in new_rows} if releases(project) else {}
    version, issued, previous = dataset_version(project, hashes, ontology.base)
    facts = {"dataset": DATASET_NAME, "version": version, "issued": issued, "previous": previous, "base": ontology.base,
             "records": by_kind, "tombstones": len(new_rows) - len(live), "triples": triples,
             "description": DATASET_DESCRIPTION, "creator": DATASET_AUTHOR}
    heads = dump_heads(ontology, version)
    old_manifest = _old_manifest(out)
    def splice(name: str) -> None:
        pieces = splice_pieces(name, old_rows, new_rows, replaced, blocks, out / name, int(meta[f"head:{name}"]))
        staging.splice(name, heads[name], pieces, JSONLD_TAIL if name == "dangjian.jsonld" else "")

    with staged(out, locked=True) as staging, ThreadPoolExecutor(2) as threads:
        # Each dump in a thread of its own: copying, hashing and writing hundreds of megabytes
        # let go of the interpreter, so two cores share the work.
        others = [threads.submit(splice, name) for name in DUMPS if name != "dangjian.nt"]
        splice("dangjian.nt")  # the bulk dumps' changed members are compressed from it
        nt_offsets = list(accumulate((row[NT_LENGTH] for row in new_rows), initial=len(heads["dangjian.nt"].encode("utf-8"))))
        bulk = spliced_bulk_dumps(old_members, out, [row[SUBJECT] for row in old_rows], old_manifest["graph"],
                                  [row[SUBJECT] for row in new_rows], {i for i, row in enumerate(new_rows) if row[SHOWN] in blocks},
                                  nt_offsets, staging.folder / "dangjian.nt", release_graph(ontology.base, version))
        for name, pieces in bulk.items():
            staging.splice(name, "", pieces)
        for done in others:
            done.result()
        for name, facts_of_file in old_manifest["files"].items():
            if name in DUMPS or name in ("void.ttl", "manifest.json") or not (out / name).is_file():
                continue
            if name.startswith(f"{RELEASES_FOLDER}/") or name in ("ontology.ttl", "context.jsonld"):
                staging.link(name, out / name, Written(facts_of_file["bytes"], facts_of_file["sha256"]))
        first = live[0][SUBJECT][1:-1] if live else None
        staging.write("void.ttl", write_void(ontology, facts, dict(staging.written), first))
        staging.write("manifest.json", write_manifest(dict(staging.written), manifest_facts_of(facts)))
    members = {name: piece_lengths(pieces) for name, pieces in bulk.items()}
    index.write({"manifest": staging.written["manifest.json"].sha256, "signatures": signature_digest(current),
                 "members": json.dumps(members), **{f"head:{n}": str(len(heads[n].encode())) for n in DUMPS}},
                replace=False, columns=columns_of(new_rows))
    report = BuildReport(verdict, out, {n: w.bytes for n, w in staging.written.items()}, by_kind, triples,
                         time.perf_counter() - started)
    report.version, report.tombstones, report.facts = version, facts["tombstones"], facts
    report.hashes = hashes
    report.changed = len(changed) + len(removed)
    return report


def unchanged_report(out: Path, started: float) -> BuildReport:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    report = BuildReport(Verdict([], None, []), out, {n: f["bytes"] for n, f in manifest["files"].items()},
                         manifest["records"], manifest["triples"], time.perf_counter() - started)
    report.version, report.tombstones = manifest.get("version", ""), manifest.get("tombstones", 0)
    report.changed = 0
    return report


def _old_manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def check_some(project: Project, ontology: Ontology, processed, old_rows: list[tuple], replaced: set[str]) -> Verdict:
    """Validate the records read again, against every record there is."""
    mapped = Mapped(ontology)
    register = IdRegister(ontology.id_key)
    reread = {item.shown for item in processed}
    others = [row for row in old_rows if row[SHOWN] not in replaced and row[SHOWN] not in reread]
    register.first = _Claimed({row[ID]: row[SHOWN] for row in others})
    problems, unreadable, kept = [], set(), []
    for item in processed:
        problems += item.problems
        if item.record is None:
            unreadable.add((item.kind.name, item.path.stem))
            continue
        taken = register.claim(item.record)
        if taken:
            problems.append(taken)
            continue
        mapped.add(item.subject, item.record, item.references, item.blanks, item.ntriples, item.triples)
        kept.append(item)
    own = Directory.of(mapped, ontology)
    directory = Directory.of_kinds({row[ID]: row[KIND] for row in others},
                                   {row[ID]: row[REPLACEMENT] for row in others if row[TOMBSTONE]})
    for kind, ids in own.ids_by_kind.items():
        directory.ids_by_kind.setdefault(kind, set()).update(ids)
        directory.kind_of_id.update((record_id, kind) for record_id in ids)
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
    troubled = {p.path for p in problems}
    source_problems = check_sources(project, mapped, ontology, troubled)
    troubled |= {p.path for p in source_problems}
    problems += check_hierarchy(mapped, ontology, project) + source_problems + check_amounts(mapped, ontology, troubled)
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


def splice_pieces(name: str, old_rows: list[tuple], new_rows: list[tuple], replaced: set[str], blocks: dict,
                  old_path: Path, old_head: int) -> list:
    """The new dump as pieces: the changed records' new blocks, and runs of unchanged records'
    blocks copied from the old file. Both row lists are in subject order, and differ only where
    records changed, so the work is proportional to the changes, not to the records."""
    from bisect import bisect_left
    from itertools import accumulate

    jsonld = name == "dangjian.jsonld"
    column = ORDERED_COLUMNS.index(name)
    lengths = [row[column] for row in old_rows]
    offsets = list(accumulate(lengths, initial=old_head))  # offsets[i]: where old block i starts
    count = len(old_rows)
    subjects = [row[SUBJECT] for row in old_rows]
    dropped = [i for i, row in enumerate(old_rows) if row[SHOWN] in replaced]
    inserts = [(bisect_left(subjects, row[SUBJECT]), row[SUBJECT], row[SHOWN]) for row in new_rows if row[SHOWN] in blocks]

    # Segments in order: ("old", i, j) for old blocks [i, j), ("new", text).
    segments: list[tuple] = []
    cursor = 0
    events = sorted([(position, 0, shown) for position, _subject, shown in inserts] + [(i, 1, None) for i in dropped])
    for position, kind, shown in events:
        if position > cursor:
            segments.append(("old", cursor, position))
            cursor = position
        if kind == 0:
            segments.append(("new", getattr(blocks[shown], _ATTRIBUTE[name])))
        else:
            cursor = position + 1
    if cursor < count:
        segments.append(("old", cursor, count))

    pieces: list = []
    last = len(segments) - 1
    for number, segment in enumerate(segments):
        final = number == last
        if segment[0] == "new":
            text = segment[1]
            pieces.append(text[:-2] + b"\n" if jsonld and final else text)
            continue
        _, i, j = segment
        start = offsets[i]
        end = offsets[j - 1] + lengths[j - 1]
        if jsonld and j == count:
            end -= 1  # the old file's last block has no comma
        if not jsonld or final == (j == count):
            pieces.append((old_path, start, end - start))
        elif final:  # an old block that now ends the document: drop its comma
            pieces += [(old_path, start, end - start - 2), "\n"]
        else:  # the old last block, no longer last: give it its comma
            pieces += [(old_path, start, end - start - 1), ",\n"]
    return pieces


_ATTRIBUTE = {"dangjian.ttl": "turtle", "dangjian.nt": "ntriples", "dangjian.jsonld": "jsonld"}
