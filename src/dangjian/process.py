"""Process record files one at a time, end to end: read, map, derive, and render the record's
own piece of every output format.

A record's statements, and the nodes it owns (its quote's annotation, a list of parts), depend
on nothing but its file (and, for a quote's oa:prefix and oa:suffix, the cleaned text of the
source it quotes, handed to every worker), so each record is a unit of work: records are processed in parallel
worker processes, and each result could be kept and reused while its file does not change.
What needs all records at once (references, the SHACL verdict, the order of the outputs) is
done afterwards, on the results.
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import pickle
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .derive import derive
from .load.records import Record, read_record
from .map import RecordMapper
from .ontology import Kind, Ontology
from .problems import Problem
from .publish.jsonld import JsonLdWriter
from .publish.turtle import TurtleWriter

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 2000


@dataclass
class Processed:
    """Everything a build needs from one record file."""

    path: Path
    kind: Kind
    shown: str
    record: Record | None  # None when the file could not be read as a record
    problems: list[Problem] = field(default_factory=list)
    subject: str = ""
    references: list[tuple[str, str, str]] = field(default_factory=list)  # statements naming records or values
    blanks: list[str] = field(default_factory=list)  # blank nodes the record owns
    triples: int = 0
    # The record's pieces of each dump, in UTF-8 (a hundred thousand of each stay in memory).
    ntriples: bytes = b""  # its statements, sorted, one a line
    turtle: bytes = b""  # its block of Turtle
    jsonld: bytes = b""  # its JSON-LD nodes, one a line


class Processor:
    """Turns one record file into a :class:`Processed`; one per process."""

    def __init__(self, ontology: Ontology, prefixes: dict[str, str] | None = None, render: bool = True,
                 texts: dict[str, str] | None = None):
        self.ontology = ontology
        self.texts = texts or {}  # the sources' cleaned texts, by id: quotes are placed in them
        self.mapper = RecordMapper(ontology)
        self.render = render
        self.turtle = TurtleWriter(prefixes or ontology.prefixes).name_records(ontology.record_iri("", "")[:-1])
        self.jsonld = JsonLdWriter(ontology)
        self.checked = checked_predicates(ontology)
        from .validate.amounts import AmountChecker, amount_problems  # (validate imports this module)

        self.amounts = AmountChecker(None, ontology, set())
        self.amount_problems = amount_problems

    def __call__(self, item: tuple[Path, Kind, str]) -> Processed:
        path, kind, shown = item
        record, problems = read_record(path, kind, shown, self.ontology.id_key, self.ontology.id_pattern)
        done = Processed(path, kind, shown, record, problems)
        if record is None:
            return done
        triples: list[tuple[str, str, str]] = []
        done.subject = self.mapper.map(record, triples, done.problems)
        checked = self.checked
        done.references = [t for t in triples if t[1] in checked]
        done.blanks = sorted({t[0] for t in triples if t[0][0] == "_"})
        derived = derive(triples, self.ontology, self.texts)
        triples += derived
        lines = {f"{s} {p} {o} .\n" for s, p, o in triples}  # one line a distinct statement
        done.triples = len(lines)
        done.ntriples = "".join(sorted(lines)).encode("utf-8")
        if not done.problems:  # with problems, it is left to them: the amount check is not made
            record.amount_problems = self.amount_problems(record, self.amounts)
        if self.render and not done.problems:  # a record with problems is never published
            done.turtle = self.turtle.record_block(record, done.subject, triples).encode("utf-8")
            done.jsonld = self.jsonld.record_block(record, done.subject, derived).encode("utf-8")
        record.raw = b""  # positions, when needed, are read again from the file
        return done


def checked_predicates(ontology: Ontology) -> set[str]:
    """Predicates whose objects name records or vocabulary values: what the reference check reads."""
    return {f"<{t.predicate}>" for t in ontology.terms.values() if t.shape in ("reference", "vocab")}


@contextmanager
def collection_paused():
    """No cyclic garbage collection while a build or a validation runs: it holds millions of
    small acyclic objects (records, statements, blocks), which every full collection walks again
    for nothing (3 s of 19 in the main process at 100,000 records). It resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- running many ----------------------------------------------------------------------------

