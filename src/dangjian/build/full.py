"""Build: validate every record, then publish the knowledge base to dist/ in one step; or, when
only a few records changed since the last build, splice it (:mod:`.rebuild`)."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

from ..dataset.manifest import write_manifest
from ..dataset.releases import dataset_version, record_hashes
from ..dataset.void import DOWNLOADS, write_void
from ..model.ontology import Ontology
from ..pipeline.process import Processed
from ..records.releases import releases
from ..settings import Project
from .bulk import BULK_DUMPS
from .index import DUMPS, BuildIndex, Columns, Memory, fingerprint, index_columns, signature_digest, signatures
from .outputs import (RELEASES_FOLDER, SITE_FOLDER, dataset_facts, dump_heads, kept_releases, manifest_facts_of, outputs,
                      release_time)
from .rebuild import quick_rebuild
from .report import BuildFailed, BuildReport
from .staging import staged
from .tuning import collection_paused
from .validate import start_checks, validate_project

__all__ = ["BuildFailed", "BuildReport", "build", "validate_project"]


def build(project: Project, ontology: Ontology | None = None, out: Path | None = None, on_wait=None, progress=None,
          site: bool = False, release: tuple[str, str] | None = None, scanned: tuple | None = None,
          memory: Memory | None = None, allow_empty: bool = False) -> BuildReport:
    """Validate and publish; ``site`` adds the static site under site/; ``release`` is
    (version, date) for `dangjian release`, whose dumps go to releases/{version}/ too.
    ``scanned``: the records' signatures as the command read them just before (see
    :func:`dangjian.build.index.current_manifest`), not read again; ``memory``: what a process
    that stays keeps between builds (:class:`dangjian.build.index.Memory`). No record at all
    fails the build, unless ``allow_empty``."""
    with collection_paused():
        return _build(project, ontology, out, on_wait, progress, site, release, scanned, memory, allow_empty)


def _build(project: Project, ontology: Ontology | None, out: Path | None, on_wait, progress, site: bool,
           release: tuple[str, str] | None, scanned: tuple | None, memory: Memory | None,
           allow_empty: bool = False) -> BuildReport:
    started = time.perf_counter()
    ontology = ontology or Ontology(project.ontology)
    out = out or project.dist
    if out.resolve() == project.dist.resolve() and not site and not release:
        quick = quick_rebuild(project, ontology, out, on_wait, scanned, memory)
        if quick is not None:
            return quick
    index = BuildIndex(project, memory)
    index.forget()  # until this build is in place, no rebuild may splice the old dumps
    current, _clean = signatures(project, ontology.kinds_by_folder, scanned)
    indexed = out.resolve() == project.dist.resolve()

    checking = start_checks(project, ontology, render=True, progress=progress, allow_empty=allow_empty)
    hashes, columns = None, None
    if not checking.found_problems:
        # What the build needs from the records but not their verdict, made while SHACL works
        # (with a problem found already, it would be for nothing).
        hashes = record_hashes(checking.kept, ontology)
        columns = index_columns(checking.kept, current, ontology, hashes) if indexed else None
    verdict = checking.verdict()
    if not verdict.valid:
        raise BuildFailed(verdict)
    hashes = hashes if hashes is not None else record_hashes(verdict.processed, ontology)
    if release:
        earlier = [r.version for r in releases(project) if r.version != release[0]]
        version, issued, previous = release[0], release[1], (earlier[-1] if earlier else None)
    else:
        version, issued, previous = dataset_version(project, hashes, ontology.base)
    tombstones = sum(1 for r in verdict.records if ontology.is_tombstone(r.data))
    by_kind = dict(sorted(Counter(r.kind.name for r in verdict.records if not ontology.is_tombstone(r.data)).items()))
    facts = dataset_facts(ontology, version, issued, previous, by_kind, tombstones, verdict.mapped.triples)
    kept = kept_releases(out)

    def record_in_index():
        manifest = staging.written["manifest.json"].sha256
        members = {name: written[name].lengths for name in BULK_DUMPS}
        write_index(index, project, ontology, verdict.processed, current, version, manifest, hashes, members, columns)

    with staged(out, on_wait=on_wait, after=record_in_index if indexed else None) as staging:
        written = outputs(verdict.processed, ontology, version)
        for name, pieces in written.items():
            staging.write(name, pieces)
        first = next((p.subject[1:-1] for p in verdict.processed if not ontology.is_tombstone(p.record.data)), None)
        staging.write("void.ttl", write_void(ontology, facts, dict(staging.written), first))
        dumps = {name: (staging.folder / name).read_bytes() for name in (*DOWNLOADS, "void.ttl")} if (release or site) else {}
        for name, content in kept.items():
            if not (release and name.startswith(f"{RELEASES_FOLDER}/{version}/")):
                staging.write(name, content)
        if release:
            for name, content in dumps.items():
                staging.write(f"{RELEASES_FOLDER}/{version}/{name}", content)
        if site:
            releases_written = {name: (staging.folder / name).read_bytes() for name in staging.written if name.startswith(f"{RELEASES_FOLDER}/")}
            released = release_time(issued)
            for name, content in static_site(ontology, facts, dumps, releases_written).items():
                staging.write(f"{SITE_FOLDER}/{name}", content)
                if released is not None:  # what nginx and Apache send as Last-Modified
                    os.utime(staging.folder / SITE_FOLDER / name, (released, released))
        staging.write("manifest.json", write_manifest(dict(staging.written), manifest_facts_of(facts)))
    sizes = {name: w.bytes for name, w in staging.written.items()}
    report = BuildReport(verdict, out, sizes, by_kind, verdict.mapped.triples, time.perf_counter() - started)
    report.version, report.tombstones, report.hashes, report.facts = version, tombstones, hashes, facts
    return report


def static_site(ontology: Ontology, facts: dict, dumps: dict[str, bytes], releases_written: dict[str, bytes]) -> dict[str, bytes]:
    """The static site's files, from the dumps just written."""
    # Imported here, not above: only --site needs the pages and their templates, and a build
    # without it does not load them.
    from ..dataset.graph import Graph
    from ..site.static import site_files

    graph = Graph.from_ntriples(dumps["dangjian.nt"], ontology)
    return site_files(graph, ontology, facts, dumps, releases_written)


def write_index(index: BuildIndex, project: Project, ontology: Ontology, processed: list[Processed],
                current: dict[str, tuple], version: str, manifest: str, hashes: dict[str, str], members: dict | None = None,
                columns: Columns | None = None) -> None:
    """Record what this build published, so that the next can splice it; ``processed``: the
    records, in subject order (as the dumps); ``hashes``: those of record_hashes(), not made
    again; ``members``: the lengths of the bulk dumps' gzip members; ``columns``:
    index_columns() of the records, when made already."""
    if any(item.shown not in current for item in processed):
        return  # a file appeared during the build: the next build is a full one
    heads = dump_heads(ontology, version)
    meta = {"fingerprint": fingerprint(project, ontology.base), "manifest": manifest,
            "folders": json.dumps(sorted(ontology.kinds_by_folder)), "signatures": signature_digest(current),
            "members": json.dumps(members or {}),
            **{f"head:{name}": str(len(heads[name].encode("utf-8"))) for name in DUMPS}}
    index.write(meta, replace=True, columns=columns or index_columns(processed, current, ontology, hashes))
