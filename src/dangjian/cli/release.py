"""`dangjian release VERSION`: freeze a release of the published URIs."""

from __future__ import annotations

import datetime

import click

from ..build.full import BuildFailed, build
from ..model.problems import count_line, render_text
from ..dataset.releases import valid_version, write_release_manifest
from ..records.releases import MANIFEST, RELEASES, releases, version_key
from .common import err, find_project


@click.command("release")
@click.argument("version")
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The release date, YYYY-MM-DD (default: today).")
def release_command(version: str, date: datetime.datetime | None) -> None:
    """Freeze release VERSION: validate and build, write releases/VERSION/manifest.json (every
    published record URI with the hash of its statements; commit it), and keep the dumps in
    dist/releases/VERSION/.

    From then on `dangjian validate` fails if any URI of this release disappears without a
    tombstone. A release, once made, is never rewritten.
    """
    project = find_project()
    if not valid_version(version):
        raise click.BadParameter("use letters, digits, dots, + and -, such as 1.0.0", param_hint="VERSION")
    known = releases(project)
    if any(r.version == version for r in known):
        err(f"release {version} exists already ({RELEASES}/{version}/{MANIFEST}); releases are never rewritten")
        raise SystemExit(1)
    if known and version_key(version) <= version_key(known[-1].version):
        err(f"release {version} would come before the latest release, {known[-1].version}; give a later version")
        raise SystemExit(1)
    issued = (date.date() if date else datetime.date.today()).isoformat()
    try:
        report = build(project, release=(version, issued))
    except BuildFailed as failed:
        err(render_text(failed.verdict.problems).rstrip("\n"))
        err(count_line(failed.verdict.problems, len(failed.verdict.records)))
        err("no release made: fix the problems first")
        raise SystemExit(1) from None
    folder = project.root / RELEASES / version
    dumps = {name.split("/", 2)[2]: (report.out / name).read_bytes() for name in report.files if name.startswith(f"releases/{version}/")}
    facts = {k: report.facts[k] for k in ("dataset", "version", "issued", "previous", "base", "records", "tombstones", "triples")}
    folder.mkdir(parents=True)
    (folder / MANIFEST).write_bytes(write_release_manifest(facts, dumps, report.hashes))
    click.echo(f"release {version} ({issued}): {len(report.hashes)} URIs in {project.relative(folder / MANIFEST)}; "
               f"dumps in {project.relative(report.out)}/releases/{version}/")
    click.echo(f"commit {project.relative(folder / MANIFEST)}: it is what keeps these URIs from breaking")
