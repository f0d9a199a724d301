"""Nothing lost: a build killed at any moment leaves dist/ whole (old or new), and two builds
at once never interleave."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dangjian.records.synthetic import generate


def consistent(dist: Path) -> str | None:
    """The manifest's digest when dist/ is exactly what its manifest lists, else None."""
    manifest_path = dist / "manifest.json"
    if not manifest_path.is_file():
        return None
    manifest = json.loads(manifest_path.read_text())
    names = {p.name for p in dist.iterdir()}
    if names != set(manifest["files"]) | {"manifest.json"}:
        return None
    for name, facts in manifest["files"].items():
        if hashlib.sha256((dist / name).read_bytes()).hexdigest() != facts["sha256"]:
            return None
    return hashlib.sha256(manifest_path.read_bytes()).hexdigest()


@pytest.fixture
def big_project(tmp_path, repo):
    """A project large enough that a build takes a few seconds, so kills land everywhere."""
    root = tmp_path / "kb"
    shutil.copytree(repo.ontology, root / "ontology")
    generate(root, 800, seed=7, invalid_share=0)
    return root


def build(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dangjian", "build", "-q"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sigkill_at_many_points_leaves_dist_whole(big_project):
    root = big_project
    assert build(root).wait(timeout=300) == 0
    old = consistent(root / "dist")
    assert old
    started = time.perf_counter()
    # Change one record, so the new build differs from the old one.
    target = root / "records" / "amounts" / "amount-1.yaml"
    original = target.read_text()
    target.write_text(original + "note: {en: changed}\n")  # a bound would now disagree with the quote
    assert build(root).wait(timeout=300) == 0
    new = consistent(root / "dist")
    duration = time.perf_counter() - started
    assert new and new != old
    # Back to the old records, then kill rebuilds at points spread over a whole build.
    target.write_text(original)
    seen = set()
    for step in range(12):
        process = build(root)
        time.sleep(duration * (step + 0.5) / 12)
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = consistent(root / "dist")
        assert state in (old, new), f"dist/ is half-written after a kill at step {step}"
        seen.add(state)
    assert build(root).wait(timeout=300) == 0
    assert consistent(root / "dist") == old
    # Leftovers cleaned up; the build before last stays, as the spare its files are written over
    assert [p.name for p in root.iterdir() if p.name.startswith(".dist-")] == [".dist-spare"]


def test_two_builds_at_once_do_not_interleave(big_project):
    root = big_project
    first, second = build(root), build(root)
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0
    assert consistent(root / "dist")
