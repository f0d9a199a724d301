"""The `dangjian` command: one module per subcommand, each imported only when it runs (so that
a quick `dangjian build` with nothing to do starts in a blink)."""

from __future__ import annotations

import importlib
import os
import sys

import click

from .. import __version__
from ..settings import configure_process

# name -> module in dangjian.cli and the command in it, in the order `--help` lists them.
COMMANDS = {
    "validate": "validate:validate_command",
    "build": "build:build_command",
    "push": "push:push_command",
    "release": "release:release_command",
    "diff": "diff:diff_command",
    "cite": "cite:cite_command",
    "capture": "capture:capture_command",
    "query": "query:query_command",
    "serve": "serve:serve_command",
    "search": "search:search_command",
    "slug": "slug:slug_command",
    "draft": "draft:draft_command",
    "divisions": "divisions:divisions_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attribute = target.split(":")
        return getattr(importlib.import_module(f"{__package__}.{module}"), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dangjian")
def main() -> None:
    """Dangjian KB: validate, publish and query the grassroots Party-building knowledge base.

    Run inside a checkout (or set DANGJIAN_ROOT). Exit codes: 0 success, 1 invalid records
    or a failed task, 2 a usage error.
    """
    configure_process()


def run() -> None:
    """The `dangjian` command itself (the tests call :data:`main` in their own process). Once a
    command that asked for it is done and its output flushed, the process ends at once, as mypy
    does: a build of 100,000 records leaves millions of objects, and freeing them one by one
    would only delay the end, when the system takes back the memory whole anyway."""
    try:
        main.main(prog_name="dangjian")
    except SystemExit as done:
        if not EXIT_AT_ONCE or not (done.code is None or isinstance(done.code, int)):
            raise
        code = done.code or 0
    else:
        raise AssertionError("click returned without exiting")
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away, or a closed stream
        code = code or 1
    os._exit(code)


EXIT_AT_ONCE = False  # set by a command whose work leaves nothing to clean up; see run()


def exit_at_once() -> None:
    """Let run() end the process as soon as this command is done (it keeps no child process,
    temporary file or unflushed file past its end)."""
    global EXIT_AT_ONCE
    EXIT_AT_ONCE = True
