"""Run a SHACL engine over the mapped records and report its results at YAML lines.

pySHACL is the reference engine. A result names a focus node and a path; the mapper's origins
turn them back into the file, line and key that caused them, and the shape's sh:message (with
the offending value) says what is wrong.
"""

from __future__ import annotations

import logging

import rdflib
from rdflib.namespace import RDF, SH

from ..map import Mapped
from ..ontology import Ontology
from ..problems import Problem
from ..rdfterms import canonical_language, from_rdflib, to_rdflib_graph

# rdflib logs a traceback for every ill-typed literal it meets (the very thing SHACL reports).
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)

_VALUE_COMPONENTS = {"Datatype", "Class", "In", "Pattern", "LanguageIn", "MinInclusive", "MaxInclusive",
                     "MinExclusive", "MaxExclusive", "NodeKind", "LessThan", "LessThanOrEquals",
                     "MinLength", "MaxLength", "HasValue"}


_COMPARISONS = {"MinInclusive", "MaxInclusive", "MinExclusive", "MaxExclusive", "LessThan", "LessThanOrEquals"}
_BARE_DATATYPES = {str(rdflib.XSD.integer), str(rdflib.XSD.decimal), str(rdflib.XSD.double), str(rdflib.XSD.boolean)}


def run_pyshacl(data: rdflib.Graph, shapes: rdflib.Graph) -> rdflib.Graph:
    import pyshacl

    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True, abort_on_first=False
    )
    return results


def data_graph(mapped: Mapped, ontology: Ontology) -> rdflib.Graph:
    """The graph SHACL sees: the records, with the vocabulary their controlled values come from."""
    graph = rdflib.Graph()
    for triple in ontology.vocabulary_graph:
        graph.add(triple)
    return to_rdflib_graph(mapped.triples, graph)


class ResultReader:
    """Turns SHACL validation results into problems at YAML lines."""

    def __init__(self, mapped: Mapped, ontology: Ontology):
        self.mapped = mapped
        self.ontology = ontology
        self.dj = rdflib.Namespace(ontology.vocabulary_iri)

    def value_text(self, value) -> str:
        if isinstance(value, rdflib.Literal):
            shown = str(value)
            if str(value.datatype) in _BARE_DATATYPES and not value.ill_typed:
                return shown  # as the YAML wrote it, unquoted
            return f'"{shown}"@{canonical_language(value.language)}' if value.language else f'"{shown}"'
        text = str(value)
        split = self.ontology.split_record_iri(text)
        if split:
            return f'"{split[1]}"'
        for term in self.ontology.terms.values():
            if term.vocab_prefix and text.startswith(term.vocab_prefix):
                return f'"{text[len(term.vocab_prefix):]}"'
        return f"<{text}>"

    def repeated_language(self, subject: str, predicate: str) -> str | None:
        """The second text in a language that already has one: where sh:uniqueLang fails."""
        seen = set()
        for value in self.mapped.values.get((subject, predicate), []):
            language = value.rpartition("@")[2] if value.startswith('"') and '"@' in value else None
            if language in seen:
                return value
            seen.add(language)
        return None

    def problems(self, results: rdflib.Graph, shapes: rdflib.Graph, skip: set) -> list[Problem]:
        out = []
        for result in results.subjects(RDF.type, SH.ValidationResult):
            focus = results.value(result, SH.focusNode)
            path = results.value(result, SH.resultPath)
            value = results.value(result, SH.value)
            shape = results.value(result, SH.sourceShape)
            component = str(results.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
            message = str(results.value(result, SH.resultMessage) or f"violates {component}")
            if path is None:
                path = shapes.value(shape, self.dj.reportPath)
            subject = _nt(focus)
            predicate = _nt(path) if isinstance(path, rdflib.URIRef) else None
            value_nt = _nt(value) if value is not None else None
            if (subject, predicate, value_nt) in skip:
                continue
            if component == "UniqueLang" and predicate:
                value_nt = self.repeated_language(subject, predicate)
            origin = self.mapped.origin(subject, predicate, value_nt)
            if origin is None:
                continue  # a statement no record made (the vocabulary's own); not a record's problem
            key = origin.key
            if predicate and (subject, predicate) not in self.mapped.origins:
                key = self.ontology.key_for(str(path))  # a missing key: report it by name at the record
            if component in _COMPARISONS and getattr(value, "ill_typed", False):
                continue  # the Datatype result already says the value is not a number
            if value is not None and component in _VALUE_COMPONENTS:
                message = f"{message}, got {self.value_text(value)}"
            out.append(Problem(origin.path, origin.mark.line, origin.mark.column, key, message, f"shacl:{component}", str(shape)))
        return sorted(set(out))


def _nt(term) -> str:
    """The N-Triples form the mapper keys its origins by."""
    return str(from_rdflib(term))


def one_per_shape(problems: list[Problem]) -> list[Problem]:
    """One problem per shape at a place: a property shape that checks both the count and the
    form of a value would otherwise say the same thing twice, once without the value."""
    best: dict[tuple, Problem] = {}
    for problem in problems:
        where = (problem.path, problem.line, problem.column, problem.key, problem.shape)
        if where not in best or len(problem.message) > len(best[where].message):
            best[where] = problem
    return sorted(best.values())


def check_shapes(mapped: Mapped, ontology: Ontology, skip: set, every_result: bool = False) -> list[Problem]:
    """SHACL problems; ``every_result`` keeps each result, even where others say the same."""
    results = run_pyshacl(data_graph(mapped, ontology), ontology.shapes_graph)
    problems = ResultReader(mapped, ontology).problems(results, ontology.shapes_graph, skip)
    return problems if every_result else one_per_shape(problems)
