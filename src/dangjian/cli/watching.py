"""What `dangjian build --watch` prints: a line for each rebuild, problems on stderr."""

from __future__ import annotations

import signal
import time

import click

from ..build.report import BuildFailed, BuildReport
from ..model.problems import count_line, render_text
from ..settings import Project
from .common import err


def watch_and_report(project: Project, quiet: bool) -> None:
    from ..build.watch import Watch

    def now() -> str:
        return time.strftime("%H:%M:%S")

    def built(report: BuildReport, told: list[str]) -> None:
        if quiet:
            return
        shown_out = project.relative(report.out)
        what = (told[0] if len(told) == 1 else f"{len(told)} files") if told else f"{sum(report.records_by_kind.values())} records"
        if report.changed == 0:
            click.echo(f"{now()} {what}: nothing changed, {shown_out}/ is current ({report.triples:,} triples, version {report.version})")
            return
        read = f", {report.changed} changed record{'s' if report.changed != 1 else ''} read again" if report.changed else ""
        click.echo(f"{now()} {what}: published {shown_out}/ version {report.version} ({report.triples:,} triples) "
                   f"in {report.seconds:.2f} s{read}")

    def failed(failure: BuildFailed | None) -> None:
        if failure is not None:  # (None: a full build, in a process of its own, said what was wrong)
            problems = failure.verdict.problems
            err(render_text(problems).rstrip("\n"))
            err(count_line(problems, len(failure.verdict.records)))
        err(f"{now()} not published: the previous output is untouched; watching for the fix")

    def stop(_signal, _frame) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # (a supervisor's way to ask) stops it as Ctrl-C does
    watch = Watch(project, built, failed)
    if not quiet:
        click.echo(f"{now()} watching {project.relative(project.records)}/ and {project.relative(project.ontology)}/; Ctrl-C stops")
    try:
        watch.run()
    except KeyboardInterrupt:  # Ctrl-C: the way to stop, not a failure
        pass
    if not quiet:
        click.echo(f"{now()} stopped watching")
