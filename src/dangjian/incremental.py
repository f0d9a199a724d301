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
import marshal
import os
import sqlite3
from operator import itemgetter
from typing import NamedTuple
from pathlib import Path

import json

from . import __version__
from .filestat import file_facts
from .load.layout import COMPANION_SUFFIXES, RECORD_SUFFIX
from .settings import Project

INDEX_FILE = "build-index.sqlite"
DUMPS = ("dangjian.ttl", "dangjian.nt", "dangjian.jsonld")  # spliced; each record has a block in each
MOST_CHANGES = 0.05  # beyond this share of records changed, a full build is as quick

_SCHEMA = """
create table if not exists meta (key text primary key, value text not null);
drop table if exists records;
drop table if exists names;
"""


def fingerprint(project: Project, base: str) -> str:
    """What every record's processing depends on besides its files: the program and the ontology."""
    digest = hashlib.sha256(f"{__version__}\n{base}\n".encode())
    package = Path(__file__).parent
    for folder in (package, project.ontology):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class Signatures(dict):
    """Signatures by file as shown, remembering their digest once made (never changed after)."""

    digest: str | None = None


def signatures(project: Project, folders, scanned: tuple | None = None) -> tuple[dict[str, str], bool]:
    """Each record file, as shown, with the signature of its file and its companions
    ("mtime:size", then "name:mtime:size" of each companion); and whether records/ holds
    nothing else (stray files are reported by a full validation). ``scanned``: what
    current_manifest() read moments before, in this same command, used when of the same folders."""
    if scanned is not None and scanned[0] == frozenset(folders):
        return scanned[1], scanned[2]
    found: dict[str, str] = Signatures()
    records_shown = project.relative(project.records)
    folders = set(folders)
    clean = all(entry.name.startswith(".") or entry.name in folders for entry in os.scandir(project.records))
    companions: dict[str, list[str]] = {}
    handles: dict[int, str] = {}  # each folder open, so that a file is found by its name alone
    try:
        entries = []
        for folder in sorted(folders):
            try:
                handle = os.open(project.records / folder, os.O_RDONLY | os.O_DIRECTORY)
            except OSError:
                continue
            handles[handle] = f"{records_shown}/{folder}/"
            entries += [(handle, name) for name in os.listdir(handle) if name[0] != "."]
        facts = file_facts(entries)  # one stat() a file: this is all "nothing changed" costs
    finally:
        for handle in handles:
            os.close(handle)
    for (handle, name), fact in zip(entries, facts):
        if fact is None:
            clean = False
        elif name.endswith(RECORD_SUFFIX) and name.count(".") == 1:
            found[handles[handle] + name] = f"{fact[0]}:{fact[1]}"
        elif name.endswith(COMPANION_SUFFIXES):
            stem = name.split(".", 1)[0]
            companions.setdefault(handles[handle] + stem + RECORD_SUFFIX, []).append(f"{name}:{fact[0]}:{fact[1]}")
        else:
            clean = False
    for shown, parts in companions.items():
        if shown not in found:
            clean = False  # a companion without its record
            continue
        found[shown] += "|" + "|".join(sorted(parts))
    return found, clean


class Row(NamedTuple):
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


ROW_FIELDS = {"dangjian.ttl": "turtle", "dangjian.nt": "ntriples", "dangjian.jsonld": "jsonld"}
ROW_FIELDS.update({name: name for name in Row._fields})
# The columns of the rows ordered_rows() gives (plain tuples: a hundred thousand are read at once).
ORDERED_COLUMNS = ("shown", "kind", "id", "subject", "dangjian.ttl", "dangjian.nt", "dangjian.jsonld", "triples", "hash",
                   "tombstone", "replacement", "signature", "refs")
SHOWN, KIND, ID, SUBJECT, _TTL, _NT, _JSONLD, TRIPLES, HASH, TOMBSTONE, REPLACEMENT, SIGNATURE, REFS = range(len(ORDERED_COLUMNS))


def referrers(rows: list[tuple], subjects: set[str]) -> set[str]:
    """The records (as shown) whose rows say they name any of ``subjects``."""
    return {row[SHOWN] for row in rows if row[REFS] and any(subject in row[REFS] for subject in subjects)}


ROWS_FILE = "build-index.rows"  # every row, in subject order, as marshalled columns, after a token
_TOKEN_BYTES = 16


def as_ordered(row: Row) -> tuple:
    """A row as ordered_rows() gives rows."""
    return _ORDERED_GETTER(row)


