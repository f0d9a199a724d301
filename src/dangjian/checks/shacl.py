"""Run a SHACL engine over the mapped records and report its results at YAML lines.

Two engines give the same verdicts on these SHACL Core shapes: the `shacl` package (compiled,
fast; what the pipeline runs) and pySHACL (the reference, which the tests run beside it and
compare result by result). A result names a focus node and a path; the mapper's traced origins
turn them back into the file, line and key that caused them, and the shape's sh:message (with
the offending value) says what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph
import rdflib
from rdflib.namespace import RDF, SH

from ..model.namespaces import XSD
from ..model.ontology import Ontology
from ..model.problems import Problem
from ..model.terms import display_language, nt_literal, parse_literal
from ..pipeline.mapper import NUMBER_TYPES, Mapped, holds_refused, lexical
from ..records.limits import digits_problem
from ..settings import configure_process

_VALUE_COMPONENTS = {"Datatype", "Class", "In", "Pattern", "LanguageIn", "MinInclusive", "MaxInclusive",
                     "MinExclusive", "MaxExclusive", "NodeKind", "LessThan", "LessThanOrEquals",
                     "MinLength", "MaxLength", "HasValue"}
_COMPARISONS = {"MinInclusive", "MaxInclusive", "MinExclusive", "MaxExclusive", "LessThan", "LessThanOrEquals"}
_NUMBERS = {XSD + "integer": re.compile(r"^[+-]?[0-9]+$"), XSD + "decimal": re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")}


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
    return ontology.vocabulary_ntriples + b"".join(mapped.ntriples).decode("utf-8")


def compiled_shapes(ontology: Ontology):
    """The shapes, compiled for the `shacl` package (in a few milliseconds: not kept)."""
    import shacl

    return shacl.Shapes.from_text(ontology.files()["shapes.ttl"], format="turtle")


def fast_results(report) -> list[Result]:
    """The `shacl` package's report as results."""
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


def run_fast_engine(mapped: Mapped, ontology: Ontology, extra: str = "") -> list[Result]:
    """The `shacl` package: compiled shapes, validating the records' N-Triples (the build feeds
    it the same statements through a pipe instead, beside its other checks: dangjian.build.shapes)."""
    report = compiled_shapes(ontology).validate_text(data_text(mapped, ontology) + extra, format="ntriples")
    return fast_results(report)


def run_pyshacl(data: rdflib.Graph, shapes: rdflib.Graph) -> rdflib.Graph:
    import pyshacl

    try:
        _conforms, results, _text = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True, abort_on_first=False
        )
    finally:
        configure_process()  # pySHACL turns rdflib's normalisation of literals back on as it returns
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
                return f'"{lexical}"@{display_language(language)}'  # as a record writes it (zh-Hans)
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
            key, mark = origin.key, origin.mark
            if path and (subject, path) not in self.mapped.trace(self.mapped.record_of(subject)):
                key = self.ontology.key_for(path[1:-1])  # a missing key: report it by name at the record
                if component == "MinCount" and key in self.mapped.record_of(subject).data:
                    continue  # written, but every value refused, each with its own problem
            elif component == "QualifiedMinCount":
                # a value missing beside others (label.en beside label.zh-Hans): at the key they share
                key = key.split(".")[0]
                record = self.mapped.record_of(subject)
                if holds_refused(record.data.get(key)):
                    continue  # the reader refused a value there (an escaped control), and said so
                mark = record.key_mark(key)
            message = result.message
            if value is not None and component in _VALUE_COMPONENTS:
                message = f"{message}, got {self.value_text(value)}"
            out.append(Problem(origin.path, mark.line, mark.column, key, message, f"shacl:{component}", result.shape))
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


Engine = Callable[[Mapped, Ontology, str], Callable[[], list[Result]]]
"""How a run starts the SHACL engine: given the records (and ``extra`` N-Triples beside them), it
starts the engine and gives a function that waits for its results. The checks call it at once
(:func:`at_once`); the build runs it beside the other checks (:mod:`dangjian.build.shapes`)."""


def at_once(mapped: Mapped, ontology: Ontology, extra: str = "") -> Callable[[], list[Result]]:
    results = run_fast_engine(mapped, ontology, extra)
    return lambda: results


def shape_problems(results: list[Result], mapped: Mapped, ontology: Ontology, skip: set, every_result: bool = False) -> list[Problem]:
    """The problems an engine's results say, but those in ``skip`` (explained elsewhere)."""
    problems = ResultReader(mapped, ontology).problems(results, skip)
    return problems if every_result else one_per_shape(problems)
