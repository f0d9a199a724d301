"""The folder scan behind "nothing changed": the same facts whether one process stats every file
or a forked child takes half of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from dangjian.build.filestat import file_facts

# Run in a fresh interpreter: the fork is taken only when no other thread runs, which a test
# process full of fixtures cannot promise.
SCAN = """
import json, os, sys
import dangjian.build.filestat as filestat
filestat.FORK_FROM = int(sys.argv[2])
forks = []
real_fork = os.fork
def counted_fork():
    pid = real_fork()
    if pid:
        forks.append(pid)
    return pid
os.fork = counted_fork
handle = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
names = sorted(os.listdir(handle))
facts = filestat.file_facts([(handle, name) for name in names] + [(handle, "gone.yaml")])
print(json.dumps({"names": names, "facts": facts, "forked": len(forks)}))
"""


def scan(folder, fork_from: int) -> dict:
    done = subprocess.run([sys.executable, "-c", SCAN, str(folder), str(fork_from)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_a_forked_scan_gives_the_facts_one_process_gives(tmp_path):
    for number in range(40):
        (tmp_path / f"r{number:02}.yaml").write_text("x" * number, encoding="utf-8")
        os.utime(tmp_path / f"r{number:02}.yaml", ns=(10**18 + number, 10**18 + number))
    (tmp_path / "a-folder.yaml").mkdir()
    alone, forked = scan(tmp_path, 10**9), scan(tmp_path, 10)
    assert (alone["forked"], forked["forked"]) == (0, 1)
    assert forked["facts"] == alone["facts"]
    facts = dict(zip(alone["names"] + ["gone.yaml"], alone["facts"]))
    assert facts["r07.yaml"] == [10**18 + 7, 7]
    assert facts["a-folder.yaml"] is None  # not a regular file
    assert facts["gone.yaml"] is None  # vanished between listing and stat()


def test_in_a_process_with_threads_the_scan_does_not_fork(tmp_path, monkeypatch):
    import threading

    (tmp_path / "r.yaml").write_text("id: r\n", encoding="utf-8")
    monkeypatch.setattr("dangjian.build.filestat.FORK_FROM", 0)
    monkeypatch.setattr(os, "fork", lambda: (_ for _ in ()).throw(AssertionError("forked beside a thread")))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        handle = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            assert file_facts([(handle, "r.yaml")])[0][1] == 6
        finally:
            os.close(handle)
    finally:
        stop.set()
        other.join()


def test_record_files_are_read_whole_at_every_size(tmp_path):
    """read_bytes asks for READ_SIZE bytes at a time and stops at a short read: files of none,
    one, exactly one and two reads' worth, and a byte either side, come back whole."""
    from dangjian.records.loader import READ_SIZE, read_bytes

    for size in (0, 1, READ_SIZE - 1, READ_SIZE, READ_SIZE + 1, 2 * READ_SIZE, 3 * READ_SIZE + 7):
        path = tmp_path / f"{size}.yaml"
        content = os.urandom(size)
        path.write_bytes(content)
        assert read_bytes(path) == content, size


def test_record_files_the_same_whether_a_folder_is_plain_or_not(sandbox, ontology):
    """A folder of record files only is listed in C loops; one with anything else, name by name.
    Both give the same records, and a hidden file (even one named `.yaml`) or an editor's
    auto-save or backup is never one, nor a problem."""
    from dangjian.records.loader import record_files

    places = sandbox.root / "records" / "places"
    plain, _ = record_files(sandbox.project, ontology)
    for hidden in (".yaml", ".anhui.yaml.swp", "#anhui.yaml#", "anhui.yaml~"):
        (places / hidden).write_text("id: x\n", encoding="utf-8")
    mixed, problems = record_files(sandbox.project, ontology)
    assert problems == []
    assert mixed == plain
    assert [shown for _path, _kind, shown in plain if shown.startswith("records/places/")] == \
        sorted(f"records/places/{p.name}" for p in places.glob("*.yaml") if p.name[0] not in ".#")
