"""The build runs the compiled SHACL engine beside its other checks, reading the records through a
named pipe: the same results as the checks' plain call of the engine and as from a file, and an
engine that stops early, or a writer that fails, ends the run with an error instead of leaving a
thread blocked on the pipe."""

from __future__ import annotations

import glob
import os
import tempfile
import threading

import pytest

from dangjian.build.shapes import streamed_engine, validate_streamed
from dangjian.checks.shacl import compiled_shapes, run_fast_engine
from dangjian.pipeline.process import map_records
from dangjian.records.companions import cleaned_texts
from dangjian.records.loader import load_records


@pytest.fixture(scope="module")
def shapes(ontology):
    return compiled_shapes(ontology)


def leftovers() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "dangjian-shacl-*")))


def an_amount_without_its_value(ontology) -> bytes:
    amount = ontology.record_iri("amount", "streamed")
    return (ontology.vocabulary_ntriples.encode("utf-8")
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


def test_the_engine_through_the_pipe_gives_what_the_plain_call_gives(sandbox, ontology):
    """On the published records, and with some broken: the build's way of running the engine
    and the checks' own give the same results."""
    for broken in (False, True):
        if broken:
            text = sandbox.read("amounts/suzhou-2015-village-head-annual-pay.yaml")
            sandbox.write("amounts/suzhou-2015-village-head-annual-pay.yaml", text.replace("currency: CNY", "currency: 12"))
        project = sandbox.project
        mapped, _results = map_records(load_records(project, ontology).records, ontology, cleaned_texts(project, ontology))
        extra = f"<{ontology.record_iri('place', 'elsewhere')}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ontology.kinds['place'].class_iri}> .\n"
        streamed, plain = streamed_engine(mapped, ontology, extra), run_fast_engine(mapped, ontology, extra)
        assert sorted(map(repr, streamed)) == sorted(map(repr, plain))
        # The place named only by its class breaks shapes (and is no record's problem); the broken amount too.
        assert any("/place/elsewhere>" in r.focus for r in plain)
        assert any("suzhou-2015-village-head-annual-pay>" in r.focus for r in plain) == broken


def test_the_engine_beside_the_checks_hands_the_interpreter_over_quickly_and_restores_it(ontology, monkeypatch):
    """While the engine runs in its thread, the interpreter changes hands every 0.5 ms (so that
    its feeder is not kept waiting by the checks), and afterwards as often as before, even when
    the engine fails: a watching process runs builds for hours."""
    import sys

    from dangjian.build import shapes, tuning
    from dangjian.pipeline.mapper import Mapped

    seen = []

    def engine(mapped, ontology, extra):
        seen.append(sys.getswitchinterval())
        if len(seen) == 2:
            raise RuntimeError("the engine failed")
        return []

    monkeypatch.setattr(shapes, "streamed_engine", engine)
    before = sys.getswitchinterval()
    assert shapes.beside(Mapped(ontology), ontology)() == []
    assert sys.getswitchinterval() == before
    with pytest.raises(RuntimeError, match="engine failed"):
        shapes.beside(Mapped(ontology), ontology)()
    assert sys.getswitchinterval() == before
    assert seen == [tuning.QUICK_HANDOVER] * 2 and tuning.QUICK_HANDOVER < before
