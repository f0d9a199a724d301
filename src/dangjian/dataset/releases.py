"""Releases: frozen lists of every published record URI, each with a hash of what it said.

``releases/{VERSION}/manifest.json`` (committed with the records) lists each record URI of a
release with the SHA-256 of its own statements (the sorted N-Triples lines of the record and
the nodes it owns) and each dump with its size and hash; the dumps themselves are kept in
``dist/releases/{VERSION}/``. Validation then checks that every URI of every release still has
a record or a tombstone (:mod:`dangjian.checks.releases`), and ``dangjian diff`` compares them.
"""

from __future__ import annotations

import hashlib
import json
import re

from ..model.rdfterms import as_tuples
from ..records.releases import releases
from ..settings import Project

WORKING = "working"
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}\Z")


def valid_version(version: str) -> bool:
    return bool(_VERSION.match(version)) and version != WORKING and ".." not in version


def statement_lines(triples) -> list[str]:
    return sorted({f"{s} {p} {o} .\n" for s, p, o in as_tuples(triples)})


def record_hashes(processed, ontology) -> dict[str, str]:
    """Each record URI (live or tombstone) with the SHA-256 of its own statements: the sorted
    N-Triples lines the build made from its file (the nodes it owns included)."""
    return {p.subject[1:-1]: hashlib.sha256(p.ntriples).hexdigest() for p in processed}


def relative_uri(iri: str, base: str) -> str:
    """id/place/anhui: a URI with its base taken off, so that releases compare across bases."""
    return iri[len(base):] if iri.startswith(base) else iri


def dataset_version(project: Project, hashes: dict[str, str], base: str) -> tuple[str, str | None, str | None]:
    """(version, issued, previous) of the working tree: the latest release's own when nothing
    changed since it, else ``{latest}+dev`` (``unreleased`` before the first release)."""
    known = releases(project)
    if not known:
        return "unreleased", None, None
    latest = known[-1]
    ours = {relative_uri(iri, base): h for iri, h in hashes.items()}
    theirs = {relative_uri(iri, latest.base): h for iri, h in latest.uris.items()}
    if ours == theirs:
        previous = known[-2].version if len(known) > 1 else None
        return latest.version, latest.data.get("issued"), previous
    return f"{latest.version}+dev", None, latest.version


def write_release_manifest(facts: dict, files: dict[str, bytes], hashes: dict[str, str]) -> bytes:
    listing = {name: {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
               for name, content in sorted(files.items())}
    data = {**facts, "files": listing, "uris": dict(sorted(hashes.items()))}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
