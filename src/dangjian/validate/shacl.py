"""Run a SHACL engine over the mapped records and report its results at YAML lines.

Two engines give the same verdicts on these SHACL Core shapes: the `shacl` package (compiled,
fast; what the pipeline runs) and pySHACL (the reference, which the tests run beside it and
compare result by result). A result names a focus node and a path; the mapper's traced origins
turn them back into the file, line and key that caused them, and the shape's sh:message (with
the offending value) says what is wrong.
"""

from __future__ import annotations

import logging
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph
import rdflib
from rdflib.namespace import RDF, SH

from ..load.limits import digits_problem
from ..map import NUMBER_TYPES, XSD, Mapped, lexical, nt_literal
from ..ontology import Ontology
from ..problems import Problem
from ..rdfterms import canonical_language

# rdflib logs a traceback for every ill-typed literal it meets (the very thing SHACL reports).
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
rdflib.NORMALIZE_LITERALS = False

_VALUE_COMPONENTS = {"Datatype", "Class", "In", "Pattern", "LanguageIn", "MinInclusive", "MaxInclusive",
                     "MinExclusive", "MaxExclusive", "NodeKind", "LessThan", "LessThanOrEquals",
                     "MinLength", "MaxLength", "HasValue"}
_COMPARISONS = {"MinInclusive", "MaxInclusive", "MinExclusive", "MaxExclusive", "LessThan", "LessThanOrEquals"}
_NUMBERS = {XSD + "integer": re.compile(r"^[+-]?[0-9]+$"), XSD + "decimal": re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")}
_LITERAL = re.compile(r'^"(?P<body>(?:[^"\\]|\\.)*)"(?:@(?P<lang>[A-Za-z0-9-]+)|\^\^<(?P<dt>[^>]*)>)?$')
_UNESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE_UNESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


@dataclass(frozen=True)
class Result:
    """One SHACL result, whichever engine found it, with terms as N-Triples."""

    focus: str
    path: str | None
    value: str | None
    component: str  # "MinCount", ...
    message: str
    shape: str  # the source shape, as the engine names it
    root_shape: str  # the nearest named shape


def parse_literal(term: str) -> tuple[str, str | None, str | None] | None:
    """(lexical form, language, datatype) of an N-Triples literal; None for other terms."""
    found = _LITERAL.match(term)
    if not found:
        return None
    body = _UNESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] in "uU" and len(m.group(1)) > 1 else _SIMPLE_UNESCAPES.get(m.group(1), m.group(1)), found.group("body"))
    return body, found.group("lang"), found.group("dt")


def ill_typed_number(term: str) -> bool:
    parsed = parse_literal(term)
    if not parsed or parsed[2] not in _NUMBERS:
        return False
    return not _NUMBERS[parsed[2]].match(parsed[0])


def canonical_term(term: str) -> str:
    """An N-Triples term as the mapper writes it (an engine may escape or case differently)."""
    if not term or term[0] != '"':
        return term
    quad = next(iter(pyoxigraph.parse(f"<x:s> <x:p> {term} .".encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)))
    value = quad.object
    if value.language:
        return nt_literal(value.value, language=value.language)
    return nt_literal(value.value, datatype=value.datatype.value)


# --- engines ---------------------------------------------------------------------------------


def data_text(mapped: Mapped, ontology: Ontology) -> str:
    """The graph SHACL sees, as N-Triples: the records, and the vocabulary their controlled
    values come from."""
    return vocabulary_ntriples(ontology) + b"".join(mapped.ntriples).decode("utf-8")


WRITE_RECORDS = 2000  # records' statements joined into one write: a few MB


def write_data(mapped: Mapped, ontology: Ontology, extra: str, handle) -> None:
    """The same, written to a file piece by piece (no text of the whole graph in memory). A few
    MB a write: while the engine runs beside other checks, a writer that needs the interpreter
    for each record would wait its turn (up to 5 ms) a hundred thousand times."""
    handle.write(vocabulary_ntriples(ontology).encode("utf-8"))
    blocks = mapped.ntriples
    for start in range(0, len(blocks), WRITE_RECORDS):
        handle.write(b"".join(blocks[start:start + WRITE_RECORDS]))
    handle.write(extra.encode("utf-8"))


