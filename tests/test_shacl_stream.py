"""The compiled SHACL engine reads the records through a named pipe: the same verdict as from a
file, and an engine that stops early, or a writer that fails, ends the run with an error instead
of leaving a thread blocked on the pipe."""

from __future__ import annotations

import glob
import os
import tempfile
import threading

import pytest

from dangjian.checks.shacl import _compiled_shapes, validate_streamed, vocabulary_ntriples


@pytest.fixture(scope="module")
def shapes(ontology):
    return _compiled_shapes(ontology.files()["shapes.ttl"])


def leftovers() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "dangjian-shacl-*")))


def an_amount_without_its_value(ontology) -> bytes:
    amount = ontology.record_iri("amount", "streamed")
    return (vocabulary_ntriples(ontology).encode("utf-8")
            + f"<{amount}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ontology.kinds['amount'].class_iri}> .\n".encode("utf-8"))


def verdict(report) -> set[tuple]:
    return {(r.focus_node, r.path, r.component) for r in report.results}


def test_the_pipe_gives_the_verdict_a_file_gives(shapes, ontology, tmp_path, monkeypatch):
    data = an_amount_without_its_value(ontology)
    before = leftovers()
    piped = validate_streamed(shapes, lambda handle: handle.write(data))
    (tmp_path / "data.nt").write_bytes(data)
    from_file = shapes.validate_file(str(tmp_path / "data.nt"))
    assert verdict(piped) == verdict(from_file)
    assert verdict(piped)  # the amount lacks what every amount must have: there is something to compare
    monkeypatch.delattr(os, "mkfifo")  # where there are no named pipes: a temporary file
    assert verdict(validate_streamed(shapes, lambda handle: handle.write(data))) == verdict(from_file)
    assert leftovers() == before


def test_an_engine_that_stops_reading_ends_the_run(shapes):
    threads = threading.active_count()
    before = leftovers()
    with pytest.raises(ValueError, match="parse error"):
        # Far more than a pipe holds: the writer is still writing when the engine gives up.
        validate_streamed(shapes, lambda handle: handle.write(b"this is not N-Triples <\n" * 200_000))
    assert threading.active_count() == threads
    assert leftovers() == before


def test_a_writer_that_fails_fails_the_run(shapes, ontology):
    data = an_amount_without_its_value(ontology)

    def write(handle):
        handle.write(data)
        raise RuntimeError("the records could not be written")

    with pytest.raises(RuntimeError, match="could not be written"):
        validate_streamed(shapes, write)


def test_the_engine_beside_the_checks_hands_the_interpreter_over_quickly_and_restores_it(ontology, monkeypatch):
    """While the engine runs in its thread, the interpreter changes hands every 0.5 ms (so that
    its feeder is not kept waiting by the checks), and afterwards as often as before, even when
    the engine fails: a watching process runs builds for hours."""
    import sys

    from dangjian.pipeline.mapper import Mapped
    from dangjian.checks import shacl

    seen = []

    def engine(mapped, ontology, extra):
        seen.append(sys.getswitchinterval())
        if len(seen) == 2:
            raise RuntimeError("the engine failed")
        return []

    monkeypatch.setitem(shacl.ENGINES, "shacl", engine)
    before = sys.getswitchinterval()
    assert shacl.ShapesBeside(Mapped(ontology), ontology).problems(set()) == []
    assert sys.getswitchinterval() == before
    with pytest.raises(RuntimeError, match="engine failed"):
        shacl.ShapesBeside(Mapped(ontology), ontology).problems(set())
    assert sys.getswitchinterval() == before
    assert seen == [shacl.QUICK_HANDOVER] * 2 and shacl.QUICK_HANDOVER < before
