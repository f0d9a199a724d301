"""`dangjian cite ID`: a citation of one record."""

from __future__ import annotations

import datetime

import click

from ..dataset import cite
from ..dataset.graph import Graph
from .common import err, find_project, open_build


@click.command("cite")
@click.argument("record")
@click.option("--format", "fmt", type=click.Choice(cite.FORMATS), default="text", show_default=True,
              help="text, BibTeX, CSL-JSON (for Zotero, Pandoc) or RIS.")
@click.option("--accessed", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date you read the record, YYYY-MM-DD (default: today).")
def cite_command(record: str, fmt: str, accessed: datetime.datetime | None) -> None:
    """Cite RECORD (an id such as suzhou-anhui, kind/id, or its URI) from the published dataset:
    title, dataset, version, URI and access date."""
    project = find_project()
    kb = open_build(project)
    graph = Graph.from_store(kb.store, kb.ontology)
    records = graph.records()
    wanted = record.strip()
    split = kb.ontology.split_record_iri(wanted) if wanted.startswith("http") else None
    if split is None and "/" in wanted and not wanted.startswith("http"):
        split = tuple(wanted.split("/", 1))
    matches = [iri for iri, (kind, rid) in records.items() if (split and (kind, rid) == split) or (not split and rid == wanted)]
    if not matches:
        import difflib
        close = difflib.get_close_matches(wanted.rsplit("/", 1)[-1], sorted(rid for _k, rid in records.values()), n=1, cutoff=0.6)
        err(f"no record has the id `{wanted}`" + (f"; did you mean `{close[0]}`?" if close else ""))
        raise SystemExit(1)
    iri = matches[0]
    tombstone = graph.tombstone(iri)
    if tombstone and tombstone[0] == "withdrawn":
        err(f"`{records[iri][1]}` was withdrawn; its URI answers 410 Gone. Cite it from the release that had it.")
        raise SystemExit(1)
    if tombstone:
        err(f"`{records[iri][1]}` was replaced by `{records[tombstone[1]][1]}`; citing that record")
        iri = tombstone[1]
    kind, record_id = records[iri]
    zh, en = graph.label(iri, "zh"), graph.label(iri, "en")
    manifest = kb.manifest
    citation = cite.Citation(zh or en or record_id, en if zh else None, kind, record_id, iri, manifest.get("dataset", "Dangjian KB"),
                             manifest.get("version", "unreleased"), manifest.get("issued"),
                             (accessed.date() if accessed else datetime.date.today()))
    click.echo(cite.render(citation, fmt), nl=False)
