"""The quick rebuild: when a few records changed since the last build, read and check only what
they touch, and splice the dumps (see :mod:`dangjian.incremental` for why that is safe)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from .build import (DATASET_DESCRIPTION, DATASET_NAME, RELEASES_FOLDER, BuildFailed, BuildReport, dump_heads,
                    manifest_facts_of)
from .cite import DATASET_AUTHOR
from .incremental import DUMPS, MOST_CHANGES, BuildIndex, Row, fingerprint, manifest_hash, row_of, signatures
from .load.records import IdRegister
from .map import Mapped
from .ontology import Ontology
from .process import process_files
from .publish.dist import Written, staged
from .publish.jsonld import JSONLD_TAIL
from .publish.manifest import write_manifest
from .publish.void import write_void
from .releases import dataset_version
from .settings import Project
from .validate import Verdict, first_word_wins
from .validate.references import Directory, check_references
from .validate.releases import check_releases
from .validate.shacl import check_shapes

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def quick_rebuild(project: Project, ontology: Ontology, out: Path, on_wait=None) -> BuildReport | None:
    """A spliced rebuild, or None when a full build is needed."""
    started = time.perf_counter()
    index = BuildIndex(project)
    meta = index.meta()
    if not meta or meta.get("manifest") != manifest_hash(out) or meta.get("fingerprint") != fingerprint(project, ontology):
        return None
    current, clean = signatures(project, ontology)
    if not clean:
        return None
    rows = index.rows()
    changed = sorted(shown for shown, signature in current.items() if shown not in rows or rows[shown].signature != signature)
    removed = {shown for shown in rows if shown not in current}
    if not changed and not removed:
        return unchanged_report(rows, out, meta, started)
    if len(changed) + len(removed) > max(50, MOST_CHANGES * len(rows)):
        return None

    # What to read again: the changed records, and the records that name a changed or removed one.
    touched = {rows[s].subject for s in (*changed, *removed) if s in rows}
    gone_or_changed = set(changed) | removed
    referrers = sorted(s for s, row in rows.items()
                       if s not in gone_or_changed and row.refs and not touched.isdisjoint(row.refs.split("\n")))
    items = [(project.root / shown, ontology.kinds_by_folder[Path(shown).parent.name], shown) for shown in (*changed, *referrers)]
    processed = process_files(items, ontology, ontology.output_prefixes, render=True)

    verdict = check_some(project, ontology, processed, rows, set(changed) | removed)
    if not verdict.valid:
        raise BuildFailed(verdict)

    new_rows = {s: row for s, row in rows.items() if s not in removed}
    fresh = {}
    for item in processed:
        if item.shown in changed:
            tombstone = ontology.is_tombstone(item.record.data)
            replacement = ontology.replacement_of(item.record.data) if tombstone else None
            new_rows[item.shown] = fresh[item.shown] = row_of(item, current[item.shown], ontology, tombstone, replacement)
    blocks = {item.shown: item for item in processed if item.shown in changed}
    order = sorted(new_rows.values(), key=lambda r: r.subject)
    old_order = sorted(rows.values(), key=lambda r: r.subject)

    hashes = {row.subject[1:-1]: row.hash for row in order}
    version, issued, previous = dataset_version(project, hashes, ontology.base)
    live = [row for row in order if not row.tombstone]
    by_kind = dict(sorted(Counter(row.kind for row in live).items()))
    triples = sum(row.triples for row in order)
    facts = {"dataset": DATASET_NAME, "version": version, "issued": issued, "previous": previous, "base": ontology.base,
             "records": by_kind, "tombstones": len(order) - len(live), "triples": triples,
             "description": DATASET_DESCRIPTION, "creator": DATASET_AUTHOR}
    heads = dump_heads(ontology, version)
    old_manifest = _old_manifest(out)
    with staged(out, on_wait=on_wait) as staging:
        for name in DUMPS:
            pieces = splice_pieces(name, order, old_order, blocks, out / name, int(meta[f"head:{name}"]))
            staging.splice(name, heads[name], pieces, JSONLD_TAIL if name == "dangjian.jsonld" else "")
        for name, facts_of_file in old_manifest.items():
            if name in DUMPS or name in ("void.ttl", "manifest.json") or not (out / name).is_file():
                continue
            if name.startswith(f"{RELEASES_FOLDER}/") or name in ("ontology.ttl", "context.jsonld"):
                staging.link(name, out / name, Written(facts_of_file["bytes"], facts_of_file["sha256"]))
        first = live[0].subject[1:-1] if live else None
        staging.write("void.ttl", write_void(ontology, facts, dict(staging.written), first))
        staging.write("manifest.json", write_manifest(dict(staging.written), manifest_facts_of(facts)))
    index.write(fresh, removed, {"manifest": manifest_hash(out), **{f"head:{n}": str(len(heads[n].encode())) for n in DUMPS}},
                replace=False)
    report = BuildReport(verdict, out, {n: w.bytes for n, w in staging.written.items()}, by_kind, triples,
                         time.perf_counter() - started)
    report.version, report.tombstones, report.hashes, report.facts = version, facts["tombstones"], hashes, facts
    report.changed = len(changed) + len(removed)
    return report


def unchanged_report(rows: dict[str, Row], out: Path, meta: dict, started: float) -> BuildReport:
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    report = BuildReport(Verdict([], None, []), out, {n: f["bytes"] for n, f in manifest["files"].items()},
                         manifest["records"], manifest["triples"], time.perf_counter() - started)
    report.version, report.tombstones = manifest.get("version", ""), manifest.get("tombstones", 0)
    report.changed = 0
    return report


def _old_manifest(out: Path) -> dict:
    import json

    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]


def check_some(project: Project, ontology: Ontology, processed, rows: dict[str, Row], gone: set[str]) -> Verdict:
    """Validate the records read again, against every record there is."""
    mapped = Mapped(ontology)
    register = IdRegister(ontology.id_key)
    unchanged = {s: row for s, row in rows.items() if s not in gone}
    for row in unchanged.values():
        if row.shown not in {p.shown for p in processed}:
            register.first[row.id] = _Stub(row.shown)
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
    reread = {p.shown for p in kept}
    entries = [(row.kind, row.id, row.tombstone, row.replacement) for row in unchanged.values() if row.shown not in reread]
    directory = Directory(entries)
    own = Directory.of(mapped, ontology)
    for kind, ids in own.ids_by_kind.items():
        for record_id in ids:
            directory.ids_by_kind.setdefault(kind, set()).add(record_id)
            directory.kind_of_id[record_id] = kind
    directory.tombstones.update(own.tombstones)
    reference_problems, flagged = check_references(mapped, ontology, unreadable, directory)
    # The records named from outside the set exist (or the reference check said otherwise): a
    # statement of their class is all SHACL needs of them. Results about them are not asked for.
    subjects = {f"<{ontology.record_iri(kind, record_id)}>": kind for kind, ids in directory.ids_by_kind.items() for record_id in ids}
    outside = {o for _s, _p, o in mapped.references if o in subjects and o not in mapped.records}
    extra = "".join(f"{o} {RDF_TYPE} <{ontology.kinds[subjects[o]].class_iri}> .\n" for o in sorted(outside))
    shacl_problems = [p for p in check_shapes(mapped, ontology, flagged, extra=extra) if p.path in reread]
    present = {(kind, record_id) for kind, ids in directory.ids_by_kind.items() for record_id in ids}
    problems = first_word_wins(problems + reference_problems + shacl_problems + check_releases(project, present, ontology))
    kept.sort(key=lambda item: item.subject)
    return Verdict([item.record for item in kept], mapped, sorted(set(problems)), kept)


class _Stub:
    """An unchanged record, as the id register needs it: where its id is claimed."""

    def __init__(self, shown: str):
        self.shown_path = shown


def splice_pieces(name: str, order: list[Row], old_order: list[Row], blocks: dict, old_path: Path, old_head: int) -> list:
    """The new dump as pieces: new blocks, and runs of old blocks copied from the old file."""
    jsonld = name == "dangjian.jsonld"
    attribute = {"dangjian.ttl": "turtle", "dangjian.nt": "ntriples", "dangjian.jsonld": "jsonld"}[name]
    offsets, position = {}, old_head
    for row in old_order:
        offsets[row.shown] = position
        position += row.lengths()[name]
    old_last = old_order[-1].shown if old_order else None
    pieces: list = []
    run: list[int] | None = None  # [start, end) in the old file

    def flush():
        nonlocal run
        if run is not None:
            pieces.append((old_path, run[0], run[1] - run[0]))
            run = None

    last = len(order) - 1
    for number, row in enumerate(order):
        if row.shown in blocks:
            flush()
            block = getattr(blocks[row.shown], attribute)
            pieces.append(block[:-2] + "\n" if jsonld and number == last else block)
            continue
        start, length = offsets[row.shown], row.lengths()[name]
        if jsonld:
            has_comma, wants_comma = row.shown != old_last, number != last
            if not has_comma:
                length -= 1  # the last block of the old file has no comma
            if has_comma != wants_comma:
                flush()
                pieces += [(old_path, start, length - 2), "\n"] if has_comma else [(old_path, start, length - 1), ",\n"]
                continue
        if run is not None and run[1] == start:
            run[1] = start + length
        else:
            flush()
            run = [start, start + length]
    flush()
    return pieces