_worker: Processor | None = None
_items: list = []


def _start_worker(ontology: Ontology, prefixes: dict[str, str] | None, render: bool, texts: dict[str, str] | None,
                  items: list) -> None:
    global _worker, _items
    gc.disable()  # short-lived, acyclic data: collection passes cost more than they free
    _worker = Processor(ontology, prefixes, render, texts)
    _items = items  # inherited from the parent as it forked: each task is a range of it, not the items


def _run_chunk(span: tuple[int, int]) -> tuple[bool, bytes]:
    return pack([_worker(item) for item in _items[span[0]:span[1]]])


# --- sending results back --------------------------------------------------------------------
#
# A worker sends its results as rows of plain values in marshal's format, not as pickled
# objects: at 100,000 records pickle took 18 µs a record to write and 18 µs to read, this
# 11 µs and 8 µs with the objects made again (2 s of CPU in a 25 s build, on two cores). The
# caller has each file's path, kind and path as shown already: they are put back, not sent.
# Should a record hold a value marshal cannot write, the chunk goes whole by pickle instead.


def pack(results: list[Processed]) -> tuple[bool, bytes]:
    """A chunk of results to send: (marshalled?, bytes)."""
    rows = [_row(result) for result in results]
    try:
        return True, marshal.dumps(rows)
    except ValueError:
        return False, pickle.dumps(results, pickle.HIGHEST_PROTOCOL)


def unpack(packed: tuple[bool, bytes], items: list[tuple[Path, Kind, str]]) -> list[Processed]:
    """The results of ``items`` from what :func:`pack` made of them."""
    marshalled, data = packed
    if not marshalled:
        return pickle.loads(data)
    return [_from_row(item, row) for item, row in zip(items, marshal.loads(data))]


def _row(done: Processed) -> tuple:
    record = done.record
    if record is not None:
        amounts = record.amount_problems
        record = (record.id, record.data, record.digest, None if amounts is None else _problem_rows(amounts))
    return (_problem_rows(done.problems), done.subject, done.references, done.blanks, done.triples,
            done.ntriples, done.turtle, done.jsonld, record)


def _from_row(item: tuple[Path, Kind, str], row: tuple) -> Processed:
    path, kind, shown = item
    problems, subject, references, blanks, triples, ntriples, turtle, jsonld, record = row
    if record is not None:
        id_, data, digest, amounts = record
        record = Record(kind, id_, path, shown, data, b"", digest,
                        amount_problems=None if amounts is None else _problems(amounts))
    return Processed(path, kind, shown, record, _problems(problems), subject, references, blanks, triples,
                     ntriples, turtle, jsonld)


def _problem_rows(problems: list[Problem]) -> list[tuple]:
    return [(p.path, p.line, p.column, p.key, p.message, p.rule, p.shape) for p in problems]


def _problems(rows: list[tuple]) -> list[Problem]:
    return [Problem(*row) for row in rows]


def process_files(items: list[tuple[Path, Kind, str]], ontology: Ontology, prefixes: dict[str, str] | None = None,
                  render: bool = True, workers: int | None = None, progress=None,
                  texts: dict[str, str] | None = None) -> list[Processed]:
    """Process every file, in parallel when there are many; results in the order given."""
    workers = workers or os.cpu_count() or 1
    enabled = gc.isenabled()
    gc.disable()
    try:
        if workers == 1 or len(items) < PARALLEL_FROM:
            processor = Processor(ontology, prefixes, render, texts)
            results = []
            for item in items:
                results.append(processor(item))
                if progress:
                    progress(1)
            return results
        size = max(64, min(1024, len(items) // (workers * 8)))
        spans = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
        results = []
        # "fork": the workers inherit the ontology, the texts and the items instead of having
        # them pickled (each task names a range of the items: unpickling 100,000 paths and
        # kinds cost the workers 1.3 s of CPU here).
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_start_worker, initargs=(ontology, prefixes, render, texts, items)) as pool:
            for (start, end), packed in zip(spans, pool.imap(_run_chunk, spans)):
                results.extend(unpack(packed, items[start:end]))
                if progress:
                    progress(end - start)
        return results
    finally:
        if enabled:
            gc.enable()
