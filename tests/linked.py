"""Helpers for the linked-data tests: a project with tombstones, and a real HTTP server."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from dangjian.settings import Project

# A renamed record and a withdrawn one, beside the real records.
TOMBSTONES = {
    "places/suzhou.yaml": "id: suzhou\nlabel: 宿州\nreplaced_by: suzhou-anhui\n",
    "organisations/suzhou-daily.yaml": "id: suzhou-daily\nlabel: 宿州日报\nwithdrawn:\n  en: created in error; the article names no such newspaper\n  zh-Hans: 误建,原文未提及该报\n",
}


def linked_project(root: Path, repo: Project) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(repo.ontology, root / "ontology")
    shutil.copytree(repo.records, root / "records")
    for relative, text in TOMBSTONES.items():
        (root / "records" / relative).write_text(text, encoding="utf-8")
    return Project(root)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def get(port: int, path: str, accept: str | None = None, method: str = "GET") -> Response:
    """One request, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers={"Accept": accept} if accept is not None else {})
        response = connection.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return Response(response.status, headers, response.read())
    finally:
        connection.close()


class ServerThread:
    """uvicorn serving an ASGI app on 127.0.0.1, in a thread; stopped by stop()."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> "ServerThread":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def install(*packages: str) -> str | None:
    """apt-get install Debian packages a test needs, as root; the reason it could not, or None."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return f"{' '.join(packages)} missing, and not root to install it (apt-get install {' '.join(packages)})"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = None
    for command in (["apt-get", "install", "-y", "--no-install-recommends", *packages], ["apt-get", "update"],
                    ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
        if done.returncode == 0 and command[1] == "install":
            return None
    return f"apt-get install {' '.join(packages)} failed: {done.stderr.strip()[-300:]}"
