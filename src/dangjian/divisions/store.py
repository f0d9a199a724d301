"""The installed code list: one SQLite file, made once from the copy's CSV files by
:mod:`.install`, read here.

Codes are kept in the form records write them: 6 digits for provinces, prefectures and counties
(the list's 34 and 3401 are 340000 and 340100, as GB/T 2260 writes them), 9 for townships and
12 for villages. Each division has its parent's code and its depth (1 province … 5 village), and
each of its names' forms (:mod:`.names`) is indexed, so that a name is found in milliseconds.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..model.ontology import Ontology
from ..settings import Project
from .codelist import CodeList, division_codes
from .names import full_forms, short_forms

STORE_FILE = "divisions.sqlite"
LONGEST_FORM = 16  # characters: no division's name in the list is longer
SCHEMA = """
CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE division (code TEXT PRIMARY KEY, name TEXT NOT NULL, parent TEXT, depth INTEGER NOT NULL);
CREATE TABLE form (form TEXT NOT NULL, code TEXT NOT NULL, short INTEGER NOT NULL);
"""
INDEXES = "CREATE INDEX form_by_form ON form (form); CREATE INDEX division_by_parent ON division (parent);"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    parent: str | None
    depth: int  # 1 province, 2 prefecture, 3 county, 4 township, 5 village

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def canonical(code: str) -> str:
    """A code as records write it: a province's or prefecture's 2 or 4 digits padded to 6."""
    return code.ljust(6, "0") if len(code) < 6 else code


def write_store(path: Path, rows, about: dict[str, str]) -> None:
    """Write the store at ``path`` from ``rows``: (code, name, parent code or None, depth), codes as
    the list writes them."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO about VALUES (?, ?)", sorted(about.items()))
        divisions, forms = [], []
        for code, name, parent, depth in rows:
            code = canonical(code)
            if parent and canonical(parent) == code:
                continue  # a prefecture without counties (东莞市 4419) listed again as its own county (441900)
            divisions.append((code, name, canonical(parent) if parent else None, depth))
            forms += [(form, code, 0) for form in full_forms(name)]
            forms += [(form, code, 1) for form in short_forms(name)]
        db.executemany("INSERT INTO division VALUES (?, ?, ?, ?)", divisions)
        db.executemany("INSERT INTO form VALUES (?, ?, ?)", forms)
        db.executescript(INDEXES)
        db.commit()
    finally:
        db.close()


class Divisions:
    """The code list, read-only."""

    def __init__(self, path: Path, code_list: CodeList):
        self.path, self.code_list = path, code_list
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._cache: dict[str, Division | None] = {}

    def about(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM about"))

    def get(self, code: str) -> Division | None:
        if code not in self._cache:
            row = self.db.execute("SELECT code, name, parent, depth FROM division WHERE code = ?", (code,)).fetchone()
            self._cache[code] = Division(*row) if row else None
        return self._cache[code]

    def chain(self, code: str) -> list[Division]:
        """The division and every division above it, nearest first; [] for an unknown code."""
        out: list[Division] = []
        current = self.get(code)
        while current is not None and len(out) < 8:
            out.append(current)
            current = self.get(current.parent) if current.parent else None
        return out

    def lies_under(self, code: str, above: str) -> bool:
        return any(d.code == above for d in self.chain(code)[1:])

    def named(self, label: str, under: str | None = None, short: bool = False) -> list[Division]:
        """Divisions one of whose full forms (and short ones, with ``short``) is ``label``, lying
        under the division ``under`` when given; by code."""
        rows = self.db.execute("SELECT DISTINCT code FROM form WHERE form = ?" + ("" if short else " AND short = 0"), (label,))
        found = [self.get(code) for (code,) in rows]
        return sorted((d for d in found if d is not None and (under is None or self.lies_under(d.code, under))),
                      key=lambda d: d.code)

    def forms_in(self, text: str) -> list[tuple[int, int, str, bool]]:
        """(start, end, code, short) of every form of a division's name standing in ``text``."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for start in range(len(text)):
            for end in range(start + 2, min(len(text), start + LONGEST_FORM) + 1):
                spans.setdefault(text[start:end], []).append((start, end))
        out = []
        words = list(spans)
        for i in range(0, len(words), 500):
            batch = words[i:i + 500]
            query = f"SELECT form, code, short FROM form WHERE form IN ({','.join('?' * len(batch))})"
            for form, code, short in self.db.execute(query, batch):
                out += [(start, end, code, bool(short)) for start, end in spans[form]]
        return sorted(out)

    def close(self) -> None:
        self.db.close()


def store_path(project: Project, code_list: CodeList) -> Path:
    return project.divisions / code_list.folder / STORE_FILE


def open_divisions(project: Project, ontology: Ontology) -> Divisions | None:
    """The installed code list of division codes; None where it is not installed (`make divisions`)."""
    code_list = division_codes(ontology)
    if code_list is None:
        return None
    path = store_path(project, code_list)
    if not path.is_file():
        return None
    divisions = Divisions(path, code_list)
    if divisions.about().get("sha512") != code_list.sha512:
        divisions.close()
        return None  # a copy of another version: install this one
    return divisions
