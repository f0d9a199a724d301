"""Validation: every check a record goes through, with all problems reported in one run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..load.companions import cleaned_texts
from ..load.records import IdRegister, Record, no_records_problem, record_files
from ..map import Mapped
from ..ontology import Ontology
from ..problems import Problem
from ..process import Processed, collection_paused, process_files
from ..settings import Project
from .amounts import check_amounts
from .hierarchy import check_hierarchy
from .references import check_references
from .releases import check_releases
from .shacl import ShapesBeside
from .sources import check_sources


@dataclass
class Verdict:
    records: list[Record]
    mapped: Mapped
    problems: list[Problem]
    processed: list[Processed] = field(default_factory=list)  # in the order of the outputs
    meanwhile: object = None  # what check_project's ``meanwhile`` gave, when it ran

    @property
    def valid(self) -> bool:
        return not self.problems


def first_word_wins(problems: list[Problem]) -> list[Problem]:
    """Where the reader already refused a value (a YAML 1.1 trap, say), later checks of that
    same value add nothing: keep the reader's message alone at that place."""
    read_at = {(p.path, p.line, p.column) for p in problems if p.rule == "yaml"}
    return [p for p in problems if p.rule == "yaml" or (p.path, p.line, p.column) not in read_at]


def check_project(project: Project, ontology: Ontology | None = None, only: list[Path] | None = None,
                  render: bool = False, progress=None, meanwhile: Callable[[list[Processed]], object] | None = None,
                  allow_empty: bool = False) -> Verdict:
    """Read, map and check every record; keep the problems of ``only`` files when given.

    All records are always read, because a reference in one file is checked against the others.
    No record file at all is a problem (a good build must not give way to an empty one), unless
    ``allow_empty``.
    With ``render``, each record's piece of every output format is made on the way.
    ``meanwhile(processed)``, given the records in the order of the outputs, is called while the
    SHACL engine works, when no other check has found a problem; the verdict keeps what it gives.
    """
    with collection_paused():
        return _check_project(project, ontology, only, render, progress, meanwhile, allow_empty)


def _check_project(project: Project, ontology: Ontology | None, only: list[Path] | None, render: bool, progress,
                   meanwhile: Callable[[list[Processed]], object] | None = None, allow_empty: bool = False) -> Verdict:
    ontology = ontology or Ontology(project.ontology)
    files, problems = record_files(project, ontology)
    if not files and not allow_empty:
        problems.append(no_records_problem(project))
    processed = process_files(files, ontology, ontology.output_prefixes, render=render, progress=progress,
                              texts=cleaned_texts(project, ontology))
    mapped = Mapped(ontology)
    own_problems, unreadable, kept = gather(processed, mapped, IdRegister(ontology.id_key))
    problems += own_problems
    shapes = ShapesBeside(mapped, ontology)  # the other checks are made meanwhile
    reference_problems, flagged = check_references(mapped, ontology, unreadable)
    released = check_releases(project, {(r.kind.name, r.id) for r in mapped.records.values()}, ontology)
    hierarchy = check_hierarchy(mapped, ontology, project)
    # Facts are checked against their sources once their records are otherwise valid. Which are
    # is known once SHACL has spoken; until then, the sources are checked as if it will find
    # nothing more, and again, without the records it finds, when it does (a build that fails).
    troubled = {p.path for p in problems + reference_problems + released}
    facts = facts_problems(project, mapped, ontology, troubled)
    kept.sort(key=lambda item: item.subject)
    early = None
    if meanwhile is not None and not (problems or reference_problems or released or hierarchy or facts):
        early = meanwhile(kept)  # (with a problem found already, it would be for nothing)
    shape_problems = shapes.problems(flagged)
    newly = {p.path for p in shape_problems} - troubled
    if newly:
        facts = facts_problems(project, mapped, ontology, troubled | newly)
    problems = first_word_wins(problems + reference_problems + shape_problems + released)
    problems += hierarchy + facts
    if only is not None:
        wanted = {project.relative(path) for path in only}
        wanted |= {name[:-len(".yaml")] + ".txt" for name in wanted if name.endswith(".yaml")}  # a source's cleaned text
        problems = [p for p in problems if p.path in wanted]
    return Verdict([item.record for item in kept], mapped, sorted(set(problems)), kept, early)


def gather(processed: list[Processed], mapped: Mapped, register: IdRegister
           ) -> tuple[list[Problem], set[tuple[str, str]], list[Processed]]:
    """Add the records read to ``mapped``, each id claimed once in ``register``. Gives the files'
    own problems (and a second claim's), the (kind, id) of each file that could not be read as
    a record, and the results added."""
    problems: list[Problem] = []
    unreadable: set[tuple[str, str]] = set()
    kept = []
    for item in processed:
        problems += item.problems
        if item.record is None:
            unreadable.add((item.kind.name, item.path.stem))
            continue
        taken = register.claim(item.record)
        if taken:
            problems.append(taken)
            continue
        mapped.add(item.subject, item.record, item.references, item.blanks, item.ntriples, item.triples)
        kept.append(item)
    return problems, unreadable, kept


def facts_problems(project: Project, mapped: Mapped, ontology: Ontology, troubled: set[str]) -> list[Problem]:
    """Problems of the sources, then of the amounts their quotes state, for the records not
    ``troubled`` (paths) by problems of their own."""
    source_problems = check_sources(project, mapped, ontology, troubled)
    return source_problems + check_amounts(mapped, ontology, troubled | {p.path for p in source_problems})


def validate_project(project: Project, ontology: Ontology | None = None, only: list[Path] | None = None,
                     allow_empty: bool = False) -> Verdict:
    return check_project(project, ontology, only, allow_empty=allow_empty)
