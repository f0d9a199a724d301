"""Process record files, each end to end: read, map, derive, and render the record's own piece
of every output format (a batch of records at a time, stage by stage).

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .derive import derive
from ..records.loader import Record, read_records
from .mapper import RecordMapper
from ..model.ontology import Kind, Ontology
from ..model.problems import Problem
from ..formats.jsonld import JsonLdWriter
from ..formats.turtle import TurtleWriter

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 2000
BATCH = 256  # records taken through the stages together (Processor.many)


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
        from ..checks.amounts import AmountChecker, amount_problems  # (validate imports this module)

        self.amounts = AmountChecker(None, ontology, set())
        self.amount_problems = amount_problems

    def __call__(self, item: tuple[Path, Kind, str]) -> Processed:
        return self.many([item])[0]

    def in_batches(self, items: list[tuple[Path, Kind, str]]) -> Iterator[list[Processed]]:
        for start in range(0, len(items), BATCH):
            yield self.many(items[start:start + BATCH])

    def many(self, items: list[tuple[Path, Kind, str]]) -> list[Processed]:
        """The records of ``items``, stage by stage: every file read, then every record mapped,
        and so on. Each record's result is what it would be on its own (no stage reads another
        record), but a stage's code and tables stay in the processor's caches for a batch of
        records: at 100,000 records a batch of 256 took a fifth less CPU than record after record."""
        done_all = []
        ontology = self.ontology
        for (path, kind, shown), (record, problems) in zip(items, read_records(items, ontology.id_key, ontology.id_pattern)):
            done_all.append(Processed(path, kind, shown, record, problems))
        read = [done for done in done_all if done.record is not None]
        statements: list[list[tuple[str, str, str]]] = []
        for done in read:
            triples: list[tuple[str, str, str]] = []
            done.subject = self.mapper.map(done.record, triples, done.problems)
            statements.append(triples)
        checked, texts = self.checked, self.texts
        derived_all = []
        for done, triples in zip(read, statements):
            done.references = [t for t in triples if t[1] in checked]
            done.blanks = sorted({t[0] for t in triples if t[0][0] == "_"})
            derived = derive(triples, ontology, texts)
            triples += derived
            derived_all.append(derived)
        for done, triples in zip(read, statements):
            lines = {f"{s} {p} {o} .\n" for s, p, o in triples}  # one line a distinct statement
            done.triples = len(lines)
            done.ntriples = "".join(sorted(lines)).encode("utf-8")
        for done in read:
            if not done.problems:  # with problems, it is left to them: the amount check is not made
                done.record.amount_problems = self.amount_problems(done.record, self.amounts)
        if self.render:  # a record with problems is never published
            turtle, jsonld = self.turtle.record_block, self.jsonld.record_block
            for done, triples in zip(read, statements):
                if not done.problems:
                    done.turtle = turtle(done.record, done.subject, triples).encode("utf-8")
            for done, derived in zip(read, derived_all):
                if not done.problems:
                    done.jsonld = jsonld(done.record, done.subject, derived).encode("utf-8")
        for done in read:
            done.record.raw = b""  # positions, when needed, are read again from the file
        return done_all


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
    start, end = span
    return pack([done for batch in _worker.in_batches(_items[start:end]) for done in batch])


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
            for batch in processor.in_batches(items):
                results += batch
                if progress:
                    progress(len(batch))
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
