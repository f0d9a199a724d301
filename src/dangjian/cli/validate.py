"""`dangjian validate`: check records and report every problem in one run."""

from __future__ import annotations

from pathlib import Path

import click

from ..model.problems import count_line, render_json, render_text
from ..build.validate import validate_project
from . import exit_at_once
from .common import ExistingPath, err, find_project


@click.command("validate")
@click.argument("paths", nargs=-1, type=ExistingPath(dir_okay=True))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per problem (file:line:column: key: message) on stderr, then the count on "
                   "stdout; json: everything on stdout, for editors and CI.")
@click.option("--allow-empty", is_flag=True, help="Take a missing or empty records/ as valid (otherwise a problem).")
def validate_command(paths: tuple[Path, ...], output_format: str, allow_empty: bool) -> None:
    """Check records against the ontology and report every problem.

    With PATHS (files or folders under records/), report only their problems; all records are
    still read, since references are checked against them. Problems go to stderr, the count of
    records checked to stdout. Exits 0 when valid, 1 when not.
    """
    exit_at_once()
    project = find_project()
    only = None
    if paths:
        only = []
        for path in paths:
            if project.relative(path) == str(path) and not path.resolve().is_relative_to(project.root.resolve()):
                raise click.BadParameter(f"{path} is not inside the project at {project.root}", param_hint="PATHS")
            only.extend(sorted(path.rglob("*.yaml")) if path.is_dir() else [path])
    verdict = validate_project(project, only=only, allow_empty=allow_empty)
    if only is not None:
        checked = len(only)
    else:  # the records read, and the record files that could not be read as records (not a
        # source's text beside its record, which a problem can name too)
        shown = {r.shown_path for r in verdict.records}  # once, not once a problem
        unread = {p.path for p in verdict.problems if p.path not in shown and p.line and p.path.endswith(".yaml")}
        checked = len(verdict.records) + len(unread)
    if output_format == "json":
        click.echo(render_json(verdict.problems, checked), nl=False)
    else:
        click.echo(render_text(verdict.problems), nl=False, err=True)
        if not divisions_installed(project):
            err("division codes not checked against their code list: it is not installed (make divisions)")
        click.echo(count_line(verdict.problems, checked))
    raise SystemExit(1 if verdict.problems else 0)


def divisions_installed(project) -> bool:
    from ..divisions.store import open_divisions
    from ..model.ontology import Ontology

    divisions = open_divisions(project, Ontology(project.ontology))
    if divisions is not None:
        divisions.close()
    return divisions is not None
