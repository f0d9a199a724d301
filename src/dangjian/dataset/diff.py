"""Compare two versions of the dataset, record by record: added, removed, changed, and for
each changed record the statements that went and came.

A version is a release (its manifest, and its dump in dist/releases/{VERSION}/ when present)
or the working tree (the records as they are now, validated and mapped, not yet published).
Without a release's dump, changes are found from the manifest's hashes, without statements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph
from pyoxigraph import Triple

from ..checks.run import Verdict
from .graph import Graph
from ..model.ontology import Ontology
from ..records.releases import releases
from .releases import WORKING, record_hashes, relative_uri, statement_lines
from ..settings import Project


class DiffError(Exception):
    """A version that cannot be read; the message says why."""


@dataclass
class Side:
    name: str
    base: str
    hashes: dict[str, str]  # relative URI -> hash
    graph: Graph | None = None  # None: hashes only

    def lines(self, relative: str) -> list[str] | None:
        if self.graph is None:
            return None
        return statement_lines(self.graph.own(self.base + relative))


@dataclass
class Change:
    uri: str
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    statements_known: bool = True


@dataclass
class Diff:
    old: str
    new: str
    added: list[str]
    removed: list[str]
    changed: list[Change]


def side(project: Project, ontology: Ontology, name: str, working: Callable[[], Verdict]) -> Side:
    if name == WORKING:
        verdict = working()
        if not verdict.valid:
            raise DiffError(f"the working tree has {len(verdict.problems)} problems; run `dangjian validate` and fix them first")
        hashes = record_hashes(verdict.processed, ontology)
        graph = Graph.from_ntriples(b"".join(p.ntriples for p in verdict.processed), ontology)  # what a build would publish
        return Side(name, ontology.base, {relative_uri(i, ontology.base): h for i, h in hashes.items()}, graph)
    found = {r.version: r for r in releases(project)}
    if name not in found:
        known = ", ".join(found) or "none yet"
        raise DiffError(f"no release `{name}` (releases: {known}; or `{WORKING}` for the working tree)")
    release = found[name]
    hashes = {relative_uri(uri, release.base): h for uri, h in release.uris.items()}
    dump = project.dist / "releases" / name / "dangjian.nt"
    graph = None
    if dump.is_file():
        triples = [Triple(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(path=str(dump), format=pyoxigraph.RdfFormat.N_TRIPLES)]
        graph = Graph(triples, Ontology(project.ontology, base=release.base))
    return Side(name, release.base, hashes, graph)


def diff(project: Project, ontology: Ontology, old_name: str, new_name: str, working: Callable[[], Verdict]) -> Diff:
    """``working()``: the verdict of a validation of the working tree (asked for only when a
    version is `working`)."""
    old, new = side(project, ontology, old_name, working), side(project, ontology, new_name, working)
    added = sorted(set(new.hashes) - set(old.hashes))
    removed = sorted(set(old.hashes) - set(new.hashes))
    changed = []
    for uri in sorted(set(old.hashes) & set(new.hashes)):
        if old.hashes[uri] == new.hashes[uri]:
            continue
        before, after = old.lines(uri), new.lines(uri)
        if before is None or after is None:
            changed.append(Change(uri, statements_known=False))
            continue
        # Statements compare with the base taken off, so that a release made under another base compares.
        before = [line.replace(old.base, "{base}") for line in before]
        after = [line.replace(new.base, "{base}") for line in after]
        changed.append(Change(uri, sorted(set(before) - set(after)), sorted(set(after) - set(before))))
    return Diff(old_name, new_name, added, removed, changed)
