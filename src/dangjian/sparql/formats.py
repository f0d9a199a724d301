"""Formats of a query's answer: the standard ones, by name or media type, and a readable table.

Solutions (SELECT) and booleans (ASK) are written by pyoxigraph's own serialisers in the SPARQL
1.1 results formats (JSON, XML, CSV, TSV); graphs (CONSTRUCT, DESCRIBE) as the project writes
its documents (Turtle with the ontology's prefixes, N-Triples, JSON-LD in the project's context,
RDF/XML; see :func:`dangjian.publish.documents.render_document`). The table is for people: IRIs
shortened with the prefixes, Chinese text aligned, long cells cut.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph

from ..ontology import Ontology
from .run import Results, display_width, evaluating


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    kinds: tuple[str, ...]  # "solutions", "boolean", "graph"


RESULT_FORMATS = {
    "json": (pyoxigraph.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (pyoxigraph.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (pyoxigraph.QueryResultsFormat.CSV, "text/csv; charset=utf-8"),
    "tsv": (pyoxigraph.QueryResultsFormat.TSV, "text/tab-separated-values; charset=utf-8"),
}
GRAPH_FORMATS = {
    "ttl": ("ttl", "text/turtle; charset=utf-8"),
    "nt": ("nt", "application/n-triples"),
    "jsonld": ("jsonld", "application/ld+json"),
    "rdf": ("rdf", "application/rdf+xml"),
}
# Other names people use for the same formats.
ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "rdfxml": "rdf", "rdf/xml": "rdf"}

FORMATS = (
    *(Format(name, media, ("solutions", "boolean")) for name, (_f, media) in RESULT_FORMATS.items()),
    *(Format(name, media, ("graph",)) for name, (_f, media) in GRAPH_FORMATS.items()),
)
FORMAT_NAMES = ("table", *RESULT_FORMATS, *GRAPH_FORMATS)


class UnsupportedFormat(ValueError):
    """A format that does not fit the answer (CSV for a graph, Turtle for solutions)."""


def media_types(kind: str) -> dict[str, str]:
    """{media type (without parameters): format name} for an answer of ``kind``, for content
    negotiation. The first is the default."""
    return {f.media_type.split(";")[0]: f.name for f in FORMATS if kind in f.kinds}


def media_type(name: str) -> str:
    """The media type (with its charset where it takes one) of a format name."""
    name = ALIASES.get(name, name)
    for f in FORMATS:
        if f.name == name:
            return f.media_type
    raise UnsupportedFormat(f"unknown format `{name}`")


def known(fmt: str) -> bool:
    """Whether ``fmt`` names a format (table included), by name, alias or media type."""
    fmt = fmt.strip().lower().split(";")[0].strip()
    return ALIASES.get(fmt, fmt) in FORMAT_NAMES or fmt in {f.media_type.split(";")[0] for f in FORMATS}


def resolve(fmt: str, kind: str) -> str:
    """The format name for ``fmt`` (a name, an alias or a media type) and an answer of ``kind``.

    "xml" names SPARQL XML results for solutions and booleans, RDF/XML for a graph."""
    fmt = fmt.strip().lower().split(";")[0].strip()
    fmt = ALIASES.get(fmt, fmt)
    if kind == "graph" and fmt == "xml":
        fmt = "rdf"
    by_media = {f.media_type.split(";")[0]: f.name for f in FORMATS}
    name = by_media.get(fmt, fmt)
    for f in FORMATS:
        if f.name == name:
            if kind not in f.kinds:
                allowed = ", ".join(x.name for x in FORMATS if kind in x.kinds)
                what = {"solutions": "a SELECT", "boolean": "an ASK", "graph": "a CONSTRUCT or DESCRIBE"}[kind]
                raise UnsupportedFormat(f"{f.name} does not fit the answer to {what} query; use one of: {allowed}")
            return name
    raise UnsupportedFormat(f"unknown format `{fmt}`; known: {', '.join(FORMAT_NAMES[1:])}")


def serialize(results: Results, fmt: str, ontology: Ontology | None = None) -> bytes:
    """The answer in a standard format (a name such as "json" or "ttl", or a media type).

    JSON-LD and Turtle use the ontology's context and prefixes; without an ontology, JSON-LD and
    Turtle come from pyoxigraph's writers, plain."""
    name = resolve(fmt, results.kind)
    if results.kind in ("solutions", "boolean"):
        with evaluating():
            return results.raw.serialize(format=RESULT_FORMATS[name][0])
    triples = results.triples()
    if ontology is None:
        rdf = {"ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
               "jsonld": pyoxigraph.RdfFormat.JSON_LD, "rdf": pyoxigraph.RdfFormat.RDF_XML}[name]
        return pyoxigraph.serialize(sorted(set(triples), key=str), format=rdf)
    from ..publish.documents import render_document

    return render_document(triples, name, ontology, ontology.output_prefixes)


# --- the table ------------------------------------------------------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"
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
