"""Find the record files of a project and read each one into a :class:`Record`.

The loader knows files and YAML, not RDF: a record is its kind (from its folder), its id (from
its file name, which must equal its ``id`` key) and its parsed document with line numbers.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from ..model.ontology import Kind, Ontology
from ..model.problems import Problem
from ..settings import Project
from ..text.visible import hidden_or_alike, shown_ascii, skeleton
from .fastyaml import read_simple
from .layout import COMPANION_SUFFIXES, RECORD_SUFFIX, ignored, only_record_files
from .yaml12 import REFUSED, Document, Mark, YamlError, check_text, parse, parse_text



READ_SIZE = 1 << 16  # bytes asked for at a time: most record files in one read


@dataclass
class Record:
    kind: Kind
    id: str
    path: Path
    shown_path: str  # as messages show it
    data: dict
    raw: bytes
    digest: bytes  # of the file's bytes: what caches key on
    _document: Document | None = None

    @property
    def document(self) -> Document:
        """Values with the position of every key and value; read again when first asked for,
        since only records with problems need positions."""
        if self._document is None:
            self._document = parse(self.raw or read_bytes(self.path))[0]
        return self._document

    def key_mark(self, *path) -> Mark:
        return self.document.key_marks.get(tuple(path), Mark(1, 1))

    def value_mark(self, *path) -> Mark:
        return self.document.value_marks.get(tuple(path)) or self.key_mark(*path)


@dataclass
class Loaded:
    records: list[Record]
    problems: list[Problem]
    # (kind, id) of files that could not be read: they exist, so references to them are not
    # reported as missing; their own problems say what is wrong.
    unreadable: set[tuple[str, str]] = field(default_factory=set)


def record_files(project: Project, ontology: Ontology) -> tuple[list[tuple[Path, Kind, str]], list[Problem]]:
    """Every record file under records/, with its kind and its path as shown; problems for files
    that do not belong. A missing records/ gives no file and no problem: whether that is one
    is the caller's to say (see :func:`no_records_problem`)."""
    found, problems = [], []
    if not project.records.is_dir():
        return found, problems
    records_shown = project.relative(project.records)
    inside = project.root.resolve()
    for folder in sorted(p for p in project.records.iterdir()):
        shown = f"{records_shown}/{folder.name}"
        if ignored(folder.name):
            continue
        link_problem = _symlink_problem(folder, shown, inside) if folder.is_symlink() else None
        if link_problem:
            problems.append(link_problem)
            continue
        if not folder.is_dir():
            problems.append(Problem(shown, 1, 1, "", "records/ holds one folder per kind of record; move this file into one", "files"))
            continue
        kind = ontology.kinds_by_folder.get(folder.name)
        if kind is None:
            known = ", ".join(sorted(ontology.kinds_by_folder))
            problems.append(Problem(shown, 1, 1, "", f"unknown folder of records; the kinds are: {known}", "files"))
            continue
        with os.scandir(folder) as entries:  # (a regular file is told from the folder's listing, without a stat)
            names = sorted((entry.name, entry.is_file(follow_symlinks=False)) for entry in entries)
        # A child path without parsing its name again (pathlib's own way, for 100,000 files).
        child = getattr(folder, "_make_child_relpath", folder.joinpath)
        plain = [name for name, is_file in names if is_file and not ignored(name)]  # any other: the loop below
        if len(plain) == len(names) and only_record_files(plain) and all(map(str.isprintable, plain)):  # the usual folder, in C loops
            found += zip(map(child, plain), repeat(kind), map(f"{shown}/".__add__, plain))
            continue
        for name, is_file in names:
            if ignored(name):
                continue
            path, name_shown = child(name), f"{shown}/{name}"
            problem = _entry_problem(path, name, name_shown, kind, is_file, inside)
            if problem:
                problems.append(problem)
            elif os.path.splitext(name)[1] == RECORD_SUFFIX:
                found.append((path, kind, name_shown))
    return found, problems


