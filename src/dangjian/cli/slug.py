"""`dangjian slug NAME`: an ASCII id for a new record, from the name's pinyin."""

from __future__ import annotations

import json

import click

from .common import err, find_project


def existing_labels(project) -> dict[str, str]:
    """kind/id -> Chinese label (Simplified) of every record, tombstones included (their ids stay taken)."""
    from ..records.loader import load_records
    from ..model.ontology import Ontology
    from ..search.domain import chinese_texts

    ontology = Ontology(project.ontology)
    out = {}
    for record in load_records(project, ontology).records:
        labels = chinese_texts(record.data.get("label"), ontology.default_language)
        out[f"{record.kind.name}/{record.id}"] = labels[0] if labels else ""
    return out


@click.command("slug")
@click.argument("name")
@click.option("--kind", default=None, help="The kind of the new record (place names get their level word: -town, -county …).")
@click.option("--within", default=None, metavar="PLACE_ID",
              help="The parent place's id, to tell apart names that read alike (苏州市 --within jiangsu → suzhou-jiangsu).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def slug_command(name: str, kind: str | None, within: str | None, fmt: str) -> None:
    """Suggest an ASCII id for a record named NAME (Chinese, either script): pinyin, with
    src/dangjian/text/readings.tsv for readings pypinyin gets wrong, kept apart from the ids and
    names of existing records. The id goes to stdout, the reasons to stderr."""
    from ..assist.slug import suggest

    project = find_project()
    if not name.strip():
        raise click.UsageError("give a NAME")
    suggestion = suggest(name, existing_labels(project), within=within, kind=kind)
    if fmt == "json":
        click.echo(json.dumps({"name": suggestion.name, "slug": suggestion.slug, "pinyin": suggestion.plain,
                               "tones": suggestion.tones, "existing": suggestion.existing,
                               "collisions": [{"record": k, "label": l, "why": w} for k, l, w in suggestion.collisions],
                               "notes": suggestion.notes}, ensure_ascii=False, indent=2))
        return
    click.echo(suggestion.slug)
    for note in suggestion.notes:
        err(note)
