"""`dangjian build`: validate, then publish every format to dist/ atomically."""

from __future__ import annotations

from pathlib import Path

import click

from ..build import BuildFailed, build
from ..problems import count_line, render_text
from .common import err, find_project


@click.command("build")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to publish to (default: dist/ in the project).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but problems.")
def build_command(out: Path | None, quiet: bool) -> None:
    """Validate every record, then write Turtle, N-Triples, JSON-LD, the ontology and a manifest.

    A build that fails validation leaves the previous output untouched; so does one that is
    interrupted, since the new folder replaces the old one in a single step.
    """
    project = find_project()
    try:
        report = build(project, out=out, on_wait=lambda: err("waiting for another build to finish…"))
    except BuildFailed as failed:
        problems = failed.verdict.problems
        err(render_text(problems).rstrip("\n"))
        err(count_line(problems, len(failed.verdict.records)))
        err("build stopped: nothing was published; the previous output is untouched")
        raise SystemExit(1) from None
    if quiet:
        return
    shown_out = project.relative(report.out)
    kinds = ", ".join(f"{n} {kind}" for kind, n in report.records_by_kind.items())
    click.echo(f"{sum(report.records_by_kind.values())} records valid ({kinds})")
    click.echo(f"{report.triples:,} triples published to {shown_out}/ in {report.seconds:.1f} s:")
    for name, size in report.files.items():
        click.echo(f"  {shown_out}/{name:<16} {size:>12,} bytes")
