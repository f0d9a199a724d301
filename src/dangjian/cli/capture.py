"""`dangjian capture`: the captured pages sources are kept as, and the article text made from them."""

from __future__ import annotations

from pathlib import Path

import click

from ..text.capture import UnknownLayout, clean_file, layout_of, sha256
from ..records.companions import CAPTURE_SUFFIX, TEXT_SUFFIX
from .common import ExistingPath, err


@click.group("capture")
def capture_command() -> None:
    """Captured web pages (records/sources/{id}.capture.txt) and their cleaned text ({id}.txt)."""


@capture_command.command("clean")
@click.argument("captures", nargs=-1, required=True, type=ExistingPath(dir_okay=False))
@click.option("--write", "-w", is_flag=True,
              help=f"Write each cleaned text beside its capture ({{id}}{CAPTURE_SUFFIX} -> {{id}}{TEXT_SUFFIX}) instead of printing it.")
def clean_command(captures: tuple[Path, ...], write: bool) -> None:
    """Print the article each CAPTURE carries, without the site's noise (navigation, notices,
    footers, pinyin readings, garbled lines), line for line and in its own script.

    The page layouts known are described in dangjian.text.capture.LAYOUTS. With --write, the text
    goes to the record's companion file, the one validation checks quotes against.
    """
    failed = False
    for path in captures:
        raw = path.read_bytes()
        try:
            text = clean_file(raw)
        except UnknownLayout as error:
            err(f"{path}: {error}")
            failed = True
            continue
        except UnicodeDecodeError:
            err(f"{path}: not UTF-8; keep captures as UTF-8 text")
            failed = True
            continue
        if not write:
            click.echo(text, nl=False)
            continue
        if not path.name.endswith(CAPTURE_SUFFIX):
            raise click.BadParameter(f"{path} does not end in {CAPTURE_SUFFIX}; name captures {{id}}{CAPTURE_SUFFIX}", param_hint="CAPTURES")
        target = path.with_name(path.name[:-len(CAPTURE_SUFFIX)] + TEXT_SUFFIX)
        target.write_text(text, encoding="utf-8")
        err(f"{target}: {len(text.splitlines())} lines from {path.name} ({layout_of(raw.decode('utf-8')).name} layout, capture SHA-256 {sha256(raw)})")
    raise SystemExit(1 if failed else 0)
