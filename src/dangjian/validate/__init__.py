"""Validation: every check a record goes through, with all problems reported in one run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..load.records import Record, load_records
from ..map import Mapped, map_records
from ..ontology import Ontology
from ..problems import Problem
from ..settings import Project
from .references import check_references
from .releases import check_releases
from .shacl import check_shapes


@dataclass
class Verdict:
    records: list[Record]
    mapped: Mapped
    problems: list[Problem]

    @property
    def valid(self) -> bool:
        return not self.problems


def first_word_wins(problems: list[Problem]) -> list[Problem]:
    """Where the reader already refused a value (a YAML 1.1 trap, say), later checks of that
    same value add nothing: keep the reader's message alone at that place."""
    read_at = {(p.path, p.line, p.column) for p in problems if p.rule == "yaml"}
    return [p for p in problems if p.rule == "yaml" or (p.path, p.line, p.column) not in read_at]


def validate_project(project: Project, ontology: Ontology | None = None, only: list[Path] | None = None) -> Verdict:
    """Load, map and check every record; keep the problems of ``only`` files when given.

    All records are always read, because a reference in one file is checked against the others.
    """
    ontology = ontology or Ontology(project.ontology)
    loaded = load_records(project, ontology)
    mapped = map_records(loaded.records, ontology)
    reference_problems, flagged = check_references(mapped, ontology, loaded.unreadable)
    problems = first_word_wins(loaded.problems + mapped.problems + reference_problems + check_shapes(mapped, ontology, flagged)
                               + check_releases(project, mapped, ontology))
    if only is not None:
        wanted = {project.relative(path) for path in only}
        problems = [p for p in problems if p.path in wanted]
    return Verdict(loaded.records, mapped, sorted(set(problems)))
