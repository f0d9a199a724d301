"""Time bulk loads and pushes into fresh Oxigraph and Virtuoso servers (not a test; a measurement).

    .venv/bin/python benchmarks/stores.py [PROJECT]

PROJECT is a built project folder (default: this checkout; run `dangjian build` first). For a
larger one: generate records with dangjian.records.synthetic into a copy of the project and build it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from triplestores import Virtuoso, oxigraph_binary, start_oxigraph  # noqa: E402


def timed(label: str, command: list[str], cwd: Path, env: dict | None = None) -> None:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{label} failed:\n{result.stderr[-2000:]}")
    print(f"{label:<44} {seconds:7.2f} s", flush=True)


def main() -> None:
    project = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent).resolve()
    dist = project / "dist"
    manifest = json.loads((dist / "manifest.json").read_text())
    print(f"{manifest['triples']:,} triples, dangjian.nq.gz {(dist / 'dangjian.nq.gz').stat().st_size:,} bytes")
    push = [sys.executable, "-m", "dangjian", "push"]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        ox = scratch / "oxigraph"
        ox.mkdir()
        timed("oxigraph load dangjian.nq.gz", [oxigraph_binary(), "load", "--location", str(ox / "db"), "--file", str(dist / "dangjian.nq.gz")], project)
        server = start_oxigraph(ox)
        try:
            urls = ["--endpoint", server.base + "/query", "--update-endpoint", server.base + "/update", "--store-endpoint", server.base + "/store"]
            timed("push to oxigraph, gsp (replacing the load)", [*push, *urls], project)
            timed("push to oxigraph, update", [*push, *urls, "--protocol", "update"], project)
        finally:
            server.stop()

        load = scratch / "load"
        load.mkdir()
        shutil.copy(dist / "dangjian.nq.gz", load)
        virtuoso = Virtuoso(scratch / "virtuoso", load)
        started = time.perf_counter()
        base = virtuoso.start().base
        print(f"{'virtuoso start (fresh database)':<44} {time.perf_counter() - started:7.2f} s", flush=True)
        try:
            started = time.perf_counter()
            errors = virtuoso.bulk_load({"dangjian.nq.gz": "urn:unused"})
            print(f"{'virtuoso ld_dir + rdf_loader_run + checkpoint':<44} {time.perf_counter() - started:7.2f} s {errors or ''}", flush=True)
            urls = ["--endpoint", base + "/sparql-auth", "--store-endpoint", base + "/sparql-graph-crud-auth", "--user", "dba", "--password-env", "BENCH_PASSWORD"]
            timed("push to virtuoso, gsp (replacing the load)", [*push, *urls], project, {"BENCH_PASSWORD": "dba"})
            timed("push to virtuoso, update", [*push, *urls, "--protocol", "update"], project, {"BENCH_PASSWORD": "dba"})
        finally:
            virtuoso.stop()


if __name__ == "__main__":
    main()
