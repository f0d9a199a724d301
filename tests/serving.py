"""`dangjian serve` for real: the command started as a subprocess on 127.0.0.1, asked over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from linked import free_port


class ServeProcess:
    """`dangjian serve --port FREE …` in the project at ``root``; start() waits until it answers."""

    def __init__(self, root: Path, *options: str):
        self.root = root
        self.port = free_port()
        self.options = options
        self.log = tempfile.TemporaryFile()
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self, timeout: float = 60) -> "ServeProcess":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dangjian", "serve", "--port", str(self.port), *self.options],
            cwd=self.root, env={**os.environ, "DANGJIAN_ROOT": str(self.root)},
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dangjian serve exited {self.process.returncode}:\n{self.output()}")
            try:
                httpx.get(self.url("/sparql"), headers={"Accept": "text/html"}, timeout=2)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"dangjian serve did not answer within {timeout} s:\n{self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", errors="replace")

    def stop(self) -> int | None:
        """Ctrl-C (SIGINT), as a user would; the exit code."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            return None