def _entry_problem(path: Path, name: str, shown: str, kind: Kind, is_file: bool, inside: Path) -> Problem | None:
    """What is wrong with an entry of a kind's folder, or None for a record file or a companion."""
    if not is_file and path.is_symlink():
        problem = _symlink_problem(path, shown, inside)
        if problem:
            return problem
        is_file = path.is_file()
    suffix = os.path.splitext(name)[1]
    if not is_file and path.is_dir():
        what = "a record is a file" if suffix == RECORD_SUFFIX else f"{kind.folder}/ holds {RECORD_SUFFIX} files, not folders"
        return Problem(shown, 1, 1, "", f"a folder, not a record: {what}", "files")
    if not name.isprintable():
        odd = next(c for c in name if not c.isprintable())
        return Problem(shown, 1, 1, "", f"the file name holds U+{ord(odd):04X}, which names do not show; rename the file", "files")
    if suffix == RECORD_SUFFIX and is_file:
        return None
    if suffix == ".yml":
        return Problem(shown, 1, 1, "", f"record files end in .yaml; rename it to {name[:-4]}.yaml", "files")
    if suffix in COMPANION_SUFFIXES and is_file:
        return None
    return Problem(shown, 1, 1, "", f"not a record: {kind.folder}/ holds {RECORD_SUFFIX} files", "files")


def _symlink_problem(path: Path, shown: str, inside: Path) -> Problem | None:
    """A symbolic link is read as what it points to, when that is a file or folder inside the
    project; a loop, a link to nothing, or one that leads out of the project is a problem."""
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Problem(shown, 1, 1, "", "a symbolic link that leads back to itself (a loop); replace it with what it stands for", "files")
        try:
            pointed = os.readlink(path)
        except OSError:
            pointed = "?"
        return Problem(shown, 1, 1, "", f"a symbolic link to {pointed}, which does not exist; remove it, or restore what it points to", "files")
    if not target.is_relative_to(inside):
        return Problem(shown, 1, 1, "", "a symbolic link that leads out of the project; records are read only from inside "
                                        "it: copy what it points to in", "files")
    return None


def no_records_problem(project: Project) -> Problem:
    """The problem of a project with no record file at all (a folder moved, a checkout gone
    wrong), which must not replace a good build with an empty one."""
    shown = project.relative(project.records) + "/"
    link = _symlink_problem(project.records, shown, project.root.resolve()) if project.records.is_symlink() else None
    if link and "out of the project" not in link.message:  # (records/ kept elsewhere is fine)
        return Problem(shown, 0, 0, "", link.message, "files")
    if not project.records.exists():
        what = "there is no records/ folder"
    elif not project.records.is_dir():
        what = "records is not a folder"
    else:
        what = "it holds no record file"
    return Problem(shown, 0, 0, "", f"{what}; records are records/{{kind}}/{{id}}.yaml (an empty dataset is built only "
                                    f"when asked for, with --allow-empty)", "files")


def read_bytes(path: Path) -> bytes:
    """A whole file's bytes, without the buffered file object that open() builds, which for a
    record file of a kilobyte or two costs more than the reading, once for every record."""
    handle = os.open(path, os.O_RDONLY)
    try:
        chunks = [os.read(handle, READ_SIZE)]
        while len(chunks[-1]) == READ_SIZE:  # a short read of a regular file is its end
            chunks.append(os.read(handle, READ_SIZE))
    finally:
        os.close(handle)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_record(path: Path, kind: Kind, shown: str, id_key: str, id_pattern: re.Pattern) -> tuple[Record | None, list[Problem]]:
    """Parse one file; the record is None when the file cannot be read as a record at all."""
    return read_records([(path, kind, shown)], id_key, id_pattern)[0]


def read_records(items: list[tuple[Path, Kind, str]], id_key: str, id_pattern: re.Pattern
                 ) -> list[tuple[Record | None, list[Problem]]]:
    """:func:`read_record` of each file, a step at a time for them all (every file's bytes, then
    every text checked, then every plain file parsed), each step's code staying in the
    processor's caches for the whole batch."""
    raws = [read_bytes(path) for path, _kind, _shown in items]
    texts: list[str | YamlError] = []
    for raw in raws:
        try:
            texts.append(check_text(raw))
        except YamlError as error:
            texts.append(error)
    simple = [read_simple(text) if isinstance(text, str) else None for text in texts]
    return [_record_of(item, raw, text, data, id_key, id_pattern) for item, raw, text, data in zip(items, raws, texts, simple)]


