"""The killable query pool: SPARQL queries run in worker processes, never in the server.

A pyoxigraph query cannot be interrupted from another thread, so each query goes to a worker
process holding its own in-memory copy of the published graph (bulk-loaded from
``dist/dangjian.nt`` as it starts). When a query
outruns the time limit its worker is killed (SIGKILL) and a fresh one started in the background;
the request is answered 503 at once, and the other workers go on serving.

Each worker also runs under an address-space limit (a query that needs more dies, and is
answered 503), dies with the server (``PR_SET_PDEATHSIG``), and, once its graph is loaded, may
open no file descriptor at all: whatever the query, it cannot reach the network.

The worker runs the query as `dangjian query` does (:func:`dangjian.query.run.execute`) and
writes the answer itself (:func:`dangjian.query.formats.serialize`), after counting it against
the row limit, so that the server only ever passes bytes along.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import pickle
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

# Imported here, before a worker closes its door: once it has, it can open no module's file.
from ..query import formats
from ..query.run import QueryEvaluationError, QuerySyntaxError, Results, TooManyRows
from ..query.run import execute as run_query
from .limits import Limits

HTML = "html"  # the rows themselves, for the server to lay out as a table


@dataclass
class Job:
    query: str
    results_format: str | None  # a format for SELECT and ASK (see sparql.formats), HTML, or None (none acceptable)
    graph_format: str | None  # a format for CONSTRUCT and DESCRIBE, HTML, or None
    default_graphs: list[str] | None = None  # default-graph-uri (None: the protocol named none)
    named_graphs: list[str] | None = None
    max_rows: int = 10_000
    max_bytes: int = 16 * 2**20


@dataclass
class Outcome:
    status: int
    body: bytes = b""
    media_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    kind: str | None = None  # "solutions", "boolean" or "graph"
    table: dict | None = None  # for HTML: {"vars": [...], "rows": [[term or None]]} or {"boolean": bool}
    seconds: float = 0.0

    @classmethod
    def message(cls, status: int, text: str, **headers: str) -> "Outcome":
        return cls(status, (text.rstrip("\n") + "\n").encode("utf-8"), headers=dict(headers))


# --- in the worker process -------------------------------------------------------------------


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the server that started it goes away."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _close_the_door() -> None:
    """Take every free descriptor number below the highest open one, then forbid any more:
    the worker can open no socket and no file from here on (RLIMIT_NOFILE)."""
    import resource

    try:
        listed = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return
    open_fds = set()
    for number in listed:  # the listing names its own descriptor, closed by now
        try:
            os.fstat(number)
            open_fds.add(number)
        except OSError:
            pass
    highest = max(open_fds)
    for number in sorted(set(range(highest + 1)) - open_fds):
        fd = os.open(os.devnull, os.O_RDONLY)
        if fd != number:
            os.dup2(fd, number)
            os.close(fd)
    # Every number up to the highest is taken; the limit forbids any above it.
    resource.setrlimit(resource.RLIMIT_NOFILE, (highest + 1, highest + 1))


FRAME = struct.Struct("!Q")  # every message: its length, then its pickle


def framed(message) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return FRAME.pack(len(data)) + data


class Channel:
    """The worker's end of its socket: whole messages, blocking. (The server's end, :class:`Worker`,
    reads the same way but awaits each read; a worker has no event loop to await on.)"""

    def __init__(self, fd: int):
        self.sock = socket.socket(fileno=fd)

    def send(self, message) -> None:
        self.sock.sendall(framed(message))

    def _exactly(self, n: int) -> bytes:
        buffer = bytearray()
        while len(buffer) < n:
            chunk = self.sock.recv(min(n - len(buffer), 1 << 20))
            if not chunk:
                raise EOFError
            buffer += chunk
        return bytes(buffer)

    def recv(self):
        (length,) = FRAME.unpack(self._exactly(FRAME.size))
        return pickle.loads(self._exactly(length))


def child_main() -> None:
    """The worker process's entry point (``python -c``, so no module is run twice): its
    arguments are one JSON list, and its connection to the server a socket it inherited."""
    fd, dump, graph, prefixes, memory_mib, vocabulary = json.loads(sys.argv[1])
    worker_main(Channel(fd), dump, graph, prefixes, memory_mib, vocabulary)


def worker_main(conn, dump: str, graph: str, prefixes: dict[str, str], memory_mib: int,
                vocabulary: tuple[str, str] | None = None) -> None:
    """A worker: load the graph (and ``vocabulary``: the published vocabulary's file and its
    graph), then answer jobs from ``conn`` until it closes."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    import resource

    limit = memory_mib * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    store = pyoxigraph.Store()
    # The published graph is both the default graph and the named graph of the release, so that
    # FROM, FROM NAMED, GRAPH and the protocol's default-graph-uri and named-graph-uri all work.
    store.bulk_load(path=dump, format=pyoxigraph.RdfFormat.N_TRIPLES)
    store.bulk_load(path=dump, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(graph))
    if vocabulary and os.path.isfile(vocabulary[0]):
        # The vocabulary's labels beside the records (as `dangjian query` has them), and in a
        # graph of its own, {base}ontology, for queries that name it.
        store.bulk_load(path=vocabulary[0], format=pyoxigraph.RdfFormat.TURTLE)
        store.bulk_load(path=vocabulary[0], format=pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.NamedNode(vocabulary[1]))
    _close_the_door()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        started = time.monotonic()
        try:
            outcome = execute(store, job, prefixes)
        except MemoryError:
            outcome = Outcome.message(503, f"503 Service Unavailable: the query needed more than the memory limit ({memory_mib} MiB)")
        except Exception as error:  # noqa: BLE001 - every failure becomes a plain answer
            outcome = Outcome.message(500, f"500 Internal Server Error: the query failed: {type(error).__name__}: {error}")
        outcome.seconds = time.monotonic() - started
        try:
            conn.send(outcome)
        except (EOFError, OSError):
            return


