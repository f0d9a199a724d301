"""`dangjian serve`: the published knowledge base over HTTP (record URIs, pages, SPARQL)."""

from __future__ import annotations

import socket

import click

from ..serve.limits import Limits
from .common import err, find_project, open_build

DEFAULTS = Limits()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default answers this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help=f"Seconds a SPARQL query may run before its worker is killed (503). [default: {DEFAULTS.timeout:g}]")
@click.option("--max-rows", type=click.IntRange(min=1), default=None,
              help=f"Solutions or triples one SPARQL answer may carry (more: 413). [default: {DEFAULTS.max_rows}]")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help=f"Bytes one SPARQL answer may take (more: 413). [default: {DEFAULTS.max_bytes}]")
@click.option("--max-body", type=click.IntRange(min=1), default=None,
              help=f"Bytes a request body may take (more: 413, unread). [default: {DEFAULTS.max_body}]")
@click.option("--workers", type=click.IntRange(min=1, max=64), default=None,
              help=f"Query worker processes (queries run at once). [default: {DEFAULTS.workers}]")
@click.option("--memory", type=click.IntRange(min=256), default=None,
              help=f"MiB of address space per query worker (more: the query is stopped, 503). [default: {DEFAULTS.memory}]")
@click.option("--access-log/--no-access-log", default=False, show_default=True, help="Log every request on stderr.")
def serve_command(host: str, port: int, timeout, max_rows, max_bytes, max_body, workers, memory, access_log: bool) -> None:
    """Serve the published knowledge base (dist/) over HTTP: record URIs with content negotiation,
    pages, downloads, and a read-only SPARQL 1.1 endpoint at /sparql. Ctrl-C stops it.

    Every limit can also be set in the environment, as DANGJIAN_SERVE_TIMEOUT, DANGJIAN_SERVE_MAX_ROWS,
    and so on; an option given here wins.
    """
    project = find_project()
    kb = open_build(project)
    try:
        limits = Limits.from_environment(timeout=timeout, max_rows=max_rows, max_bytes=max_bytes, max_body=max_body,
                                         workers=workers, memory=memory)
    except ValueError as error:
        raise click.UsageError(str(error)) from None

    import uvicorn

    from ..serve.app import create_app

    try:  # say plainly when the port is taken, before starting anything
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        err(f"cannot listen on {host}:{port}: {error.strerror or error}")
        raise SystemExit(1) from None

    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    manifest = kb.manifest
    err(f"serving {project.relative(kb.dist)}/ ({manifest.get('dataset', 'Dangjian KB')} {manifest.get('version', '')}, "
        f"{manifest.get('triples', 0):,} triples) at {url}  SPARQL: {url}sparql")
    err(f"limits: {limits.timeout:g} s, {limits.max_rows:,} rows, {limits.max_bytes:,} bytes per answer; "
        f"{limits.max_body:,} bytes per request body; {limits.workers} query workers of {limits.memory:,} MiB. "
        "Ctrl-C stops.")
    if host not in ("127.0.0.1", "localhost", "::1"):
        err(f"note: listening on {host}, so other machines can reach this server")
    config = uvicorn.Config(create_app(kb, limits), host=host, port=port, log_level="warning",
                            access_log=access_log, lifespan="on", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn stops on Ctrl-C, then passes the signal on: that is a clean stop
        pass
    if not server.started:
        err("the server did not start (see above)")
        raise SystemExit(1)
    err("stopped")
