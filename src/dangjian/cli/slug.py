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
    names of existing records. The id goes to stdout, the reasons to stderr.

    NAME may be a division code (411326110239): the place it names in the code list (`make
    divisions`), with its label, level and the place record above it, all suggestions."""
    from ..assist.slug import suggest

    project = find_project()
    if not name.strip():
        raise click.UsageError("give a NAME")
    place = None
    if name.strip().isdigit():  # a division code: the place it names, from the code list
        place = place_of_code(project, name.strip())
        name, kind, within = place["label"], "place", within or place["within"]
    suggestion = suggest(name, existing_labels(project), within=within, kind=kind)
    if fmt == "json":
        click.echo(json.dumps({"name": suggestion.name, "slug": suggestion.slug, "pinyin": suggestion.plain,
                               "tones": suggestion.tones, "existing": suggestion.existing,
                               "collisions": [{"record": k, "label": l, "why": w} for k, l, w in suggestion.collisions],
                               "notes": suggestion.notes, "division": place}, ensure_ascii=False, indent=2))
        return
    click.echo(suggestion.slug)
    if place is not None:
        err(f"suggestion: {place['code']} is {place['name']} in {place['code_list']}: label {place['label']}, "
            f"level {place['level']}, within {place['within'] or '(no place record has a code above it)'}; "
            f"above it: {' < '.join(place['chain'][1:]) or 'nothing'}")
    for note in suggestion.notes:
        err(note)


def place_of_code(project, code: str) -> dict:
    """What the code list says of a division code, as a place record would say it (suggestions)."""
    from ..divisions.store import canonical, open_divisions
    from ..divisions.suggest import place_label, place_level
    from ..assist.draft import place_codes_of
    from ..model.ontology import Ontology

    ontology = Ontology(project.ontology)
    divisions = open_divisions(project, ontology)
    if divisions is None:
        err("a code is looked up in the code list, which is not installed: run `make divisions`")
        raise SystemExit(1)
    chain = divisions.chain(canonical(code))
    if not chain:
        err(f"{code} is not a code in the code list of {divisions.code_list.valid}")
        raise SystemExit(1)
    ids = place_codes_of(project, ontology)
    parent = next((d for d in chain[1:] if d.code in ids), None)
    return {"code": chain[0].code, "name": chain[0].name, "label": place_label(chain[0]), "level": place_level(chain[0]),
            "within": ids[parent.code] if parent else None, "chain": [str(d) for d in chain],
            "code_list": f"the code list of {divisions.code_list.valid} ({divisions.code_list.package})"}
