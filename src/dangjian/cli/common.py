"""What every subcommand shares: finding the project, and reporting errors on stderr."""

from __future__ import annotations

import click

from ..settings import Project


def find_project() -> Project:
    try:
        return Project.find()
    except LookupError as error:
        raise click.UsageError(str(error)) from None


def err(message: str) -> None:
    click.echo(message, err=True)
