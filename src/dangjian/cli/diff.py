"""`dangjian diff OLD NEW`: records added, removed and changed between two versions."""

from __future__ import annotations

import json

import click

from ..build.validate import validate_project
from ..dataset.diff import DiffError, diff
from ..model.ontology import Ontology
from .common import err, find_project


@click.command("diff")
@click.argument("old")
@click.argument("new", default="working")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff_command(old: str, new: str, output_format: str) -> None:
    """List the records added, removed and changed between OLD and NEW, each a release version
    or `working` (the records as they are now; the default for NEW), with the statements that
    changed. Exits 0 whether or not there are differences, 1 when a version cannot be read."""
    project = find_project()
    try:
        ontology = Ontology(project.ontology)
        result = diff(project, ontology, old, new, lambda: validate_project(project, ontology))
    except DiffError as error:
        err(str(error))
        raise SystemExit(1) from None
    if output_format == "json":
        data = {"old": result.old, "new": result.new, "added": result.added, "removed": result.removed,
                "changed": [{"uri": c.uri, "removed": [s.rstrip("\n") for s in c.removed], "added": [s.rstrip("\n") for s in c.added],
                             "statements_known": c.statements_known} for c in result.changed]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for title, uris in (("added", result.added), ("removed", result.removed)):
        if uris:
            click.echo(f"{title} ({len(uris)}):")
            for uri in uris:
                click.echo(f"  {'+' if title == 'added' else '-'} {uri}")
    if result.changed:
        click.echo(f"changed ({len(result.changed)}):")
        for change in result.changed:
            click.echo(f"  ~ {change.uri}")
            if not change.statements_known:
                click.echo(f"      (statements unknown: the dump of {result.old} is not in dist/releases/; its hashes differ)")
            for line in change.removed:
                click.echo(f"      - {line.rstrip()}")
            for line in change.added:
                click.echo(f"      + {line.rstrip()}")
    err(f"{result.old} → {result.new}: {len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed")
