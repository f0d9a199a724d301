"""`dangjian draft SOURCE_TEXT`: draft records from an article, for a curator to review."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from .common import ExistingPath, err, find_project


@click.command("draft")
@click.argument("source_text", type=ExistingPath(dir_okay=False))
@click.option("--source-id", default=None, help="The id of the source record (default: the file's name, as a slug).")
@click.option("--write", "write_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Write each draft to DIR/{kinds}/{id}.yaml (never over an existing file). Without it nothing is written.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
def draft_command(source_text: Path, source_id: str | None, write_dir: Path | None, fmt: str) -> None:
    """Read SOURCE_TEXT (an article's cleaned text, UTF-8) and print draft records: every amount
    (quote, value, unit, bound, period), the organisations and places it names, and keywords; with
    the code list installed (`make divisions`), each place's division code and the places above it.

    Each suggested value is marked `# suggestion`, and each record `draft: true`, which `dangjian
    validate` refuses until a curator has reviewed the record and deleted that line.
    """
    from ..assist.draft import known_names, make_draft, place_codes_of, write_drafts
    from ..divisions.store import open_divisions
    from ..model.ontology import Ontology
    from .slug import existing_labels

    project = find_project()
    try:
        text = source_text.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        err(f"{source_text}: not UTF-8 text")
        raise SystemExit(1) from None
    ontology = Ontology(project.ontology)
    if source_id is None:
        source_id = re.sub(r"[^a-z0-9]+", "-", source_text.name.split(".")[0].lower()).strip("-") or "source"
    if not ontology.id_pattern.fullmatch(source_id):
        raise click.BadParameter(f"`{source_id}` is not a record id (lowercase ASCII letters, digits and hyphens)",
                                 param_hint="--source-id")
    existing = existing_labels(project)
    divisions = open_divisions(project, ontology)
    draft = make_draft(text, source_id, project, existing=existing, known=known_names(project, ontology),
                       source_exists=f"source/{source_id}" in existing, divisions=divisions,
                       place_codes=place_codes_of(project, ontology))
    if write_dir is not None:
        try:
            written = write_drafts(draft, write_dir)
        except FileExistsError as error:
            taken = error.args[0]
            err(f"refusing to write: {len(taken)} of the {len(draft.records)} files exist already, and drafts never "
                f"overwrite a record; nothing was written:")
            for path in taken[:10]:
                err(f"  {path}")
            if len(taken) > 10:
                err(f"  … and {len(taken) - 10} more")
            err("move them away, or write to another folder")
            raise SystemExit(1) from None
        err(f"{draft.summary()}; {len(written)} files written under {write_dir}/")
    if fmt == "json":
        click.echo(json.dumps(draft.as_json(), ensure_ascii=False, indent=2))
    elif write_dir is None:
        click.echo(draft.text(), nl=False)
        err(draft.summary())
