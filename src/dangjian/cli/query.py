"""`dangjian query`: run a SPARQL query, a file or a catalogue question against the build."""

from __future__ import annotations

import re

import click

from .common import err, find_project, open_build

NAME = re.compile(r"^[a-z0-9][a-z0-9-]*(\.rq)?$")


@click.command("query")
@click.argument("query", required=False)
@click.option("-f", "--file", "file", type=click.File("r", encoding="utf-8"), default=None,
              help="Read the query from FILE (- for stdin).")
@click.option("--list", "list_", is_flag=True, help="List the catalogue's questions (name and title) and exit.")
@click.option("--format", "fmt", default=None, metavar="FORMAT",
              help="table (the default for SELECT and ASK), csv, tsv, json or xml (SPARQL results); "
                   "ttl (the default for CONSTRUCT and DESCRIBE), nt, jsonld or rdf.")
@click.option("--width", type=click.IntRange(min=0), default=40, show_default=True,
              help="Cut table cells to this many columns (a Chinese character takes two); 0: never cut.")
def query_command(query: str | None, file, list_: bool, fmt: str | None, width: int) -> None:
    """Run a SPARQL query against the built knowledge base (dist/; run `dangjian build` first).

    QUERY is the query's text ('SELECT …'), or the name of a question in the catalogue
    (ontology/queries/NAME.rq; see --list). Or give the query in a file with -f.

    \b
      dangjian query village-cadre-pay
      dangjian query 'SELECT ?s WHERE { ?s a dj:Policy } LIMIT 5' --format csv
      dangjian query -f my.rq --format json

    The ontology's prefixes (dj:, schema:, skos:, place:, amount: …) are declared for queries
    given on the command line or in a file, unless the query declares its own.

    Exit codes: 0 answered; 1 the query failed (a syntax error, shown at its line and column, or
    an error while evaluating it) or there is no build; 2 a usage error (no query, an unknown
    question, a format that does not fit the answer).
    """
    from ..query import catalogue as catalogue_module

    project = find_project()
    if list_:
        if query or file:
            raise click.UsageError("--list takes no query")
        entries = catalogue_module.catalogue(project)
        from ..query.formats import pad
        from ..query.run import display_width

        longest = max((display_width(q.name) for q in entries), default=0)
        for entry in entries:
            click.echo(f"{pad(entry.name, longest)}  {entry.title}")
        return
    if query and file:
        raise click.UsageError("give the query as an argument or with -f, not both")
    if not query and not file:
        raise click.UsageError("give a query, a catalogue name (see --list), or -f FILE")

    from ..query import formats

    if fmt is not None and not formats.known(fmt):
        raise click.UsageError(f"unknown format `{fmt}`; known: {', '.join(formats.FORMAT_NAMES)}")
    from_catalogue = False
    if file is not None:
        text, origin = file.read(), file.name
    elif NAME.match(query.strip()):
        found = catalogue_module.find(project, query.strip())
        if found is None:
            from ..text.suggest import Suggester

            names = [q.name for q in catalogue_module.catalogue(project)]
            close = Suggester(names).nearest(query.strip().removesuffix(".rq"))
            hint = f"; did you mean `{close}`?" if close else "; `dangjian query --list` lists them"
            raise click.UsageError(f"no question called `{query.strip()}` in the catalogue (ontology/queries/){hint}")
        text, origin, from_catalogue = found.text, project.relative(found.path), True
    else:
        text, origin = query, None

    from ..query.run import QueryEvaluationError, QuerySyntaxError, execute

    kb = open_build(project)
    # Catalogue questions are complete as written (other stores run them too); others may lean
    # on the ontology's prefixes.
    prefixes = None if from_catalogue else kb.ontology.output_prefixes
    try:
        results = execute(kb.store, text, prefixes=prefixes, allow_service=True)
        write(results, fmt, kb, width)  # the answer is lazy: it may fail while written too
    except QuerySyntaxError as error:
        if error.prefix is not None:
            from ..text.suggest import Suggester

            close = Suggester(kb.ontology.output_prefixes).nearest(error.prefix)
            if close:
                error.message += f"; did you mean `{close}:`?"
        err((f"{origin}: " if origin else "") + error.report())
        raise SystemExit(1) from None
    except QueryEvaluationError as error:
        err(f"the query failed: {error}")
        raise SystemExit(1) from None


def write(results, fmt: str | None, kb, width: int) -> None:
    from ..query import formats

    if fmt is None or fmt.lower() == "table":
        if results.kind == "graph":
            if fmt is not None:
                raise click.UsageError("a CONSTRUCT or DESCRIBE answer is a graph, not a table; use --format ttl, nt, jsonld or rdf")
            fmt = "ttl"
        else:
            click.echo(formats.table(results, kb.ontology.output_prefixes, width or None), nl=False)
            return
    try:
        data = formats.serialize(results, fmt, kb.ontology)
    except formats.UnsupportedFormat as error:
        raise click.UsageError(str(error)) from None
    click.echo(data if data.endswith(b"\n") or not data else data + b"\n", nl=False)
