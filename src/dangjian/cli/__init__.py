"""The `dangjian` command: one module per subcommand, registered here."""

from __future__ import annotations

import click

from .. import __version__
from .build import build_command
from .push import push_command
from .cite import cite_command
from .diff import diff_command
from .release import release_command
from .validate import validate_command


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dangjian")
def main() -> None:
    """Dangjian KB: validate, publish and query the grassroots Party-building knowledge base.

    Run inside a checkout (or set DANGJIAN_ROOT). Exit codes: 0 success, 1 invalid records
    or a failed task, 2 a usage error.
    """


main.add_command(validate_command)
main.add_command(build_command)
main.add_command(push_command)
main.add_command(release_command)
main.add_command(diff_command)
main.add_command(cite_command)