def _term(term) -> list | None:
    """A term as plain data for the HTML table: [kind, value, language or datatype]."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return ["iri", term.value, None]
    if isinstance(term, pyoxigraph.BlankNode):
        return ["bnode", term.value, None]
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return ["literal", term.value, "@" + term.language]
        datatype = term.datatype.value
        return ["literal", term.value, None if datatype.endswith("#string") else datatype]
    return ["triple", str(term), None]


def _table(results: Results) -> dict:
    """The answer as plain data for the HTML table."""
    if results.kind == "boolean":
        return {"boolean": bool(results.boolean)}
    if results.kind == "solutions":
        return {"vars": results.variables, "rows": [[_term(t) for t in row] for row in results.rows()]}
    return {"vars": ["subject", "predicate", "object"],
            "rows": [[_term(t.subject), _term(t.predicate), _term(t.object)] for t in results.triples()]}


def execute(store, job: Job, prefixes: dict[str, str]) -> Outcome:
    dataset = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        dataset = {"default_graph": [pyoxigraph.NamedNode(g) for g in job.default_graphs or []],
                   "named_graphs": [pyoxigraph.NamedNode(g) for g in job.named_graphs or []]}
    try:
        # SERVICE is refused by the endpoint before a job is sent; a worker asked anyway has no
        # socket to open (see _close_the_door), so the query fails here rather than being refused.
        results = run_query(store, job.query, allow_service=True, **dataset)
        chosen = job.graph_format if results.kind == "graph" else job.results_format
        if chosen is None:
            return Outcome(406, kind=results.kind)  # the server writes the message, which lists the formats
        results = results.capped(job.max_rows)
        if chosen == HTML:
            return Outcome(200, kind=results.kind, table=_table(results))
        body = formats.serialize(results, chosen, prefixes=prefixes)
        media = formats.find(chosen, results.kind).content_type
    except QuerySyntaxError as error:
        return Outcome.message(400, f"400 Bad Request: the query does not parse: {error.parser_text}")
    except QueryEvaluationError as error:  # evaluation errors surface while the answer is read, too
        return Outcome.message(400, f"400 Bad Request: the query could not be run: {error}")
    except TooManyRows as error:
        return _too_many(error.limit, error.what)
    if len(body) > job.max_bytes:
        return Outcome.message(413, f"413 Content Too Large: the answer takes {len(body):,} bytes, more than the limit of "
                                    f"{job.max_bytes:,}; narrow the query or add LIMIT")
    return Outcome(200, body, media, kind=results.kind)


def _too_many(limit: int, what: str) -> Outcome:
    return Outcome.message(413, f"413 Content Too Large: the answer has more than {limit:,} {what}, the limit of this "
                                f"endpoint; add LIMIT (and OFFSET to page through), or download the dataset "
                                f"from /download/dangjian.nt.gz")


# --- in the server -------------------------------------------------------------------------


class Worker:
    """The server's end of one worker: its process and its socket (non-blocking, read and
    written from the event loop, so that no thread waits on a worker)."""

    def __init__(self, process: subprocess.Popen, sock: socket.socket):
        self.process = process
        self.sock = sock
        sock.setblocking(False)

    async def send(self, message) -> None:
        await asyncio.get_running_loop().sock_sendall(self.sock, framed(message))

    async def _exactly(self, n: int) -> bytes:
        loop = asyncio.get_running_loop()
        buffer = bytearray()
        while len(buffer) < n:
            chunk = await loop.sock_recv(self.sock, min(n - len(buffer), 1 << 20))
            if not chunk:
                raise EOFError
            buffer += chunk
        return bytes(buffer)

    async def recv(self):
        (length,) = FRAME.unpack(await self._exactly(FRAME.size))
        return pickle.loads(await self._exactly(length))

    def exit_code(self, wait: float = 0) -> int | None:
        try:
            return self.process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.wait(timeout=10)  # SIGKILL: at once
        except (OSError, subprocess.TimeoutExpired):
            pass
        try:
            self.sock.close()
        except OSError:
            pass


class QueryPool:
    """``size`` workers; ``await pool.run(job)`` gives the job's Outcome, never raises."""

    def __init__(self, dump: Path, graph: str, prefixes: dict[str, str], limits: Limits,
                 vocabulary: tuple[Path, str] | None = None):
        self.dump = str(dump)
        self.vocabulary = (str(vocabulary[0]), vocabulary[1]) if vocabulary else None
        self.graph = graph
        self.prefixes = dict(prefixes)
        self.limits = limits
        self.idle: asyncio.Queue[Worker] | None = None
        self.started = False
        self.closed = False
        self.live: set[Worker] = set()
        self.pending: set[asyncio.Task] = set()
        self.start_lock: asyncio.Lock | None = None

    def _launch(self) -> Worker:
        """Start a worker process: a plain subprocess (multiprocessing's spawn would run the
        server's main module again in it), started from the event loop's thread, which lives as
        long as the server (PR_SET_PDEATHSIG follows the thread that started the process)."""
        parent, child = socket.socketpair()
        try:
            arguments = json.dumps([child.fileno(), self.dump, self.graph, self.prefixes, self.limits.memory, self.vocabulary])
            process = subprocess.Popen([sys.executable, "-c", "from dangjian.serve.workers import child_main; child_main()",
                                        arguments], stdin=subprocess.DEVNULL, pass_fds=[child.fileno()])
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        worker = Worker(process, parent)
        self.live.add(worker)
        return worker

    def _retire(self, worker: Worker) -> None:
        self.live.discard(worker)
        worker.kill()

    async def _spawn(self) -> Worker:
        worker = self._launch()
        try:
            message = await asyncio.wait_for(worker.recv(), timeout=120)
            if message and message[0] == "ready":
                return worker
        except (EOFError, OSError, asyncio.TimeoutError, pickle.UnpicklingError):
            pass
        self._retire(worker)
        raise RuntimeError(f"a query worker did not start (exit code {worker.exit_code(2)})")

    async def start(self) -> None:
        if self.start_lock is None:
            self.start_lock = asyncio.Lock()
        async with self.start_lock:
            if self.started:
                return
            self.idle = asyncio.Queue()
            workers = await asyncio.gather(*(self._spawn() for _ in range(self.limits.workers)), return_exceptions=True)
            failures = [w for w in workers if isinstance(w, BaseException)]
            if failures:  # all or nothing: the next request tries again
                for worker in workers:
                    if isinstance(worker, Worker):
                        self._retire(worker)
                raise RuntimeError(str(failures[0]))
            for worker in workers:
                self.idle.put_nowait(worker)
            self.started = True

    def _replace_later(self) -> None:
        """Start a worker in place of a killed one, without holding up the answer."""

        async def replace() -> None:
            for attempt in range(5):
                if self.closed:
                    return
                try:
                    worker = await self._spawn()
                except (RuntimeError, OSError) as error:
                    print(f"dangjian serve: {error}; trying again", file=sys.stderr)
                    await asyncio.sleep(1 + attempt)
                    continue
                if self.closed:
                    self._retire(worker)
                else:
                    self.idle.put_nowait(worker)
                return

        task = asyncio.get_running_loop().create_task(replace())
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    async def _call(self, worker: Worker, job: Job) -> tuple[Outcome, bool]:
        """Send the job and wait, at most the time limit; (outcome, whether the worker lives)."""
        timeout = self.limits.timeout
        try:
            await worker.send(job)
            return await asyncio.wait_for(worker.recv(), timeout=timeout), True
        except asyncio.TimeoutError:
            self._retire(worker)
            return Outcome.message(
                503, f"503 Service Unavailable: the query ran longer than the time limit of {timeout:g} s and was "
                     f"stopped; narrow it (or add LIMIT), or run it on your own copy of the dataset "
                     f"(/download/dangjian.nt.gz)", **{"Retry-After": str(max(1, round(timeout)))}), False
        except (EOFError, OSError, pickle.UnpicklingError):
            code = worker.exit_code(2)
            self._retire(worker)
            if code == -signal.SIGABRT:  # Rust aborts when an allocation fails
                return Outcome.message(
                    503, f"503 Service Unavailable: the query needed more than the memory limit of a query worker "
                         f"({self.limits.memory:,} MiB) and was stopped; narrow it or add LIMIT",
                    **{"Retry-After": "5"}), False
            return Outcome.message(503, f"503 Service Unavailable: the query worker stopped (exit code {code}); try again",
                                   **{"Retry-After": "5"}), False
        except asyncio.CancelledError:  # the request went away mid-query: the worker's state is unknown
            self._retire(worker)
            self._replace_later()
            raise

    async def run(self, job: Job) -> Outcome:
        if self.closed:
            return Outcome.message(503, "503 Service Unavailable: the server is stopping", **{"Retry-After": "5"})
        try:
            await self.start()
        except (RuntimeError, OSError) as error:
            return Outcome.message(503, f"503 Service Unavailable: {error}", **{"Retry-After": "5"})
        try:
            worker = await asyncio.wait_for(self.idle.get(), timeout=self.limits.queue_wait)
        except asyncio.TimeoutError:
            return Outcome.message(
                503, f"503 Service Unavailable: all {self.limits.workers} query workers stayed busy for "
                     f"{self.limits.queue_wait:g} s; try again shortly", **{"Retry-After": str(max(1, round(self.limits.timeout)))})
        outcome, alive = await self._call(worker, job)
        if alive:
            self.idle.put_nowait(worker)
        else:
            self._replace_later()
        return outcome

    def close(self) -> None:
        """Stop every worker (a busy one is killed)."""
        self.closed = True
        workers = list(self.live)
        self.live.clear()
        for worker in workers:
            worker.kill()
