"""`dangjian build --watch`: keep dist/ current while records are edited.

A rebuild in a new process pays, before it reads a single record, for starting Python and
importing the package and for a stat() of every record file to learn which changed. A process
that stays pays neither: the kernel says which files changed (inotify, through watchfiles), and
every other file's signature is kept in memory, as is the build index's rows (a
:class:`dangjian.build.index.Memory`). A one-record rebuild then reads that record and those that
name it, and splices the dumps, as `dangjian build` does; the build is the same code, given the
signatures instead of reading them.

The kernel's word is not taken on trust. Whatever is not an edit of a plain record file (a new
or removed file, a source's text, the ontology) makes a full scan of the signatures first. And
after every rebuild, while no change is waiting, every file is looked at again: a change the
kernel did not tell (its queue overflowed, a filesystem without inotify) is rebuilt then. Then
what the next rebuild would first work out from the index is made ready (see
:class:`dangjian.build.rebuild.OldRows`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .index import Memory, Signatures, signatures
from ..records.layout import RECORD_SUFFIX, ignored, is_record_file
from ..model.ontology import Ontology
from .tuning import collection_paused
from .rebuild import prepare, quick_rebuild
from .report import BuildFailed, BuildReport, report_of_dist
from ..settings import ROOT_ENV, Project

WAIT_FOR_QUIET_MS = 50  # a change is acted on once the files have been quiet this long
GROUP_AT_MOST_MS = 1600  # ...or once changes have kept coming this long
MOST_TOLD = 1000  # more changed files at once than this: scan them all (a checkout, a copy)


@dataclass
class WatchedSignatures:
    """The signature of every record file, as the last full scan found them and as changes
    told since have left them."""

    project: Project
    folders: frozenset[str]
    current: dict
    clean: bool

    @classmethod
    def scan(cls, project: Project, ontology: Ontology) -> "WatchedSignatures":
        folders = frozenset(ontology.kinds_by_folder)
        current, clean = signatures(project, folders, may_fork=False)  # this process stays, and holds much
        return cls(project, folders, dict(current), clean)

    def told(self, paths: Iterable[Path]) -> bool:
        """Take in the files the kernel says changed; False when only a full scan can say what
        they are now (anything but an edited record file that has no companion)."""
        records = self.project.records.resolve()
        records_shown = self.project.relative(records)
        updates = {}
        for path in paths:
            folder, name = path.parent, path.name
            if folder.parent != records or folder.name not in self.folders:
                return False
            shown = f"{records_shown}/{folder.name}/{name}"
            if not is_record_file(name) or shown not in self.current:
                return False  # a new file, a companion, a stray: what is there now needs a scan
            if len(self.current[shown]) != 2:
                return False  # a record with companions: their signatures are part of its own
            try:
                found = os.stat(path)
            except OSError:
                return False  # gone (or going): a scan sees which
            updates[shown] = (found.st_mtime_ns, found.st_size)
        self.current.update(updates)
        return True

    def scanned(self) -> tuple:
        """What build() takes instead of scanning (a fresh Signatures: it keeps its digest)."""
        return self.folders, Signatures(self.current), self.clean


def watch_paths(changes: set[tuple[object, str]], records: Path) -> set[Path]:
    """The changed paths that matter: not the files among the records that no build reads (an
    editor's swap file or auto-save, written every few seconds, changes nothing)."""
    paths = {Path(path) for _change, path in changes}
    return {path for path in paths if not (ignored(path.name) and records in path.parents)}


def full_build(environment: dict[str, str]) -> int:
    """`dangjian build` in a process of its own; its exit code.

    It runs in a process group of its own, so that Ctrl-C (or a SIGINT sent to this process
    alone, as a supervisor sends it) reaches it once, from here: it then stops as `dangjian
    build` does, its workers with it and nothing half-written left, and this process waits for
    that. (Killing it would leave its workers behind, writing tracebacks into a closed pipe.)"""
    own_group = {"process_group": 0} if os.name == "posix" else {}
    child = subprocess.Popen([sys.executable, "-m", "dangjian", "build", "--quiet"], env=environment, **own_group)
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.send_signal(signal.SIGINT)
        child.wait()
        raise


class Watch:
    """Build, then rebuild on every change until stopped; ``on_build(report, told)`` and
    ``on_failure(failed)`` say how each went (``told``: the files that set it off; ``failed``
    None when a full build, in its own process, has printed its problems itself)."""

    def __init__(self, project: Project, on_build: Callable[[BuildReport, list[str]], None],
                 on_failure: Callable[[BuildFailed | None], None]):
        self.project = project
        self.on_build = on_build
        self.on_failure = on_failure
        self.ontology = Ontology(project.ontology)
        self.files = WatchedSignatures.scan(project, self.ontology)
        self.memory = Memory()  # the index's rows, kept between rebuilds

    def build(self, told: list[str]) -> None:
        """A quick rebuild here; a full build (the first, or after many changes or a changed
        ontology) by `dangjian build` in a process of its own, which prints its own problems:
        its memory is the system's again when it ends, and none of this process's is copied
        into its workers."""
        started = time.perf_counter()
        try:
            with collection_paused():
                report = quick_rebuild(self.project, self.ontology, self.project.dist, scanned=self.files.scanned(),
                                       memory=self.memory)
        except BuildFailed as failed:
            self.on_failure(failed)
            return
        if report is None:
            self.memory.forget()  # the old index's rows: the full build writes another
            environment = {**os.environ, ROOT_ENV: str(self.project.root)}
            if full_build(environment) != 0:
                self.on_failure(None)
                return
            report = report_of_dist(self.project.dist, started, changed=None)
        self.on_build(report, told)

    def verify(self) -> bool:
        """Scan every file again; True when some changed that no event told."""
        again = WatchedSignatures.scan(self.project, self.ontology)
        missed = again.current != self.files.current or again.clean != self.files.clean
        self.files = again
        return missed

    def changed(self, paths: set[Path]) -> list[str]:
        """Take in the changed paths; what the report names (not an editor's temporary file,
        gone by now)."""
        ontology = self.project.ontology.resolve()
        if any(ontology in path.parents or path == ontology for path in paths):
            self.ontology = Ontology(self.project.ontology)
            self.files = WatchedSignatures.scan(self.project, self.ontology)
        elif len(paths) > MOST_TOLD or not self.files.told(paths):
            self.files = WatchedSignatures.scan(self.project, self.ontology)
        return sorted(self.project.relative(path) for path in paths if path.suffix == RECORD_SUFFIX or path.exists())

    def run(self, stop_event=None) -> None:
        """Until Ctrl-C (KeyboardInterrupt, to the caller) or ``stop_event`` is set."""
        import watchfiles

        self.build([])
        verified = False  # a change made while the first build ran, before the watch began, is found by a scan
        watched = [self.project.records.resolve(), self.project.ontology.resolve()]
        waiting = watchfiles.watch(*watched, watch_filter=None, debounce=GROUP_AT_MOST_MS, step=WAIT_FOR_QUIET_MS,
                                   stop_event=stop_event, raise_interrupt=True, rust_timeout=500,
                                   yield_on_timeout=True)
        for changes in waiting:
            if not changes:  # quiet since the last rebuild: every file looked at, once
                if not verified:
                    verified = True
                    if self.verify():
                        self.build([])
                        verified = False
                    else:
                        prepare(self.project, self.memory)  # what the next rebuild works out first, made now
                continue
            paths = watch_paths(changes, watched[0])
            if paths:
                self.build(self.changed(paths))
                verified = False
