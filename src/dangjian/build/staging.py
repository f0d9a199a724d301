"""Write the output folder atomically: readers see the whole old build or the whole new one.

Files are written into a staging folder beside ``dist/`` and synced (each file and folder
written), which then takes its place in one step (``renameat2(RENAME_EXCHANGE)`` on Linux; two
renames elsewhere). A lock keeps two builds from interleaving: the second waits for the first.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import os
import shutil
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from ..dataset.manifest import Written

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


SYNCING_AT_ONCE = 8


def _fsync(path: Path) -> None:
    """A file's or a folder's data and metadata on disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def build_lock(folder: Path, on_wait=None):
    """Hold the project's build lock; call on_wait() first if another build holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".dist.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(dist: Path) -> None:
    """Staging folders of builds that were killed before they finished (not those of a build
    running now: each folder's name ends with the id of the process writing it)."""
    for stale in dist.parent.glob(f".{dist.name}-*"):
        if stale == spare_folder(dist):
            continue
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _alive(int(pid)):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a folder this process left, from an earlier build in it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def joined(pieces, size: int = 1 << 20):
    """Pieces (str or bytes) as UTF-8 runs of about ``size`` bytes: a dump comes as a hundred
    thousand records' blocks, and hashing, writing or compressing each on its own costs twice
    the time (the bulk dumps use it too: fewer, larger calls into zlib, each letting go of the
    interpreter). Pieces are never split, so runs of whole lines stay whole lines."""
    run: list[bytes] = []
    length = 0
    for piece in pieces:
        data = piece.encode("utf-8") if isinstance(piece, str) else piece
        if len(data) >= size:
            if run:
                yield b"".join(run)
                run, length = [], 0
            yield data
            continue
        run.append(data)
        length += len(data)
        if length >= size:
            yield b"".join(run)
            run, length = [], 0
    if run:
        yield b"".join(run)


def spare_folder(dist: Path) -> Path:
    """Where the build before last stays, its files to be written over by the next build."""
    return dist.parent / f".{dist.name}-spare"


class Staging:
    """A folder beside dist/ that files are written into, then swapped in whole.

    A file is written over its namesake in the spare folder (the build before last) when it can
    be: where the system hands out new page-cache pages slowly, writing into a new file takes
    many times as long as writing over an old one. Only a file nothing else has open is written over (a
    write lease says so: a reader of an old build never sees it change), and only one with no
    other link (a file a build took over unchanged is also in dist/)."""

    def __init__(self, dist: Path):
        self.dist = dist
        self.folder = dist.parent / f".{dist.name}-new-{os.getpid()}"
        self.spare = spare_folder(dist)
        self.written: dict[str, Written] = {}
        self._lock = threading.Lock()  # files are written from several threads at once
        self._to_sync: set[Path] = {self.folder}  # the files written and the folders made or changed

    def _wrote(self, target: Path) -> None:
        with self._lock:
            self._to_sync.add(target)
            folder = target.parent
            while folder != self.folder and folder not in self._to_sync:
                self._to_sync.add(folder)
                folder = folder.parent
            self._to_sync.add(target.parent)

    def sync(self) -> None:
        """Every file written and every folder made on disk (their data and their names), before
        the staging folder is swapped in: no other file of the machine waits on it. The calls
        run a few at a time, so that the filesystem commits them together."""
        with ThreadPoolExecutor(SYNCING_AT_ONCE) as pool:
            for done in [pool.submit(_fsync, path) for path in sorted(self._to_sync)]:
                done.result()

    @contextmanager
    def _created(self, name: str):
        """A new file in the staging folder, open for writing from its start."""
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        self._wrote(target)
        handle = _taken_over(self.spare / name, target)
        if handle is None:
            with open(target, "wb") as handle:
                yield handle
            return
        with handle:  # closing it ends the lease
            yield handle
            handle.truncate()  # the old content beyond the new end

    def write(self, name: str, pieces) -> Written:
        """Write a file from bytes, or from pieces (str or bytes) in order; synced to disk."""
        digest, size = hashlib.sha256(), 0
        with self._created(name) as handle:
            for data in joined([pieces] if isinstance(pieces, bytes) else pieces):
                digest.update(data)
                size += len(data)
                handle.write(data)
        self.written[name] = Written(size, digest.hexdigest())
        return self.written[name]


    def link(self, name: str, source: Path, written: Written) -> None:
        """Take an unchanged file from the previous build as it is (a hard link, no copy)."""
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, target)
        self._wrote(target)
        self.written[name] = written

    def splice(self, name: str, head: str, pieces, tail: str = "") -> Written:
        """Write a file from its head, then pieces that are either new text or a byte range
        (old file, offset, length) of a previous file, then its tail."""
        digest, size = hashlib.sha256(), 0
        sources: dict[Path, object] = {}
        try:
            with self._created(name) as handle:
                for piece in (head, *pieces, tail):
                    if isinstance(piece, tuple):
                        source, offset, length = piece
                        if source not in sources:
                            sources[source] = open(source, "rb")
                        old = sources[source]
                        old.seek(offset)
                        while length > 0:  # in blocks: a range can be most of a large dump
                            data = old.read(min(length, _SPLICE_BLOCK))
                            if not data:
                                raise OSError(f"{source} is shorter than the build index says")
                            length -= len(data)
                            digest.update(data)
                            size += len(data)
                            handle.write(data)
                        continue
                    data = piece.encode("utf-8") if isinstance(piece, str) else piece
                    digest.update(data)
                    size += len(data)
                    handle.write(data)
        finally:
            for old in sources.values():
                old.close()
        self.written[name] = Written(size, digest.hexdigest())
        return self.written[name]


