"""The files kept beside a source record: its capture and its cleaned text.

``records/sources/{id}.capture.txt`` is the page as captured, byte for byte; ``{id}.txt`` is the
article it carries (see :mod:`dangjian.capture`), the text every quote of that source is checked
against. The loader knows where they are; what they must hold is checked in
:mod:`dangjian.validate.sources`.
"""

from __future__ import annotations

from pathlib import Path

from ..ontology import Ontology
from ..settings import Project

CAPTURE_SUFFIX = ".capture.txt"
TEXT_SUFFIX = ".txt"
PROV_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"


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
