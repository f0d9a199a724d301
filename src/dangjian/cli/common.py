"""What every subcommand shares: finding the project and its build, and reporting errors on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..settings import Project

if TYPE_CHECKING:
    from ..dataset.published import KnowledgeBase


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
