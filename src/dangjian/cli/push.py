"""`dangjian push`: replace the release's named graph in a remote triple store with the build."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from contextlib import contextmanager

import click

from ..dataset.published import DUMP
from ..remote.batches import read_ntriples
from ..remote.http import ChallengeAuth, Http, Retry
from ..remote.push import MOVE_TIMEOUT, PROTOCOLS, PushFailed, push
from ..remote.sparql import Endpoints, Store
from .common import err, find_project

BATCH_SIZES = {"gsp": 10_000, "update": 1_000}
_HTTP_URL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
# What may go between < and > in SPARQL: the graph's name is written into every update.
_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|^`\\]+$')


@contextmanager
def _progress_bar(total: int):
    with click.progressbar(length=total, label="loading", file=sys.stderr, show_pos=True) as bar:
        yield bar.update


@click.command("push")
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL query endpoint (Oxigraph: http://host:7878/query; Virtuoso: http://host:8890/sparql-auth).")
@click.option("--update-endpoint", metavar="URL",
              help="Its SPARQL Update endpoint, where that differs (Oxigraph: …/update; Fuseki: …/ds/update).")
@click.option("--store-endpoint", metavar="URL",
              help="Its Graph Store Protocol endpoint (Oxigraph: …/store; Virtuoso: …/sparql-graph-crud-auth; Fuseki: …/ds/data).")
@click.option("--protocol", type=click.Choice(PROTOCOLS),
              help="gsp: PUT/POST the graph through the Graph Store Protocol; update: INSERT DATA in batches. "
                   "[default: gsp with --store-endpoint, else update]")
@click.option("--graph", metavar="IRI", help="The named graph to replace [default: this release's, from dist/manifest.json].")
@click.option("--user", help="User name, for stores that ask for one (HTTP basic or digest).")
@click.option("--password-env", metavar="VAR", help="The environment variable holding the password (never the password itself).")
@click.option("--auth", type=click.Choice(["auto", "basic", "digest"]), default="auto", show_default=True,
              help="auto: whichever the store's challenge asks for.")
@click.option("--batch-size", type=click.IntRange(min=1),
              help=f"Triples per request [default: {BATCH_SIZES['gsp']:,} for gsp, {BATCH_SIZES['update']:,} for update, "
                   "whose requests Virtuoso's SPARQL parser runs out of memory on past a few thousand triples].")
@click.option("--retries", type=click.IntRange(min=0), default=4, show_default=True,
              help="Times to try a request again after a connection error, a timeout, 429 or 5xx (waits 0.5 s, 1 s, 2 s …).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help=f"Seconds to wait for each answer; the final MOVE gets at least {MOVE_TIMEOUT:.0f}.")
def push_command(endpoint, update_endpoint, store_endpoint, protocol, graph, user, password_env, auth,
                 batch_size, retries, timeout) -> None:
    """Replace a named graph in a remote triple store with the current build (dist/).

    The build is loaded into a temporary graph, counted, and moved onto the target graph with
    one SPARQL Update MOVE, so a push that fails midway leaves the previous graph in place.
    The target graph is counted afterwards and must hold exactly the build's triples.
    Exits 0 when it does, 1 when anything failed or differs (the message says what the store
    holds then), 2 on a usage error.
    """
    for option, url in (("--endpoint", endpoint), ("--update-endpoint", update_endpoint), ("--store-endpoint", store_endpoint)):
        if url is not None and not _HTTP_URL.match(url):
            raise click.BadParameter(f"{url!r} is not an http:// or https:// URL", param_hint=option)
    if graph is not None and not _IRI.match(graph):
        raise click.BadParameter(f"{graph!r} is not an absolute IRI (scheme:…, without spaces or <>\"{{}}|^`\\)", param_hint="--graph")
    protocol = protocol or ("gsp" if store_endpoint else "update")
    batch_size = batch_size or BATCH_SIZES[protocol]
    if protocol == "gsp" and not store_endpoint:
        raise click.UsageError("--protocol gsp needs --store-endpoint (the store's Graph Store Protocol URL)")
    if bool(user) != bool(password_env):
        raise click.UsageError("--user and --password-env go together")
    credentials = None
    if user:
        password = os.environ.get(password_env)
        if password is None:
            raise click.UsageError(f"--password-env {password_env}: no such environment variable is set")
        credentials = ChallengeAuth(user, password, auth)
    project = find_project()
    dist = project.relative(project.dist)
    try:
        manifest = json.loads((project.dist / "manifest.json").read_text(encoding="utf-8"))
        built_graph, built_triples = manifest["graph"], manifest["triples"]
    except (OSError, ValueError, KeyError, TypeError):
        err(f"no build in {dist}/ (or one from before dumps had a graph): run `dangjian build` (or `make`) first")
        raise SystemExit(1) from None
    try:
        statements = read_ntriples(project.dist / DUMP)
    except (OSError, ValueError, SyntaxError) as error:
        err(f"{dist}/{DUMP} cannot be read ({error}): run `dangjian build` again")
        raise SystemExit(1) from None
    if len(statements.lines) != built_triples:
        err(f"{dist}/{DUMP} holds {len(statements.lines):,} triples but the manifest says {built_triples:,}: "
            "run `dangjian build` again")
        raise SystemExit(1)
    graph = graph or built_graph

    http = Http(credentials, timeout=timeout, retry=Retry(attempts=retries + 1), on_retry=lambda m: err(f"retrying: {m}"))
    store = Store(Endpoints(endpoint, update_endpoint or endpoint, store_endpoint), http)
    started = time.perf_counter()
    try:
        report = push(store, statements, graph, protocol, batch_size, progress=_progress_bar, say=err,
                      move_timeout=max(timeout, MOVE_TIMEOUT))
    except PushFailed as failure:
        err(f"push failed: {failure}")
        raise SystemExit(1) from None
    finally:
        http.close()
    seconds = time.perf_counter() - started
    click.echo(f"{report.triples:,} triples now in <{report.graph}> at {endpoint} "
               f"(was {report.previous:,}; {report.batches} {'batch' if report.batches == 1 else 'batches'} by {protocol}, "
               f"{seconds:.1f} s); the store's count matches the build")
