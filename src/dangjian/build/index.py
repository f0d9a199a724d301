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
from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

import json

from .. import __version__
from .filestat import file_facts
from ..records.layout import COMPANION_SUFFIXES, RECORD_SUFFIX, ignored, is_record_file, only_record_files
from ..settings import Project

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
    package = Path(__file__).parent.parent  # the whole package, not this folder
    for folder in (package, project.ontology):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class Signatures(dict):
    """Signatures (see signatures()) by file as shown, remembering their digest once made (never changed after)."""

    digest: str | None = None


Signature = tuple  # (mtime in ns, size) of a record file; a third item names its companions' when it has any


def signatures(project: Project, folders, scanned: tuple | None = None, may_fork: bool = True) -> tuple[dict[str, Signature], bool]:
    """Each record file, as shown, with its signature: (modification time in ns, size), and when
    it has companions, "name:mtime:size|..." of each as a third item; and whether records/ holds
    nothing else (stray files are reported by a full validation). ``scanned``: what
    current_manifest() read moments before, in this same command, used when of the same folders;
    ``may_fork``: see :func:`dangjian.build.filestat.file_facts`."""
    if scanned is not None and scanned[0] == frozenset(folders):
        return scanned[1], scanned[2]
    found: dict[str, Signature] = Signatures()
    records_shown = project.relative(project.records)
    folders = set(folders)
    try:
        clean = all(ignored(entry.name) or entry.name in folders for entry in os.scandir(project.records))
    except OSError:  # no records/ (or not a folder): nothing to reuse, and a full build says what is wrong
        return found, False
    listed: list[tuple[str, list[str], bool]] = []  # each folder as shown, its files' names, whether all are records
    entries: list[tuple[int, str]] = []
    handles = []  # each folder open, so that a file is found by its name alone
    try:
        for folder in sorted(folders):
            try:
                handle = os.open(project.records / folder, os.O_RDONLY | os.O_DIRECTORY)
            except OSError:
                continue
            handles.append(handle)
            names = os.listdir(handle)
            usual = only_record_files(names) and not any(name[0] == "." for name in names)  # (".yaml" is hidden)
            if not usual:
                names = [name for name in names if not ignored(name)]
                usual = only_record_files(names)
            listed.append((f"{records_shown}/{folder}/", names, usual))
            entries += zip(repeat(handle), names)
        facts = file_facts(entries, may_fork)  # one stat() a file: this is all "nothing changed" costs
    finally:
        for handle in handles:
            os.close(handle)
    companions: dict[str, list[str]] = {}
    at = 0
    for shown_folder, names, usual in listed:
        folder_facts = facts[at:at + len(names)]
        at += len(names)
        if usual and None not in folder_facts:  # the usual folder, in C loops
            found.update(zip(map(shown_folder.__add__, names), folder_facts))
            continue
        for name, fact in zip(names, folder_facts):
            if fact is None:
                clean = False
            elif is_record_file(name):
                found[shown_folder + name] = fact
            elif name.endswith(COMPANION_SUFFIXES):
                stem = name.split(".", 1)[0]
                companions.setdefault(shown_folder + stem + RECORD_SUFFIX, []).append(f"{name}:{fact[0]}:{fact[1]}")
            else:
                clean = False
    for shown, parts in companions.items():
        if shown not in found:
            clean = False  # a companion without its record
            continue
        found[shown] = (*found[shown], "|".join(sorted(parts)))
    return found, clean


class Row(NamedTuple):
    """A record, as the index knows it."""

    shown: str  # its file, as shown
    kind: str
    id: str
    subject: str  # its IRI, as an N-Triples term
    ttl: int  # the length of its block in dangjian.ttl,
    nt: int  # in dangjian.nt
    jsonld: int  # and in dangjian.jsonld
    triples: int
    hash: str  # the SHA-256 of its N-Triples
    tombstone: bool
    replacement: str | None  # the id that replaced a tombstone, None when withdrawn
    signature: tuple  # its files' (see signatures())
    refs: str  # the records it names, one a line


