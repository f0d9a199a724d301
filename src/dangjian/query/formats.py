"""Formats of a query's answer: the standard ones, by name or media type, and a readable table.

Solutions (SELECT) and booleans (ASK) are written by pyoxigraph's own serialisers in the SPARQL
1.1 results formats (JSON, XML, CSV, TSV); graphs (CONSTRUCT, DESCRIBE), for the command, as the
project writes its documents (Turtle with the ontology's prefixes, N-Triples, JSON-LD in the
project's context, RDF/XML; see :func:`dangjian.formats.documents.render_document`), and for the
endpoint by pyoxigraph's writers. :data:`FORMATS` is the one list of them, which the command's
``--format`` and the endpoint's content negotiation both read. The table is for people: IRIs
shortened with the prefixes, Chinese text aligned, long cells cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph

from ..model.namespaces import XSD
from .run import Results, display_width, evaluating

if TYPE_CHECKING:  # the endpoint's query workers import this module and must not load rdflib
    from ..model.ontology import Ontology

ANSWERS = ("solutions", "boolean")
TABLE = "TABLE"  # the readable table (see table()), not a pyoxigraph writer
GRAPHS = ("graph",)


@dataclass(frozen=True)
class Format:
    name: str  # as `dangjian query --format` takes and lists it
    media_type: str  # without parameters
    kinds: tuple[str, ...]  # "solutions", "boolean", "graph"
    writer: str  # pyoxigraph's name for it (QueryResultsFormat or RdfFormat)
    aliases: tuple[str, ...] = ()  # other names people use for it
    # Other media types clients send for it; shared between kinds (application/json), so Accept
    # counts them only where named outright, and format= by the kind of answer.
    also: tuple[str, ...] = ()
    long_name: str = ""  # the name the endpoint lists it by, where not the short one
    charset: bool = True  # whether its Content-Type says charset=utf-8

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    @property
    def listed_name(self) -> str:
        return self.long_name or self.name

    def named(self, word: str) -> bool:
        """Whether ``word`` (lower case, without parameters) names this format."""
        return word == self.name or word in self.aliases or word == self.media_type or word in self.also


# In order of preference: the first of a kind is its default, and ties in Accept go to the earlier.
# "xml" and "json" name the answer's kind of XML or JSON: SPARQL results, or RDF/XML and JSON-LD.
FORMATS = (
    Format("json", "application/sparql-results+json", ANSWERS, "JSON", also=("application/json",), charset=False),
    Format("xml", "application/sparql-results+xml", ANSWERS, "XML", also=("application/xml", "text/xml"), charset=False),
    Format("csv", "text/csv", ANSWERS, "CSV"),
    Format("tsv", "text/tab-separated-values", ANSWERS, "TSV", also=("text/tsv",)),
    Format("ttl", "text/turtle", GRAPHS, "TURTLE", aliases=("turtle",), also=("application/x-turtle",), long_name="turtle"),
    Format("nt", "application/n-triples", GRAPHS, "N_TRIPLES", aliases=("ntriples", "n-triples"), also=("text/n-triples",),
           long_name="ntriples"),
    Format("jsonld", "application/ld+json", GRAPHS, "JSON_LD", aliases=("json-ld", "json"), also=("application/json",)),
    Format("rdf", "application/rdf+xml", GRAPHS, "RDF_XML", aliases=("rdfxml", "rdf/xml", "rdf-xml", "xml"),
           also=("application/xml", "text/xml"), long_name="rdfxml"),
    # Plain text: the table for solutions; for a graph, N-Triples (text/plain was its media type).
    Format("text", "text/plain", (*ANSWERS, *GRAPHS), TABLE, aliases=("txt",)),
)
FORMAT_NAMES = ("table", *(f.name for f in FORMATS))
KIND_QUERIES = {"solutions": "a SELECT", "boolean": "an ASK", "graph": "a CONSTRUCT or DESCRIBE"}


class UnsupportedFormat(ValueError):
    """A format that does not fit the answer (CSV for a graph, Turtle for solutions)."""


def fitting(kind: str) -> tuple[Format, ...]:
    """The formats an answer of ``kind`` can be written in, the default first."""
    return tuple(f for f in FORMATS if kind in f.kinds)


def word(fmt: str) -> str:
    """A format as asked for, as :meth:`Format.named` compares it: lower case, no parameters."""
    return fmt.strip().lower().split(";")[0].strip()


def find(fmt: str, kind: str) -> Format:
    """The format ``fmt`` (a name, an alias or a media type) names for an answer of ``kind``."""
    asked = word(fmt)
    for f in fitting(kind):
        if f.named(asked):
            return f
    other = next((f for f in FORMATS if f.named(asked)), None)
    if other is None:
        raise UnsupportedFormat(f"unknown format `{asked}`; known: {', '.join(FORMAT_NAMES[1:])}")
    allowed = ", ".join(f.name for f in fitting(kind))
    raise UnsupportedFormat(f"{other.name} does not fit the answer to {KIND_QUERIES[kind]} query; use one of: {allowed}")


def known(fmt: str) -> bool:
    """Whether ``fmt`` names a format (table included), by name, alias or media type."""
    asked = word(fmt)
    return asked == "table" or any(f.named(asked) for f in FORMATS)


def media_types(kind: str) -> dict[str, str]:
    """{media type (without parameters): format name} for an answer of ``kind``. The first is the default."""
    return {f.media_type: f.name for f in fitting(kind)}


def media_type(name: str) -> str:
    """The Content-Type of a format (with its charset where it takes one), by name or alias."""
    asked = word(name)
    for f in FORMATS:
        if f.named(asked):
            return f.content_type
    raise UnsupportedFormat(f"unknown format `{name}`")


def serialize(results: Results, fmt: str, ontology: Ontology | None = None, prefixes: dict[str, str] | None = None) -> bytes:
    """The answer in a standard format (a name such as "json" or "ttl", or a media type).

    With an ontology, graphs are written as the project writes its documents (the command);
    without, by pyoxigraph's writers, Turtle and RDF/XML declaring those of ``prefixes`` the
    answer uses (the endpoint, whose workers hold no ontology)."""
    chosen = find(fmt, results.kind)
    if chosen.writer == TABLE and results.kind in ANSWERS:
        return table(results, prefixes or {}, max_width=None).encode("utf-8")
    if chosen.writer == TABLE:
        return pyoxigraph.serialize(results.triples(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    if results.kind in ANSWERS:
        with evaluating():
            return results.raw.serialize(format=getattr(pyoxigraph.QueryResultsFormat, chosen.writer))
    triples = results.triples()
    if ontology is not None:
        from ..formats.documents import render_document

        return render_document(triples, chosen.name, ontology, ontology.output_prefixes)
    rdf = getattr(pyoxigraph.RdfFormat, chosen.writer)
    used = _used_prefixes(triples, prefixes or {}) if rdf in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.RDF_XML) else {}
    return pyoxigraph.serialize(triples, format=rdf, prefixes=used) if used else pyoxigraph.serialize(triples, format=rdf)


def _used_prefixes(triples, prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes whose namespace some IRI of the answer (or a literal's datatype) is in."""
    iris = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, pyoxigraph.NamedNode):
                iris.add(term.value)
            elif isinstance(term, pyoxigraph.Literal):
                iris.add(term.datatype.value)
    return {k: v for k, v in prefixes.items() if any(iri.startswith(v) and iri != v for iri in iris)}


