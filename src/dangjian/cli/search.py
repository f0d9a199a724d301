"""`dangjian search QUERY`: ranked word search over the published records, in either script."""

from __future__ import annotations

import json
import sys

import click

from .common import err, find_project, open_build

BOLD_RED, RESET = "\x1b[1;31m", "\x1b[0m"


@click.command("search")
@click.argument("query", required=False)
@click.option("--kind", default=None, help="Only records of this kind: amount, policy, place, organisation, …")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="At most this many results.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--update-dictionary", is_flag=True,
              help="Regenerate the domain dictionary (src/dangjian/search/dictionary/generated.txt) from the records.")
def search_command(query: str | None, kind: str | None, limit: int, fmt: str, update_dictionary: bool) -> None:
    """Search the published records (dist/) for QUERY, in Simplified or Traditional script.

    Ranked by BM25F over labels, descriptions, quotes and source titles; words cut by jieba with
    the project's domain dictionary. Matches are shown «marked» (in bold red on a terminal).
    """
    project = find_project()
    if update_dictionary:
        from ..search.domain import update
        from ..search.segment import GENERATED_FILE

        changed, count = update(project)
        err(f"{project.relative(GENERATED_FILE)}: {count} words" + ("" if changed else " (unchanged)"))
        if not query:
            return
    if not query or not query.strip():
        raise click.UsageError("give a QUERY (or --update-dictionary)")
    from ..search.index import SearchIndex

    kb = open_build(project)
    if kind is not None and kind not in kb.ontology.kinds:
        raise click.BadParameter(f"`{kind}` is no kind of record; choose from {', '.join(kb.ontology.kinds)}",
                                 param_hint="--kind")
    index = SearchIndex.open(kb)
    hits = index.search(query, kind=kind, limit=limit)
    if fmt == "json":
        click.echo(json.dumps({"query": query, "kind": kind, "terms": index.query_terms(query), "count": len(hits),
                               "results": [h.as_json() for h in hits]}, ensure_ascii=False, indent=2))
        return
    if not hits:
        err(f"no record matches {query!r}" + (f" among the {kind} records" if kind else ""))
        return
    tty = sys.stdout.isatty()
    before, after = (BOLD_RED, RESET) if tty else ("«", "»")
    for rank, hit in enumerate(hits, 1):
        label = hit.label
        click.echo(f"{rank:>2}. {label}  [{hit.kind}]  {hit.score:.2f}")
        click.echo(f"    {hit.uri}")
        click.echo(f"    {hit.field}: {hit.snippet.marked(before, after)}")