LENGTH_COLUMN = {"dangjian.ttl": "ttl", "dangjian.nt": "nt", "dangjian.jsonld": "jsonld"}  # by dump


class Columns:
    """The index's rows, column by column: a hundred thousand rows are thirteen lists, not a
    hundred thousand objects. Each column is a list named as the field of :class:`Row`."""

    __slots__ = Row._fields

    def __init__(self, **lists: list):
        if sorted(lists) != sorted(Row._fields):
            raise ValueError("not the index's columns")
        for name, values in lists.items():
            setattr(self, name, values)

    @classmethod
    def empty(cls) -> "Columns":
        return cls(**{name: [] for name in Row._fields})

    def __len__(self) -> int:
        return len(self.shown)

    def row(self, i: int) -> Row:
        return Row(*(getattr(self, name)[i] for name in Row._fields))

    def as_dict(self) -> dict[str, list]:
        return {name: getattr(self, name) for name in Row._fields}

    def lengths(self, dump: str) -> list[int]:
        """Each row's block length in ``dump`` (a name in DUMPS)."""
        return getattr(self, LENGTH_COLUMN[dump])


def index_columns(processed: list, current: dict[str, tuple], ontology, hashes: dict[str, str] | None = None) -> Columns:
    """The index's columns for records processed for publishing (in subject order), with their
    files' signatures from ``current``: one loop a column, for a hundred thousand records.
    ``hashes``: the SHA-256 of each record's N-Triples by IRI, when made already."""
    tombstones = [ontology.is_tombstone(p.record.data) for p in processed]
    records = "<" + ontology.record_iri("", "")[:-1]  # how every record's IRI starts
    return Columns(
        shown=[p.shown for p in processed],
        kind=[p.kind.name for p in processed],
        id=[p.record.id for p in processed],
        subject=[p.subject for p in processed],
        ttl=[len(p.turtle) for p in processed],
        nt=[len(p.ntriples) for p in processed],
        jsonld=[len(p.jsonld) for p in processed],
        triples=[p.triples for p in processed],
        hash=[hashes[p.subject[1:-1]] if hashes else hashlib.sha256(p.ntriples).hexdigest() for p in processed],
        tombstone=tombstones,
        replacement=[ontology.replacement_of(p.record.data) if tombstone else None for p, tombstone in zip(processed, tombstones)],
        signature=[current[p.shown] for p in processed],
        # The records each names, one a line: made here rather than by the workers, which would
        # hold them all from their end to the build's.
        refs=["\n".join(sorted({o for _s, _p, o in p.references if o.startswith(records)})) for p in processed],
    )


def index_rows(processed: list, current: dict[str, tuple], ontology) -> list[Row]:
    """The same, row by row."""
    return [Row._make(values) for values in zip(*index_columns(processed, current, ontology).as_dict().values())]


class ReferencesText:
    """All rows' references joined, each row's subjects one a line and a blank line between rows,
    and where each row's text starts: what referrers() searches."""

    def __init__(self, columns: Columns):
        refs = columns.refs
        self.joined = "\n\n".join(refs) + "\n"
        self.starts = list(accumulate((len(r) + 2 for r in refs), initial=0))


def referrers(columns: Columns, subjects: set[str], text: ReferencesText | None = None) -> list[int]:
    """The positions of the rows that say they name any of ``subjects``, in order. The names are
    searched for in all rows' references joined (one search in C each, not a loop of rows);
    ``text``: that text of ``columns``, when made already."""
    if not subjects:
        return []
    text = text or ReferencesText(columns)
    joined, starts = text.joined, text.starts
    found = set()
    for subject in subjects:
        line = subject + "\n"
        at = joined.find(line)
        while at != -1:
            if at == 0 or joined[at - 1] == "\n":  # a whole line, not the end of a longer one
                found.add(bisect_right(starts, at) - 1)
            at = joined.find(line, at + 1)
    return sorted(found)


