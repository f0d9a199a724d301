"""The modification time and size of many files, as quickly as this machine allows.

"Nothing changed" is one stat() call a record file and little else, and each costs kernel time
that one process cannot overlap. With many files, and when it is safe to fork (no other thread
running), a child process takes half of them, and two cores share the scan.
"""

from __future__ import annotations

import marshal
import os
import threading
from stat import S_ISREG

FORK_FROM = 20_000  # below this many files a second process costs more than it saves

Fact = tuple[int, int] | None  # (mtime in ns, size) of a regular file; None for anything else (a symbolic link too)


def file_facts(entries: list[tuple[int, str]], may_fork: bool = True) -> list[Fact]:
    """For each (open folder's descriptor, name in it), in order. ``may_fork``: False in a
    process that holds much memory (a fork copies its page tables, and its child's resident
    size counts all the pages they share)."""
    if not may_fork or len(entries) < FORK_FROM or not hasattr(os, "fork") or threading.active_count() > 1:
        return _facts(entries)
    half = len(entries) // 2
    reading, writing = os.pipe()
    try:
        child = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return _facts(entries)
    if child == 0:  # the child: the second half, sent back marshalled, then gone at once
        status = 1
        try:
            os.close(reading)
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(marshal.dumps(_facts(entries[half:])))
            status = 0
        finally:
            os._exit(status)
    os.close(writing)
    try:
        first = _facts(entries[:half])
        with os.fdopen(reading, "rb") as pipe:
            sent = pipe.read()
    finally:
        _pid, status = os.waitpid(child, 0)
    if status != 0:
        return first + _facts(entries[half:])
    return first + marshal.loads(sent)


def _facts(entries: list[tuple[int, str]]) -> list[Fact]:
    facts: list[Fact] = []
    stat = os.stat
    for handle, name in entries:
        try:
            found = stat(name, dir_fd=handle, follow_symlinks=False)  # a symbolic link is not a plain record file
        except OSError:
            facts.append(None)
            continue
        facts.append((found.st_mtime_ns, found.st_size) if S_ISREG(found.st_mode) else None)
    return facts
