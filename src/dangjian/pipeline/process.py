"""Process record files, each end to end: read, map, derive, and render the record's own piece
of every output format (a list of records at a time, stage by stage), with the checks that
depend on the record alone.

A record's statements, and the nodes it owns (its quote's annotation, a list of parts), depend
on nothing but its file (and, for a quote's oa:prefix and oa:suffix, the cleaned text of the
source it quotes), so each record is a unit of work: the build runs them in parallel (see
:mod:`dangjian.build.workers`), and each result could be kept and reused while its file does not
change. What needs all records at once (references, the SHACL verdict, the order of the outputs)
is done afterwards, on the results (:mod:`dangjian.checks.run`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..formats.jsonld import JsonLdWriter
from ..formats.turtle import TurtleWriter
from ..model.ontology import Kind, Ontology
from ..model.problems import Problem
from ..records.loader import Record, read_records
from .derive import derive
from .mapper import Mapped, RecordMapper

RecordCheck = Callable[[Record], "list[Problem] | None"]  # a check of one record alone; None: it does not apply


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
    # The problems the record's own checks found (see Processor's ``record_check``); None: not made.
    checked: list[Problem] | None = None


class Processor:
    """Turns one record file into a :class:`Processed`; one per process."""

    def __init__(self, ontology: Ontology, prefixes: dict[str, str] | None = None, render: bool = True,
                 texts: dict[str, str] | None = None, record_check: RecordCheck | None = None):
        self.ontology = ontology
        self.texts = texts or {}  # the sources' cleaned texts, by id: quotes are placed in them
        self.mapper = RecordMapper(ontology)
        self.render = render
        self.turtle = TurtleWriter(prefixes or ontology.prefixes).name_records(ontology.record_iri("", "")[:-1])
        self.jsonld = JsonLdWriter(ontology)
        self.checked = checked_predicates(ontology)
        self.record_check = record_check  # made here, where the record is read, since it needs no other

    def __call__(self, item: tuple[Path, Kind, str]) -> Processed:
        return self.many([item])[0]

    def many(self, items: list[tuple[Path, Kind, str]]) -> list[Processed]:
        """The records of ``items``, stage by stage: every file read, then every record mapped,
        and so on. Each record's result is what it would be on its own (no stage reads another
        record), but a stage's code and tables stay in the processor's caches for the records
        of a batch (the build's batches: :mod:`dangjian.build.workers`)."""
        done_all = []
        ontology = self.ontology
        for (path, kind, shown), (record, problems) in zip(items, read_records(items, ontology.id_key, ontology.id_pattern)):
            done_all.append(Processed(path, kind, shown, record, problems))
        self.after_reading([done for done in done_all if done.record is not None])
        return done_all

    def after_reading(self, read: list[Processed]) -> None:
        """Every stage after the reading, for records read (each ``record`` set)."""
        ontology = self.ontology
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
        if self.record_check is not None:
            for done in read:
                if not done.problems:  # with problems, it is left to them: its own checks are not made
                    done.checked = self.record_check(done.record)
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


def checked_predicates(ontology: Ontology) -> set[str]:
    """Predicates whose objects name records or vocabulary values: what the reference check reads."""
    return {f"<{t.predicate}>" for t in ontology.terms.values() if t.shape in ("reference", "vocab")}


def map_records(records: list[Record], ontology: Ontology, texts: dict[str, str] | None = None
                ) -> tuple[Mapped, list[Processed]]:
    """Records already read, mapped as a build maps them (the same stages; ``texts``: the cleaned
    text of each source, by id, for the quotes' oa:prefix and oa:suffix), for tests and tools:
    the Mapped the checks read, and each record's result (its ``ntriples``: its statements)."""
    processor = Processor(ontology, render=False, texts=texts)
    done = [Processed(record.path, record.kind, record.shown_path, record) for record in records]
    processor.after_reading(done)
    mapped = Mapped(ontology)
    for item in done:
        mapped.problems += item.problems
        mapped.add(item.subject, item.record, item.references, item.blanks, item.ntriples, item.triples)
    return mapped, done