def _record_of(item: tuple[Path, Kind, str], raw: bytes, text: str | YamlError, data: dict | None, id_key: str,
               id_pattern: re.Pattern) -> tuple[Record | None, list[Problem]]:
    """A file's record from its text, and from its values when the fast reader read them."""
    path, kind, shown = item
    document = None
    yaml_problems = []
    try:
        if isinstance(text, YamlError):
            raise text
        if data is None:
            document, yaml_problems = parse_text(text)
            data = document.data
    except YamlError as error:
        return None, [Problem(shown, p.mark.line, p.mark.column, p.key, p.message, "yaml") for p in error.problems]
    problems = [Problem(shown, p.mark.line, p.mark.column, p.key, p.message, "yaml") for p in yaml_problems]
    record_id = data.get(id_key)
    stem = path.stem
    if record_id is REFUSED:
        return None, problems  # the reader said why
    if record_id is None:
        problems.append(Problem(shown, 1, 1, id_key, f"every record needs an id; this file's would be `{id_key}: {stem}`", "record"))
        return None, problems
    record = Record(kind, record_id, path, shown, data, raw, hashlib.sha256(raw).digest(), document)
    if not isinstance(record_id, str) or not id_pattern.fullmatch(record_id):
        mark = record.key_mark(id_key)
        problems.append(Problem(shown, mark.line, mark.column, id_key, _id_message(record_id, id_pattern), "record"))
        return None, problems
    if record_id != stem:
        mark = record.key_mark(id_key)
        problems.append(Problem(shown, mark.line, mark.column, id_key, f"id `{record_id}` differs from the file name; rename the file to {record_id}{RECORD_SUFFIX} or fix the id", "record"))
    return record, problems


def _id_message(record_id, id_pattern: re.Pattern) -> str:
    """What is wrong with an id that is not a slug: every character outside printable ASCII
    shown as an escape (a zero-width space, a Cyrillic а), and the id it looks like."""
    expected = "expected a lowercase ASCII slug (letters a-z, digits and single hyphens)"
    if not isinstance(record_id, str):
        return f"{expected}, got {record_id!r}"
    message = f'{expected}, got "{shown_ascii(record_id)}"'
    meant = skeleton(record_id).strip() if hidden_or_alike(record_id) else None
    if meant and meant != record_id and id_pattern.fullmatch(meant):
        message += f"; did you mean `{meant}`?"
    return message


class IdRegister:
    """Ids are unique across all kinds: the first file to use one keeps it. ``claimed``: ids
    claimed already by files not read here (id -> the file, as shown)."""

    def __init__(self, id_key: str, claimed: dict[str, str] | None = None):
        self.id_key = id_key
        self.first: dict[str, str] = {}  # id -> the file that claimed it, as shown
        self.claimed = claimed or {}

    def claim(self, record: Record) -> Problem | None:
        earlier = self.first.get(record.id) or self.claimed.get(record.id)
        if earlier is None:
            self.first[record.id] = record.shown_path
            return None
        mark = record.key_mark(self.id_key)
        return Problem(record.shown_path, mark.line, mark.column, self.id_key, f"id `{record.id}` is already used by {earlier}; ids are unique across all kinds", "record")


def load_records(project: Project, ontology: Ontology, progress=None) -> Loaded:
    """Read every record file; problems from all of them, in one run."""
    files, problems = record_files(project, ontology)
    records: list[Record] = []
    register = IdRegister(ontology.id_key)
    id_pattern = ontology.id_pattern
    unreadable = set()
    for path, kind, shown in files:
        record, found = read_record(path, kind, shown, ontology.id_key, id_pattern)
        problems.extend(found)
        if progress:
            progress()
        if record is None:
            unreadable.add((kind.name, path.stem))
            continue
        taken = register.claim(record)
        if taken:
            problems.append(taken)
            continue
        records.append(record)
    return Loaded(records, problems, unreadable)
