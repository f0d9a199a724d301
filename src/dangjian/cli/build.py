"""`dangjian build`: validate, then publish every format to dist/ atomically."""

from __future__ import annotations

from pathlib import Path

import click

from . import exit_at_once
from .common import err, find_project


@click.command("build")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to publish to (default: dist/ in the project).")
@click.option("--site", is_flag=True,
              help="Also write the static site to site/ in the output folder: pages, documents, and nginx/Apache rules.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but problems.")
@click.option("--watch", "-w", is_flag=True,
              help="Build, then stay and rebuild dist/ each time a record or the ontology changes, until Ctrl-C.")
@click.option("--allow-empty", is_flag=True,
              help="Publish an empty dataset when there is no record file (without it, a missing or empty "
                   "records/ is an error, and the previous output stays).")
def build_command(out: Path | None, site: bool, quiet: bool, watch: bool, allow_empty: bool) -> None:
    """Validate every record, then write Turtle, N-Triples, JSON-LD, the ontology, the dataset
    description (void.ttl) and a manifest; with --site, the static site too.

    A build that fails validation leaves the previous output untouched; so does one that is
    interrupted, since the new folder replaces the old one in a single step, and so does one
    that finds no record at all (unless --allow-empty).

    With --watch, the process stays and rebuilds after each edit: the system says which files
    changed, and only they (and the records that name them) are read again.
    """
    exit_at_once()
    project = find_project()
    if watch:
        if out is not None or site:
            raise click.UsageError("--watch keeps dist/ current; it does not go with --out or --site")
        from .watching import watch_and_report

        watch_and_report(project, quiet)
        return
    scanned: dict = {}
    if out is None and not site:
        from ..build.index import current_manifest
        from ..settings import base_iri

        manifest = current_manifest(project, project.dist, base_iri(), scanned)
        if manifest is not None:
            if not quiet:
                kinds = ", ".join(f"{n} {kind}" for kind, n in manifest["records"].items())
                click.echo(f"{sum(manifest['records'].values())} records valid ({kinds})")
                click.echo(f"nothing changed since the last build: dist/ is current ({manifest['triples']:,} triples, version {manifest.get('version')})")
            return
    from ..build.full import BuildFailed, build
    from ..model.problems import count_line, render_text

    try:
        report = build(project, out=out, site=site, on_wait=lambda: err("waiting for another build to finish…"),
                       scanned=scanned.get("signatures"), allow_empty=allow_empty)
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
    tombstones = f", {report.tombstones} tombstone{'s' if report.tombstones != 1 else ''}" if report.tombstones else ""
    click.echo(f"{sum(report.records_by_kind.values())} records valid ({kinds}){tombstones}")
    if report.changed == 0:
        click.echo(f"nothing changed since the last build: {shown_out}/ is current ({report.triples:,} triples, "
                   f"version {report.version}; checked in {report.seconds:.2f} s)")
        return
    how = f", {report.changed} changed record{'s' if report.changed != 1 else ''} read again" if report.changed else ""
    click.echo(f"{report.triples:,} triples published to {shown_out}/ (version {report.version}) in {report.seconds:.1f} s{how}:")
    folders: dict[str, list[int]] = {}
    for name, size in sorted(report.files.items()):
        if "/" in name:
            folders.setdefault(name.split("/")[0], []).append(size)
        else:
            click.echo(f"  {shown_out}/{name:<16} {size:>12,} bytes")
    for folder, sizes in sorted(folders.items()):
        click.echo(f"  {shown_out}/{folder + '/':<16} {sum(sizes):>12,} bytes in {len(sizes):,} files")
