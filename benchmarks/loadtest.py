"""`make loadtest`: the real server under load, on 127.0.0.1 only.

Starts `dangjian serve` on a free port over the built dist/, then, at each concurrency level
(1, 16 and 64 connections by default), keeps that many connections busy for DURATION seconds
with a mix of requests:

- page:    a record's HTML page (GET /doc/{kind}/{id}.html, Accept: text/html)
- conneg:  a record URI asked for Turtle or JSON-LD (GET /id/{kind}/{id}: 303, followed to .ttl/.jsonld)
- search:  GET /search?q=… (skipped, with a note, when the server has no /search)
- sparql:  a catalogue query (GET /sparql?query=…, SPARQL JSON)

and prints requests per second, p50 and p99 latency and the error count per level (and per kind).
A conneg request counts once, its redirect included. Exit code 1 on any error.

    python benchmarks/loadtest.py [--duration 30] [--levels 1,16,64]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from dangjian.dataset.published import KnowledgeBase  # noqa: E402
from dangjian.settings import Project  # noqa: E402
from dangjian.query.catalogue import catalogue  # noqa: E402

SEARCH_WORDS = ["村", "书记", "补贴", "党建", "报酬", "安徽", "合肥", "示范", "经费", "社区", "黨組織書記", "補貼", "經費", "九龍崗鎮"]  # both scripts
WEIGHTS = {"page": 3, "conneg": 3, "search": 2, "sparql": 2}


@dataclass
class Request:
    kind: str
    path: str
    accept: str
    expect_redirect: bool = False


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    def ok(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    def error(self, kind: str, what: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.examples) < 5:
            self.examples.append(f"{kind}: {what}")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def records(kb: KnowledgeBase) -> list[tuple[str, str]]:
    base = kb.manifest["base"] + "id/"
    found = set()
    for solution in kb.store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"):
        iri = solution["s"].value
        if iri.startswith(base) and "#" not in iri:
            kind, _, rid = iri[len(base):].partition("/")
            if rid and "/" not in rid:
                found.add((kind, rid))
    return sorted(found)


def request_mix(kb: KnowledgeBase, project: Project, with_search: bool, rng: random.Random) -> list[Request]:
    from urllib.parse import urlencode

    pool: dict[str, list[Request]] = {
        "page": [Request("page", f"/doc/{k}/{i}.html", "text/html") for k, i in records(kb)],
        "conneg": [Request("conneg", f"/id/{k}/{i}", rng.choice(["text/turtle", "application/ld+json"]), True)
                   for k, i in records(kb)],
        "sparql": [Request("sparql", "/sparql?" + urlencode({"query": q.text}), "application/sparql-results+json")
                   for q in catalogue(project)],
    }
    if with_search:
        pool["search"] = [Request("search", "/search?" + urlencode({"q": w}), "text/html") for w in SEARCH_WORDS]
    mix = []
    for kind, requests in pool.items():
        if requests:
            mix += [rng.choice(requests) for _ in range(WEIGHTS[kind] * 100)]
    rng.shuffle(mix)
    return mix


class Connection:
    """One keep-alive HTTP/1.1 connection to the server: a plain asyncio stream, so that the
    client's own cost stays small beside the server's (httpx costs more than the server here)."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, accept: str) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept: {accept}\r\n\r\n".encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                body += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            body = await self.reader.read()
        if headers.get("connection", "").lower() == "close" or "content-length" not in headers and "transfer-encoding" not in headers:
            await self.close()
        return status, headers, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None


async def one(connection: Connection, request: Request, tally: Tally) -> None:
    started = time.perf_counter()
    try:
        status, headers, body = await connection.get(request.path, request.accept)
        if request.expect_redirect:
            if status != 303:
                raise ValueError(f"{request.path}: {status}, not 303")
            status, headers, body = await connection.get(headers["location"], request.accept)
        if status != 200:
            raise ValueError(f"{request.path}: {status} {body[:120]!r}")
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, KeyError) as error:
        await connection.close()
        tally.error(request.kind, f"{type(error).__name__}: {error}")
        return
    tally.ok(request.kind, time.perf_counter() - started)


async def level(port: int, connections: int, duration: float, mix: list[Request]) -> tuple[Tally, float]:
    tally = Tally()
    deadline = time.perf_counter() + duration
    started = time.perf_counter()

    async def run(offset: int) -> None:
        connection = Connection(port)
        i = offset
        try:
            while time.perf_counter() < deadline:
                await one(connection, mix[i % len(mix)], tally)
                i += 1
        finally:
            await connection.close()

    await asyncio.gather(*(run(n * 37) for n in range(connections)))
    return tally, time.perf_counter() - started


async def warm_up(port: int, mix: list[Request]) -> None:
    """One of each request, so that lazily built parts (the site's pages) are built before timing."""
    seen = set()
    connection = Connection(port)
    for request in mix:
        if request.kind not in seen:
            seen.add(request.kind)
            await one(connection, request, Tally())
    await connection.close()


def start_server(project: Project, port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "dangjian", "serve", "--port", str(port)], cwd=project.root,
                               env={**os.environ, "DANGJIAN_ROOT": str(project.root)}, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"dangjian serve exited {process.returncode}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/sparql", headers={"Accept": "text/html"}, timeout=2)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("dangjian serve did not answer within 60 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=float(os.environ.get("DURATION", 30)),
                        help="seconds per concurrency level (default 30, or $DURATION)")
    parser.add_argument("--levels", default=os.environ.get("LEVELS", "1,16,64"), help="concurrent connections, comma-separated")
    parser.add_argument("--only", default=None, help="one kind of request only (page, conneg, search, sparql)")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",") if x.strip()]

    project = Project.find(ROOT)
    kb = KnowledgeBase(project)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(project, port)
    failed = False
    try:
        search = httpx.get(f"{base}/search", params={"q": SEARCH_WORDS[0]}, headers={"Accept": "text/html"}, timeout=30)
        with_search = search.status_code != 404
        mix = request_mix(kb, project, with_search, random.Random(9))
        if args.only:
            mix = [r for r in mix if r.kind == args.only]
            if not mix:
                raise SystemExit(f"no {args.only} requests in the mix")
        asyncio.run(warm_up(port, mix))
        kinds = sorted({r.kind for r in mix})
        print(f"dangjian serve on 127.0.0.1, {os.cpu_count()} cores; {len(mix)} requests in the mix "
              f"({', '.join(f'{k} {sum(r.kind == k for r in mix)}' for k in kinds)}); {args.duration:g} s per level")
        if not with_search:
            print("note: /search answers 404 on this server (no search route yet): search left out of the mix")
        print(f"{'connections':>11} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}   per kind: p50/p99 ms")
        for connections in levels:
            tally, elapsed = asyncio.run(level(port, connections, args.duration, mix))
            every = [s for values in tally.latencies.values() for s in values]
            errors = sum(tally.errors.values())
            done = len(every) + errors
            per_kind = "  ".join(f"{k} {percentile(tally.latencies.get(k, []), 50) * 1000:.0f}/"
                                 f"{percentile(tally.latencies.get(k, []), 99) * 1000:.0f}" for k in kinds)
            print(f"{connections:>11} {done:>9} {done / elapsed:>8.0f} {percentile(every, 50) * 1000:>8.1f} "
                  f"{percentile(every, 99) * 1000:>8.1f} {errors:>7}   {per_kind}", flush=True)
            for example in tally.examples:
                print(f"    error: {example}")
            failed = failed or errors > 0
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print("errors: none" if not failed else "errors: see above")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