# --- the table ------------------------------------------------------------------------------

PLAIN_DATATYPES = {XSD + "string", XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean", XSD + "gYear", XSD + "gYearMonth", XSD + "date"}


class Names:
    """Short names of IRIs: the ontology's prefixes, longest namespace first."""

    def __init__(self, prefixes: dict[str, str]):
        self.by_length = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))

    def iri(self, iri: str) -> str:
        for prefix, namespace in self.by_length:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace):]
                if not any(c in local for c in " <>\"{}|^`\\"):
                    return f"{prefix}:{local}"
        return f"<{iri}>"

    def term(self, term) -> str:
        """A term as a table cell: prefixed names, plain text for strings and numbers, the
        language or datatype after the text only where it says something."""
        if term is None:
            return ""
        if isinstance(term, pyoxigraph.NamedNode):
            return self.iri(term.value)
        if isinstance(term, pyoxigraph.BlankNode):
            return f"_:{term.value}"
        if isinstance(term, pyoxigraph.Literal):
            value = " ".join(term.value.split()) if "\n" in term.value or "\t" in term.value else term.value
            if term.language or term.datatype.value in PLAIN_DATATYPES:
                return value
            return f"{value}^^{self.iri(term.datatype.value)}"
        return str(term)


def truncate(text: str, width: int) -> str:
    """The text cut to ``width`` columns, ending in … when cut."""
    if width <= 0 or display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = display_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - display_width(text))
    return space + text if right else text + space


def _numeric(term) -> bool:
    return isinstance(term, pyoxigraph.Literal) and not term.language and term.datatype.value in (
        XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float", XSD + "gYear")


def table(results: Results, prefixes: dict[str, str], max_width: int | None = 48) -> str:
    """A readable table of solutions (numbers right-aligned), yes/no for a boolean, with a
    count of rows at the end. ``max_width`` caps each column (None or 0: no cap)."""
    if results.kind == "boolean":
        return ("yes" if results.boolean else "no") + "\n"
    if results.kind != "solutions":
        raise ValueError("a graph is not a table; write it as Turtle, N-Triples or JSON-LD")
    names = Names(prefixes)
    variables = results.variables
    rows = results.rows()
    cells = [[truncate(names.term(t), max_width or 0) for t in row] for row in rows]
    numeric = [bool(rows) and all(r[i] is None or _numeric(r[i]) for r in rows) and any(r[i] is not None for r in rows)
               for i in range(len(variables))]
    headers = [truncate(v, max_width or 0) for v in variables]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(pad(h, widths[i], numeric[i]) for i, h in enumerate(headers)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(pad(c, widths[i], numeric[i]) for i, c in enumerate(row)).rstrip())
    count = len(rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"
