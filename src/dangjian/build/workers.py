"""The pipeline run over many record files: in batches, and in worker processes when there are
many, their results sent back as marshalled rows.

- **Batches.** A processor takes BATCH records through its stages together (see
  :meth:`dangjian.pipeline.process.Processor.many`): a stage's code and tables stay in the
  processor's caches, and each record's result is what it would be alone.
- **Workers.** From PARALLEL_FROM files on, forked worker processes each take ranges of the files;
  they inherit the ontology, the sources' texts and the list of files as they fork, so that only
  two numbers go to a worker for each task.
- **Rows.** A worker sends its results back as rows of plain values in marshal's format, which
  writes and reads far quicker than pickled objects; the caller has each file's path, kind and
  path as shown already, so they are put back, not sent. Should a record hold a value marshal
  cannot write, the chunk goes whole by pickle instead.
- **Shared text.** The text records repeat (their data's keys, the values that name other
  records or vocabulary values, the predicates and objects of their references) is interned in
  the worker: marshal writes an interned string once a chunk, and the caller interns it as it
  reads it. The caller keeps every record until the dumps are written, and holds one copy of
  each such text rather than one a record (at 100,000 records, about 110 MB less: a tenth of
  the build's peak memory).
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path

from ..model.ontology import Kind, Ontology
from ..model.problems import Problem
from ..pipeline.process import Processed, Processor, RecordCheck
from ..records.loader import Record

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 2000
BATCH = 256  # records taken through the stages together


def in_batches(processor: Processor, items: list[tuple[Path, Kind, str]]) -> Iterator[list[Processed]]:
    for start in range(0, len(items), BATCH):
        yield processor.many(items[start:start + BATCH])


def process_files(items: list[tuple[Path, Kind, str]], ontology: Ontology, prefixes: dict[str, str] | None = None,
                  render: bool = True, workers: int | None = None, progress=None,
                  texts: dict[str, str] | None = None, record_check: RecordCheck | None = None) -> list[Processed]:
    """Process every file, in parallel when there are many; results in the order given."""
    workers = workers or os.cpu_count() or 1
    enabled = gc.isenabled()
    gc.disable()
    try:
        if workers == 1 or len(items) < PARALLEL_FROM:
            processor = Processor(ontology, prefixes, render, texts, record_check)
            results = []
            for batch in in_batches(processor, items):
                results += batch
                if progress:
                    progress(len(batch))
            return results
        size = max(64, min(1024, len(items) // (workers * 8)))
        spans = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
        results = []
        # "fork": the workers inherit the ontology, the texts and the items instead of having
        # them pickled; each task names a range of the items.
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_start_worker,
                          initargs=(ontology, prefixes, render, texts, record_check, items)) as pool:
            for (start, end), packed in zip(spans, pool.imap(_run_chunk, spans)):
                results.extend(unpack(packed, items[start:end]))
                if progress:
                    progress(end - start)
        return results
    finally:
        if enabled:
            gc.enable()


# --- in a worker -------------------------------------------------------------------------------

_worker: Processor | None = None  # the worker process's own processor, made as it starts
_items: list = []
_naming: frozenset[str] = frozenset()  # the keys whose values name records or vocabulary values


def _start_worker(ontology: Ontology, prefixes: dict[str, str] | None, render: bool, texts: dict[str, str] | None,
                  record_check: RecordCheck | None, items: list) -> None:
    global _worker, _items, _naming
    gc.disable()  # short-lived, acyclic data: collection passes cost more than they free
    _worker = Processor(ontology, prefixes, render, texts, record_check)
    _items = items  # inherited from the parent as it forked: each task is a range of it, not the items
    _naming = naming_keys(ontology)


def _run_chunk(span: tuple[int, int]) -> tuple[bool, bytes]:
    start, end = span
    return pack([done for batch in in_batches(_worker, _items[start:end]) for done in batch], _naming)


# --- sending results back ------------------------------------------------------------------------


def pack(results: list[Processed], naming: frozenset[str] = frozenset()) -> tuple[bool, bytes]:
    """A chunk of results to send: (marshalled?, bytes). ``naming``: the keys whose values are
    interned (see :func:`naming_keys`); every key is."""
    rows = [_row(result, naming) for result in results]
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


def _row(done: Processed, naming: frozenset[str]) -> tuple:
    record = done.record
    if record is not None:
        record = (record.id, _interned_data(record.data, naming), record.digest)
    checked = None if done.checked is None else _problem_rows(done.checked)
    references = [(s, intern(p), intern(o)) for s, p, o in done.references]  # s: the record's subject
    return (_problem_rows(done.problems), done.subject, references, done.blanks, done.triples,
            done.ntriples, done.turtle, done.jsonld, record, checked)


# --- the text records repeat, interned ----------------------------------------------------------
# What repeats from record to record: the keys, the values that name other records or
# vocabulary values (not labels, quotes and the like, which each record has its own), and the
# predicates and objects of the references. The record's own id and subject are not interned
# either: the build index writes them, which marshal would then mark interned, and a rebuild
# would intern them again as it reads the index (a hundred thousand of each: 30 ms).

intern = sys.intern
_NESTED = (dict, list)


def naming_keys(ontology: Ontology) -> frozenset[str]:
    """The keys whose values name records or vocabulary values: what many records repeat."""
    return frozenset(key for key, term in ontology.terms.items() if term.shape in ("reference", "vocab"))


def _interned_data(data: dict, naming: frozenset[str]) -> dict:
    """A record's data, equal to it, with its keys interned and the values of ``naming`` keys."""
    if type(data) is not dict:
        return _keys_interned(data)
    try:
        keys = list(map(intern, data))
    except TypeError:  # a key that is no plain str: the general way, keys only
        return _keys_interned(data)
    return dict(zip(keys, [_interned(item) if key in naming else _keys_interned(item) if type(item) in _NESTED else item
                           for key, item in zip(keys, data.values())]))


def _keys_interned(value):
    """``value`` with the str keys of every mapping in it interned; all else kept as it is."""
    kind = type(value)
    if kind is dict:
        return {(intern(key) if type(key) is str else key): _keys_interned(item) for key, item in value.items()}
    if kind is list:
        return [_keys_interned(item) for item in value]
    return value


def _interned(value):
    """``value`` with every plain str in it interned (only those can be); all else kept as it is."""
    kind = type(value)
    if kind is str:
        return intern(value)
    if kind is dict:
        return {(intern(key) if type(key) is str else key): _interned(item) for key, item in value.items()}
    if kind is list:
        return [_interned(item) for item in value]
    return value


def _from_row(item: tuple[Path, Kind, str], row: tuple) -> Processed:
    path, kind, shown = item
    problems, subject, references, blanks, triples, ntriples, turtle, jsonld, record, checked = row
    if record is not None:
        id_, data, digest = record
        record = Record(kind, id_, path, shown, data, b"", digest)
    return Processed(path, kind, shown, record, _problems(problems), subject, references, blanks, triples,
                     ntriples, turtle, jsonld, None if checked is None else _problems(checked))


def _problem_rows(problems: list[Problem]) -> list[tuple]:
    return [(p.path, p.line, p.column, p.key, p.message, p.rule, p.shape) for p in problems]


def _problems(rows: list[tuple]) -> list[Problem]:
    return [Problem(*row) for row in rows]
