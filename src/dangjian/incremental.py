"""Rebuilds that reuse the previous build.

A full build leaves an index in ``.cache/``: for every record, the signature of its files
(modification time and size of the YAML file and of its companions), its kind, id and subject,
the records it names, whether it is a tombstone, the hash of its statements, and the length of
its block in each dump. The next build compares signatures:

- nothing changed, and dist/ is the build the index describes: dist/ is current;
- a few records changed: only they are read again. They, and the records that name them (or
  named a record now gone), are validated again: a record's verdict depends on its own files and
  on the existence, kind and content of the records it names, and on nothing else. The dumps are
  then spliced: each unchanged record's block is copied byte for byte from the previous dump;
- anything else (many changes, a changed ontology or program, dist/ not the indexed build, a
  site or a release): a full build, which writes the index afresh.

The tests check that a rebuild gives exactly the bytes a full build gives.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .load.records import COMPANION_SUFFIXES, RECORD_SUFFIX
from .ontology import Ontology
from .settings import Project

INDEX_FILE = "build-index.sqlite"
DUMPS = ("dangjian.ttl", "dangjian.nt", "dangjian.jsonld")  # spliced; each record has a block in each
MOST_CHANGES = 0.05  # beyond this share of records changed, a full build is as quick

_SCHEMA = """
create table if not exists meta (key text primary key, value text not null);
create table if not exists records (
    shown text primary key, kind text not null, id text not null, subject text not null,
    signature text not null, turtle integer not null, ntriples integer not null, jsonld integer not null,
    triples integer not null, hash text not null, tombstone integer not null, replacement text,
    refs text not null
);
"""


def fingerprint(project: Project, ontology: Ontology) -> str:
    """What every record's processing depends on besides its files: the program and the ontology."""
    digest = hashlib.sha256(f"{__version__}\n{ontology.base}\n".encode())
    package = Path(__file__).parent
    for folder in (package, project.ontology):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def signatures(project: Project, ontology: Ontology) -> tuple[dict[str, str], bool]:
    """Each record file, as shown, with the signature of its file and its companions; and
    whether records/ holds nothing else (stray files are reported by a full validation)."""
    found: dict[str, str] = {}
    records_shown = project.relative(project.records)
    clean = all(entry.name.startswith(".") or entry.name in ontology.kinds_by_folder for entry in os.scandir(project.records))
    for folder in ontology.kinds_by_folder:
        path = project.records / folder
        if not path.is_dir():
            continue
        stats: dict[str, list[str]] = {}
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                stem, _, suffix = entry.name.partition(".")
                if "." + suffix.rsplit(".", 1)[-1] not in (RECORD_SUFFIX, *COMPANION_SUFFIXES) or not entry.is_file():
                    clean = False
                stat = entry.stat()
                stats.setdefault(stem, []).append(f"{entry.name}:{stat.st_mtime_ns}:{stat.st_size}")
        for stem, parts in stats.items():
            if any(p.startswith(stem + RECORD_SUFFIX + ":") for p in parts):
                found[f"{records_shown}/{folder}/{stem}{RECORD_SUFFIX}"] = "|".join(sorted(parts))
            else:
                clean = False  # a companion without its record
    return found, clean


@dataclass
class Row:
    shown: str
    kind: str
    id: str
    subject: str
    signature: str
    turtle: int
    ntriples: int
    jsonld: int
    triples: int
    hash: str
    tombstone: bool
    replacement: str | None
    refs: str  # the subjects it names, one a line

    def lengths(self) -> dict[str, int]:
        return {"dangjian.ttl": self.turtle, "dangjian.nt": self.ntriples, "dangjian.jsonld": self.jsonld}


class BuildIndex:
    """The index of the last full or spliced build of dist/."""

    def __init__(self, project: Project):
        self.project = project
        self.path = project.cache / INDEX_FILE

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path)
        connection.executescript(_SCHEMA)
        return connection

    def meta(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        with self._connect() as connection:
            return dict(connection.execute("select key, value from meta"))

    def rows(self) -> dict[str, Row]:
        with self._connect() as connection:
            return {values[0]: Row(*values[:10], bool(values[10]), values[11], values[12])
                    for values in connection.execute("select * from records")}

    def write(self, rows: dict[str, Row], removed: set[str], meta: dict[str, str], replace: bool) -> None:
        with self._connect() as connection:
            if replace:
                connection.execute("delete from records")
                connection.execute("delete from meta")
            connection.executemany("delete from records where shown = ?", [(s,) for s in removed])
            connection.executemany("insert or replace into records values (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                   [(r.shown, r.kind, r.id, r.subject, r.signature, r.turtle, r.ntriples, r.jsonld, r.triples,
                                     r.hash, int(r.tombstone), r.replacement, r.refs) for r in rows.values()])
            connection.executemany("insert or replace into meta values (?, ?)", sorted(meta.items()))

    def forget(self) -> None:
        """After a failed or partial build: the next one is a full build."""
        if self.path.exists():
            with self._connect() as connection:
                connection.execute("delete from meta where key = 'manifest'")


def manifest_hash(dist: Path) -> str | None:
    try:
        return hashlib.sha256((dist / "manifest.json").read_bytes()).hexdigest()
    except OSError:
        return None


def row_of(processed, signature: str, ontology: Ontology, tombstone: bool, replacement: str | None) -> Row:
    """The index row of a record processed for publishing."""
    records = "<" + ontology.record_iri("", "")[:-1]
    refs = sorted({o for _s, _p, o in processed.references if o.startswith(records)})
    return Row(processed.shown, processed.kind.name, processed.record.id, processed.subject, signature,
               len(processed.turtle.encode("utf-8")), len(processed.ntriples.encode("utf-8")), len(processed.jsonld.encode("utf-8")),
               processed.triples, hashlib.sha256(processed.ntriples.encode("utf-8")).hexdigest(), tombstone, replacement,
               "\n".join(refs))
