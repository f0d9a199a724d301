"""Running a SPARQL query against a store: what `dangjian query` and the /sparql endpoint share.

``execute(store, text)`` parses and evaluates a query and returns :class:`Results`, which say
what kind of answer it is (solutions, a boolean, or a graph). A malformed query raises
:class:`QuerySyntaxError`, which carries the line and column the parser stopped at and can show
that line of the query with a caret under the place. Updates are not queries: pyoxigraph's
``Store.query`` refuses them as syntax errors, so nothing here can change the store.

The answer is lazy, as pyoxigraph's is: solutions and triples can be read once, by
:func:`dangjian.query.formats.serialize` or by iterating; :meth:`Results.capped` reads it at
once, up to a number of rows (the endpoint's limit).
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass

import pyoxigraph

from .querytext import uses_service

_POSITION = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.S)
_MAX_MESSAGE = 240


class QuerySyntaxError(ValueError):
    """A query the parser refused, with where (1-based line and column, in characters) and why."""

    def __init__(self, message: str, query: str, line: int | None = None, column: int | None = None,
                 parser_text: str | None = None):
        self.message = message
        self.query = query
        self.line = line
        self.column = column
        self.prefix: str | None = None  # an undeclared prefix the query uses, where that is the error
        # The parser's own words ("error at 3:13: expected …"), which the endpoint gives as they are.
        self.parser_text = parser_text if parser_text is not None else message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}: " if self.line else ""
        return f"syntax error at {where}{self.message}" if where else f"syntax error: {self.message}"

    def excerpt(self) -> str:
        """The query's line with a caret under the column (wide characters count twice), or ''."""
        lines = self.query.splitlines()
        if not self.line or self.line > len(lines) + 1:
            return ""
        text = lines[self.line - 1] if self.line <= len(lines) else ""
        column = max(1, min(self.column or 1, len(text) + 1))
        before = text[:column - 1]
        pad = "".join("\t" if c == "\t" else " " * display_width(c) for c in before)
        return f"{self.line:>4} | {text}\n     | {pad}^"

    def report(self) -> str:
        """The message and the excerpt, as the command prints them."""
        excerpt = self.excerpt()
        return f"{self}\n{excerpt}" if excerpt else str(self)

    @classmethod
    def from_oxigraph(cls, error: SyntaxError, query: str) -> "QuerySyntaxError":
        text = str(error.args[0] if error.args else error)
        match = _POSITION.match(text)
        if not match:
            return cls(_shorten(text), query, parser_text=text)
        line, column, message = int(match.group(1)), int(match.group(2)), match.group(3)
        error = cls(_shorten(message), query, line, column, parser_text=text)
        if "Prefix not found" in message:
            # The parser lists every character it could have taken; say what is wrong instead.
            lines = query.splitlines()
            before = lines[line - 1][:max(0, column - 1)] if 0 < line <= len(lines) else ""
            found = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
            if found:
                error.prefix = found.group(1) or ""
                error.message = f"the prefix `{error.prefix}:` is not declared (PREFIX {error.prefix}: <…>)"
        return error


def _shorten(message: str) -> str:
    """The parser's message on one line, its list of expected tokens cut short when very long."""
    message = " ".join(message.split())
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE].rsplit(" ", 1)[0] + " …"
    return message


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: East Asian wide and fullwidth characters take two,
    combining marks and zero-width characters none."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


@dataclass
class Results:
    """The answer to a query: ``kind`` is "solutions" (SELECT), "boolean" (ASK) or "graph"
    (CONSTRUCT, DESCRIBE); ``raw`` is pyoxigraph's answer."""

    kind: str
    raw: object

    @property
    def variables(self) -> list[str]:
        """The SELECT's variables, without the ``?``, in order."""
        if self.kind != "solutions":
            return []
        return [v.value for v in self.raw.variables]

    @property
    def boolean(self) -> bool | None:
        return bool(self.raw) if self.kind == "boolean" else None

    def rows(self) -> list[list]:
        """The solutions as lists of pyoxigraph terms (None where unbound), in order. Reads them."""
        variables = self.raw.variables
        with evaluating():
            return [[solution[v] for v in variables] for solution in self.raw]

    def triples(self) -> list[pyoxigraph.Triple]:
        """The graph's triples. Reads them."""
        with evaluating():
            return list(self.raw)

    def capped(self, limit: int) -> "Results":
        """The answer read now, but no further than ``limit`` solutions or triples: raises
        :class:`TooManyRows` when there are more. The copy can be written as the answer can."""
        if self.kind == "boolean":
            return self
        with evaluating():
            read = list(itertools.islice(self.raw, limit + 1))
        if len(read) > limit:
            raise TooManyRows(limit, "triples" if self.kind == "graph" else "solutions")
        return Results(self.kind, read if self.kind == "graph" else ReadSolutions(list(self.raw.variables), read))


