"""What every subcommand shares: finding the project and its build, and reporting errors on stderr."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..settings import Project

if TYPE_CHECKING:
    from ..dataset.published import KnowledgeBase


class ExistingPath(click.Path):
    """click's existing path, which says why a symbolic link does not lead anywhere.

    click reports a link loop or a dangling link as "does not exist", which sends the user looking
    for a file that is there.
    """

    def __init__(self, **options) -> None:
        super().__init__(exists=True, path_type=Path, **options)

    def convert(self, value, param, ctx):
        if os.path.islink(value) and not os.path.exists(value):
            try:
                os.stat(value)
            except OSError as error:
                if error.errno == errno.ELOOP:
                    self.fail(f"{click.format_filename(value)!r} is a symbolic link that loops back on itself.", param, ctx)
            self.fail(f"{click.format_filename(value)!r} is a symbolic link to {os.readlink(value)!r}, which does not exist.",
                      param, ctx)
        return super().convert(value, param, ctx)


def find_project() -> Project:
    try:
        return Project.find()
    except LookupError as error:
        raise click.UsageError(str(error)) from None


def err(message: str) -> None:
    click.echo(message, err=True)


def open_build(project: Project) -> KnowledgeBase:
    """The published build (dist/), or exit 1 saying what to run."""
    from ..dataset.published import KnowledgeBase, NotBuilt  # here: commands that need no build start quicker

    try:
        return KnowledgeBase(project)
    except NotBuilt as error:
        err(str(error))
        raise SystemExit(1) from None