ROWS_FILE = "build-index.rows"  # every row, in subject order, as marshalled columns by name, after a token
CHANGES_FILE = "build-index.changes"  # the rows rebuilds changed since, marshalled, after a token
CHANGES_KEPT_APART = 1000  # or a hundredth of the rows, when more: beyond, the rows file is written again
_TOKEN_BYTES = 16


class Memory:
    """What a process that stays (`dangjian build --watch`) keeps between rebuilds, so that the
    next need not read or work it out again: the index's rows as last written or read, under the
    tokens that name their files, and what a rebuild first makes of them (its ``old_rows``). Held
    by whoever stays and handed to each build; a build given none keeps nothing."""

    def __init__(self):
        self.forget()

    def forget(self) -> None:
        self.path: Path | None = None
        self.tokens: tuple | None = None
        self.columns: Columns | None = None
        self.changes: dict | None = None
        self.old_rows = None  # dangjian.build.rebuild.OldRows of ``columns``, once made

    def keep(self, path: Path, tokens: tuple, columns: Columns, changes: dict) -> None:
        """Keep what was written or read (callers never change columns)."""
        if columns is not self.columns:
            self.old_rows = None
        self.path, self.tokens, self.columns, self.changes = path, tokens, columns, changes


class BuildIndex:
    """The index of the last full or spliced build of dist/."""

    def __init__(self, project: Project, memory: Memory | None = None):
        self.project = project
        self.memory = memory
        self.path = project.cache / INDEX_FILE
        self._changes = {"gone": [], "rows": []}  # as read by ordered_columns()
        self._rows_token: str | None = None  # the rows file's, as read by ordered_columns()

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

    def ordered_columns(self, meta: dict[str, str]) -> Columns | None:
        """Every record's row, in subject order (the order of the dumps), column by column; None
        when the rows files are not the ones ``meta`` describes. The rows are kept in a file of
        marshalled columns beside the database, which loads far quicker than a select of them.
        What rebuilds changed since the last full build is kept apart, in a small file of its
        own (see write_changes())."""
        self._rows_token = meta.get("rows")
        tokens = (meta.get("rows"), meta.get("changes"))
        memory = self.memory
        if memory is not None and memory.path == self.path and memory.tokens == tokens:
            self._changes = memory.changes
            return memory.columns
        data = self._read(ROWS_FILE, meta.get("rows"))
        try:
            columns = Columns(**data) if isinstance(data, dict) else None
        except ValueError:
            columns = None
        if columns is None:
            return None
        self._changes = {"gone": [], "rows": []}
        if meta.get("changes"):
            changes = self._read(CHANGES_FILE, meta["changes"])
            if changes is None:
                return None
            changes["rows"] = [Row._make(row) for row in changes["rows"]]
            self._changes = changes
            replaced = set(changes["gone"]) | {row.shown for row in changes["rows"]}
            gone = [i for i, shown in enumerate(columns.shown) if shown in replaced]
            columns = spliced_columns(columns, splice_plan(columns.subject, gone, changes["rows"]))
        self._keep(tokens, columns, self._changes)
        return columns

    def _read(self, name: str, token: str | None):
        try:
            data = (self.path.parent / name).read_bytes()
        except OSError:
            return None
        if not token or data[:_TOKEN_BYTES].hex() != token:
            return None
        return marshal.loads(data[_TOKEN_BYTES:])

    def _write(self, name: str, value) -> str:
        """Write ``value`` marshalled after a new token, whole or not at all; the token."""
        token = os.urandom(_TOKEN_BYTES)
        target = self.path.parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{name}-{os.getpid()}")
        with open(partial, "wb") as handle:
            handle.write(token)
            marshal.dump(value, handle)
        os.replace(partial, target)  # the meta names it by its token: a mismatch means a full build
        return token.hex()

    def write(self, meta: dict[str, str], replace: bool, columns: Columns) -> None:
        """``meta``: what to record (beside what is there, unless ``replace``); ``columns``: every
        row now, as ordered_columns() gives them (see index_columns())."""
        rows = self._write(ROWS_FILE, columns.as_dict())
        self._record({**meta, "rows": rows, "changes": ""}, replace)
        self._keep((rows, ""), columns, {"gone": [], "rows": []})

    def write_changes(self, meta: dict[str, str], replaced: set[str], fresh: list[Row], columns: Columns) -> None:
        """After a rebuild that read ordered_columns(): the files (as shown) whose rows went or
        changed, and the rows read again, kept beside the unchanged rows file, which a hundred
        thousand rows make too large to write again for each edit. Once the changes since the
        last full write grow past a small share of the rows, ``columns`` (every row now) are
        written whole instead."""
        rows = {row.shown: row for row in self._changes["rows"] if row.shown not in replaced}
        rows.update((row.shown, row) for row in fresh)
        gone = sorted(set(self._changes["gone"]) | replaced)
        if len(gone) + len(rows) > max(CHANGES_KEPT_APART, len(columns) // 100):
            self.write(meta, False, columns)
            return
        changes = {"gone": gone, "rows": sorted(rows.values(), key=attrgetter("subject"))}
        token = self._write(CHANGES_FILE, {"gone": gone, "rows": [tuple(row) for row in changes["rows"]]})
        self._record({**meta, "changes": token}, replace=False)
        self._keep((self._rows_token, token), columns, changes)

    def _keep(self, tokens: tuple, columns: Columns, changes: dict) -> None:
        """Keep what was written or read in the memory given, if any (see :class:`Memory`): it is
        used only while the index names the same files by the same tokens."""
        if self.memory is not None:
            self.memory.keep(self.path, tokens, columns, changes)

    def _record(self, meta: dict[str, str], replace: bool) -> None:
        with self._connect() as connection:
            if replace:
                connection.execute("delete from meta")
            connection.executemany("insert or replace into meta values (?, ?)", sorted(meta.items()))

    def forget(self) -> None:
        """After a failed or partial build: the next one is a full build."""
        if self.path.exists():
            with self._connect() as connection:
                connection.execute("delete from meta where key = 'manifest'")


def splice_plan(subjects: list[str], gone: list[int], fresh: list[Row]) -> list[tuple]:
    """How the new rows follow from the old, in order: ("old", i, j) for the old rows [i, j),
    ("new", row) for a row read again. ``subjects``: the old rows' (in order); ``gone``: the
    positions of the old rows replaced or removed; ``fresh``: the new rows, in any order."""
    # At one position, new rows come in the order of their subjects, before the old row there
    # goes (an edited record keeps its place).
    events = sorted([(bisect_left(subjects, row.subject), 0, row.subject, row) for row in fresh]
                    + [(i, 1, "", None) for i in gone], key=lambda event: event[:3])
    segments: list[tuple] = []
    cursor = 0
    for position, goes, _subject, row in events:
        if position > cursor:
            segments.append(("old", cursor, position))
            cursor = position
        if goes:
            cursor = position + 1
        else:
            segments.append(("new", row))
    if cursor < len(subjects):
        segments.append(("old", cursor, len(subjects)))
    return segments


def spliced_columns(columns: Columns, segments: list[tuple]) -> Columns:
    """The new rows' columns: runs of old rows copied as slices, new rows put in between."""
    old = list(columns.as_dict().values())  # in the order of Row's fields
    new = Columns.empty()
    targets = list(new.as_dict().values())
    for segment in segments:
        if segment[0] == "old":
            _, i, j = segment
            for target, column in zip(targets, old):
                target += column[i:j]
        else:
            for target, value in zip(targets, segment[1]):
                target.append(value)
    return new


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


def _digest(current: dict[str, Signature]) -> str:
    # In the order the folders list their files, not sorted: when that order changes with the
    # files unchanged, the quick rebuild finds no change and says so (a little later). Marshal
    # version 2 writes no back-references, so equal values give equal bytes.
    return hashlib.sha256(marshal.dumps(list(current), 2) + marshal.dumps(list(current.values()), 2)).hexdigest()
