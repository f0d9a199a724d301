"""`dangjian build --watch`: the real command, left running while records are edited, keeps dist/
exactly what a full build of the records gives; a change no event told is found by its scan."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dangjian.build import index as incremental
from dangjian.model.ontology import Ontology
from dangjian.build.workers import PARALLEL_FROM
from dangjian.records.synthetic import generate
from dangjian.build.watch import WatchedSignatures, Watch, watch_paths
from test_incremental import files_of, full_build

WAIT = 120  # seconds for any one line: a loaded CI machine is slow, a hung watcher is not


class Watcher:
    """`dangjian build --watch` in a project, its output read line by line as it comes."""

    def __init__(self, root: Path):
        self.process = subprocess.Popen([sys.executable, "-m", "dangjian", "build", "--watch"], cwd=root,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self.lines: queue.Queue = queue.Queue()
        for stream, name in ((self.process.stdout, "out"), (self.process.stderr, "err")):
            threading.Thread(target=self._read, args=(stream, name), daemon=True).start()

    def _read(self, stream, name: str) -> None:
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, text: str, stream: str = "out") -> list[str]:
        """Every line up to the first of ``stream`` that holds ``text``, that one included."""
        seen = []
        deadline = time.monotonic() + WAIT
        while True:
            try:
                name, line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} in {WAIT} s; saw {seen}") from None
            seen.append(f"{name}: {line}")
            if name == stream and text in line:
                return seen

    def stop(self, how: int = signal.SIGINT) -> int:
        self.process.send_signal(how)
        try:
            return self.process.wait(timeout=WAIT)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_watch_rebuilds_each_edit_as_a_full_build_would(sandbox, tmp_path):
    watcher = Watcher(sandbox.root)
    try:
        watcher.wait_for("watching records/ and ontology/")
        watcher.wait_for("records: published dist/")  # the first build, a full one
        place = sandbox.root / "records" / "places" / "anhui.yaml"
        time.sleep(1)  # the watch has begun (a change before it is found by the scan after)

        edit(place, "level: province\n", "level: province\nnote: {en: edited while watched}\n")
        line = watcher.wait_for("records/places/anhui.yaml: published dist/")[-1]
        assert "1 changed record read again" in line
        assert files_of(sandbox.root / "dist") == full_build(sandbox.project, tmp_path)

        # A record made invalid: the problem on stderr, dist/ left as it was, the watch goes on.
        before = files_of(sandbox.root / "dist")
        edit(place, "level: province\n", "level: no\n")
        seen = watcher.wait_for("not published", stream="err")
        assert any("records/places/anhui.yaml:" in line and "level: `no` is the boolean false" in line for line in seen), seen
        assert files_of(sandbox.root / "dist") == before

        edit(place, "level: no\n", "level: province\n")
        watcher.wait_for("records/places/anhui.yaml: published dist/")
        assert files_of(sandbox.root / "dist") == before

        # A new record: not a plain edit, so the files are scanned before the rebuild.
        new = sandbox.root / "records" / "places" / "watched-town.yaml"
        new.write_text("id: watched-town\nlabel:\n  zh-Hans: 看守镇\n  en: Kanshou Town\nlevel: township\nwithin: anhui\n"
                       "no_division_code: not-in-code-list\ndivision_code_note: {en: made up}\n"
                       "source: anhui-daily-2015-07-10-suzhou\n", encoding="utf-8")
        watcher.wait_for("records/places/watched-town.yaml: published dist/")
        assert "/watched-town>" in (sandbox.root / "dist" / "dangjian.nt").read_text(encoding="utf-8")
        assert files_of(sandbox.root / "dist") == full_build(sandbox.project, tmp_path)
    finally:
        code = watcher.stop()
    assert code == 0
    assert watcher.wait_for("stopped watching")


def test_a_change_no_event_told_is_found_by_the_scan(sandbox):
    """What the kernel drops (its queue overflowed), the scan after a rebuild finds."""
    built = []
    watch = Watch(sandbox.project, lambda report, told: built.append(report), lambda failed: built.append(failed))
    watch.build([])
    assert built[-1].changed is None  # a full build
    assert watch.verify() is False  # nothing changed behind its back
    place = sandbox.root / "records" / "places" / "anhui.yaml"
    edit(place, "level: province\n", "level: province\nnote: {en: untold}\n")
    assert watch.verify() is True
    watch.build([])
    assert built[-1].changed == 1
    assert "untold" in (sandbox.root / "dist" / "dangjian.nt").read_text(encoding="utf-8")
    # The rows it wrote stay in memory for the next rebuild, under the tokens the index names.
    index = incremental.BuildIndex(sandbox.project, watch.memory)
    meta = index.meta()
    assert watch.memory.tokens == (meta["rows"], meta["changes"])
    assert index.ordered_columns(meta) is watch.memory.columns


def processes_in(folder: Path) -> set[int]:
    """The processes (other than this one) whose working folder is ``folder``."""
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if Path(os.readlink(f"/proc/{pid}/cwd")) == folder and int(pid) != os.getpid():
                found.add(int(pid))
        except OSError:  # gone meanwhile, or not ours to read
            pass
    return found


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_a_full_build_stops_the_build_and_its_workers_cleanly(repo, tmp_path, how):
    """SIGINT or SIGTERM sent to the watcher alone (as a supervisor or a script sends it) while
    its first build, a full one in a process of its own, has its workers running: the build
    stops as `dangjian build` stops on Ctrl-C. No process is left behind, nothing writes a
    traceback, no half-written folder stays, and the watcher ends with 0."""
    root = (tmp_path / "kb").resolve()
    shutil.copytree(repo.ontology, root / "ontology")
    generate(root, PARALLEL_FROM * 2, seed=5, invalid_share=0)  # enough records for worker processes
    watcher = Watcher(root)
    try:
        watcher.wait_for("watching records/ and ontology/")
        deadline = time.monotonic() + WAIT
        cpus = os.cpu_count() or 1
        while len(processes_in(root)) < 2 + (cpus if cpus > 1 else 0):  # the watcher, its build, the build's workers
            assert time.monotonic() < deadline and watcher.process.poll() is None, "the build's workers never started"
            time.sleep(0.01)
    finally:
        code = watcher.stop(how)
    assert code == 0
    deadline = time.monotonic() + 10
    while processes_in(root) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_in(root) == set()
    time.sleep(0.5)  # what any stray process wrote has arrived
    said, printed = [], []
    while not watcher.lines.empty():
        stream, line = watcher.lines.get()
        said.append(line)
        if stream == "out":  # (stdout and stderr are two pipes: no order holds between them)
            printed.append(line)
    assert "stopped watching" in printed[-1], said
    assert not any("Traceback" in line for line in said), said
    left = sorted(p.name for p in root.iterdir() if p.name not in ("ontology", "records", ".dist.lock", ".cache"))
    assert left == [], "a half-written build was left behind"


def test_told_changes_are_taken_in_only_when_they_are_plain_record_edits(sandbox):
    ontology = Ontology(sandbox.project.ontology)
    files = WatchedSignatures.scan(sandbox.project, ontology)
    records = sandbox.root.resolve() / "records"
    place = records / "places" / "anhui.yaml"
    edit(place, "level: province\n", "level: province\nnote: {en: told}\n")
    assert files.told([place])
    assert files.current == WatchedSignatures.scan(sandbox.project, ontology).current
    # A new file, a stray, a source's text, a folder that holds no records: a scan says what they are.
    (records / "places" / "new-place.yaml").write_text("id: new-place\n", encoding="utf-8")
    assert not files.told([records / "places" / "new-place.yaml"])
    assert not files.told([records / "places" / "notes.md"])
    text = next((records / "sources").glob("*.txt"))
    assert not files.told([text])
    assert not files.told([records / "elsewhere" / "x.yaml"])


def test_changes_to_an_editors_leftovers_are_not_watched(sandbox):
    records = sandbox.root / "records"
    changes = {(1, str(records / "places" / name)) for name in ("#anhui.yaml#", "anhui.yaml~", ".anhui.yaml.swp")}
    changes.add((2, str(records / "places" / "anhui.yaml")))
    assert watch_paths(changes, records) == {records / "places" / "anhui.yaml"}


def test_watch_does_not_go_with_out_or_site(sandbox):
    result = sandbox.cli("build", "--watch", "--site")
    assert result.returncode == 2
    assert "--watch keeps dist/ current" in result.stderr
