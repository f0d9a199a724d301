"""Every check a record goes through, in one run, with all problems reported together.

The same run serves a full build (every record read) and a partial one (a quick rebuild: the
records read again, beside the records it did not read). They differ only in what is known
beyond the records at hand (:class:`Known`): nothing, or the unchanged records' ids, kinds and
tombstones. A record's verdict depends on its own files and on the existence, kind and content
of the records it names, and on nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.ontology import Ontology
from ..model.problems import Problem
from ..model.terms import iri
from ..model.namespaces import RDF_TYPE
from ..pipeline.mapper import Mapped
from ..pipeline.process import Processed
from ..records.loader import IdRegister, Record
from ..settings import Project
from .amounts import AmountChecker, amount_problems, check_amounts
from .hierarchy import check_hierarchy
from .references import Directory, check_references
from .releases import check_releases
from .shacl import Engine, at_once, shape_problems
from .sources import check_sources


@dataclass
class Verdict:
    records: list[Record]
    mapped: Mapped
    problems: list[Problem]
    processed: list[Processed] = field(default_factory=list)  # in the order of the outputs

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class Known:
    """The records a run does not read but must know of (a partial build's unchanged ones): the
    file that claims each id, and the directory of which exist (the run adds its own to it)."""

    claimed: dict[str, str]  # id -> its file, as shown
    directory: Directory


def record_check(ontology: Ontology):
    """The checks that depend on one record alone, as one function of a record (the pipeline
    makes it where the record is read: :class:`dangjian.pipeline.process.Processor`): today the
    amount check. Its problems ride on the pipeline's result; :func:`run` uses them."""
    checker = AmountChecker(None, ontology, set())
    return lambda record: amount_problems(record, checker)


def run(project: Project, ontology: Ontology, processed: list[Processed], known: Known | None = None,
        problems: list[Problem] = (), engine: Engine = at_once) -> Verdict:
    """Check the records ``processed`` (by the pipeline, in any order), against ``known`` records
    beside them; ``problems``: those found already (files that are no records)."""
    return Run(project, ontology, processed, known, problems, engine).verdict()


class Run:
    """:func:`run`, in two steps. Made, it has started the SHACL engine (``engine``: see
    :data:`dangjian.checks.shacl.Engine`) and made every other check; :meth:`verdict` waits for
    the engine and ends the run. Meanwhile ``kept`` holds the records checked, in the order of
    the outputs, and ``found_problems`` says whether any check has found one yet."""

    def __init__(self, project: Project, ontology: Ontology, processed: list[Processed], known: Known | None = None,
                 problems: list[Problem] = (), engine: Engine = at_once):
        self.project, self.ontology = project, ontology
        self.mapped = mapped = Mapped(ontology)
        register = IdRegister(ontology.id_key, known.claimed if known else None)
        own_problems, unreadable, kept = gather(processed, mapped, register)
        self.problems = [*problems, *own_problems]
        if known is None:
            self.shapes = engine(mapped, ontology, "")  # first: it takes longest
            directory = Directory.of(mapped, ontology)
        else:
            directory = known.directory.add(Directory.of(mapped, ontology))
            self.shapes = engine(mapped, ontology, named_outside(mapped, ontology, directory))
        self.references, self.flagged = check_references(mapped, ontology, unreadable, directory)
        self.released = check_releases(project, directory, ontology)
        self.hierarchy = check_hierarchy(mapped, ontology, project)
        # Facts are checked against their sources once their records are otherwise valid. Which
        # are is known once SHACL has spoken; until then, the sources are checked as if it will
        # find nothing more, and again, without the records it finds, when it does.
        self.troubled = {p.path for p in self.problems + self.references + self.released}
        self.facts = facts_problems(project, mapped, ontology, self.troubled)
        kept.sort(key=lambda item: item.subject)
        self.kept = kept
        self.found_problems = bool(self.problems or self.references or self.released or self.hierarchy or self.facts)

    def verdict(self) -> Verdict:
        mapped, ontology = self.mapped, self.ontology
        checked = {item.shown for item in self.kept}  # (results about records outside are not asked for)
        shapes = [p for p in shape_problems(self.shapes(), mapped, ontology, self.flagged) if p.path in checked]
        facts = self.facts
        newly = {p.path for p in shapes} - self.troubled
        if newly:
            facts = facts_problems(self.project, mapped, ontology, self.troubled | newly)
        problems = first_word_wins(self.problems + self.references + shapes + self.released)
        problems += self.hierarchy + facts
        return Verdict([item.record for item in self.kept], mapped, sorted(set(problems)), self.kept)


def named_outside(mapped: Mapped, ontology: Ontology, directory: Directory) -> str:
    """The class of each record the records at hand name that exists outside them: all SHACL
    needs of them (sh:class), as N-Triples."""
    outside = set()
    for _s, _p, o in mapped.references:
        split = ontology.split_record_iri(o[1:-1]) if o not in mapped.records else None
        if split and split[1] in directory.ids_by_kind.get(split[0], ()):
            outside.add((o, split[0]))
    rdf_type = iri(RDF_TYPE)
    return "".join(f"{o} {rdf_type} <{ontology.kinds[kind].class_iri}> .\n" for o, kind in sorted(outside))


def first_word_wins(problems: list[Problem]) -> list[Problem]:
    """Where the reader already refused a value (a YAML 1.1 trap, say), later checks of that
    same value add nothing: keep the reader's message alone at that place."""
    read_at = {(p.path, p.line, p.column) for p in problems if p.rule == "yaml"}
    return [p for p in problems if p.rule == "yaml" or (p.path, p.line, p.column) not in read_at]


def gather(processed: list[Processed], mapped: Mapped, register: IdRegister
           ) -> tuple[list[Problem], set[tuple[str, str]], list[Processed]]:
    """Add the records read to ``mapped``, each id claimed once in ``register``. Gives the files'
    own problems (and a second claim's), the (kind, id) of each file that could not be read as
    a record, and the results added."""
    problems: list[Problem] = []
    unreadable: set[tuple[str, str]] = set()
    kept = []
    for item in processed:
        problems += item.problems
        if item.record is None:
            unreadable.add((item.kind.name, item.path.stem))
            continue
        taken = register.claim(item.record)
        if taken:
            problems.append(taken)
            continue
        mapped.add(item.subject, item.record, item.references, item.blanks, item.ntriples, item.triples, item.checked)
        kept.append(item)
    return problems, unreadable, kept


def facts_problems(project: Project, mapped: Mapped, ontology: Ontology, troubled: set[str]) -> list[Problem]:
    """Problems of the sources, then of the amounts their quotes state, for the records not
    ``troubled`` (paths) by problems of their own."""
    source_problems = check_sources(project, mapped, ontology, troubled)
    return source_problems + check_amounts(mapped, ontology, troubled | {p.path for p in source_problems})
