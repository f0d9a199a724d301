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
- **Shared text.** What records repeat is sent as one string: their data's keys (a label's
  languages too) and the objects of their references (other records, vocabulary values) are
  interned in the worker, which marshal writes once a chunk and the caller interns as it reads
  it. The caller keeps every record until the dumps are written, and would otherwise hold a
  copy a record (at 100,000 records, 90 MB: the build's peak memory over 1 GB).
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


def _start_worker(ontology: Ontology, prefixes: dict[str, str] | None, render: bool, texts: dict[str, str] | None,
                  record_check: RecordCheck | None, items: list) -> None:
    global _worker, _items
    gc.disable()  # short-lived, acyclic data: collection passes cost more than they free
    _worker = Processor(ontology, prefixes, render, texts, record_check)
    _items = items  # inherited from the parent as it forked: each task is a range of it, not the items


def _run_chunk(span: tuple[int, int]) -> tuple[bool, bytes]:
    start, end = span
    return pack([done for batch in in_batches(_worker, _items[start:end]) for done in batch])


# --- sending results back ------------------------------------------------------------------------


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
        record = (record.id, _with_shared_keys(record.data), record.digest)
    checked = None if done.checked is None else _problem_rows(done.checked)
    references = [(s, p, intern(o)) for s, p, o in done.references]  # s: the subject; p: the ontology's, one object
    return (_problem_rows(done.problems), done.subject, references, done.blanks, done.triples,
            done.ntriples, done.turtle, done.jsonld, record, checked)


# --- the text records repeat, sent once -----------------------------------------------------------
# A record's data is sent with keys that are the same interned strings for every record (the
# mappings among its values too: a label's languages), which marshal writes once a chunk and
# the caller interns as it reads them; the objects of its references (other records, vocabulary
# values) likewise. It is done here, in the workers, with C loops (a dict of each sequence of
# keys met, zip), so that the caller reads the records as it did, with nothing more to do.
# The record's own id and subject are not interned: the build index writes them, which marshal
# would then mark interned, and a rebuild would intern them again as it reads the index.

intern = sys.intern
_keys: dict[tuple, tuple] = {}  # each sequence of keys met, as interned strings


def _with_shared_keys(data):
    """A record's data, equal to it, its mappings' keys the shared strings; only the mappings
    among its values are looked into (a label's languages), not those further down."""
    if type(data) is not dict:
        return data
    keys = tuple(data)
    values = [dict(zip(_keys.get(inner := tuple(value)) or _shared(inner), value.values())) if type(value) is dict else value
              for value in data.values()]
    return dict(zip(_keys.get(keys) or _shared(keys), values))


def _shared(keys: tuple) -> tuple:
    """The keys as interned strings, kept for the next mapping with the same. Keys that are not
    all plain str stay as they are: 1 and True are equal keys, and must not stand for each
    other."""
    if not all(type(key) is str for key in keys):
        return keys
    shared = _keys[keys] = tuple(map(intern, keys))
    return shared


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
