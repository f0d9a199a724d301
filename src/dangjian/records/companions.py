"""The files kept beside a source record: its capture and its cleaned text.

``records/sources/{id}.capture.txt`` is the page as captured, byte for byte; ``{id}.txt`` is the
article it carries (see :mod:`dangjian.text.capture`), the text every quote of that source is checked
against. The loader knows where they are; what they must hold is checked in
:mod:`dangjian.checks.sources`.
"""

from __future__ import annotations

from pathlib import Path

from ..model.namespaces import PROV_DERIVED_FROM
from ..model.ontology import Ontology
from ..settings import Project
from .loader import read_record

CAPTURE_SUFFIX = ".capture.txt"
TEXT_SUFFIX = ".txt"


def source_kind(ontology: Ontology) -> str:
    """The kind of record a `source` reference names: the articles."""
    return ontology.terms[ontology.key_for(PROV_DERIVED_FROM)].target_kind


def capture_path(project: Project, ontology: Ontology, source_id: str) -> Path:
    return project.records / ontology.kinds[source_kind(ontology)].folder / f"{source_id}{CAPTURE_SUFFIX}"


def text_path(project: Project, ontology: Ontology, source_id: str) -> Path:
    return project.records / ontology.kinds[source_kind(ontology)].folder / f"{source_id}{TEXT_SUFFIX}"


def cleaned_texts(project: Project, ontology: Ontology) -> dict[str, str]:
    """The cleaned text of every source that has one, by source id."""
    folder = project.records / ontology.kinds[source_kind(ontology)].folder
    if not folder.is_dir():
        return {}
    texts = {}
    for path in sorted(folder.glob(f"*{TEXT_SUFFIX}")):
        if path.name.endswith(CAPTURE_SUFFIX):
            continue
        try:
            texts[path.name[:-len(TEXT_SUFFIX)]] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the source check says what is wrong with it
    return texts


class TextsOnDemand:
    """cleaned_texts() for a few records: each text read when first asked for (a quick rebuild
    reads one or two of thousands)."""

    def __init__(self, project: Project, ontology: Ontology):
        self.project, self.ontology = project, ontology
        self.read: dict[str, str | None] = {}

    def get(self, source_id: str, default=None):
        if source_id not in self.read:
            if not isinstance(source_id, str) or not self.ontology.id_pattern.fullmatch(source_id):
                return default  # no such file: ids name files only when well formed
            try:
                self.read[source_id] = text_path(self.project, self.ontology, source_id).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError, ValueError):
                self.read[source_id] = None  # the source check says what is wrong with it
        found = self.read[source_id]
        return default if found is None else found

    def __bool__(self) -> bool:
        return True


class RecordFiles:
    """Records by kind and id: those at hand, and any other read from its file when first asked
    for (a quick rebuild has only the records it read again)."""

    def __init__(self, project: Project | None, ontology: Ontology, records):
        self.project, self.ontology = project, ontology
        self.known = {(r.kind.name, r.id): r for r in records}

    def get(self, kind: str, record_id: str):
        key = (kind, record_id)
        if key not in self.known:
            self.known[key] = self._read(kind, record_id)
        return self.known[key]

    def _read(self, kind: str, record_id: str):
        if self.project is None or kind not in self.ontology.kinds or not isinstance(record_id, str):
            return None
        folder = self.ontology.kinds[kind]
        path = self.project.records / folder.folder / f"{record_id}.yaml"
        if not path.is_file():
            return None
        record, _problems = read_record(path, folder, self.project.relative(path), self.ontology.id_key, self.ontology.id_pattern)
        return record