_ORDERED_GETTER = itemgetter(*(Row._fields.index(ROW_FIELDS[column]) for column in ORDERED_COLUMNS))


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

    def ordered_rows(self, meta: dict[str, str]) -> list[tuple] | None:
        """Every record's row, in subject order (the order of the dumps), as ORDERED_COLUMNS;
        None when the rows file is not the one ``meta`` describes. The rows are kept in a file of
        marshalled columns beside the database: a hundred thousand load in a tenth of the time a
        select of them takes, and are written whole in a twentieth."""
        try:
            data = (self.path.parent / ROWS_FILE).read_bytes()
        except OSError:
            return None
        if data[:_TOKEN_BYTES].hex() != meta.get("rows"):
            return None
        columns = marshal.loads(data[_TOKEN_BYTES:])
        return list(zip(*columns)) if columns else []

    def write(self, meta: dict[str, str], replace: bool, columns: list[list]) -> None:
        """``meta``: what to record (beside what is there, unless ``replace``); ``columns``: every
        row now, as ordered_rows() gives them, column by column (see columns_of())."""
        token = os.urandom(_TOKEN_BYTES)
        rows_file = self.path.parent / ROWS_FILE
        rows_file.parent.mkdir(parents=True, exist_ok=True)
        partial = rows_file.with_name(f".{ROWS_FILE}-{os.getpid()}")
        with open(partial, "wb") as handle:
            handle.write(token)
            marshal.dump(columns, handle)
        os.replace(partial, rows_file)  # the meta below names it by its token: a mismatch means a full build
        meta = {**meta, "rows": token.hex()}
        with self._connect() as connection:
            if replace:
                connection.execute("delete from meta")
            connection.executemany("insert or replace into meta values (?, ?)", sorted(meta.items()))

    def forget(self) -> None:
        """After a failed or partial build: the next one is a full build."""
        if self.path.exists():
            with self._connect() as connection:
                connection.execute("delete from meta where key = 'manifest'")


def columns_of(rows) -> list[list]:
    """Rows (tuples in ORDERED_COLUMNS order), column by column, as BuildIndex.write() takes them."""
    if isinstance(rows, list) and rows:
        return [list(column) for column in zip(*rows)]
    columns: list[list] = [[] for _ in ORDERED_COLUMNS]
    appends = [column.append for column in columns]
    for row in rows:
        for append, value in zip(appends, row):
            append(value)
    return columns


def manifest_hash(dist: Path) -> str | None:
    try:
        return hashlib.sha256((dist / "manifest.json").read_bytes()).hexdigest()
    except OSError:
        return None


def current_manifest(project: Project, out: Path, base: str, scanned: dict | None = None) -> dict | None:
    """The manifest of dist/ when no record, ontology or program changed since the build that
    wrote it; None otherwise. Reads no record, parses nothing: only the files' signatures.
    ``scanned``, when given, receives the signatures read ("signatures": (folders, current,
    clean)), for the build that follows to use instead of reading them again."""
    index = BuildIndex(project)
    meta = index.meta()
    if not meta.get("folders") or meta.get("manifest") != manifest_hash(out) or meta.get("fingerprint") != fingerprint(project, base):
        return None
    folders = json.loads(meta["folders"])
    current, clean = signatures(project, folders)
    if scanned is not None:
        scanned["signatures"] = (frozenset(folders), current, clean)
    if not clean or meta.get("signatures") != signature_digest(current):
        return None
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def signature_digest(current: dict[str, str]) -> str:
    """One digest of every file's signature: what "nothing changed" compares, without reading
    the index's rows."""
    if isinstance(current, Signatures):
        if current.digest is None:
            current.digest = _digest(current)
        return current.digest
    return _digest(current)


def _digest(current: dict[str, str]) -> str:
    # In the order the folders list their files, not sorted: when that order changes with the
    # files unchanged, the quick rebuild finds no change and says so (a little later).
    lines = "\n".join(map("\t".join, current.items()))  # "{shown}\t{signature}\n" each
    return hashlib.sha256((lines + "\n" if lines else "").encode()).hexdigest()


def row_of(processed, signature: str, ontology, tombstone: bool, replacement: str | None, digest: str | None = None) -> Row:
    """The index row of a record processed for publishing; ``digest``: the SHA-256 of its
    N-Triples when already made."""
    records = "<" + ontology.record_iri("", "")[:-1]
    refs = sorted({o for _s, _p, o in processed.references if o.startswith(records)})
    return Row(processed.shown, processed.kind.name, processed.record.id, processed.subject, signature,
               len(processed.turtle), len(processed.ntriples), len(processed.jsonld),
               processed.triples, digest or hashlib.sha256(processed.ntriples).hexdigest(), tombstone, replacement,
               "\n".join(refs))