@lru_cache(maxsize=4)
def _vocabulary_ntriples(text: str) -> str:
    quads = pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    return pyoxigraph.serialize([pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads], format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8")


def vocabulary_ntriples(ontology: Ontology) -> str:
    return _vocabulary_ntriples(ontology.files()["vocabulary.ttl"])


@lru_cache(maxsize=4)
def _compiled_shapes(text: str):
    import shacl

    return shacl.Shapes.from_text(text, format="turtle")


def validate_streamed(shapes, write):
    """shapes.validate_file() of what ``write(handle)`` writes. Through a named pipe, written by
    a thread while the engine reads (it lets go of the interpreter): a temporary file of 150 MB
    at 100,000 records cost 0.5-0.9 s more to write than the pipe, and disk space. A plain
    temporary file where there are no named pipes."""
    import os
    import tempfile
    import threading

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


def run_fast_engine(mapped: Mapped, ontology: Ontology, extra: str = "") -> list[Result]:
    """The `shacl` package: compiled shapes, validating an N-Triples file of the records."""
    shapes = _compiled_shapes(ontology.files()["shapes.ttl"])
    report = validate_streamed(shapes, lambda handle: write_data(mapped, ontology, extra, handle))
    return [
        Result(
            focus=r.focus_node,
            path=r.path,
            value=canonical_term(r.value) if r.value else None,
            component=r.component.removesuffix("ConstraintComponent"),
            message=r.message or f"violates {r.component}",
            shape=r.source_shape,
            root_shape=r.root_shape or r.source_shape,
        )
        for r in report.results
    ]


def run_pyshacl(data: rdflib.Graph, shapes: rdflib.Graph) -> rdflib.Graph:
    import pyshacl

    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True, abort_on_first=False
    )
    return results


