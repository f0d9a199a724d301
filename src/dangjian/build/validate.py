"""Validation of a whole project, as `dangjian validate` and a full build make it: every record
file read by the pipeline (in worker processes when there are many), then every check in one
run, with the SHACL engine beside the other checks."""

from __future__ import annotations

from pathlib import Path

from ..checks.run import Run, Verdict, record_check
from ..model.ontology import Ontology
from ..records.companions import cleaned_texts
from ..records.loader import no_records_problem, record_files
from ..settings import Project
from .shapes import beside
from .tuning import collection_paused
from .workers import process_files


def start_checks(project: Project, ontology: Ontology, render: bool = False, progress=None,
                 allow_empty: bool = False) -> Run:
    """Every record read, and the run of the checks begun (see :class:`dangjian.checks.run.Run`).
    With ``render``, each record's piece of every output format is made on the way. No record
    file at all is a problem (a good build must not give way to an empty one), unless
    ``allow_empty``."""
    files, problems = record_files(project, ontology)
    if not files and not allow_empty:
        problems.append(no_records_problem(project))
    processed = process_files(files, ontology, ontology.output_prefixes, render=render, progress=progress,
                              texts=cleaned_texts(project, ontology), record_check=record_check(ontology))
    return Run(project, ontology, processed, problems=problems, engine=beside)


def validate_project(project: Project, ontology: Ontology | None = None, only: list[Path] | None = None,
                     allow_empty: bool = False) -> Verdict:
    """Read, map and check every record; keep the problems of ``only`` files when given.

    All records are always read, because a reference in one file is checked against the others."""
    ontology = ontology or Ontology(project.ontology)
    with collection_paused():
        verdict = start_checks(project, ontology, allow_empty=allow_empty).verdict()
    if only is not None:
        wanted = {project.relative(path) for path in only}
        wanted |= {name[:-len(".yaml")] + ".txt" for name in wanted if name.endswith(".yaml")}  # a source's cleaned text
        verdict.problems = [p for p in verdict.problems if p.path in wanted]
    return verdict