class TooManyRows(Exception):
    def __init__(self, limit: int, what: str):
        self.limit, self.what = limit, what
        super().__init__(f"more than {limit:,} {what}")


class ReadSolutions:
    """Solutions already read (by :meth:`Results.capped`), still written by pyoxigraph's writers."""

    def __init__(self, variables: list, solutions: list):
        self.variables = variables
        self.solutions = solutions

    def __iter__(self):
        return iter(self.solutions)

    def serialize(self, format) -> bytes:
        # pyoxigraph writes only its own solutions: read these back from SPARQL TSV (terms in
        # their N-Triples form), or JSON when there are no variables (TSV cannot count empty rows).
        if self.variables:
            lines = ["\t".join(str(v) for v in self.variables)]
            lines += ["\t".join("" if s[v] is None else str(s[v]) for v in self.variables) for s in self.solutions]
            data, read_as = ("\n".join(lines) + "\n").encode("utf-8"), pyoxigraph.QueryResultsFormat.TSV
        else:
            data = json.dumps({"head": {"vars": []}, "results": {"bindings": [{} for _ in self.solutions]}}).encode()
            read_as = pyoxigraph.QueryResultsFormat.JSON
        return pyoxigraph.parse_query_results(data, format=read_as).serialize(format=format)


@contextmanager
def evaluating():
    """Turns pyoxigraph's errors while an answer is read into :class:`QueryEvaluationError`."""
    try:
        yield
    except (OSError, ValueError, RuntimeError) as error:
        if isinstance(error, QueryEvaluationError):
            raise
        raise QueryEvaluationError(str(error)) from None


class QueryEvaluationError(RuntimeError):
    """A query that parsed but failed while it was evaluated or its answer read (a SERVICE that
    cannot be reached, for one)."""


class QueryRefused(ValueError):
    """A query this caller does not run (a federated SERVICE query, unless allowed)."""


def execute(store: pyoxigraph.Store, text: str, *, prefixes: dict[str, str] | None = None, default_graph=None,
            named_graphs=None, union_default_graph: bool = False, allow_service: bool = False) -> Results:
    """Evaluate a SPARQL query (never an update) on ``store``.

    ``prefixes`` are declared for the query unless it declares them itself; ``default_graph`` and
    ``named_graphs`` (graphs or lists of them) set the dataset, as pyoxigraph's. A query with a
    SERVICE clause (which would make the store fetch from other servers) is refused with
    :class:`QueryRefused` unless ``allow_service``.

    Raises :class:`QuerySyntaxError` for a query that does not parse (an update included: it is
    not a query) and :class:`QueryEvaluationError` for one that fails while it is evaluated; the
    answer is read lazily, so reading it (``rows``, ``triples``, ``formats.serialize``) may raise
    :class:`QueryEvaluationError` too.
    """
    if not allow_service and uses_service(text):
        raise QueryRefused("federated queries (SERVICE) are not run here")
    options: dict = {}
    if prefixes:
        options["prefixes"] = dict(prefixes)
    if default_graph is not None:
        options["default_graph"] = default_graph
    if named_graphs is not None:
        options["named_graphs"] = named_graphs
    if union_default_graph:
        options["use_default_graph_as_union"] = True
    try:
        raw = store.query(text, **options)
    except SyntaxError as error:
        raise QuerySyntaxError.from_oxigraph(error, text) from None
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryEvaluationError(str(error)) from None
    if isinstance(raw, pyoxigraph.QuerySolutions):
        return Results("solutions", raw)
    if isinstance(raw, pyoxigraph.QueryBoolean):
        return Results("boolean", raw)
    return Results("graph", raw)