def _nt(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    if term.language:
        return nt_literal(str(term), language=term.language)
    return nt_literal(str(term), datatype=str(term.datatype) if term.datatype else None)


def run_reference_engine(mapped: Mapped, ontology: Ontology, extra: str = "") -> list[Result]:
    """pySHACL, the reference engine."""
    data = rdflib.Graph().parse(data=data_text(mapped, ontology) + extra, format="nt")
    results = run_pyshacl(data, ontology.shapes_graph)
    out = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(result, SH.sourceShape)
        path = results.value(result, SH.resultPath)
        out.append(Result(
            focus=_nt(results.value(result, SH.focusNode)),
            path=_nt(path) if isinstance(path, rdflib.URIRef) else None,
            value=_nt(results.value(result, SH.value)),
            component=str(results.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1].removesuffix("ConstraintComponent"),
            message=str(results.value(result, SH.resultMessage) or ""),
            shape=str(shape),
            root_shape=str(shape),
        ))
    return out


ENGINES = {"shacl": run_fast_engine, "pyshacl": run_reference_engine}


# --- reading results -------------------------------------------------------------------------


class ResultReader:
    """Turns SHACL results into problems at YAML lines."""

    def __init__(self, mapped: Mapped, ontology: Ontology):
        self.mapped = mapped
        self.ontology = ontology
        dj = rdflib.Namespace(ontology.vocabulary_iri)
        shapes = ontology.shapes_graph
        self.report_paths = {f"<{s}>": f"<{o}>" for s, o in shapes.subject_objects(dj.reportPath)}
        self.report_paths.update({str(s): f"<{o}>" for s, o in shapes.subject_objects(dj.reportPath)})

    def value_text(self, value: str) -> str:
        parsed = parse_literal(value)
        if parsed:
            lexical, language, datatype = parsed
            if language:
                return f'"{lexical}"@{canonical_language(language)}'
            if datatype in _NUMBERS and not ill_typed_number(value) or datatype == XSD + "boolean":
                return lexical  # as the YAML wrote it, unquoted
            return f'"{lexical}"'
        iri = value[1:-1] if value.startswith("<") else value
        split = self.ontology.split_record_iri(iri)
        if split:
            return f'"{split[1]}"'
        for term in self.ontology.terms.values():
            if term.vocab_prefix and iri.startswith(term.vocab_prefix):
                return f'"{iri[len(term.vocab_prefix):]}"'
        return value

    def has_ill_typed_number(self, subject: str) -> bool:
        record = self.mapped.record_of(subject)
        return record is not None and any(len(k) == 3 and k[0] == subject and ill_typed_number(k[2]) for k in self.mapped.trace(record))

    def refused_for_digits(self, subject: str) -> bool:
        """Whether the record wrote a number with more digits than the engines compare alike:
        the mapper reported it and kept it from them, so that shapes over the whole node (an
        amount has a value, a range or parts) would miss it, and say so wrongly."""
        record = self.mapped.record_of(subject)
        if record is None:
            return False
        terms = self.ontology.terms
        return any(key in terms and terms[key].datatype in NUMBER_TYPES and not isinstance(value, (list, dict, bool))
                   and value is not None and digits_problem(lexical(value)) for key, value in record.data.items())

    def repeated_language(self, subject: str, predicate: str) -> str | None:
        """The second text in a language that already has one: where sh:uniqueLang fails."""
        seen = set()
        for value in self.mapped.values(subject, predicate):
            parsed = parse_literal(value)
            language = parsed[1].lower() if parsed and parsed[1] else None
            if language in seen:
                return value
            seen.add(language)
        return None

    def problems(self, results: list[Result], skip: set) -> list[Problem]:
        out = []
        for result in results:
            component = result.component
            path = result.path or self.report_paths.get(result.root_shape) or self.report_paths.get(result.shape)
            subject, value = result.focus, result.value
            if component in ("Xone", "Or", "And", "Not", "Node") and value == subject:
                value = None  # node-level results name the focus node as their value
                if self.refused_for_digits(subject):
                    continue  # a number written but held back for its digits leaves the node short
            if (subject, path, value) in skip:
                continue
            if component in _COMPARISONS and value and ill_typed_number(value):
                continue  # the Datatype result already says the value is not a number
            if component in ("LessThan", "LessThanOrEquals") and self.has_ill_typed_number(subject):
                continue  # ... or the value it was compared with is not one
            if component == "UniqueLang" and path:
                value = self.repeated_language(subject, path)
            origin = self.mapped.origin(subject, path, value)
            if origin is None:
                continue  # a statement no record made (the vocabulary's own); not a record's problem
            key = origin.key
            if path and (subject, path) not in self.mapped.trace(self.mapped.record_of(subject)):
                key = self.ontology.key_for(path[1:-1])  # a missing key: report it by name at the record
                if component == "MinCount" and key in self.mapped.record_of(subject).data:
                    continue  # written, but every value refused, each with its own problem
            message = result.message
            if value is not None and component in _VALUE_COMPONENTS:
                message = f"{message}, got {self.value_text(value)}"
            out.append(Problem(origin.path, origin.mark.line, origin.mark.column, key, message, f"shacl:{component}", result.shape))
        return sorted(set(out))


def one_per_shape(problems: list[Problem]) -> list[Problem]:
    """One problem per shape at a place: a property shape that checks both the count and the
    form of a value would otherwise say the same thing twice, once without the value."""
    best: dict[tuple, Problem] = {}
    for problem in problems:
        where = (problem.path, problem.line, problem.column, problem.key, problem.shape)
        if where not in best or len(problem.message) > len(best[where].message):
            best[where] = problem
    return sorted(best.values())


def check_shapes(mapped: Mapped, ontology: Ontology, skip: set, every_result: bool = False, engine: str = "shacl",
                 extra: str = "") -> list[Problem]:
    """SHACL problems; ``every_result`` keeps each result, even where others say the same;
    ``extra`` is N-Triples the records need beside them (the class of records they name)."""
    return shape_problems(ENGINES[engine](mapped, ontology, extra), mapped, ontology, skip, every_result)


class ShapesBeside:
    """The SHACL engine started in a thread, while the caller makes the checks that do not need
    its verdict; :meth:`problems` waits for it. The engine lets go of the interpreter while it
    reads and validates, so the two use both cores."""

    def __init__(self, mapped: Mapped, ontology: Ontology, engine: str = "shacl", extra: str = ""):
        self.mapped, self.ontology = mapped, ontology
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="shacl")
        self._results = self._pool.submit(_handing_over_quickly, ENGINES[engine], mapped, ontology, extra)
        self._pool.shutdown(wait=False)  # the thread ends with its one task

    def problems(self, skip: set, every_result: bool = False) -> list[Problem]:
        return shape_problems(self._results.result(), self.mapped, self.ontology, skip, every_result)


# While the engine runs beside the other checks, its feeder needs the interpreter for a moment
# before each write to the engine's pipe, and the checks hold it: by default they let go of it
# only every 5 ms, and the engine waited for its input. Handing it over every 0.5 ms meanwhile:
# at 100,000 records the engine took 3.1-3.4 s in place of 3.5-4.6 s, and the stretch from the
# workers' end to the dumps 3.5 s in place of 4.3 s on average.
QUICK_HANDOVER = 0.0005  # seconds


def _handing_over_quickly(engine, *arguments):
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, QUICK_HANDOVER))
    try:
        return engine(*arguments)
    finally:
        sys.setswitchinterval(before)


def shape_problems(results: list[Result], mapped: Mapped, ontology: Ontology, skip: set, every_result: bool = False) -> list[Problem]:
    """The problems an engine's results say, but those in ``skip`` (explained elsewhere)."""
    problems = ResultReader(mapped, ontology).problems(results, skip)
    return problems if every_result else one_per_shape(problems)
