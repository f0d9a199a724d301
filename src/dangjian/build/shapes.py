"""The SHACL engine run beside the other checks, fed through a pipe: the build's way of running
:data:`dangjian.checks.shacl.Engine`, where the checks call the engine plainly.

- Beside: the engine runs in a thread of its own while the caller makes the checks that do not
  need its verdict. It lets go of the interpreter while it reads and validates, so the checks
  and the engine use both cores.
- Through a pipe: a feeder thread writes the records' statements into a named pipe while the
  engine reads from it, so that no temporary file of the whole graph is written to disk and no
  text of it is held in memory (a plain temporary file where there are no named pipes). It
  writes a few MB at a time, and the interpreter changes hands more often meanwhile
  (:func:`dangjian.build.tuning.quick_handover`): the feeder needs it for a moment before each
  write, and would otherwise wait for the checks to let go of it.

tests/test_shacl_stream.py checks that the pipe gives the verdict a file gives, and that an
engine or a writer that fails ends the run with its error.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from ..checks.shacl import Result, compiled_shapes, fast_results
from ..model.ontology import Ontology
from ..pipeline.mapper import Mapped
from .tuning import quick_handover

WRITE_RECORDS = 2000  # records' statements joined into one write: a few MB


def beside(mapped: Mapped, ontology: Ontology, extra: str = "") -> Callable[[], list[Result]]:
    """The engine started in a thread now; the function it gives waits for the results."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="shacl")
    results = pool.submit(_quickly, streamed_engine, mapped, ontology, extra)
    pool.shutdown(wait=False)  # the thread ends with its one task
    return results.result


def _quickly(engine, *arguments):
    with quick_handover():
        return engine(*arguments)


def streamed_engine(mapped: Mapped, ontology: Ontology, extra: str = "") -> list[Result]:
    """The `shacl` package, reading the records' statements through a pipe."""
    report = validate_streamed(compiled_shapes(ontology), lambda handle: write_data(mapped, ontology, extra, handle))
    return fast_results(report)


def write_data(mapped: Mapped, ontology: Ontology, extra: str, handle) -> None:
    """The graph SHACL sees (:func:`dangjian.checks.shacl.data_text`), written piece by piece."""
    handle.write(ontology.vocabulary_ntriples.encode("utf-8"))
    blocks = mapped.ntriples
    for start in range(0, len(blocks), WRITE_RECORDS):
        handle.write(b"".join(blocks[start:start + WRITE_RECORDS]))
    handle.write(extra.encode("utf-8"))


def validate_streamed(shapes, write):
    """shapes.validate_file() of what ``write(handle)`` writes, through a named pipe written by a
    thread while the engine reads it; a plain temporary file where there are no named pipes."""
    folder = tempfile.mkdtemp(prefix="dangjian-shacl-")
    path = os.path.join(folder, "data.nt")
    try:
        if not hasattr(os, "mkfifo"):
            with open(path, "wb") as handle:
                write(handle)
            return shapes.validate_file(path)
        os.mkfifo(path, 0o600)
        failed: list[BaseException] = []

        def feed():
            try:
                with open(path, "wb") as handle:
                    write(handle)
            except BrokenPipeError:
                pass  # the engine stopped reading: its own error says why
            except BaseException as error:  # handed to the caller below
                failed.append(error)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        try:
            report = shapes.validate_file(path)
        finally:
            # Should the engine have stopped before opening the pipe, or before reading it
            # all, open and close its reading end: the feeder's open or write then ends.
            unblock = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            os.close(unblock)
            feeder.join()
        if failed:
            raise failed[0]
        return report
    finally:
        if os.path.exists(path):
            os.unlink(path)
        os.rmdir(folder)
