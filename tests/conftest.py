"""Shared fixtures: the real project, and throwaway copies of it to break."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dangjian.model.ontology import Ontology
from dangjian.settings import Project, configure_process

configure_process()  # the tests are an entry point, as the command and the server are

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo() -> Project:
    return Project(REPO)


@pytest.fixture(scope="session")
def ontology(repo) -> Ontology:
    return Ontology(repo.ontology)


class Sandbox:
    """A copy of the project (ontology and records) in a temporary folder."""

    def __init__(self, root: Path):
        self.root = root
        self.project = Project(root)

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / "records" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            text = text.encode("utf-8")
        path.write_bytes(text)
        return path

    def remove(self, relative: str) -> None:
        (self.root / "records" / relative).unlink()

    def read(self, relative: str) -> str:
        return (self.root / "records" / relative).read_text(encoding="utf-8")

    def cli(self, *args: str, check: bool = False) -> subprocess.CompletedProcess:
        """Run the real `dangjian` command in this project."""
        result = subprocess.run(
            [sys.executable, "-m", "dangjian", *args], cwd=self.root, capture_output=True, text=True, timeout=300
        )
        if check and result.returncode != 0:
            raise AssertionError(f"dangjian {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
        return result


@pytest.fixture
def sandbox(tmp_path, repo) -> Sandbox:
    root = tmp_path / "kb"
    root.mkdir()
    shutil.copytree(repo.ontology, root / "ontology")
    shutil.copytree(repo.records, root / "records")
    return Sandbox(root)


@pytest.fixture(scope="session")
def built_kb(tmp_path_factory, repo) -> Sandbox:
    """A copy of the project with the real records built into its dist/ (once per session):
    what `dangjian query` and the server read. Do not change it; use `sandbox` to break things."""
    from dangjian.build import build

    root = tmp_path_factory.mktemp("built") / "kb"
    root.mkdir()
    shutil.copytree(repo.ontology, root / "ontology")
    shutil.copytree(repo.records, root / "records")
    report = build(Project(root))
    assert report.verdict.problems == []
    return Sandbox(root)


@pytest.fixture(scope="session")
def linked_site(tmp_path_factory, repo) -> Project:
    """The real records with a renamed, a merged and a withdrawn one, built with the static site
    (once per session; tests/linked.py says what it adds). Do not change it."""
    from dangjian.build import build
    from linked import linked_project

    project = linked_project(tmp_path_factory.mktemp("linked") / "kb", repo)
    build(project, site=True)
    return project


@pytest.fixture(scope="session")
def linked_server(linked_site):
    """The server's app over ``linked_site``, in a thread of this process on 127.0.0.1."""
    from dangjian.dataset.published import KnowledgeBase
    from dangjian.serve.app import create_app
    from linked import ServerThread

    running = ServerThread(create_app(KnowledgeBase(linked_site))).start()
    yield running
    running.stop()


# The real server: `dangjian serve` on a free port of 127.0.0.1, over a fresh build of the records,
# with limits small enough to reach in a test. Shared by the endpoint and abuse tests.
SERVE_OPTIONS = ("--timeout", "2", "--max-rows", "1000", "--max-body", "16384", "--workers", "2")


@pytest.fixture(scope="session")
def served_project(built_kb) -> Project:
    return built_kb.project


@pytest.fixture(scope="session")
def served(served_project):
    from serving import ServeProcess

    server = ServeProcess(served_project.root, *SERVE_OPTIONS).start()
    yield server
    server.stop()