_SPLICE_BLOCK = 4 << 20
_SETLEASE = getattr(fcntl, "F_SETLEASE", None)  # Linux


def _taken_over(old: Path, target: Path):
    """``old`` moved to ``target`` and open for writing from its start, under a write lease;
    None when it is not there, has other links, or is open elsewhere (or leases are unknown)."""
    if _SETLEASE is None:
        return None
    try:
        fd = os.open(old, os.O_WRONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or found.st_nlink != 1:
            raise OSError("shared")
        fcntl.fcntl(fd, _SETLEASE, fcntl.F_WRLCK)  # refused while anyone else has it open
        os.rename(old, target)
    except OSError:
        os.close(fd)
        return None
    return os.fdopen(fd, "wb")


@contextmanager
def staged(dist: Path, lock_folder: Path | None = None, on_wait=None, locked: bool = False, after=None):
    """Write into a staging folder; when the block ends normally, it replaces ``dist`` in one
    step; when it raises (or is interrupted), the staging folder goes and ``dist`` stays.

    The swap, and ``after()`` (what must describe the new ``dist`` and nothing else, such as
    the build index), run under the build lock; ``locked`` says the caller holds it already."""
    remove_leftovers(dist)
    staging = Staging(dist)
    staging.folder.mkdir(parents=True)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging.folder, ignore_errors=True)
        raise
    # What was written is on disk, whole, before the folder is swapped in.
    staging.sync()
    if locked:
        _swap(staging.folder, dist)
        if after:
            after()
        return
    with build_lock(lock_folder or dist.parent, on_wait):
        _swap(staging.folder, dist)
        if after:
            after()


def _keep_as_spare(old_build: Path, dist: Path) -> None:
    spare = spare_folder(dist)
    shutil.rmtree(spare, ignore_errors=True)
    if _SETLEASE is None:  # it would never be written over: no copy kept for nothing
        shutil.rmtree(old_build, ignore_errors=True)
        return
    try:
        os.rename(old_build, spare)
    except OSError:
        shutil.rmtree(old_build, ignore_errors=True)


def write_folder(dist: Path, files: dict[str, bytes]) -> None:
    """Replace ``dist`` by a folder holding exactly ``files`` (names may contain '/')."""
    with staged(dist) as staging:
        for name, content in sorted(files.items()):
            staging.write(name, content)


def _swap(staging: Path, dist: Path) -> None:
    if dist.exists() and _exchange(staging, dist):
        _fsync(dist.parent)
        _keep_as_spare(staging, dist)  # now the old build
        return
    if dist.exists():
        old = dist.parent / f".{dist.name}-old-{os.getpid()}"
        os.rename(dist, old)
        os.rename(staging, dist)
        shutil.rmtree(old)
    else:
        os.rename(staging, dist)
    _fsync(dist.parent)
